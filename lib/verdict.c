/* verdict.c: the one name table of verdicts, job statuses and job states. */
#include <string.h>

#include "verdict.h"
#include "banned.h"

static const char *const verdict_names[VERDICT_NR] = {
	[VERDICT_PASS] = "pass",
	[VERDICT_FAIL] = "fail",
	[VERDICT_SKIPPED] = "skipped",
	[VERDICT_TIME_LIMIT] = "time_limit",
	[VERDICT_WALL_LIMIT] = "wall_limit",
	[VERDICT_MEMORY_LIMIT] = "memory_limit",
	[VERDICT_OUTPUT_LIMIT] = "output_limit",
	[VERDICT_CRASHED] = "crashed",
	[VERDICT_BUILD_FAILED] = "build_failed",
	[VERDICT_ERROR] = "error",
};

static const char *const status_names[STATUS_NR] = {
	[STATUS_PASSED] = "passed",
	[STATUS_FAILED] = "failed",
	[STATUS_BUILD_FAILED] = "build_failed",
};

static const char *const state_names[JOB_NR] = {
	[JOB_QUEUED] = "queued",
	[JOB_RUNNING] = "running",
	[JOB_DONE] = "done",
	[JOB_INFRA_ERROR] = "infra_error",
	[JOB_SUPERSEDED] = "superseded",
};

static const char *name(const char *const *names, int nr, int v)
{
	return v > 0 && v < nr ? names[v] : "";
}

/* The index of word in names[1..nr-1], or 0 (the _UNKNOWN value). */
static int parse(const char *const *names, int nr, const char *word)
{
	int i;

	for (i = 1; word && i < nr; i++)
		if (!strcmp(names[i], word))
			return i;
	return 0;
}

const char *verdict_name(enum verdict v)
{
	return name(verdict_names, VERDICT_NR, v);
}

const char *job_status_name(enum job_status s)
{
	return name(status_names, STATUS_NR, s);
}

const char *job_state_name(enum job_state s)
{
	return name(state_names, JOB_NR, s);
}

enum verdict verdict_parse(const char *word)
{
	return (enum verdict)parse(verdict_names, VERDICT_NR, word);
}

enum job_status job_status_parse(const char *word)
{
	return (enum job_status)parse(status_names, STATUS_NR, word);
}

enum job_state job_state_parse(const char *word)
{
	return (enum job_state)parse(state_names, JOB_NR, word);
}
