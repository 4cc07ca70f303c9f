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

struct recorder {
	struct db *db;
	int created;
};

int reconcile_each_missing(struct db *db, const struct repo_item *r, git_repository *repo,
			   size_t max, int64_t grace, missing_push_fn fn, void *data)
{
	struct buf ref = BUF_INIT;
	git_reflog *log = NULL;
	git_oid tip;
	size_t i, n;
	int rc = 0;

	buf_addf(&ref, "refs/heads/%s", r->branch);
	if (git_reference_name_to_id(&tip, repo, ref.buf) || git_reflog_read(&log, repo, ref.buf))
		goto done;  /* nothing pushed yet */
	n = git_reflog_entrycount(log);
	if (max && n > max)
		n = max;
	for (i = n; i-- > 0 && !rc; ) {  /* index 0 is the newest */
		const git_reflog_entry *e = git_reflog_entry_byindex(log, i);
		const char *msg = git_reflog_entry_message(e);
		const git_oid *id = git_reflog_entry_id_new(e);
		char hex[GIT_OID_HEXSZ + 1];
		struct missing_push p = { ref.buf, hex, git_reflog_entry_committer(e)->when.time,
					  git_oid_cmp(id, &tip) != 0 };

		if (!msg || strncmp(msg, "push", 4) || (grace >= 0 && p.at > time_now() - grace))
			continue;
		git_oid_tostr(hex, sizeof(hex), id);
		rc = db_submission_exists(db, r->id, ref.buf, hex);
		if (!rc)
			rc = fn(r, &p, data);
		else if (rc > 0)
			rc = 0;
	}
done:
	git_reflog_free(log);
	buf_release(&ref);
	return rc;
}

/* Records a missing push, as the hook would have; counts it in *(int *)data. */
static int record_missing(const struct repo_item *r, const struct missing_push *p, void *data)
{
	struct recorder *w = data;
	struct enqueue_res res;
	int rc = record_push_path(w->db, r->path, p->ref, p->commit, p->at, "reconciled", p->older,
				  &res);

	if (!rc && res.created) {
		log_info("reconcile: %s %s %.12s pushed at %lld had no submission: "
			 "recorded as submission %lld", r->path, p->ref, p->commit,
			 (long long)p->at, (long long)res.submission_id);
		w->created++;
	}
	return rc < 0 ? rc : 0;
}

/* One repository; the number of submissions created, or <0 on error. */
static int reconcile_repo(struct db *db, const struct repo_item *r, int64_t grace)
{
	git_repository *repo = NULL;
	struct recorder w = { db, 0 };
	struct buf path = BUF_INIT, objects = BUF_INIT;
	int removed, rc = 0;

	home_path(&path, "repos/%s", r->path);
	buf_addf(&objects, "%s/objects", path.buf);
	removed = objdir_sweep(objects.buf, NULL);
	if (removed)
		log_info("reconcile: removed %d stale push quarantine%s in %s", removed,
			 removed > 1 ? "s" : "", objects.buf);
	if (git_repository_open_bare(&repo, path.buf))
		goto done;  /* no repository on disk */
	rc = reconcile_each_missing(db, r, repo, RECONCILE_REFLOG_MAX, grace, record_missing, &w);
done:
	git_repository_free(repo);
	buf_release(&path);
	buf_release(&objects);
	return rc < 0 ? rc : w.created;
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
