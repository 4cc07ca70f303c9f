/* queue.h: submissions and the grading queue (enqueue, claim, heartbeat, finish, requeue). */
#ifndef DB_QUEUE_H
#define DB_QUEUE_H

#include <stdint.h>

#include "db.h"

/* A job is attempted at most this many times before it ends as infra_error. */
#define JOB_MAX_ATTEMPTS 3
/* A claim's lease, seconds, unless the runner is told otherwise (--lease). */
#define JOB_LEASE_SECONDS 30

struct enqueue_req {
	int64_t repo_id;
	const char *ref;        /* "refs/heads/main" */
	const char *commit;     /* 40 hex digits */
	int64_t received;       /* the server's receive time */
	const char *via;        /* ssh, http, webhook, local, reconciled */
	int64_t late_seconds;   /* 0 when on time */
	int after_close;        /* received after the close time: recorded, not graded (no job) */
	int older;              /* a newer push of this ref is recorded already: supersedes nothing */
};

struct enqueue_res {
	int64_t submission_id, job_id;  /* job_id 0: none (after close) */
	int created;            /* 0: this repository+ref+commit was already recorded */
};

/*
 * Record a submission and queue its job in one BEGIN IMMEDIATE transaction.
 * Idempotent on repository+ref+commit: a second call returns the first
 * submission with created = 0 and queues nothing. A new job supersedes the
 * student's older queued jobs for the same assignment.
 * Returns 0, -1 or DB_EBUSY (the caller may spool and retry later).
 */
int db_enqueue(struct db *db, const struct enqueue_req *req, struct enqueue_res *res);

/* Queue a fresh job for an existing submission (regrade); supersedes older queued ones. */
int db_requeue_submission(struct db *db, int64_t submission_id, int64_t *job_id);

struct job {
	int64_t id, submission_id, assignment_id, person_id, repo_id;
	int attempts;
	char commit[41];
	char *ref;
	char *repo_path;        /* COURSE/NAME/LOGIN.git */
};
void job_release(struct job *j);

/*
 * Claim the next queued job for owner, leased for lease_seconds. Dispatch is
 * fair between students: among queued jobs, the student served longest ago
 * goes first, then the oldest job. DB_ENOTFOUND when the queue is empty.
 */
int db_job_claim(struct db *db, const char *owner, int lease_seconds, struct job *j);
/* Extend the lease; DB_ENOTFOUND if owner no longer holds it. */
int db_job_heartbeat(struct db *db, int64_t job_id, const char *owner, int lease_seconds);

struct job_result {
	const char *name, *verdict;  /* verdict: pass, fail, time_limit, ... */
	double points, max_points;
	int hidden;
	const char *output, *detail;
};

struct job_outcome {
	const char *status;          /* passed, failed, build_failed, ... */
	double score, max_score;
	const char *build_log, *provenance;
	int nr;
	const struct job_result *results;
};

/* Store the outcome and mark the job done, if owner still holds it (else DB_ENOTFOUND). */
int db_job_finish(struct db *db, int64_t job_id, const char *owner, const struct job_outcome *o);
/*
 * An infrastructure fault: requeue the job, or after JOB_MAX_ATTEMPTS mark it
 * infra_error with reason. Never a score. DB_ENOTFOUND if the lease was lost.
 */
int db_job_fail(struct db *db, int64_t job_id, const char *owner, const char *reason);
/*
 * Give a claimed job back untouched (the runner is stopping): queued again,
 * this attempt not counted. DB_ENOTFOUND if owner no longer holds it.
 */
int db_job_release(struct db *db, int64_t job_id, const char *owner);
/* Requeue (or end as infra_error) running jobs whose lease expired before now; *n counts them. */
int db_jobs_requeue_expired(struct db *db, int64_t now, int *n);
/*
 * Supersede the student's queued jobs for assignment other than keep_job_id,
 * when only the latest submission counts (assignments.counts); returns the count.
 */
int db_jobs_supersede(struct db *db, int64_t assignment_id, int64_t person_id, int64_t keep_job_id);
/* 1-based position of a queued job in the queue (jobs queued before it, plus one); 0 if not queued. */
int db_job_position(struct db *db, int64_t job_id, int64_t *pos);
/* The job's state into out ("queued", ...); DB_ENOTFOUND. */
int db_job_state(struct db *db, int64_t job_id, char *out, size_t n);

/* What db_jobs_wait() saw at one look. */
struct job_wait {
	int nr;                 /* jobs waited for */
	int ended;              /* of them, done, superseded or infra_error */
	int infra;              /* of them, infra_error */
	int busy;               /* the database was busy: the rest is the last look's */
	char state[16];         /* the first job's state ("" until seen) */
	int64_t waited_ms;      /* since the wait began */
};

/*
 * Wait for the jobs (nr of them) to leave the queue for good: done,
 * superseded or infra_error. Their states are read every 2 ms for the first
 * half second (a small job is graded in milliseconds), then every poll_ms;
 * a look that finds the database busy is skipped. After every look fn, if
 * not NULL, is told what was seen; its non-zero return ends the wait and
 * is returned. Returns 0 once every job has ended (fn has seen that look
 * too), or -1 or DB_ENOTFOUND when a job's state cannot be read.
 */
int db_jobs_wait(struct db *db, const int64_t *jobs, int nr, int poll_ms,
		 int (*fn)(const struct job_wait *w, void *data), void *data);

/*
 * Call fn for the latest submission of each student of the assignment (only
 * person_id's when it is not 0), in login order: the latest that has a job,
 * so never one kept after the close.
 */
int db_latest_submissions(struct db *db, int64_t assignment_id, int64_t person_id,
			  int (*fn)(int64_t submission_id, const char *login, void *data), void *data);
/*
 * Queue a fresh job for the latest submission of each student of the
 * assignment (only person_id's when it is not 0), as db_latest_submissions()
 * finds them: a regrade. *nr is how many; with jobs not NULL, *jobs gets
 * their job ids (free it). 0 or -1 (reported, *nr queued until then).
 */
int db_regrade(struct db *db, int64_t assignment_id, int64_t person_id, int64_t **jobs, int *nr);

#endif
