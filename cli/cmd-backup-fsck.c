/* cmd-backup-fsck.c: `lifebelt fsck`: do the database, the repositories and the queue agree? */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "backup.h"
#include "cli.h"
#include "../db/db.h"
#include "../db/queue.h"
#include "../db/submission.h"
#include "../hooks/reconcile.h"
#include "../hooks/record.h"
#include "../hooks/spool.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../runner/workdir.h"
#include "../lib/banned.h"

struct fsck {
	struct db *db;
	int repair;
	int busy;               /* a server or runner is running */
	int db_sound;           /* the integrity check passed: the rows can be trusted */
	int problems, repairable, repaired;
	int64_t repos, submissions, jobs;
};

/*
 * One finding, one line. fix names what --repair does about it (NULL:
 * nothing it can do safely); done says whether it was just done.
 */
static void finding(struct fsck *f, const char *fix, int done, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void finding(struct fsck *f, const char *fix, int done, const char *fmt, ...)
{
	struct buf line = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&line, fmt, ap);
	va_end(ap);
	f->problems++;
	if (fix)
		f->repairable++;
	if (done)
		f->repaired++;
	if (done)
		printf("fsck: %s: repaired (%s)\n", line.buf, fix);
	else if (fix)
		printf("fsck: %s (--repair: %s)\n", line.buf, fix);
	else
		printf("fsck: %s\n", line.buf);
	buf_release(&line);
}

/* PRAGMA integrity_check and foreign_key_check, each complaint a finding. */
static void check_database(struct fsck *f)
{
	static const char restore[] = "restore lifebelt.db from a backup (`lifebelt restore`)";
	sqlite3_stmt *st = db_stmt(f->db, "PRAGMA integrity_check(100)", "");
	int rc, bad = 0;

	while (st && (rc = db_step(f->db, st)) == SQLITE_ROW) {
		if (!strcmp(db_text(st, 0), "ok"))
			continue;
		finding(f, NULL, 0, "database: %s; %s", db_text(st, 0), restore);
		bad = 1;
	}
	if (!st || rc != SQLITE_DONE) {
		finding(f, NULL, 0, "database: the integrity check could not run to its end: %s; %s",
			sqlite3_errmsg(f->db->h), restore);
		bad = 1;
	}
	sqlite3_finalize(st);
	if (bad)
		return;
	st = db_stmt(f->db, "PRAGMA foreign_key_check", "");
	while (st && (rc = db_step(f->db, st)) == SQLITE_ROW) {
		finding(f, NULL, 0, "database: row %lld of %s refers to a missing row of %s",
			(long long)sqlite3_column_int64(st, 1), db_text(st, 0), db_text(st, 2));
		bad = 1;
	}
	sqlite3_finalize(st);
	f->db_sound = !bad;
}

/* Each repository on disk: is every object its refs reach there? Is it known? */
static void check_repo_objects(struct fsck *f)
{
	struct repo_paths l = { 0, 0, NULL };
	struct buf top = BUF_INIT, path = BUF_INIT, problems = BUF_INIT;
	size_t i;

	home_path(&top, "repos");
	if (backup_find_repos(top.buf, "", &l))
		finding(f, NULL, 0, "repositories: cannot list %s", top.buf);
	for (i = 0; i < l.nr; i++) {
		const char *rel = l.items[i], *base = strrchr(rel, '/');
		char *line, *nl;
		int64_t known = 1;

		buf_reset(&path);
		buf_reset(&problems);
		buf_addf(&path, "%s/%s", top.buf, rel);
		if (backup_repo_check(path.buf, &problems))
			for (line = problems.buf; (nl = strchr(line, '\n')); line = nl + 1)
				finding(f, NULL, 0, "repository %s: %.*s", rel, (int)(nl - line), line);
		if (f->db_sound && strcmp(base ? base + 1 : rel, ".tests.git") &&
		    db_int(f->db, &known, "SELECT count(*) FROM repos WHERE path = ?", "t", rel) >= 0 &&
		    !known)
			finding(f, NULL, 0, "repository %s is on disk but in no course of the database",
				rel);
		f->repos++;
		backup_progress("checking repositories", (int64_t)i + 1, (int64_t)l.nr);
	}
	repo_paths_release(&l);
	buf_release(&top);
	buf_release(&path);
	buf_release(&problems);
}

