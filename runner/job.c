/* job.c: one job from claim to record: checkout, sandbox, grade, provenance. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "checkout.h"
#include "executor.h"
#include "grade.h"
#include "image.h"
#include "runner.h"
#include "slurm.h"
#include "spec.h"
#include "workdir.h"
#include "../db/images.h"
#include "../db/model.h"
#include "../db/queue.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

volatile sig_atomic_t runner_stopping;

void runner_limits(struct db *db, const struct spec *s, struct limits *l)
{
	const struct limit_key *k;
	int i;

	limits_default(l);
	if (db) {
		/* The server's settings limits.KEY, one for each row of the table. */
		enum { N = sizeof(struct limits) / sizeof(int64_t) + 1 };
		char names[N][48];
		const char *keys[N];
		int64_t v[N];
		int n = 0;

		for (k = limit_keys; k->name && n < N; k++, n++) {
			snprintf(names[n], sizeof(names[n]), "limits.%s", k->name);
			keys[n] = names[n];
		}
		db_config_ints(db, keys, v, n);
		for (i = 0, k = limit_keys; i < n; i++, k++)
			limits_set(l, k, (double)v[i]);
	}
	if (s->classroom || s->workflow) {
		/*
		 * autograding.json: each test's own timeout is its budget; the job
		 * gets their sum. classroom.yml: setup and command each get it.
		 */
		double sum = 0;

		for (i = 0; i < s->nr; i++)
			sum += s->tests[i].timeout * (s->workflow && s->tests[i].setup ? 2 : 1);
		l->job = sum;
	}
	limits_merge(l, &s->limits);
}

/* The heartbeat: renews the lease from a thread with its own connection. */
struct beat {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop, lost;
	int64_t job_id;
	const char *owner;
	int lease;
	const char *db_path;
};

static void *beat_main(void *arg)
{
	struct beat *b = arg;
	struct db *db = NULL;

	pthread_mutex_lock(&b->mu);
	while (!b->stop) {
		struct timespec ts;
		int64_t ms = b->lease * 1000 / 3;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += ms / 1000;
		ts.tv_nsec += (ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if (pthread_cond_timedwait(&b->cv, &b->mu, &ts) != ETIMEDOUT || b->stop)
			continue;
		pthread_mutex_unlock(&b->mu);
		if (!db && db_open(&db, b->db_path, 0))
			db = NULL;
		if (db && db_job_heartbeat(db, b->job_id, b->owner, b->lease) == DB_ENOTFOUND)
			b->lost = 1;
		pthread_mutex_lock(&b->mu);
	}
	pthread_mutex_unlock(&b->mu);
	db_close(db);
	return NULL;
}

static int beat_start(struct beat *b, struct db *db, int64_t job_id, const char *owner, int lease)
{
	memset(b, 0, sizeof(*b));
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->cv, NULL);
	b->job_id = job_id;
	b->owner = owner;
	b->lease = lease;
	b->db_path = db->path;
	return pthread_create(&b->thread, NULL, beat_main, b) ? -1 : 0;
}

static void beat_stop(struct beat *b)
{
	pthread_mutex_lock(&b->mu);
	b->stop = 1;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
	pthread_join(b->thread, NULL);
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->cv);
}

/* The lease a job's heartbeat keeps (set by the worker loop). */
int runner_lease = JOB_LEASE_SECONDS;

/*
 * What a verdict rests on, as a JSON object into p: the tests' version, the
 * spec, the commit, the limits, the sandbox as the executor describes it
 * (and the one on this host its checkers ran in, if the executor is remote),
 * the image (name and digest; null: the host's root), the host and the start.
 */
static void provenance(struct buf *p, const struct assignment *a, const struct spec *s,
		       const struct limits *l, const struct image *im, const struct executor_ops *ops,
		       struct executor *ex, struct executor *checker, const struct job *j, int64_t started)
{
	char host[256];
	struct buf t = BUF_INIT;
	json_t *o;
	char *text;

