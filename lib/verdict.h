/*
 * verdict.h: the words Lifebelt stores for a test's verdict, a job's status
 * and a job's state, and shows as they are on pages, in CSV and in push
 * output. Code speaks of them by these enums; lib/verdict.c has their one
 * name table. The database holds the words (TEXT, under CHECK constraints),
 * so a word read back is parsed, and one this binary does not know (a
 * newer one, a hand-edited row) parses as the _UNKNOWN value: show it as it
 * is, escaped, and treat it as nothing in particular.
 */
#ifndef LIB_VERDICT_H
#define LIB_VERDICT_H

/* A test's (or a case's) verdict: results.verdict. */
enum verdict {
	VERDICT_UNKNOWN = 0,
	VERDICT_PASS,
	VERDICT_FAIL,
	VERDICT_SKIPPED,
	VERDICT_TIME_LIMIT,     /* CPU time */
	VERDICT_WALL_LIMIT,
	VERDICT_MEMORY_LIMIT,
	VERDICT_OUTPUT_LIMIT,   /* printed, or wrote to a file or the work directory, too much */
	VERDICT_CRASHED,        /* killed by a signal */
	VERDICT_BUILD_FAILED,   /* nothing ran */
	VERDICT_ERROR,          /* a test framework's own error for the case */
	VERDICT_NR
};

/* A graded job's summary: jobs.status ("" until the job is done). */
enum job_status {
	STATUS_UNKNOWN = 0,
	STATUS_PASSED,
	STATUS_FAILED,
	STATUS_BUILD_FAILED,
	STATUS_NR
};

/* Where a job is: jobs.state. */
enum job_state {
	JOB_UNKNOWN = 0,
	JOB_QUEUED,
	JOB_RUNNING,
	JOB_DONE,
	JOB_INFRA_ERROR,        /* gave up after its attempts: never a score */
	JOB_SUPERSEDED,         /* a newer push of the student's took its place in the queue */
	JOB_NR
};

/* The stored word for each value; "" for an _UNKNOWN or out-of-range value. */
const char *verdict_name(enum verdict v);
const char *job_status_name(enum job_status s);
const char *job_state_name(enum job_state s);

/* The value a stored word names; the _UNKNOWN value for any other word (or NULL). */
enum verdict verdict_parse(const char *word);
enum job_status job_status_parse(const char *word);
enum job_state job_state_parse(const char *word);

#endif
