/* reconcile.h: making sure every push git accepted has its submission. */
#ifndef HOOKS_RECONCILE_H
#define HOOKS_RECONCILE_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/timeutil.h"

struct db;

/* Pushes younger than this are left to their own hook, which may still be recording them. */
#define RECONCILE_GRACE 30
/* The longest grace `lifebelt reconcile --grace` may give: a day. */
#define RECONCILE_GRACE_MAX TIME_DAY
/* How often `lifebelt serve` reconciles, in seconds. */
#define RECONCILE_EVERY 60

/*
 * Import the spool, then compare each repository's graded branch with its
 * submissions: each commit that git accepted by a push (per the ref's
 * reflog, its newest entries) at least grace seconds ago and that has no
 * submission is recorded, exactly once, with the receive time of that
 * reflog entry and via "reconciled"; one that a newer push has already
 * passed supersedes nothing (see record_push_path()).
 * *spooled and *found count what was recorded. Each repository's stale
 * push quarantines go too (see objdir_sweep()). Returns 0, -1 or DB_EBUSY.
 */
int reconcile_run(struct db *db, int64_t grace, int *spooled, int *found);

/* A push of a graded branch that git accepted and that has no submission. */
struct missing_push {
	const char *ref;        /* refs/heads/BRANCH */
	const char *commit;     /* its commit, in hex */
	int64_t at;             /* its reflog entry's time */
	int older;              /* the branch has moved past it since: it supersedes nothing */
};
struct repo_item;
struct git_repository;
typedef int (*missing_push_fn)(const struct repo_item *r, const struct missing_push *p, void *data);

/*
 * fn for each push of r's graded branch in repo that git accepted (its
 * reflog's "push" entries, oldest first: the newest max of them, or all if
 * max is 0) at least grace seconds ago (any age if grace < 0) and that has
 * no submission. 0, the first non-zero fn returned, or a database error.
 */
int reconcile_each_missing(struct db *db, const struct repo_item *r, struct git_repository *repo,
			   size_t max, int64_t grace, missing_push_fn fn, void *data);

/*
 * For `lifebelt serve`: one pass now, then one every RECONCILE_EVERY
 * seconds on a thread with its own connection. 0, or -1 (reported).
 */
int reconcile_serve_start(void);

#endif