	if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	time_format_iso(&t, started);
	o = json_pack("{s:s?,s:s,s:s?,s:i,s:o,s:o,s:o,s:s,s:s}",
		      "tests_version", a->tests_version,
		      "spec", spec_file(s),
		      "commit", j->commit, "attempt", j->attempts, "limits", limits_json(l),
		      "image", im->name ? json_pack("{s:s,s:s}", "name", im->name, "digest", im->digest) :
		      json_null(),
		      "sandbox", ex ? ops->describe(ex) : json_null(), "host", host, "started", t.buf);
	/* A remote executor's checkers ran here (grade.h). */
	if (o && checker)
		json_object_set_new(o, "checker_sandbox", executor_bwrap.describe(checker));
	text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	if (!text)
		die("out of memory");
	buf_adds(p, text);
	free(text);
	json_decref(o);
	buf_release(&t);
}

const struct executor_ops *runner_executor(struct db *db, const struct spec *s)
{
	struct buf v = BUF_INIT;
	const char *name = s->executor;
	const struct executor_ops *ops = &executor_bwrap;

	if (!name && db) {
		db_config_get(db, "runner.executor", &v);
		name = v.buf;
	}
	if (name && !strcmp(name, "docker"))
		ops = &executor_docker;
	else if (name && !strcmp(name, "slurm"))
		ops = &executor_slurm;
	buf_release(&v);
	return ops;
}

/* The job's checked-out, teacher-overlaid work directory; ETOOBIG as in checkout.h. */
static int prepare(const struct executor_ops *ops, struct worker *w, const struct job *j,
		   const struct spec *s, const struct assignment *a, const struct limits *l,
		   const char *image, const char *dir, struct buf *why, struct buf *notes)
{
	struct checkout_caps caps = { l->files, l->disk };
	struct buf repo = BUF_INIT;
	int capped, rc, i;

	if ((!ops->adopt || !ops->adopt(w, dir, l, image)) && workdir_create(dir, l->disk, l->files, &capped)) {
		buf_addf(why, "cannot create the work directory %s", dir);
		return -1;
	}
	home_path(&repo, "repos/%s", j->repo_path);
	rc = checkout_commit(repo.buf, j->commit, dir, &caps, why, notes);
	for (i = 0; !rc && i < s->nr_files; i++)
		if (checkout_overlay(a->tests_dir, s->files[i], dir)) {
			buf_addf(why, "cannot copy the tests' file %s", s->files[i]);
			rc = -1;
		}
	buf_release(&repo);
	return rc;
}

int runner_image(struct db *db, const struct spec *s, struct image *im, struct buf *tree,
		     struct buf *why)
{
	struct buf name = BUF_INIT;
	int rc = 0;

	memset(im, 0, sizeof(*im));
	if (s->image)
		buf_adds(&name, s->image);
	else
		db_config_get(db, "sandbox.image", &name);
	if (name.len) {
		rc = db_image_get(db, name.buf, im);
		if (rc == DB_ENOTFOUND)
			buf_addf(why, "the image '%s' is not on this server (lifebelt image list)", name.buf);
		else if (rc)
			buf_addf(why, "cannot read the image '%s' from the database", name.buf);
		else if (image_tree(tree, im->digest), !fs_is_dir(tree->buf))
			buf_addf(why, "the image '%s' has no tree at %s (lifebelt image add it again)",
				 name.buf, tree->buf);
		rc = why->len ? -1 : 0;
	}
	buf_release(&name);
	return rc;
}

/*
 * A write of the job's end that met a full disk (DB_EFULL): nothing is
 * dropped and nothing is stored in its place. The worker keeps what it has
 * and keeps the job's lease (the heartbeat runs again), and the write is
 * tried again every second; so, once there is room, the job's own result
 * or fault is what is stored. 1 to try again, 0 when the runner stops.
 */
