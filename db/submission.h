/* submission.h: the queries behind the hooks' reconciler and `git push -o wait`. */
#ifndef DB_SUBMISSION_H
#define DB_SUBMISSION_H

#include <stdint.h>

#include "db.h"

/* A repository as the reconciler walks it. */
struct repo_branch {
	int64_t repo_id;
	const char *path;       /* COURSE/NAME/LOGIN.git */
	const char *branch;     /* the assignment's graded branch */
};

/* Call fn for every repository, in id order; fn's non-zero return stops the walk. */
int db_repos_each(struct db *db, int (*fn)(const struct repo_branch *r, void *data), void *data);

/* 1 if repository+ref+commit is recorded as a submission, 0 if not, or -1/DB_EBUSY. */
int db_submission_exists(struct db *db, int64_t repo_id, const char *ref, const char *commit);

/* A job's state and, once done, the runner's summary. */
struct job_verdict {
	char state[16];         /* queued, running, done, infra_error, superseded */
	char status[32];        /* passed, failed, build_failed ... ("" until done) */
	int has_score;
	double score, max_score;
	char error[256];        /* the last infrastructure fault, "" if none */
};
/* Read job_id's verdict; DB_ENOTFOUND. */
int db_job_verdict(struct db *db, int64_t job_id, struct job_verdict *v);

struct job_result;
/*
 * Call fn for each results row of job_id, in order (struct job_result as
 * the runner stored it, db/queue.h). Hidden tests' output is there too:
 * callers showing a student decide what to leave out.
 */
int db_results_each(struct db *db, int64_t job_id,
		    int (*fn)(const struct job_result *r, void *data), void *data);

#endif
