/* spool.c: one file per push in LIFEBELT_HOME/spool, for when the database is unavailable. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"
#include "spool.h"
#include "../db/db.h"
#include "../db/queue.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/banned.h"

#define SUFFIX ".push"

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int spool_write(const struct spool_entry *e)
{
	static int seq;
	struct buf dir = BUF_INIT, path = BUF_INIT, data = BUF_INIT;
	int ret = -1;

	home_path(&dir, "spool");
	if (fs_mkdir_p(dir.buf, 0750)) {
		error_errno("cannot create %s", dir.buf);
		goto done;
	}
	/* Names sort by receive time, so the import keeps the order of the pushes. */
	buf_addf(&path, "%s/%012lld-%ld-%d-%.12s" SUFFIX, dir.buf, (long long)e->received,
		 (long)getpid(), seq++, e->commit);
	buf_addf(&data, "repo %s\nref %s\ncommit %s\nreceived %lld\nvia %s\n", e->relpath, e->ref,
		 e->commit, (long long)e->received, e->via);
	if (fs_write_atomic(path.buf, data.buf, data.len, 0640)) {
		error_errno("cannot write %s", path.buf);
		goto done;
	}
	sync_dir(dir.buf);
	ret = 0;
done:
	buf_release(&dir);
	buf_release(&path);
	buf_release(&data);
	return ret;
}

/* Parse one spool file's text; 0 or -1. */
static int parse_entry(char *text, struct spool_entry *e)
{
	char *line, *save = NULL;
	int seen = 0;

	memset(e, 0, sizeof(*e));
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *val = strchr(line, ' ');
		char *dst = NULL;
		size_t n = 0;

		if (!val)
			return -1;
		*val++ = '\0';
		if (!strcmp(line, "repo"))
			dst = e->relpath, n = sizeof(e->relpath), seen |= 1;
		else if (!strcmp(line, "ref"))
			dst = e->ref, n = sizeof(e->ref), seen |= 2;
		else if (!strcmp(line, "commit"))
			dst = e->commit, n = sizeof(e->commit), seen |= 4;
		else if (!strcmp(line, "via"))
			dst = e->via, n = sizeof(e->via), seen |= 8;
		else if (!strcmp(line, "received")) {
			char *end;

			e->received = strtoll(val, &end, 10);
			if (*end || e->received <= 0)
				return -1;
			seen |= 16;
			continue;
		}
		if (!dst || (size_t)snprintf(dst, n, "%s", val) >= n)
			return -1;
	}
	return seen == 31 ? 0 : -1;
}

static void set_aside(const char *dir, const char *name, const char *why)
{
	struct buf failed = BUF_INIT, from = BUF_INIT, to = BUF_INIT;

	buf_addf(&failed, "%s/failed", dir);
	buf_addf(&from, "%s/%s", dir, name);
	buf_addf(&to, "%s/%s", failed.buf, name);
	if (fs_mkdir_p(failed.buf, 0750) || rename(from.buf, to.buf))
		error_errno("cannot move %s aside", from.buf);
	else
		log_info("spool: %s moved to %s: %s", name, failed.buf, why);
	buf_release(&failed);
	buf_release(&from);
	buf_release(&to);
}

int spool_import(struct db *db, int *imported)
{
	struct buf dir = BUF_INIT;
	char **names;
	size_t i;
	int ret = 0;

	*imported = 0;
	home_path(&dir, "spool");
	names = fs_list_dir(dir.buf);
	if (!names) {
		if (errno != ENOENT)
			ret = error_errno("cannot read %s", dir.buf);
		goto done;
	}
	for (i = 0; names[i] && !ret; i++) {
		struct buf path = BUF_INIT, text = BUF_INIT;
		size_t n = strlen(names[i]);
		struct spool_entry e;
		struct enqueue_res res;
		int rc;

		if (n <= strlen(SUFFIX) || strcmp(names[i] + n - strlen(SUFFIX), SUFFIX))
			continue;
		buf_addf(&path, "%s/%s", dir.buf, names[i]);
		if (buf_read_file(&text, path.buf)) {
			if (errno != ENOENT)  /* ENOENT: another importer took it */
				ret = error_errno("cannot read %s", path.buf);
		} else if (parse_entry(text.buf, &e)) {
			set_aside(dir.buf, names[i], "not a spooled push");
		} else if ((rc = record_push_path(db, e.relpath, e.ref, e.commit, e.received,
						  e.via, 0, &res)) == DB_ENOTFOUND) {
			set_aside(dir.buf, names[i], "its repository is not registered");
		} else if (rc) {
			ret = rc;
		} else {
			if (unlink(path.buf) && errno != ENOENT)
				ret = error_errno("cannot remove %s", path.buf);
			*imported += res.created;
			log_info("spool: %s %s %.12s received at %lld: submission %lld%s", e.relpath,
				 e.ref, e.commit, (long long)e.received, (long long)res.submission_id,
				 res.created ? "" : " (already recorded)");
		}
		buf_release(&path);
		buf_release(&text);
	}
done:
	fs_list_free(names);
	buf_release(&dir);
	return ret;
}