static int wait_for_room(struct db *db, const struct job *j, const char *owner, const char *what,
			 struct beat *b, int *beating, int *said)
{
	if (runner_stopping) {
		log_info("job %lld: stopping with the disk full; its %s is not stored, and the "
			 "job is graded again once its lease ends", (long long)j->id, what);
		return 0;
	}
	if (!*said)
		log_info("job %lld: the disk is full; its %s is kept and stored once there is room",
			 (long long)j->id, what);
	*said = 1;
	if (!*beating)
		*beating = !beat_start(b, db, j->id, owner, runner_lease);
	sleep(1);
	return 1;
}

/*
 * What failed, in why, and whether the data directory's disk is full, which
 * explains it best: the fault is the host's, said so to the student.
 */
static void say_no_space(struct buf *why)
{
	char *was;

	if (!home_out_of_space())
		return;
	was = buf_detach(why, NULL);
	buf_addf(why, "the server is out of disk space (%s)", *was ? was : "grading failed");
	free(was);
}

int runner_job(struct db *db, struct job *j, const char *owner, int index, struct worker *w)
{
	const struct executor_ops *ops = &executor_bwrap;
	struct executor *ex = NULL;
	struct assignment a;
	struct spec s;
	struct limits l;
	struct grade g = GRADE_INIT;
	struct buf dir = BUF_INIT, why = BUF_INIT, prov = BUF_INIT, label = BUF_INIT, tree = BUF_INIT;
	struct image im;
	struct job_outcome o;
	struct slurm_conf sc;
	const char **reports = NULL;
	struct job_result *results = NULL;
	struct checker_host host = { w, NULL, NULL };
	struct beat beat;
	int64_t started = time_now(), t0 = time_mono_us();
	int rc, ret = -1, beating = 0, loaded = 0, busy = 0, said = 0;

	memset(&a, 0, sizeof(a));
	memset(&s, 0, sizeof(s));
	memset(&im, 0, sizeof(im));
	memset(&sc, 0, sizeof(sc));
	if (db_assignment_get_id(db, j->assignment_id, &a)) {
		buf_adds(&why, "the job's assignment is missing");
		goto fault;
	}
	if (spec_load(a.tests_dir, &s)) {
		buf_addf(&why, "the tests in %s can not be read", a.tests_dir);
		goto fault;
	}
	loaded = 1;
	/* Kept for the web page, which shows them to the student from reveal_after on. */
	g.keep_hidden = a.reveal_after != 0;
	runner_limits(db, &s, &l);
	/*
	 * The worker keeps its state for bwrap only; a container has nothing to
	 * carry over. A remote executor's checkers run in w's sandboxes here.
	 */
	if ((ops = runner_executor(db, &s)) != &executor_bwrap)
		w = NULL;
	/* The image is the sandbox's root here, or on a Slurm node (which finds it by its digest). */
	if (ops != &executor_docker && runner_image(db, &s, &im, &tree, &why))
		goto fault;
	if (ops == &executor_slurm) {
		slurm_conf_load(db, &s, &sc);
		/* srun starts while the submission is checked out. */
		slurm_start_ahead(&sc, &l);
	}
	beating = !beat_start(&beat, db, j->id, owner, runner_lease);
	/*
	 * Named after the worker too: a job retried at once elsewhere must not
	 * meet this attempt's directory while it is still being removed; and
	 * the stage mounts of two data directories on one host stay apart.
	 */
	buf_addf(&label, "job-%lld-%ld", (long long)j->id, (long)getpid());
	home_path(&dir, "work/jobs/%s", label.buf);
	/* What the checkout left out (submodules) heads the build log the student sees. */
	rc = prepare(ops, w, j, &s, &a, &l, tree.len ? tree.buf : NULL, dir.buf, &why, &g.build_log);
	if (rc == CHECKOUT_ETOOBIG) {
		/* The student's doing, not the host's: a result, not a retry. */
		buf_addf(&g.build_log, "%s\n", why.buf);
		grade_build_failed(&g, &s, why.buf);
	} else if (rc) {
		goto fault;
	} else {
		/* A worker's next job will likely come: its sandbox may be started ahead. */
		struct bundle b = { dir.buf, l, index, label.buf, ops == &executor_bwrap,
				    tree.len ? tree.buf : NULL, ops == &executor_docker ? s.image : NULL, &sc,
				    reports = spec_reports(&s), (const char *const *)s.files };

		if ((rc = ops->open(w, &ex, &b)) == EXECUTOR_BUSY) {
			busy = 1;
			goto fault;
		}
		if (rc) {
			buf_adds(&why, "cannot set up the sandbox");
			goto fault;
		}
		host.b = &b;
		if (grade_run(ops, ex, &host, dir.buf, &s, &l, &runner_stopping, &g)) {
			buf_adds(&why, g.fault ? g.fault : "grading failed");
			goto fault;
		}
		/*
		 * A work directory on the data directory's own file system (no
		 * tmpfs of its own) shares its disk: a step that failed as the
		 * disk filled may have failed for that, which is no verdict.
		 */
		if (!workdir_own_fs(dir.buf) && home_out_of_space()) {
			buf_adds(&why, "the disk filled up while the tests ran");
			goto fault;
		}
	}
	provenance(&prov, &a, &s, &l, &im, ops, ex, host.ex, j, started);
	grade_outcome(&g, prov.buf, &o, &results);
	if (beating) {
		beat_stop(&beat);
		beating = 0;
	}
	/*
	 * A database busy past its timeout is no reason to grade again: the
	 * result is kept and stored once the writers ahead of it are done.
	 */
	while ((rc = db_job_finish(db, j->id, owner, &o)) == DB_EBUSY || rc == DB_EFULL) {
		if (rc == DB_EFULL ? !wait_for_room(db, j, owner, "result", &beat, &beating, &said) :
		    runner_stopping)
			break;
		if (rc == DB_EBUSY)
			log_info("job %lld: the database is busy; storing the result again", (long long)j->id);
	}
	if (beating) {
		beat_stop(&beat);
		beating = 0;
	}
	if (rc == DB_ENOTFOUND)
		log_info("job %lld: lease lost before the result was stored", (long long)j->id);
	else if (!rc)
		log_info("job %lld (%s): %s, %g/%g in %.2f s", (long long)j->id, j->repo_path,
			 job_status_name(g.status), g.score, g.max_score, (time_mono_us() - t0) / 1e6);
	else
		log_info("job %lld: its result could not be stored (error %d); the job is graded "
			 "again once its lease ends", (long long)j->id, rc);
	ret = rc ? -1 : 0;
	goto done;
fault:
	if (beating) {
		beat_stop(&beat);
		beating = 0;
	}
	if (runner_stopping || busy) {
		/* Back-pressure, not a fault: the job waits in the queue as it was, its attempt not used. */
		db_job_release(db, j->id, owner);
		log_info("job %lld: given back to the queue (%s)", (long long)j->id,
			 busy ? "no free CPU on the cluster" : "runner stopping");
		ret = busy ? RUNNER_BUSY : 0;
	} else {
		say_no_space(&why);
		log_info("job %lld: infrastructure fault: %s", (long long)j->id, why.buf);
		while ((rc = db_job_fail(db, j->id, owner, why.buf)) == DB_EFULL &&
		       wait_for_room(db, j, owner, "fault", &beat, &beating, &said))
			;
		ret = rc ? -1 : 0;
	}
done:
	if (beating)
		beat_stop(&beat);
	if (ex)
		ops->close(ex);
	if (host.ex)
		executor_bwrap.close(host.ex);
	if (dir.len)
		workdir_remove_later(dir.buf);
	free(results);
	grade_release(&g);
	if (loaded)
		spec_release(&s);
	assignment_release(&a);
	image_release(&im);
	slurm_conf_release(&sc);
	free(reports);
	buf_release(&tree);
	buf_release(&dir);
	buf_release(&why);
	buf_release(&prov);
	buf_release(&label);
	return ret;
}
