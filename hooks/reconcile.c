/* reconcile.c: the spool import and the comparison of branches with submissions. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "objdir.h"
#include "reconcile.h"
#include "record.h"
#include "spool.h"
#include "../db/db.h"
#include "../db/queue.h"
#include "../db/submission.h"
#include "../lib/buf.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

/* Reflog entries looked at per repository and pass: the newest, a push each. */
#define RECONCILE_REFLOG_MAX 1000

/*
 * Record each push of ref that git accepted (its reflog's "push" entries, not
 * the starter commit) at least grace seconds ago and that has no submission,
 * oldest first: a hook killed before it recorded its push leaves no row,
 * and a later push may already have moved the branch on, so the tip alone
 * would not show it. The number of submissions created, or <0 on error.
 */
static int record_missing(struct db *db, const struct repo_item *r, git_repository *repo,
			  const char *ref, const git_oid *tip, int64_t grace)
{
	git_reflog *log = NULL;
	size_t i, n;
	int created = 0, rc = 0;

	if (git_reflog_read(&log, repo, ref))
		return 0;
	n = git_reflog_entrycount(log);
	if (n > RECONCILE_REFLOG_MAX)
		n = RECONCILE_REFLOG_MAX;
	for (i = n; i-- > 0 && rc >= 0; ) {  /* index 0 is the newest */
		const git_reflog_entry *e = git_reflog_entry_byindex(log, i);
		const char *msg = git_reflog_entry_message(e);
		int64_t when = git_reflog_entry_committer(e)->when.time;
		const git_oid *id = git_reflog_entry_id_new(e);
		char hex[GIT_OID_HEXSZ + 1];
		struct enqueue_res res;

		if (!msg || strncmp(msg, "push", 4) || when > time_now() - grace)
			continue;
		git_oid_tostr(hex, sizeof(hex), id);
		rc = db_submission_exists(db, r->id, ref, hex);
		if (rc) {
			rc = rc > 0 ? 0 : rc;
			continue;
		}
		rc = record_push_path(db, r->path, ref, hex, when, "reconciled", git_oid_cmp(id, tip) != 0,
				      &res);
		if (!rc && res.created) {
			log_info("reconcile: %s %s %.12s pushed at %lld had no submission: "
				 "recorded as submission %lld", r->path, ref, hex,
				 (long long)when, (long long)res.submission_id);
			created++;
		}
	}
	git_reflog_free(log);
	return rc < 0 ? rc : created;
}

/* One repository; the number of submissions created, or <0 on error. */
static int reconcile_repo(struct db *db, const struct repo_item *r, int64_t grace)
{
	git_repository *repo = NULL;
	git_oid tip;
	struct buf path = BUF_INIT, objects = BUF_INIT, ref = BUF_INIT;
	int removed, rc = 0;

	home_path(&path, "repos/%s", r->path);
	buf_addf(&objects, "%s/objects", path.buf);
	removed = objdir_sweep(objects.buf, NULL);
	if (removed)
		log_info("reconcile: removed %d stale push quarantine%s in %s", removed,
			 removed > 1 ? "s" : "", objects.buf);
	buf_addf(&ref, "refs/heads/%s", r->branch);
	if (git_repository_open_bare(&repo, path.buf) ||
	    git_reference_name_to_id(&tip, repo, ref.buf))
		goto done;  /* no repository on disk, or nothing pushed yet */
	rc = record_missing(db, r, repo, ref.buf, &tip, grace);
done:
	git_repository_free(repo);
	buf_release(&path);
	buf_release(&objects);
	buf_release(&ref);
	return rc;
}

int reconcile_run(struct db *db, int64_t grace, int *spooled, int *found)
{
	struct repo_list l = REPO_LIST_INIT;
	size_t i;
	int rc;

	*found = 0;
	if ((rc = spool_import(db, spooled)))
		return rc;
	if ((rc = db_repos_list(db, &l)))
		goto done;
	git_libgit2_init();
	for (i = 0; i < l.nr && rc >= 0; i++) {
		int r = reconcile_repo(db, &l.items[i], grace);

		if (r > 0)
			*found += r;
		else
			rc = r;
	}
	git_libgit2_shutdown();
done:
	repo_list_release(&l);
	return rc < 0 ? rc : 0;
}

/* One pass with a connection of its own; failures are logged and retried next time. */
static void serve_pass(void)
{
	struct buf path = BUF_INIT;
	struct db *db = NULL;
	int spooled = 0, found = 0, rc;

	home_path(&path, "lifebelt.db");
	rc = db_open(&db, path.buf, 0);
	if (!rc)
		rc = reconcile_run(db, RECONCILE_GRACE, &spooled, &found);
	if (rc == DB_EBUSY)
		log_info("reconcile: database busy; trying again in %d seconds", RECONCILE_EVERY);
	else if (rc == DB_EFULL)
		log_info("reconcile: the disk is full; trying again in %d seconds", RECONCILE_EVERY);
	else if (rc)
		log_info("reconcile: failed; trying again in %d seconds", RECONCILE_EVERY);
	else if (spooled || found)
		log_info("reconcile: %d spooled and %d missing pushes recorded", spooled, found);
	db_close(db);
	buf_release(&path);
}

static void *serve_loop(void *unused)
{
	(void)unused;
	for (;;) {
		sleep(RECONCILE_EVERY);
		serve_pass();
	}
	return NULL;
}

int reconcile_serve_start(void)
{
	pthread_t t;
	int err;

	serve_pass();
	err = pthread_create(&t, NULL, serve_loop, NULL);
	if (err)
		return error("cannot start the reconciler: %s", strerror(err));
	pthread_detach(t);
	return 0;
}
