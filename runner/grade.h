/* grade.h: running an assignment's build and tests through an executor and turning observations into verdicts. */
#ifndef RUNNER_GRADE_H
#define RUNNER_GRADE_H

#include "executor.h"
#include "spec.h"
#include "../lib/buf.h"
#include "../lib/verdict.h"

struct job_outcome;
struct job_result;

/* One row of results: a test, or one case of a tap/junit test. */
struct grade_row {
	char *name;
	enum verdict verdict;
	double points, max_points;
	int hidden;
	char *output;           /* excerpt of stdout+stderr; empty for hidden tests */
	char *detail;           /* short diff, reason or the framework's message; empty for hidden tests */
	int excluded;           /* a skipped case taken out of the total: it fails nothing */
};

struct grade {
	enum job_status status; /* 0 until graded */
	double score, max_score;
	struct buf build_log;
	struct grade_row *rows;
	int nr, alloc;
	char *fault;            /* set: an infrastructure fault; nothing above counts */
	int reveal;             /* keep hidden tests' output, details and case names (for the teacher) */
	int keep_hidden;        /* keep hidden tests' output and details (shown to students later) */
};

#define GRADE_INIT { STATUS_UNKNOWN, 0, 0, BUF_INIT, NULL, 0, 0, NULL, 0, 0 }

/*
 * Where a checker runs when the executor's steps run elsewhere
 * (executor_ops.remote): on this host, in a bubblewrap session of w's
 * opened on this host's copy of the work directory at the first checker
 * (b: the job's bundle, for its limits and root). The caller describes
 * ex for the provenance and closes it.
 */
struct checker_host {
	struct worker *w;
	const struct bundle *b;
	struct executor *ex;
};

/*
 * Run spec's build and tests in the executor session ex (whose work
 * directory already holds the submission), within limits l. Every verdict
 * is decided here from the executor's observations; nothing the submission
 * wrote is read except the junit report a test names. Hidden tests run
 * after all visible ones (nothing shown can carry what they were given);
 * g->rows come in the spec's order all the same. Returns 0, or -1
 * with g->fault set for an infrastructure fault (or when *cancel became
 * non-zero: the runner is stopping).
 */
int grade_run(const struct executor_ops *ops, struct executor *ex, struct checker_host *host,
	      const char *workdir, const struct spec *spec, const struct limits *l, volatile int *cancel,
	      struct grade *g);
void grade_release(struct grade *g);
/* Nothing could run (the build failed, or why): every test is build_failed, scored 0. */
void grade_build_failed(struct grade *g, const struct spec *spec, const char *why);

/* View g as the queue's outcome; *results is allocated (free() it, not its strings). */
void grade_outcome(const struct grade *g, const char *provenance, struct job_outcome *o,
		   struct job_result **results);

#endif
