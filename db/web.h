/* web.h: the read-only queries behind the web pages (the web never writes). */
#ifndef DB_WEB_H
#define DB_WEB_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

struct assignment;
struct job_result;

/* A submission with its owner, assignment and newest job, as its page shows it. */
struct web_submission {
	int64_t id, repo_id, person_id, assignment_id, course_id;
	int64_t received, late_seconds;
	char *login, *name, *course, *assignment, *ref, *commit, *via, *repo_path;
	int64_t job_id;         /* the newest job, 0 if none */
	char *state, *status, *error;   /* "" when unknown */
	char *tests_version;    /* what the newest job's provenance names; "" when none */
	int has_score;
	double score, max_score;
	int64_t queued, started, finished;      /* 0 when not yet */
	char *github_repo;      /* OWNER/NAME the repository mirrors, NULL if none */
	int64_t reveal_after;   /* the assignment's: hidden tests shown to students from then; 0: never */
	char *pusher;           /* the login that pushed it, NULL if no transport said */
	char *team;             /* the team whose repository it is, NULL if none */
};

/* Load submission id; DB_ENOTFOUND. Release with web_submission_release(). */
int db_web_submission(struct db *db, int64_t id, struct web_submission *s);
void web_submission_release(struct web_submission *s);

/* The submission of the same repository received just before id; DB_ENOTFOUND. */
int db_submission_prev(struct db *db, int64_t repo_id, int64_t id, int64_t *prev);
struct buf;
/* Append the job's build log to out (nothing if there is none). */
int db_build_log(struct db *db, int64_t job_id, struct buf *out);

/* Each assignment of the courses where person has role, by course then due date. */
int db_person_assignments_each(struct db *db, int64_t person_id, const char *role,
			       int (*fn)(const struct assignment *a, void *data), void *data);
/* 1 if person teaches at least one course, else 0. */
int db_is_teacher(struct db *db, int64_t person_id);
/* Each course where person has role, in name order. */
int db_person_courses_each(struct db *db, int64_t person_id, const char *role,
			   int (*fn)(int64_t id, const char *name, void *data), void *data);

/*
 * The receive times of an assignment's submissions, in no particular order,
 * into *times (free() it) and *n; one pass over submissions(repo_id, received).
 */
int db_received_times(struct db *db, int64_t assignment_id, int64_t **times, size_t *n);

/*
 * For each test of the given jobs (the students' counted submissions), in
 * test order: how many of the jobs ran it and how many did not pass.
 */
int db_test_failures_each(struct db *db, const int64_t *jobs, size_t nr,
			  int (*fn)(const char *name, int64_t runs, int64_t failed, void *data),
			  void *data);

/*
 * Durations (finished - started, seconds) of finished jobs as a cumulative
 * histogram: counts[i] = jobs that took <= bounds[i]; *n all of them and
 * *sum their total.
 */
int db_job_durations(struct db *db, const double *bounds, int nb, int64_t *counts,
		     int64_t *n, double *sum);
/* For each transport (ssh, http, webhook, local, reconciled): the number of pushes recorded. */
int db_pushes_each(struct db *db, int (*fn)(const char *via, int64_t n, void *data), void *data);

/* PRAGMA data_version: changes whenever another connection commits; 0 or -1. */
int db_data_version(struct db *db, int64_t *v);

#endif