/* Every submission's commit is in its repository. */
static void check_submissions(struct fsck *f, git_repository *repo, const struct repo_item *r)
{
	sqlite3_stmt *st = db_stmt(f->db, "SELECT id, commit_id FROM submissions WHERE repo_id = ? "
				   "ORDER BY id", "i", r->id);
	git_odb *odb = NULL;
	git_oid id;

	if (repo && git_repository_odb(&odb, repo))
		odb = NULL;
	while (st && db_step(f->db, st) == SQLITE_ROW) {
		f->submissions++;
		if (odb && !git_oid_fromstr(&id, db_text(st, 1)) && git_odb_exists(odb, &id))
			continue;
		finding(f, NULL, 0, "submission %lld of %s: commit %s is not in the repository",
			(long long)sqlite3_column_int64(st, 0), r->path, db_text(st, 1));
	}
	sqlite3_finalize(st);
	git_odb_free(odb);
}

/*
 * Every push git accepted to the graded branch (a reflog entry "push")
 * has its submission. --repair records a missing one as the reconciler
 * would, with the reflog's time as the receive time.
 */
static int push_missing(const struct repo_item *r, const struct missing_push *p, void *data)
{
	static const char fix[] = "record it as a submission, received at the reflog's time";
	struct fsck *f = data;
	struct buf when = BUF_INIT;
	struct enqueue_res res;
	int done = 0;

	if (f->repair)
		done = !record_push_path(f->db, r->path, p->ref, p->commit, p->at, "reconciled",
					 p->older, &res);
	time_format(&when, p->at);
	finding(f, fix, done, "%s %s: the push of %.12s at %s has no submission", r->path,
		p->ref, p->commit, when.buf);
	buf_release(&when);
	return 0;
}

static void check_pushes(struct fsck *f, git_repository *repo, const struct repo_item *r)
{
	if (repo)
		reconcile_each_missing(f->db, r, repo, 0, -1, push_missing, f);
}

static void check_rows(struct fsck *f)
{
	struct repo_list l = REPO_LIST_INIT;
	struct buf path = BUF_INIT;
	size_t i;

	if (db_repos_list(f->db, &l)) {
		finding(f, NULL, 0, "database: cannot list the repositories");
		return;
	}
	git_libgit2_init();
	for (i = 0; i < l.nr; i++) {
		git_repository *repo = NULL;

		buf_reset(&path);
		home_path(&path, "repos/%s", l.items[i].path);
		if (git_repository_open_bare(&repo, path.buf)) {
			repo = NULL;
			finding(f, NULL, 0, "repository %s is in the database but not on disk",
				l.items[i].path);
		}
		check_submissions(f, repo, &l.items[i]);
		check_pushes(f, repo, &l.items[i]);
		git_repository_free(repo);
		backup_progress("checking submissions", (int64_t)i + 1, (int64_t)l.nr);
	}
	git_libgit2_shutdown();
	repo_list_release(&l);
	buf_release(&path);
}

