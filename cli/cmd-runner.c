/* cmd-runner.c: `lifebelt runner`, `lifebelt regrade` and `lifebelt try`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "../db/model.h"
#include "../db/queue.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/verdict.h"
#include "../lib/wake.h"
#include "../runner/runner.h"
#include "../lib/banned.h"

static int int_opt(const char *opt, const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	if (!s)
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < lo || v > hi)
		return error("bad value for --%s: '%s' (a whole number from %d to %d)", opt, s, lo, hi);
	*out = (int)v;
	return 0;
}

int runner_opts_parse(const char *workers, const char *lease, struct runner_opts *o)
{
	o->workers = 1;
	o->lease = 30;
	o->poll_ms = 5000;
	if (int_opt("workers", workers, 1, 64, &o->workers) || int_opt("lease", lease, 2, 3600, &o->lease))
		return -1;
	return 0;
}

int cmd_runner(int argc, const char **argv)
{
	const char *workers = NULL, *lease = NULL;
	int drain = 0;
	struct opt opts[] = { { "workers", &workers, NULL }, { "lease", &lease, NULL },
			      { "drain", NULL, &drain }, { NULL, NULL, NULL } };
	struct runner_opts o;
	struct db *db;

	if (parse_args(current_cmd(), argc, argv, opts, NULL, 0, 0) ||
	    runner_opts_parse(workers, lease, &o))
		return -1;
	o.drain = drain;
	if (cli_open_db(&db))
		return -1;
	db_close(db);
	return runner_run(&o);
}

struct regrade_ctx {
	struct db *db;
	int64_t *jobs;
	int nr, alloc;
};

static int requeue_one(int64_t submission_id, const char *login, void *data)
{
	struct regrade_ctx *c = data;
	int64_t job_id;

	if (db_requeue_submission(c->db, submission_id, &job_id))
		return error("cannot requeue %s's submission %lld", login, (long long)submission_id);
	ALLOC_GROW(c->jobs, c->nr + 1, c->alloc);
	c->jobs[c->nr++] = job_id;
	return 0;
}

static void bar(int done, int total, int tty)
{
	int width = 30, fill = total ? done * width / total : width, i;

	if (!tty)
		return;
	fprintf(stderr, "\rregrading [");
	for (i = 0; i < width; i++)
		fputc(i < fill ? '#' : ' ', stderr);
	fprintf(stderr, "] %d/%d", done, total);
	fflush(stderr);
}

int cmd_regrade(int argc, const char **argv)
{
	const char *pos[3] = { NULL, NULL, NULL };
	int no_wait = 0;
	struct opt opts[] = { { "no-wait", NULL, &no_wait }, { NULL, NULL, NULL } };
	struct regrade_ctx c = { NULL, NULL, 0, 0 };
	struct assignment a;
	struct person p;
	int64_t person_id = 0;
	int rc, ret = -1, tty = isatty(2), done_count = 0, infra = 0, i, stalled = 0, last = -1, polls;

	memset(&a, 0, sizeof(a));
	memset(&p, 0, sizeof(p));
	if (parse_args(current_cmd(), argc, argv, opts, pos, 2, 3) ||
	    name_check("course", pos[0]) || name_check("assignment", pos[1]) ||
	    (pos[2] && name_check("login", pos[2])))
		return -1;
	if (cli_open_db(&c.db))
		return -1;
	rc = db_assignment_get(c.db, pos[0], pos[1], &a);
	if (rc == DB_ENOTFOUND)
		error("no assignment %s/%s", pos[0], pos[1]);
	if (rc)
		goto done;
	if (pos[2]) {
		rc = db_person_get(c.db, pos[2], &p);
		if (rc == DB_ENOTFOUND)
			error("no student '%s'", pos[2]);
		if (rc)
			goto done;
		person_id = p.id;
	}
	if (db_latest_submissions(c.db, a.id, person_id, requeue_one, &c))
		goto done;
	wake_notify();
	if (!c.nr) {
		printf("nothing to regrade: no submissions for %s/%s%s%s\n", a.course, a.name,
		       pos[2] ? " from " : "", pos[2] ? pos[2] : "");
		ret = 0;
		goto done;
	}
	printf("requeued %d submission%s of %s/%s\n", c.nr, c.nr == 1 ? "" : "s", a.course, a.name);
	if (no_wait) {
		ret = 0;
		goto done;
	}
	fflush(stdout);
	for (polls = 0;; polls++) {
		/* Look often at first: a small regrade is done in milliseconds. */
		struct timespec ts = { 0, (polls < 250 ? 2 : 100) * 1000 * 1000 };

		done_count = 0;
		infra = 0;
		for (i = 0; i < c.nr; i++) {
			char state[32];
			enum job_state s;

			if (db_job_state(c.db, c.jobs[i], state, sizeof(state)))
				goto done;
			s = job_state_parse(state);
			if (s == JOB_DONE || s == JOB_SUPERSEDED)
				done_count++;
			else if (s == JOB_INFRA_ERROR)
				done_count++, infra++;
		}
		bar(done_count, c.nr, tty);
		if (done_count == c.nr)
			break;
		if (done_count != last) {
			last = done_count;
			stalled = 0;
		} else if (polls >= 250 && ++stalled == 100) {
			fprintf(stderr, "%swaiting for the runner (is `lifebelt runner` or `lifebelt serve` "
				"running? Ctrl-C leaves the jobs queued)\n", tty ? "\n" : "");
		}
		nanosleep(&ts, NULL);
	}
	if (tty)
		fputc('\n', stderr);
	printf("regraded %d submission%s", c.nr, c.nr == 1 ? "" : "s");
	if (infra)
		printf("; %d ended in an infrastructure error (see `lifebelt status`)", infra);
	printf("\n");
	ret = 0;
done:
	free(c.jobs);
	assignment_release(&a);
	person_release(&p);
	db_close(c.db);
	return ret;
}

int cmd_try(int argc, const char **argv)
{
	const char *pos[2];

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 2, 2))
		return -1;
	return runner_try(pos[0], pos[1]);
}
