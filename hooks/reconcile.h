/* reconcile.h: making sure every push git accepted has its submission. */
#ifndef HOOKS_RECONCILE_H
#define HOOKS_RECONCILE_H

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

/*
 * For `lifebelt serve`: one pass now, then one every RECONCILE_EVERY
 * seconds on a thread with its own connection. 0, or -1 (reported).
 */
int reconcile_serve_start(void);

#endif
