/* cmd-init.c: `lifebelt init`: the data directory, its database and server key. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "../db/db.h"
#include "../gitd/provision.h"
#include "../lib/buf.h"
#include "../lib/crypto.h"
#include "../lib/fsutil.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/banned.h"

/* Folders of the data directory; see DESIGN.md. */
static const char *const folders[] = { "repos", "tests", "work", "logs", "spool", "hooks" };

static int make_key(const char *path, int *made)
{
	unsigned char raw[32];
	struct buf hex = BUF_INIT;
	int ret;

	if (!access(path, F_OK))
		return 0;
	if (crypto_random(raw, sizeof(raw)))
		return -1;
	crypto_hex(&hex, raw, sizeof(raw));
	buf_addch(&hex, '\n');
	ret = fs_write_atomic(path, hex.buf, hex.len, 0600);
	if (ret)
		error_errno("cannot write %s", path);
	else
		*made = 1;
	buf_release(&hex);
	return ret;
}

int cmd_init(int argc, const char **argv)
{
	struct buf path = BUF_INIT;
	struct db *db = NULL;
	size_t i;
	int made = 0, ret = -1, existed;

	if (parse_args(current_cmd(), argc, argv, NULL, NULL, 0, 0))
		return -1;
	existed = fs_is_dir(home_dir());
	if (fs_mkdir_p(home_dir(), 0750))
		return error_errno("cannot create data directory %s", home_dir());
	for (i = 0; i < sizeof(folders) / sizeof(folders[0]); i++) {
		buf_reset(&path);
		home_path(&path, "%s", folders[i]);
		if (!fs_is_dir(path.buf)) {
			if (fs_mkdir_p(path.buf, 0750)) {
				error_errno("cannot create %s", path.buf);
				goto done;
			}
			made = 1;
		}
	}
	buf_reset(&path);
	home_path(&path, "server.key");
	if (make_key(path.buf, &made))
		goto done;
	buf_reset(&path);
	home_path(&path, "lifebelt.db");
	if (access(path.buf, F_OK))
		made = 1;
	if (db_open(&db, path.buf, DB_CREATE)) {
		error("cannot create the database %s", path.buf);
		goto done;
	}
	if (provision_hooks())
		goto done;
	if (made || !existed)
		printf("initialised Lifebelt data directory %s\n", home_dir());
	else
		printf("Lifebelt data directory %s is already initialised\n", home_dir());
	ret = 0;
done:
	db_close(db);
	buf_release(&path);
	return ret;
}
