/* cmd-backup-restore.c: `lifebelt restore DIR`: a backup made the data directory again. */
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
#include "../db/schema.h"
#include "../gitd/keys.h"
#include "../gitd/provision.h"
#include "../hooks/reconcile.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/giterr.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

struct manifest {
	char *home;             /* the data directory the backup was made of */
	char *created, *version;
};

static void manifest_release(struct manifest *m)
{
	free(m->home);
	free(m->created);
	free(m->version);
}

static int manifest_read(const char *dir, struct manifest *m)
{
	struct buf path = BUF_INIT;
	json_error_t jerr;
	json_t *j = NULL;
	const char *home = NULL, *created = "", *version = "";
	json_int_t format = 0, schema = 0;
	int ret = -1;

	memset(m, 0, sizeof(*m));
	buf_addf(&path, "%s/%s", dir, BACKUP_MANIFEST);
	if (access(path.buf, F_OK)) {
		error("%s is not a complete Lifebelt backup (no %s); name the folder "
		      "`lifebelt backup` wrote", dir, BACKUP_MANIFEST);
		goto done;
	}
	j = json_load_file(path.buf, JSON_REJECT_DUPLICATES, &jerr);
	if (!j || json_unpack_ex(j, &jerr, 0, "{s:I, s:s, s?s, s?s, s:I}", "format", &format,
				 "home", &home, "created", &created, "lifebelt", &version,
				 "schema", &schema)) {
		error("%s is not a Lifebelt backup's manifest: %s", path.buf, jerr.text);
		goto done;
	}
	if (format != BACKUP_FORMAT) {
		error("backup %s has format %lld; this lifebelt reads format %d", dir,
		      (long long)format, BACKUP_FORMAT);
		goto done;
	}
	if (schema > schema_nr_migrations) {
		error("backup %s was made by a newer lifebelt (%s); restore it with that version",
		      dir, version);
		goto done;
	}
	m->home = xstrdup(home);
	m->created = xstrdup(created);
	m->version = xstrdup(version);
	ret = 0;
done:
	json_decref(j);
	buf_release(&path);
	return ret;
}

