/* submission.h: the queries behind the hooks' reconciler and `git push -o wait`. */
#ifndef DB_SUBMISSION_H
#define DB_SUBMISSION_H

#include <stdint.h>

#include "db.h"

/* Repositories as the reconciler and `lifebelt fsck` go through them. */
struct repo_list {
	size_t nr, alloc;
	struct repo_item {
		int64_t id;
		char *path;     /* COURSE/NAME/LOGIN.git */
		char *branch;   /* the assignment's graded branch */
	} *items;
};
#define REPO_LIST_INIT { 0, 0, NULL }

/*
 * Every repository, in id order, into l (free with repo_list_release()).
 * A list rather than a walk: the caller writes to the database as it goes
 * through them. 0, or an error.
 */
int db_repos_list(struct db *db, struct repo_list *l);
void repo_list_release(struct repo_list *l);

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
