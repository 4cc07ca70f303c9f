/* record.h: turning one accepted push into a submission, whoever notices it. */
#ifndef HOOKS_RECORD_H
#define HOOKS_RECORD_H

#include <stdint.h>

struct db;
struct assignment;
struct repo_info;
struct enqueue_res;

/* The student's due time for a: the assignment's, or their extension if later. */
int64_t record_due(struct db *db, const struct assignment *a, int64_t person_id);
/* The student's close time for a (0: never closes), moved by their extension too. */
int64_t record_close(struct db *db, const struct assignment *a, int64_t person_id);

/*
 * Record commit pushed to ref of repository r at the server time received:
 * late by received minus the student's due time, never by commit dates.
 * Idempotent (see db_enqueue). *due (may be NULL) gets the due time used.
 * Via "webhook" (a push to GitHub, which nothing could refuse) after the
 * student's close time is recorded without a job: res->job_id is 0.
 * Returns 0, -1 or DB_EBUSY.
 */
int record_push(struct db *db, const struct repo_info *r, const struct assignment *a,
		const char *ref, const char *commit, int64_t received, const char *via,
		struct enqueue_res *res, int64_t *due);

/*
 * The same, for a repository known only by its path COURSE/NAME/LOGIN.git
 * (the spool and the reconciler). older: a newer push of ref is recorded
 * already (the reconciler knows it from the reflog), so this one supersedes
 * nothing, and under the rule "latest" is not graded. DB_ENOTFOUND if the
 * repository is not registered.
 */
int record_push_path(struct db *db, const char *relpath, const char *ref, const char *commit,
		     int64_t received, const char *via, int older, struct enqueue_res *res);

#endif