/* The backup's database opens and SQLite finds it sound: checked before anything is touched. */
static int backup_db_check(const char *dir)
{
	struct buf path = BUF_INIT, why = BUF_INIT;
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int rc;

	buf_addf(&path, "%s/lifebelt.db", dir);
	rc = sqlite3_open_v2(path.buf, &h, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(h, "PRAGMA quick_check(1)", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok"))
		buf_adds(&why, (const char *)sqlite3_column_text(st, 0));
	else if (rc != SQLITE_ROW)
		buf_adds(&why, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
	sqlite3_finalize(st);
	sqlite3_close(h);
	if (why.len)
		error("backup %s: its database %s is damaged (%s); restore another backup", dir,
		      path.buf, why.buf);
	rc = why.len ? -1 : 0;
	buf_release(&path);
	buf_release(&why);
	return rc;
}

/* The backup's entries into the (empty) data directory; the manifest stays behind. */
static int copy_in(const char *dir, struct copy_stats *st)
{
	char **names = fs_list_dir(dir);
	struct buf src = BUF_INIT, dst = BUF_INIT;
	static const char *const folders[] = { "repos", "tests", "work", "logs", "spool", "hooks" };
	size_t i;
	int ret = 0;

	if (!names)
		return error_errno("cannot read the backup %s", dir);
	for (i = 0; names[i] && !ret; i++) {
		if (!strcmp(names[i], BACKUP_MANIFEST))
			continue;
		buf_reset(&src);
		buf_reset(&dst);
		buf_addf(&src, "%s/%s", dir, names[i]);
		home_path(&dst, "%s", names[i]);
		ret = backup_copy_tree(src.buf, dst.buf, st);
	}
	for (i = 0; i < sizeof(folders) / sizeof(folders[0]) && !ret; i++) {
		buf_reset(&dst);
		home_path(&dst, "%s", folders[i]);
		if (mkdir(dst.buf, 0750) && errno != EEXIST)
			ret = error_errno("cannot create %s", dst.buf);
	}
	fs_list_free(names);
	buf_release(&src);
	buf_release(&dst);
	return ret;
}

/*
 * Paths the database keeps whole (the tests' folders) move from the old
 * data directory to this one; jobs that were being graded when the backup
 * was made go back to the queue: no runner holds them any more, and their
 * results were never stored (a job's results and its end are one commit),
 * so each is graded exactly once. Returns 0 or -1; *requeued counts jobs.
 */
static int fix_db(struct db *db, const char *old_home, int *requeued)
{
	struct buf prefix = BUF_INIT, to = BUF_INIT;
	int rc;

	buf_addf(&prefix, "%s/", old_home);
	home_path(&to, "%s", "");
	if ((rc = db_begin(db)))
		goto done;
	rc = db_exec(db, "UPDATE jobs SET state = 'queued', attempts = max(attempts - 1, 0), "
		     "lease_owner = NULL, lease_expires = NULL, started = NULL "
		     "WHERE state = 'running'", "");
	if (rc < 0)
		goto fail;
	*requeued = rc;
	if (strcmp(prefix.buf, to.buf)) {
		rc = db_exec(db, "UPDATE assignments SET tests_dir = ? || substr(tests_dir, ?) "
			     "WHERE substr(tests_dir, 1, ?) = ?", "tiit", to.buf,
			     (int64_t)prefix.len + 1, (int64_t)prefix.len, prefix.buf);
		if (rc >= 0)
			rc = db_exec(db, "UPDATE tests_versions SET tests_dir = ? || substr(tests_dir, ?) "
				     "WHERE substr(tests_dir, 1, ?) = ?", "tiit", to.buf,
				     (int64_t)prefix.len + 1, (int64_t)prefix.len, prefix.buf);
		if (rc < 0)
			goto fail;
	}
	rc = db_commit(db);
	goto done;
fail:
	db_rollback(db);
done:
	buf_release(&prefix);
	buf_release(&to);
	return rc < 0 ? error("cannot update the restored database") : 0;
}

/* A repository's hooks are named by an absolute path: the old data directory's become ours. */
static int fix_repo(const char *path, const char *old_home)
{
	struct buf file = BUF_INIT, want = BUF_INIT;
	git_config *cfg = NULL;
	git_buf hooks = GIT_BUF_INIT;
	size_t n = strlen(old_home);
	int ret = 0;

	buf_addf(&file, "%s/config", path);
	if (git_config_open_ondisk(&cfg, file.buf)) {
		ret = git_fail(file.buf);
		goto done;
	}
	if (git_config_get_string_buf(&hooks, cfg, "core.hooksPath"))
		goto done;  /* none: nothing to move */
	if (strncmp(hooks.ptr, old_home, n) || (hooks.ptr[n] && hooks.ptr[n] != '/'))
		goto done;
	home_path(&want, "%s", hooks.ptr + n + (hooks.ptr[n] == '/'));
	if (git_config_set_string(cfg, "core.hooksPath", want.buf))
		ret = git_fail(file.buf);
done:
	git_buf_dispose(&hooks);
	git_config_free(cfg);
	buf_release(&file);
	buf_release(&want);
	return ret;
}

static int fix_repos(const char *old_home)
{
	struct repo_paths l = { 0, 0, NULL };
	struct buf top = BUF_INIT, path = BUF_INIT;
	size_t i;
	int ret;

	home_path(&top, "repos");
	git_libgit2_init();
	ret = backup_find_repos(top.buf, "", &l);
	for (i = 0; i < l.nr && !ret; i++) {
		buf_reset(&path);
		buf_addf(&path, "%s/%s", top.buf, l.items[i]);
		ret = fix_repo(path.buf, old_home);
	}
	git_libgit2_shutdown();
	repo_paths_release(&l);
	buf_release(&top);
	buf_release(&path);
	return ret;
}

/* Everything in the data directory made afresh for where it is now, and the queue set right. */
static int settle(const struct manifest *m, int *requeued, int *spooled, int *found)
{
	struct db *db = NULL;
	int ret = -1;

	if (cli_open_db(&db))
		goto done;
	if (fix_db(db, m->home, requeued) || fix_repos(m->home) || provision_hooks() ||
	    keys_write(db, NULL))
		goto done;
	/* Pushes that came in while the backup was being made: refs newer than their rows. */
	if (reconcile_run(db, 0, spooled, found)) {
		error("cannot record the pushes the backup's repositories hold beyond its database");
		goto done;
	}
	ret = 0;
done:
	db_close(db);
	return ret;
}

/*
 * The data directory must be empty or new. With --force one that is not
 * is renamed aside (HOME.before-restore-TIME), never deleted.
 */
static int clear_target(int force, struct buf *aside)
{
	const char *home = home_dir();
	char **names = fs_list_dir(home);
	int empty;

	if (!names) {
		if (errno != ENOENT)
			return error_errno("cannot read the data directory %s", home);
		if (fs_mkdir_p(home, 0750))
			return error_errno("cannot create the data directory %s", home);
		return 0;
	}
	empty = !names[0];
	fs_list_free(names);
	if (empty)
		return 0;
	if (!force)
		return error("data directory %s is not empty; restore into a new or empty one "
			     "(LIFEBELT_HOME), or add --force to set this one aside", home);
	buf_addf(aside, "%s.before-restore-", home);
	time_format_iso(aside, time_now());
	if (rename(home, aside->buf))
		return error_errno("cannot set %s aside as %s; empty it by hand", home, aside->buf);
	if (mkdir(home, 0750))
		return error_errno("cannot create the data directory %s", home);
	return 0;
}

/* After a failure: the data directory empty again, as it was found or set aside. */
static void undo(void)
{
	char **names = fs_list_dir(home_dir());
	struct buf path = BUF_INIT;
	size_t i;

	for (i = 0; names && names[i]; i++) {
		buf_reset(&path);
		home_path(&path, "%s", names[i]);
		fs_remove_tree(path.buf);
	}
	fs_list_free(names);
	buf_release(&path);
}

int cmd_restore(int argc, const char **argv)
{
	const char *pos[1];
	int force = 0, requeued = 0, spooled = 0, found = 0;
	struct opt opts[] = { { "force", NULL, &force }, { NULL, NULL, NULL } };
	struct copy_stats st = { 0, 0, 0 };
	struct manifest m;
	struct buf aside = BUF_INIT;
	int ret = -1;

	if (parse_args(current_cmd(), argc, argv, opts, pos, 1, 1))
		return -1;
	if (manifest_read(pos[0], &m))
		return -1;
	if (backup_db_check(pos[0]))
		goto out;
	if (backup_home_busy(home_dir())) {
		error("a Lifebelt server or runner is using %s; stop it before restoring", home_dir());
		goto out;
	}
	if (clear_target(force, &aside))
		goto out;
	if (copy_in(pos[0], &st) || settle(&m, &requeued, &spooled, &found)) {
		undo();
		if (aside.len && (rmdir(home_dir()) || rename(aside.buf, home_dir())))
			error_errno("cannot move %s back to %s; it is all there, move it by hand",
				    aside.buf, home_dir());
		goto out;
	}
	if (aside.len)
		printf("the data directory that was at %s is now %s\n", home_dir(), aside.buf);
	printf("restored the backup of %s made %s by lifebelt %s into %s: %lld files; "
	       "%d jobs being graded then are queued again; %d pushes recorded from the spool "
	       "and %d from the repositories\n", m.home, m.created, m.version, home_dir(),
	       (long long)st.files, requeued, spooled, found);
	ret = 0;
out:
	manifest_release(&m);
	buf_release(&aside);
	return ret;
}
