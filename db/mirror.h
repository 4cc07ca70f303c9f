/* mirror.h: the GitHub mirror's queue (deliveries, schema 3) and the repositories it fetches. */
#ifndef DB_MIRROR_H
#define DB_MIRROR_H

#include <stdint.h>

#include "db.h"

/* A student repository and the GitHub repository mapped to it. */
struct mirror_repo {
	int64_t id, assignment_id, person_id;
	char *path;             /* COURSE/NAME/LOGIN.git under $LIFEBELT_HOME/repos */
	char *github_repo;      /* "owner/name"; NULL when not mapped */
	char *login;
};
void mirror_repo_release(struct mirror_repo *r);

/* The repository repo_id; DB_ENOTFOUND. Release r. */
int db_mirror_repo_get(struct db *db, int64_t repo_id, struct mirror_repo *r);
/* Call fn for each mapped repository of the assignment, in login order. */
int db_mirror_repos_each(struct db *db, int64_t assignment_id,
			 int (*fn)(const struct mirror_repo *r, void *data), void *data);

/* A push delivery to fetch. */
struct delivery {
	int64_t id, repo_id;
	int64_t tests_of;       /* for an assignment's tests (then repo_id is 0): its id */
	char ref[256];          /* the pushed branch ("refs/heads/main") */
	int64_t received;       /* its arrival at Lifebelt */
	int64_t pushed_at;      /* GitHub's repository.pushed_at (signed), 0 if not known */
	int attempts;           /* this one included */
};

/*
 * The receive time a delivery's submission gets: GitHub's pushed_at when it
 * is known and not later than the arrival (GitHub's clock may run ahead of
 * ours, never the push after its own delivery), else the arrival.
 */
int64_t delivery_received(const struct delivery *d);

/*
 * Claim the oldest due delivery ('queued' or 'retry', next_attempt <= now)
 * in one BEGIN IMMEDIATE transaction: its attempts grow by one and its
 * next_attempt moves lease seconds on, so that a mirror that dies with it
 * leaves it due again then, and no other mirror takes it meanwhile.
 * 0, DB_ENOTFOUND when none is due, -1 or DB_EBUSY.
 */
int db_delivery_claim(struct db *db, int64_t now, int64_t lease, struct delivery *d);
/* The delivery is fetched and recorded: 'done', with the commit ("" for none) and what happened. */
int db_delivery_done(struct db *db, int64_t id, const char *commit, const char *detail);
/*
 * The fetch failed for reason (no secret in it): 'retry' at next_attempt,
 * or 'failed' for good when failed is set. Nothing else of the row changes.
 */
int db_delivery_retry(struct db *db, int64_t id, int64_t next_attempt, int failed,
		      const char *reason);
/* When the next delivery falls due (maybe in the past); DB_ENOTFOUND when none waits. */
int db_delivery_next_due(struct db *db, int64_t *when);

/*
 * For `lifebelt github sync`: the receive time of the newest delivery of
 * repo_id not done yet ('queued', 'retry' or 'failed', as delivery_received()
 * counts it), or DB_ENOTFOUND when every delivery was fetched.
 */
int db_deliveries_pending_received(struct db *db, int64_t repo_id, int64_t *received);
/* Mark every delivery of repo_id not done yet as done with commit; returns how many or an error. */
int db_deliveries_settle(struct db *db, int64_t repo_id, const char *commit, const char *detail);

/* Call fn for each submission of the repository (id and commit), oldest first. */
int db_repo_submissions_each(struct db *db, int64_t repo_id,
			     int (*fn)(int64_t id, const char *commit, void *data), void *data);

#endif
