/* wait.c: `git push -o wait`: the verdict in the push output, like a deploy log. */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "hook.h"
#include "../db/queue.h"
#include "../db/submission.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/verdict.h"
#include "../lib/banned.h"

#define POLL_MS 200

/* The job's wall-clock limit: the assignment's own, else the server default. */
static int64_t job_seconds(const struct hook_ctx *h)
{
	json_t *root = json_loads(h->a.limits ? h->a.limits : "{}", 0, NULL);
	json_t *v = root ? json_object_get(root, "job_seconds") : NULL;
	int64_t s = json_is_number(v) ? (int64_t)json_number_value(v) : 0;

	json_decref(root);
	return s > 0 ? s : db_config_int(h->db, "limits.job_seconds");
}

static int say_result(const struct job_result *r, void *data)
{
	(void)data;
	if (hook_say("  %-12s %s  %g/%g%s", r->verdict, r->name, r->points, r->max_points,
		     r->hidden ? "  (hidden test)" : ""))
		return 1;
	return 0;
}

/* The final lines for a job that left the queue for good; 1 if it has. */
static int say_outcome(struct hook_ctx *h, int64_t job_id, const struct job_verdict *v)
{
	switch (job_state_parse(v->state)) {
	case JOB_DONE:
		if (db_results_each(h->db, job_id, say_result, NULL) < 0)
			return -1;
		if (v->has_score)
			hook_say("verdict: %s, score %g/%g", v->status, v->score, v->max_score);
		else
			hook_say("verdict: %s", v->status);
		return 1;
	case JOB_INFRA_ERROR:
		hook_say("grading failed for a reason outside your code (%s); it is not a score, "
			 "and your teacher can regrade it",
			 *v->error ? v->error : job_state_name(JOB_INFRA_ERROR));
		return 1;
	case JOB_SUPERSEDED:
		hook_say("a newer push replaced this one in the queue; its verdict is the one that counts");
		return 1;
	default:
		return 0;
	}
}

int hook_wait(struct hook_ctx *h, int64_t job_id, int64_t seconds)
{
	int64_t limit = job_seconds(h), margin = 10 + limit / 4;
	int64_t most = seconds > 0 && seconds < limit + margin ? seconds : limit + margin;
	int64_t start = time_mono_us(), budget = most * 1000000;
	int64_t last_pos = -1;
	char last_state[16] = "";

	/* The student may hang up at any time; the submission is already stored. */
	signal(SIGPIPE, SIG_IGN);
	if (hook_say("waiting for the verdict (at most %lld seconds; interrupting only stops "
		     "the waiting, the submission stays)", (long long)most))
		return 0;
	for (;;) {
		struct job_verdict v;
		int64_t pos = 0;
		int rc = db_job_verdict(h->db, job_id, &v);

		if (rc == DB_EBUSY)
			goto next;
		if (rc)
			return error("cannot read the job's state");
		rc = say_outcome(h, job_id, &v);
		if (rc)
			return rc < 0 ? error("cannot read the job's results") : 0;
		if (job_state_parse(v.state) == JOB_QUEUED) {
			if (!db_job_position(h->db, job_id, &pos) && pos != last_pos &&
			    hook_say("queued at position %lld", (long long)pos))
				return 0;
			last_pos = pos;
		} else if (strcmp(v.state, last_state) && job_state_parse(v.state) == JOB_RUNNING) {
			if (hook_say("grading..."))
				return 0;
			last_pos = -1;
		}
		snprintf(last_state, sizeof(last_state), "%s", v.state);
next:
		if (time_mono_us() - start > budget) {
			hook_say("stopped waiting after %lld seconds; the submission is %s and will "
				 "be graded: see the results link", (long long)most,
				 *last_state ? last_state : job_state_name(JOB_QUEUED));
			return 0;
		}
		poll(NULL, 0, POLL_MS);
	}
}
