/* hook.c: entry of git's server-side hooks: find the repository, open the database, dispatch. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hook.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/banned.h"

int hook_is_hook(const char *name)
{
	return !strcmp(name, "pre-receive") || !strcmp(name, "post-receive");
}

void hook_say(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	buf_addch(&b, '\n');
	fwrite(b.buf, 1, b.len, stderr);
	fflush(stderr);
	buf_release(&b);
}

/*
 * git runs hooks in the bare repository, which lives at
 * HOME/repos/COURSE/NAME/LOGIN.git: the data directory and the repository's
 * name both follow from the working directory, whatever the environment says.
 */
static int find_repo(struct buf *home, struct buf *rel)
{
	char *cwd = fs_realpath(".");
	size_t cut;
	int i;

	if (!cwd)
		return error_errno("cannot resolve the repository directory");
	buf_adds(home, cwd);
	free(cwd);
	cut = home->len;
	for (i = 0; i < 3; i++) {
		while (cut > 0 && home->buf[cut - 1] != '/')
			cut--;
		if (cut <= 1)
			return error("hook run outside a Lifebelt repository: %s", home->buf);
		cut--;
	}
	buf_adds(rel, home->buf + cut + 1);
	buf_setlen(home, cut);
	if (home->len < 6 || strcmp(home->buf + home->len - 6, "/repos"))
		return error("hook run outside a Lifebelt repository: %s/%s", home->buf, rel->buf);
	buf_setlen(home, home->len - 6);
	return 0;
}

int hook_main(const char *name, int argc, const char **argv)
{
	struct buf home = BUF_INIT, rel = BUF_INIT, dbpath = BUF_INIT, in = BUF_INIT;
	struct hook_ctx h;
	const char *via = getenv("LIFEBELT_VIA");
	int rc, ret = 1;

	(void)argc;
	(void)argv;
	memset(&h, 0, sizeof(h));
	log_set_error_word("lifebelt");
	if (find_repo(&home, &rel))
		goto done;
	home_set(home.buf);
	h.relpath = rel.buf;
	h.via = via && (!strcmp(via, "ssh") || !strcmp(via, "http")) ? via : "local";
	home_path(&dbpath, "lifebelt.db");
	if (db_open(&h.db, dbpath.buf, 0)) {
		error("cannot open the Lifebelt database");
		goto done;
	}
	rc = db_repo_by_path(h.db, h.relpath, &h.repo);
	if (rc == DB_ENOTFOUND)
		error("repository %s is not registered with Lifebelt", h.relpath);
	if (rc)
		goto done;
	if (!strcmp(name, "post-receive")) {
		ret = hook_post_receive(&h) ? 1 : 0;
	} else {
		/* Read all ref updates so git never sees a broken pipe. */
		buf_read_fd(&in, 0);
		ret = 0;
	}
done:
	repo_info_release(&h.repo);
	db_close(h.db);
	buf_release(&home);
	buf_release(&rel);
	buf_release(&dbpath);
	buf_release(&in);
	return ret;
}
