/* cmd-runner.c: `lifebelt runner`, `lifebelt regrade` and `lifebelt try`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backup.h"
#include "cli.h"
#include "../db/model.h"
#include "../db/queue.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/number.h"
#include "../lib/verdict.h"
#include "../lib/wake.h"
#include "../runner/runner.h"
#include "../lib/banned.h"

int runner_opts_parse(const char *workers, const char *lease, struct runner_opts *o)
{
	o->workers = 1;
	o->lease = JOB_LEASE_SECONDS;
	o->poll_ms = 5000;
	if (number_arg_int("--workers", workers, 1, 64, &o->workers) ||
	    number_arg_int("--lease", lease, 2, 3600, &o->lease))
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
	backup_lock_hold();
	return runner_run(&o);
}

/* How often a regrade looks at its jobs after the first half second. */
#define REGRADE_POLL_MS 100
/* How long no job may end before the regrade asks whether a runner runs. */
#define REGRADE_STALL_MS 10000

struct regrade_ctx {
	struct db *db;
	int64_t *jobs;
	int nr;
	int tty;
	int infra;              /* jobs ended in an infrastructure error */
	int last;               /* jobs ended at the last change */
	int64_t since_ms;       /* when that was */
	int said;               /* the runner may not be running: said so */
};

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

/* Show the progress; say once when nothing has moved for a while. */
static int regrade_look(const struct job_wait *w, void *data)
{
	struct regrade_ctx *c = data;

	c->infra = w->infra;
	bar(w->ended, w->nr, c->tty);
	if (w->ended != c->last) {
		c->last = w->ended;
		c->since_ms = w->waited_ms;
	} else if (!c->said && w->waited_ms - c->since_ms >= REGRADE_STALL_MS) {
		fprintf(stderr, "%swaiting for the runner (is `lifebelt runner` or `lifebelt serve` "
			"running? Ctrl-C leaves the jobs queued)\n", c->tty ? "\n" : "");
		c->said = 1;
	}
	return 0;
}

int cmd_regrade(int argc, const char **argv)
{
	const char *pos[3] = { NULL, NULL, NULL };
	int no_wait = 0;
	struct opt opts[] = { { "no-wait", NULL, &no_wait }, { NULL, NULL, NULL } };
	struct regrade_ctx c;
	struct assignment a;
	struct person p;
	int64_t person_id = 0;
	int rc, ret = -1;

	memset(&c, 0, sizeof(c));
	c.tty = isatty(2);
	c.last = -1;
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
	rc = db_regrade(c.db, a.id, person_id, &c.jobs, &c.nr);
	if (c.nr)
		wake_notify();
	if (rc)
		goto done;
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
	if (db_jobs_wait(c.db, c.jobs, c.nr, REGRADE_POLL_MS, regrade_look, &c))
		goto done;
	if (c.tty)
		fputc('\n', stderr);
	printf("regraded %d submission%s", c.nr, c.nr == 1 ? "" : "s");
	if (c.infra)
		printf("; %d ended in an infrastructure error (see `lifebelt status`)", c.infra);
	printf("\n");
	ret = 0;
done:
	free(c.jobs);
	assignment_release(&a);
	person_release(&p);
	db_close(c.db);
	return ret;
}

int cmd_node_exec(int argc, const char **argv)
{
	if (parse_args(current_cmd(), argc, argv, NULL, NULL, 0, 0))
		return -1;
	return runner_node_exec();
}

int cmd_try(int argc, const char **argv)
{
	const char *pos[2];

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 2, 2))
		return -1;
	return runner_try(pos[0], pos[1]);
}
