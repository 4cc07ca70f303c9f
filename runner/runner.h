/* runner.h: the grading runner: workers claiming jobs, and one-off runs for teachers. */
#ifndef RUNNER_RUNNER_H
#define RUNNER_RUNNER_H

#include <stdint.h>

struct db;
struct job;
struct limits;
struct spec;

struct runner_opts {
	int workers;            /* worker processes (1..64) */
	int drain;              /* exit once the queue is empty */
	int lease;              /* seconds a claim lasts without a heartbeat */
	int poll_ms;            /* the slow poll behind the wake-up FIFO */
};

/*
 * Run workers until SIGTERM/SIGINT (or, with drain, until the queue is
 * empty). Each worker is a process of its own with its own database
 * connection; a job being graded when the runner is stopped goes back to
 * the queue without counting an attempt. Returns 0 or -1.
 */
int runner_run(const struct runner_opts *o);

/* Set by SIGTERM/SIGINT handlers: finish quickly. */
extern volatile int runner_stopping;
/* Seconds a job's lease lasts; the heartbeat renews it every third of that. */
extern int runner_lease;

/*
 * Grade one claimed job and record the outcome (done, or an infrastructure
 * fault: requeued or infra_error). worker keeps concurrent sandboxes apart.
 * Returns 0 when the outcome was recorded, -1 if not even that worked.
 */
int runner_job(struct db *db, struct job *j, const char *owner, int worker);

/*
 * The limits a job runs with: built-in defaults, then the server's
 * settings (when db is not NULL), then the spec's own.
 */
void runner_limits(struct db *db, const struct spec *s, struct limits *l);

/*
 * `lifebelt try`: grade the directory sub (copied, its .git left out) with
 * the tests in tests_dir in the same sandbox, printing the verdicts with
 * every detail (hidden tests included: the teacher is looking). 0 or -1.
 */
int runner_try(const char *tests_dir, const char *sub);

#endif
