/* statuses.h: the commit statuses due to GitHub for the jobs of mirrored submissions (schema 4). */
#ifndef DB_STATUSES_H
#define DB_STATUSES_H

#include <stdint.h>

#include "db.h"

/*
 * A job whose status on GitHub is due: a job of a submission that came by
 * webhook, in a repository mapped to GitHub, with something not yet sent.
 * What is reported is the outcome of the job `shown`: the job itself, or
 * for a superseded job the student's first later job that was not
 * superseded (shown is 0 when there is none).
 */
struct status_due {
	int64_t job_id;
	char commit[41];        /* the commit the status goes on */
	char *repo;             /* "owner/name" on GitHub */
	char *sent;             /* the state last sent, NULL if none */
	int attempts;           /* failed tries so far at what is due */
	int64_t shown, shown_submission;
	char shown_commit[41];
	char *state, *status;   /* the shown job's jobs.state and jobs.status ("" if none) */
	int has_score;
	double score, max_score;
	char *login;            /* the student, for the link to their page */
	int64_t token_gen;
};
void status_due_release(struct status_due *d);

/*
 * Call fn for at most limit jobs whose status is due at now, oldest job
 * first. Jobs whose pending status is sent and that are still queued or
 * running are not due. Returns 0, fn's non-zero return, or an error.
 */
int db_status_due(struct db *db, int64_t now, int limit,
		  int (*fn)(const struct status_due *d, void *data), void *data);

/* The time of the earliest retry waiting into *when; 0 when none waits. */
int db_status_next_attempt(struct db *db, int64_t *when);

/*
 * state was sent for job at now. final: nothing more will be sent for
 * this job (else it is looked at again, until its outcome is known).
 */
int db_status_sent(struct db *db, int64_t job_id, const char *state, int64_t now, int final);

/*
 * Sending failed for the attempts-th time with error (which must hold no
 * credential): try again at next_attempt, or never when next_attempt is 0.
 */
int db_status_failed(struct db *db, int64_t job_id, int attempts, int64_t next_attempt,
		     const char *error);

#endif
