/* cmd-backup.c: `lifebelt backup DIR`: a consistent copy of the data directory while it is in use. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>
#include <jansson.h>
#include <sqlite3.h>

#include "backup.h"
#include "cli.h"
#include "../db/db.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

/*
 * What of the data directory is not copied as it is: the database (copied
 * through SQLite), what `restore` makes afresh for the new place (the hook
 * links, the authorized_keys file, whose lines name the data directory),
 * the work directories of jobs under way, and the lock.
 */
static const char *const not_copied[] = {
	"lifebelt.db", "lifebelt.db-wal", "lifebelt.db-shm", "lifebelt.db-journal",
	BACKUP_LOCK, "repos", "spool", "work", "hooks", "ssh", NULL
};

static int is_not_copied(const char *name)
{
	const char *const *n;

	for (n = not_copied; *n; n++)
		if (!strcmp(*n, name))
			return 1;
	return 0;
}

/*
 * The database through SQLite's online backup, in one step: one read
 * transaction, so the copy is the database as it was at one moment, and
 * writers go on meanwhile (WAL).
 */
static int copy_db(const char *dst_path, int64_t *schema)
{
	struct db *src = NULL;
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	int rc, ret = -1;

	if (cli_open_db_readonly(&src))
		return -1;
	rc = sqlite3_open_v2(dst_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		error("cannot create %s: %s", dst_path, dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		goto done;
	}
	sqlite3_busy_timeout(src->h, DB_BUSY_TIMEOUT_MS);
	if (!(b = sqlite3_backup_init(dst, "main", src->h, "main"))) {
		error("cannot back up the database: %s", sqlite3_errmsg(dst));
		goto done;
	}
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(100);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		error("cannot back up the database: %s", sqlite3_errstr(rc));
		goto done;
	}
	if (db_int(src, schema, "PRAGMA user_version", ""))
		goto done;
	/* A file alone, with no -wal or -shm beside it; restore's first open makes it WAL again. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		error("cannot write %s: %s", dst_path, sqlite3_errmsg(dst));
		goto done;
	}
	ret = 0;
done:
	sqlite3_close(dst);
	db_close(src);
	return ret;
}

/* A count from the copied database, for the manifest. */
static json_int_t count(struct db *db, const char *table)
{
	struct buf sql = BUF_INIT;
	int64_t n = 0;

	buf_addf(&sql, "SELECT count(*) FROM %s", table);  /* table: a literal of ours */
	db_int(db, &n, sql.buf, "");
	buf_release(&sql);
	return n;
}

static int write_manifest(const char *dir, int64_t started, int64_t schema, const struct copy_stats *st)
{
	static const char *const tables[] = { "courses", "people", "assignments", "repos",
					      "submissions", "jobs", NULL };
	struct buf path = BUF_INIT, when = BUF_INIT;
	struct db *db = NULL;
	json_t *m, *counts;
	char *text = NULL;
	size_t i;
	int ret = -1;

	buf_addf(&path, "%s/lifebelt.db", dir);
	if (db_open(&db, path.buf, DB_READONLY)) {
		error("cannot read the copied database %s", path.buf);
		goto done;
	}
	counts = json_object();
	for (i = 0; tables[i]; i++)
		json_object_set_new(counts, tables[i], json_integer(count(db, tables[i])));
	json_object_set_new(counts, "files", json_integer(st->files));
	json_object_set_new(counts, "bytes", json_integer(st->bytes));
	time_format_iso(&when, started);
	m = json_pack("{s:i, s:s, s:s, s:I, s:s, s:I, s:o}", "format", BACKUP_FORMAT,
		      "lifebelt", lifebelt_version, "created", when.buf, "created_unix",
		      (json_int_t)started, "home", home_dir(), "schema", (json_int_t)schema,
		      "counts", counts);
	text = m ? json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(m);
	if (!text) {
		error("cannot write the manifest");
		goto done;
	}
	buf_reset(&path);
	buf_addf(&path, "%s/%s", dir, BACKUP_MANIFEST);
	if (fs_write_atomic(path.buf, text, strlen(text), 0600)) {
		error_errno("cannot write %s", path.buf);
		goto done;
	}
	ret = 0;
done:
	free(text);
	db_close(db);
	buf_release(&path);
	buf_release(&when);
	return ret;
}

/* A folder to back up into: new, or empty; never one inside the data directory. */
static int check_target(const char *dir, int *made)
{
	char **names;
	char *real, *home;
	size_t n;
	int inside;

	*made = 0;
	if ((names = fs_list_dir(dir))) {
		int empty = !names[0];

		fs_list_free(names);
		if (!empty)
			return error("backup folder %s is not empty; name a new or an empty folder", dir);
	} else if (errno != ENOENT) {
		return error_errno("cannot use %s as the backup folder", dir);
	} else if (mkdir(dir, 0700)) {
		return error_errno("cannot make the backup folder %s", dir);
	} else {
		*made = 1;
	}
	if (!(real = fs_realpath(dir)))
		return error_errno("cannot use %s as the backup folder", dir);
	if (!(home = fs_realpath(home_dir())))
		home = xstrdup(home_dir());
	n = strlen(home);
	inside = !strncmp(real, home, n) && (!real[n] || real[n] == '/');
	free(real);
	free(home);
	if (!inside)
		return 0;
	if (*made)
		rmdir(dir);
	return error("backup folder %s is inside the data directory %s; name one outside it",
		     dir, home_dir());
}

/* Leave the folder as it was found: gone if we made it, else empty. */
static void undo_target(const char *dir, int made)
{
	char **names = fs_list_dir(dir);
	struct buf path = BUF_INIT;
	size_t i;

	for (i = 0; names && names[i]; i++) {
		buf_reset(&path);
		buf_addf(&path, "%s/%s", dir, names[i]);
		fs_remove_tree(path.buf);
	}
	fs_list_free(names);
	if (made)
		rmdir(dir);
	buf_release(&path);
}

static int copy_repos(const char *dir, struct copy_stats *st)
{
	struct repo_paths l = { 0, 0, NULL };
	struct buf top = BUF_INIT, src = BUF_INIT, dst = BUF_INIT;
	size_t i, j;
	int ret = -1;

	home_path(&top, "repos");
	if (backup_find_repos(top.buf, "", &l))
		goto done;
	buf_addf(&dst, "%s/repos", dir);
	if (mkdir(dst.buf, 0750)) {
		error_errno("cannot create %s", dst.buf);
		goto done;
	}
	for (i = 0; i < l.nr; i++) {
		/* The course and assignment folders above it. */
		for (j = 0; l.items[i][j]; j++) {
			if (l.items[i][j] != '/')
				continue;
			buf_reset(&dst);
			buf_addf(&dst, "%s/repos/%.*s", dir, (int)j, l.items[i]);
			if (mkdir(dst.buf, 0750) && errno != EEXIST) {
				error_errno("cannot create %s", dst.buf);
				goto done;
			}
		}
		buf_reset(&src);
		buf_reset(&dst);
		buf_addf(&src, "%s/%s", top.buf, l.items[i]);
		buf_addf(&dst, "%s/repos/%s", dir, l.items[i]);
		if (backup_copy_repo(src.buf, dst.buf, st))
			goto done;
		backup_progress("copying repositories", (int64_t)i + 1, (int64_t)l.nr);
	}
	ret = 0;
done:
	repo_paths_release(&l);
	buf_release(&top);
	buf_release(&src);
	buf_release(&dst);
	return ret;
}

/* The rest of the data directory: keys, secrets, tests, images, logs. */
static int copy_rest(const char *dir, struct copy_stats *st)
{
	char **names = fs_list_dir(home_dir());
	struct buf src = BUF_INIT, dst = BUF_INIT;
	size_t i;
	int ret = 0;

	if (!names)
		return error_errno("cannot read the data directory %s", home_dir());
	for (i = 0; names[i] && !ret; i++) {
		if (is_not_copied(names[i]))
			continue;
		buf_reset(&src);
		buf_reset(&dst);
		home_path(&src, "%s", names[i]);
		buf_addf(&dst, "%s/%s", dir, names[i]);
		ret = backup_copy_tree(src.buf, dst.buf, st);
	}
	fs_list_free(names);
	buf_release(&src);
	buf_release(&dst);
	return ret;
}

/*
 * The order makes the copy consistent: a push that git acknowledged has
 * its objects and ref on disk and its submission committed (or spooled)
 * before the acknowledgement. The spool is copied first and the database
 * next: a spooled push is either in the copied spool or was imported
 * before the database was copied. The repositories come last, so each
 * ref is at least as new as the database: every submission's commit is
 * in the copy. A push that lands after the database was copied may have
 * its ref in the copy without its row; `restore` records it as the
 * reconciler would, from the reflog.
 */
int cmd_backup(int argc, const char **argv)
{
	const char *pos[1];
	struct copy_stats st = { 0, 0, 0 };
	struct buf dir = BUF_INIT, path = BUF_INIT, size = BUF_INIT;
	int64_t started, start_us, schema = 0;
	struct stat db_st;
	int made = 0, rc, ret = -1;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 1, 1))
		return -1;
	buf_adds(&dir, pos[0]);
	while (dir.len > 1 && dir.buf[dir.len - 1] == '/')
		buf_setlen(&dir, dir.len - 1);
	home_path(&path, "lifebelt.db");
	if (access(path.buf, F_OK)) {
		error("no Lifebelt data directory at %s (no lifebelt.db); set LIFEBELT_HOME",
		      home_dir());
		goto out;
	}
	if (check_target(dir.buf, &made))
		goto out;
	started = time_now();
	start_us = time_mono_us();
	buf_reset(&path);
	home_path(&path, "spool");
	buf_addf(&size, "%s/spool", dir.buf);
	if (fs_is_dir(path.buf) && backup_copy_tree(path.buf, size.buf, &st))
		goto done;
	buf_reset(&path);
	home_path(&path, "lifebelt.db");
	if (stat(path.buf, &db_st)) {
		error_errno("cannot read %s", path.buf);
		goto done;
	}
	buf_reset(&path);
	buf_addf(&path, "%s/lifebelt.db", dir.buf);
	if (copy_db(path.buf, &schema) || chmod(path.buf, db_st.st_mode & 0777))
		goto done;
	git_libgit2_init();  /* once, not once per repository checked */
	rc = copy_repos(dir.buf, &st);
	git_libgit2_shutdown();
	if (rc || copy_rest(dir.buf, &st) ||
	    write_manifest(dir.buf, started, schema, &st))
		goto done;
	buf_reset(&size);
	backup_human(&size, st.bytes);
	printf("backed up %s to %s: %lld repositories, %lld files, %s in %.1f s\n", home_dir(),
	       dir.buf, (long long)st.repos, (long long)st.files, size.buf,
	       (double)(time_mono_us() - start_us) / 1e6);
	ret = 0;
done:
	if (ret)
		undo_target(dir.buf, made);
out:
	buf_release(&dir);
	buf_release(&path);
	buf_release(&size);
	return ret;
}