/* Back to the queue, with whatever results it has removed: 0, or non-zero. */
static int requeue(struct db *db, int64_t id)
{
	if (db_begin(db))
		return -1;
	if (db_exec(db, "DELETE FROM results WHERE job_id = ?", "i", id) < 0 ||
	    db_exec(db, "UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_expires = NULL, "
		    "started = NULL, finished = NULL, status = NULL, score = NULL, max_score = NULL "
		    "WHERE id = ?", "i", id) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

/*
 * Jobs in states the queue never makes, and, with no runner running,
 * jobs a runner that died still holds (a runner requeues those itself
 * when their lease runs out, but only once one runs again). Each goes back to the queue, its
 * partial results (if any) removed, so it is graded once.
 */
static void check_jobs(struct fsck *f)
{
	static const char fix[] = "queue it again";
	struct {
		size_t nr, alloc;
		struct odd_job {
			int64_t id;
			char *why;
		} *items;
	} l = { 0, 0, NULL };
	sqlite3_stmt *st;
	size_t i;

	db_int(f->db, &f->jobs, "SELECT count(*) FROM jobs", "");
	st = db_stmt(f->db, "SELECT id, CASE "
		     "WHEN state = 'running' AND (lease_owner IS NULL OR lease_expires IS NULL) "
		     "  THEN 'is running without a lease' "
		     "WHEN state = 'running' AND ? = 0 "
		     "  THEN 'is held by a runner that is gone' "
		     "WHEN state = 'queued' AND (lease_owner IS NOT NULL OR finished IS NOT NULL) "
		     "  THEN 'is queued but has a runner or an end' "
		     "WHEN state = 'done' AND (finished IS NULL OR status IS NULL) "
		     "  THEN 'is done without an outcome' "
		     "WHEN state IN ('queued', 'running') AND EXISTS (SELECT 1 FROM results r "
		     "  WHERE r.job_id = jobs.id) THEN 'is not done but has results' "
		     "END AS why FROM jobs WHERE why IS NOT NULL ORDER BY id", "i",
		     (int64_t)f->busy);
	while (st && db_step(f->db, st) == SQLITE_ROW) {
		ALLOC_GROW(l.items, l.nr + 1, l.alloc);
		l.items[l.nr].id = sqlite3_column_int64(st, 0);
		l.items[l.nr].why = db_text_dup(st, 1);
		l.nr++;
	}
	sqlite3_finalize(st);
	for (i = 0; i < l.nr; i++) {
		int done = f->repair && !requeue(f->db, l.items[i].id);

		finding(f, fix, done, "job %lld %s", (long long)l.items[i].id, l.items[i].why);
		free(l.items[i].why);
	}
	free(l.items);
}

/* Pushes still in the spool, with no server to import them. */
static void check_spool(struct fsck *f)
{
	struct buf dir = BUF_INIT;
	char **names;
	size_t i;
	int waiting = 0, imported = 0;

	home_path(&dir, "spool");
	if (!(names = fs_list_dir(dir.buf)))
		goto done;
	for (i = 0; names[i]; i++) {
		size_t n = strlen(names[i]);

		if (n > 5 && !strcmp(names[i] + n - 5, ".push"))
			waiting++;
	}
	fs_list_free(names);
	if (waiting && f->repair)
		spool_import(f->db, &imported);
	for (i = 0; (int)i < waiting; i++)
		finding(f, "record it", (int)i < imported, "spool: a push waiting to be recorded");
	buf_reset(&dir);
	home_path(&dir, "spool/failed");
	if ((names = fs_list_dir(dir.buf))) {
		for (i = 0; names[i]; i++)
			finding(f, NULL, 0, "spool/failed/%s: a push that could not be recorded; "
				"see the log of `lifebelt serve`", names[i]);
		fs_list_free(names);
	}
done:
	buf_release(&dir);
}

/* Work directories (and their mounts) that no runner is using. */
static void check_work(struct fsck *f)
{
	struct buf dir = BUF_INIT, path = BUF_INIT;
	char **names;
	size_t i;

	home_path(&dir, "work/jobs");
	if (!(names = fs_list_dir(dir.buf)))
		goto done;
	for (i = 0; names[i]; i++) {
		struct stat top, here;
		int mounted;

		buf_reset(&path);
		buf_addf(&path, "%s/%s", dir.buf, names[i]);
		mounted = !stat(dir.buf, &top) && !stat(path.buf, &here) && top.st_dev != here.st_dev;
		finding(f, mounted ? "unmount and remove it" : "remove it",
			f->repair && !workdir_remove(path.buf),
			"work/jobs/%s: a work directory%s left by a runner that is gone", names[i],
			mounted ? " (a mount)" : "");
	}
	fs_list_free(names);
done:
	buf_release(&dir);
	buf_release(&path);
}

int cmd_fsck(int argc, const char **argv)
{
	struct fsck f;
	struct buf path = BUF_INIT;
	int rc;

	memset(&f, 0, sizeof(f));
	{
		struct opt opts[] = { { "repair", NULL, &f.repair }, { NULL, NULL, NULL } };

		if (parse_args(current_cmd(), argc, argv, opts, NULL, 0, 0))
			return -1;
	}
	f.busy = backup_home_busy(home_dir());
	if (f.repair && f.busy)
		return error("a Lifebelt server or runner is using %s; stop it before "
			     "`lifebelt fsck --repair`", home_dir());
	home_path(&path, "lifebelt.db");
	if (access(path.buf, F_OK)) {
		buf_release(&path);
		return error("no Lifebelt data directory at %s (no lifebelt.db); set LIFEBELT_HOME",
			     home_dir());
	}
	rc = db_open(&f.db, path.buf, f.repair ? 0 : DB_READONLY);
	if (rc) {
		finding(&f, NULL, 0, "database %s cannot be opened; restore it from a backup "
			"(`lifebelt restore`)", path.buf);
	} else {
		check_database(&f);
	}
	git_libgit2_init();  /* once, not once per repository */
	check_repo_objects(&f);
	if (f.db && f.db_sound) {
		check_rows(&f);
		check_jobs(&f);
		if (!f.busy) {
			check_spool(&f);
			check_work(&f);
		}
	} else if (f.db) {
		printf("fsck: the submissions and jobs were not checked: the database is damaged\n");
	}
	git_libgit2_shutdown();
	printf("fsck: checked the database, %lld repositories, %lld submissions and %lld jobs: ",
	       (long long)f.repos, (long long)f.submissions, (long long)f.jobs);
	if (!f.problems)
		printf("no problems\n");
	else if (f.repair)
		printf("%d problems, %d repaired\n", f.problems, f.repaired);
	else if (f.repairable)
		printf("%d problems, %d of them repaired by `lifebelt fsck --repair`\n", f.problems,
		       f.repairable);
	else
		printf("%d problems\n", f.problems);
	db_close(f.db);
	buf_release(&path);
	return f.problems > f.repaired ? 1 : 0;
}
