/* wait.c: `git push -o wait`: the verdict in the push output, like a deploy log. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "hook.h"
#include "../db/queue.h"
#include "../db/submission.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/verdict.h"
#include "../lib/banned.h"

/* How often the state is read after the first half second. */
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

struct wait_ctx {
	struct hook_ctx *h;
	int64_t job_id;
	int64_t most;           /* seconds to wait at most */
	int64_t last_pos;       /* the queue position last said (-1: none) */
	char last_state[16];
	int said_full;          /* the full disk said */
};

/* Say how the job moves along; 1 once the student has left or the time is up. */
static int wait_look(const struct job_wait *w, void *data)
{
	struct wait_ctx *c = data;
	int64_t pos = 0;

	if (w->busy || w->ended)
		goto clock;
	/* Once, as the job waits for room; a push needs room, so rarely at the start. */
	if (!c->said_full && home_out_of_space()) {
		if (hook_say("%s", HOME_GRADING_WAITS))
			return 1;
		c->said_full = 1;
	}
	if (job_state_parse(w->state) == JOB_QUEUED) {
		if (!db_job_position(c->h->db, c->job_id, &pos) && pos != c->last_pos &&
		    hook_say("queued at position %lld", (long long)pos))
			return 1;
		c->last_pos = pos;
	} else if (strcmp(w->state, c->last_state) && job_state_parse(w->state) == JOB_RUNNING) {
		if (hook_say("grading..."))
			return 1;
		c->last_pos = -1;
	}
	snprintf(c->last_state, sizeof(c->last_state), "%s", w->state);
clock:
	if (!w->ended && w->waited_ms > c->most * 1000) {
		hook_say("stopped waiting after %lld seconds; the submission is %s and will "
			 "be graded: see the results link", (long long)c->most,
			 *c->last_state ? c->last_state : job_state_name(JOB_QUEUED));
		return 1;
	}
	return 0;
}

int hook_wait(struct hook_ctx *h, int64_t job_id, int64_t seconds)
{
	int64_t limit = job_seconds(h), margin = 10 + limit / 4;
	struct wait_ctx c = { h, job_id, 0, -1, "", 0 };
	struct job_verdict v;
	int rc;

	c.most = seconds > 0 && seconds < limit + margin ? seconds : limit + margin;
	/* The student may hang up at any time; the submission is already stored. */
	signal(SIGPIPE, SIG_IGN);
	if (hook_say("waiting for the verdict (at most %lld seconds; interrupting only stops "
		     "the waiting, the submission stays)", (long long)c.most))
		return 0;
	rc = db_jobs_wait(h->db, &job_id, 1, POLL_MS, wait_look, &c);
	if (rc > 0)
		return 0;
	if (rc || db_job_verdict(h->db, job_id, &v))
		return error("cannot read the job's state");
	if (say_outcome(h, job_id, &v) < 0)
		return error("cannot read the job's results");
	return 0;
}
