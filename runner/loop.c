/* loop.c: the runner's worker processes: wait for a wake-up, claim fairly, grade, repeat (map: runner.h). */
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <git2.h>

#include "executor.h"
#include "pool.h"
#include "runner.h"
#include "slurm.h"
#include "spec.h"
#include "workdir.h"
#include "../db/queue.h"
#include "../lib/buf.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/verdict.h"
#include "../lib/wake.h"
#include "../lib/banned.h"

/* The runner's workers, for its signal handler; 0: none in that slot. */
static pid_t runner_pid;
static volatile pid_t worker_pids[64];

/*
 * The runner tells its workers at once: a SIGTERM that came while it was
 * forking them, not waiting for them, would otherwise be lost, and the
 * workers (whose parent lives on) would grade on for ever.
 */
static void on_stop(int sig)
{
	int k;

	(void)sig;
	runner_stopping = 1;
	if (getpid() != runner_pid)
		return;
	for (k = 0; k < 64; k++)
		if (worker_pids[k] > 0)
			kill(worker_pids[k], SIGTERM);
}

static void handle_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;   /* no SA_RESTART: poll() returns EINTR and we look at the flag */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* Work directories of jobs no longer running are leftovers of a runner that died. */
static void sweep_workdirs(struct db *db)
{
	struct buf dir = BUF_INIT, p = BUF_INIT;
	DIR *d;
	struct dirent *de;

	home_path(&dir, "work/jobs");
	if (!(d = opendir(dir.buf)))
		goto done;
	while ((de = readdir(d))) {
		long long id;
		long pid;
		char state[32];

		/*
		 * A next job's sandbox started ahead (spare-PID-N) and a job's
		 * (job-ID-PID) go with their worker; a job-ID of an older
		 * version with its job.
		 */
		if (sscanf(de->d_name, POOL_PREFIX "%ld", &pid) == 1 ||
		    sscanf(de->d_name, "job-%lld-%ld", &id, &pid) == 2) {
			if (pid <= 0 || !kill((pid_t)pid, 0) || errno != ESRCH)
				continue;
		} else if (sscanf(de->d_name, "job-%lld", &id) != 1 ||
			   (!db_job_state(db, id, state, sizeof(state)) && job_state_parse(state) == JOB_RUNNING)) {
			continue;
		}
		buf_reset(&p);
		buf_addf(&p, "%s/%s", dir.buf, de->d_name);
		workdir_remove(p.buf);
	}
	closedir(d);
done:
	buf_release(&dir);
	buf_release(&p);
}

/*
 * A runner grading on a Slurm cluster: each worker with a job queued for it
 * starts its srun at once, in parallel, while it claims the job (a srun
 * and its node-exec take tens of milliseconds to start).
 */
static void start_ahead(struct db *db, int index)
{
	struct spec s;
	struct limits l;
	struct slurm_conf c;
	int64_t queued = 0;

	memset(&s, 0, sizeof(s));
	if (runner_executor(db, &s) != &executor_slurm ||
	    db_int(db, &queued, "SELECT count(*) FROM jobs WHERE state = 'queued'", "") || queued <= index)
		return;
	runner_limits(db, &s, &l);
	slurm_conf_load(db, NULL, &c);
	slurm_start_ahead(&c, &l);
	slurm_conf_release(&c);
}

static int worker_loop(const struct runner_opts *o, int index)
{
	const struct executor_ops *ops = &executor_bwrap;
	struct worker *w = ops->worker_new();
	struct buf dbpath = BUF_INIT, owner = BUF_INIT;
	struct db *db = NULL;
	char host[128];
	int fd = -1, ret = -1, full = 0;
	int64_t last_sweep = 0;

	if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	buf_addf(&owner, "%s:%ld:%d", host, (long)getpid(), index);
	home_path(&dbpath, "lifebelt.db");
	if (db_open(&db, dbpath.buf, DB_REDOABLE))
		goto done;
	if ((fd = wake_open()) < 0)
		goto done;
	start_ahead(db, index);
	if (!index)
		sweep_workdirs(db);
	while (!runner_stopping) {
		struct job j;
		int rc;

		/*
		 * On a full disk no job is claimed: its result could not be
		 * stored. It waits, its attempts unused, and status, the web page
		 * and push -o wait say why; the first look with room grades it.
		 */
		if (home_out_of_space()) {
			if (!full && !index)
				log_info("runner: %s", HOME_GRADING_WAITS);
			full = 1;
			if (o->drain) {
				error("%s", HOME_GRADING_WAITS);
				goto done;
			}
			wake_wait(fd, 100);
			continue;
		}
		if (full && !index)
			log_info("runner: there is room on the disk again; grading resumes");
		full = 0;
		/* Jobs of a runner that died come back once their lease is over. */
		if (time_now() - last_sweep >= 1) {
			int n;

			if (!db_jobs_requeue_expired(db, time_now(), &n) && n)
				log_info("requeued %d job%s whose runner stopped answering", n, n == 1 ? "" : "s");
			last_sweep = time_now();
		}
		rc = db_job_claim(db, owner.buf, runner_lease, &j);
		if (rc == DB_ENOTFOUND) {
			int64_t due = 0, wait_ms;

			/* A job waiting out its backoff after a fault is due at jobs.not_before. */
			if (db_int(db, &due, "SELECT coalesce(min(not_before), 0) FROM jobs "
				   "WHERE state = 'queued'", ""))
				due = 0;
			wait_ms = due ? (due - time_now()) * 1000 : -1;
			if (o->drain) {
				/* Nothing due; a job still running elsewhere, or backing off, may come back. */
				int64_t running = 0;

				if (db_int(db, &running, "SELECT count(*) FROM jobs WHERE state = 'running'", "") ||
				    (!running && !due))
					break;
				executor_slurm.shutdown(NULL);
				if (wait_ms > 0) {
					wake_wait(fd, wait_ms < 1000 ? wait_ms : 1000);
					continue;
				}
				/*
				 * Nothing wakes us when it ends: look again soon, so that
				 * the drain ends with the last job, not up to a poll later.
				 */
				wake_wait(fd, 10);
				continue;
			}
			/* An idle worker holds no CPU of a cluster (the Slurm executor's srun). */
			executor_slurm.shutdown(NULL);
			/* The slow poll also notices, within half a lease, a job whose runner died. */
			if (wait_ms <= 0 || wait_ms > o->poll_ms)
				wait_ms = o->poll_ms;
			wake_wait(fd, wait_ms < runner_lease * 500 ? wait_ms : runner_lease * 500);
			continue;
		}
		if (rc == DB_EBUSY || rc == DB_EFULL) {
			wake_wait(fd, 100);
			continue;
		}
		if (rc)
			goto done;
		rc = runner_job(db, &j, owner.buf, index, w);
		job_release(&j);
		/* The cluster had no free CPU: the job is queued again; give it a moment. */
		if (rc == RUNNER_BUSY)
			wake_wait(fd, 1000);
	}
	ret = 0;
done:
	ops->shutdown(w);
	executor_slurm.shutdown(NULL);
	if (fd >= 0)
		close(fd);
	db_close(db);
	buf_release(&dbpath);
	buf_release(&owner);
	return ret;
}

/*
 * Keep worker i of n, and so its sandboxes, to its own share of the CPUs the
 * runner may use: all of a job's processes hand work to one another (the
 * worker, the spawner, the holder, the steps), and on a busy machine each
 * hand-off to another CPU costs a wake-up there and a cold cache. With more
 * workers than CPUs, they take turns on them. Placement, not a limit: the
 * job's CPU time is limited by rlimits, and a step may move itself.
 */
static void worker_cpus(int i, int n)
{
	cpu_set_t all, mine;
	int cpus[CPU_SETSIZE], m = 0, c, share, extra, first, k;

	if (sched_getaffinity(0, sizeof(all), &all))
		return;
	for (c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &all))
			cpus[m++] = c;
	if (m < 2 || n < 2)
		return;
	CPU_ZERO(&mine);
	if (n >= m) {
		CPU_SET(cpus[i % m], &mine);
	} else {
		/* m / n each; the first m % n workers one more. */
		share = m / n;
		extra = m % n;
		first = i * share + (i < extra ? i : extra);
		for (k = 0; k < share + (i < extra); k++)
			CPU_SET(cpus[first + k], &mine);
	}
	sched_setaffinity(0, sizeof(mine), &mine);
}

/*
 * Fork worker i. Stop signals are blocked until its pid is stored, so that
 * the handler knows every worker; a worker whose runner died before it
 * asked for PDEATHSIG ends at once. 0, 1 if the runner is stopping (no
 * worker started), or -1.
 */
static int start_worker(const struct runner_opts *o, int i, int n)
{
	sigset_t stop, old;
	pid_t p;

	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigprocmask(SIG_BLOCK, &stop, &old);
	if (runner_stopping) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return 1;
	}
	p = fork();
	if (!p) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != runner_pid)
			_exit(0);
		sigprocmask(SIG_SETMASK, &old, NULL);
		worker_cpus(i, n);
		_exit(worker_loop(o, i) ? 1 : 0);
	}
	if (p > 0)
		worker_pids[i] = p;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return p < 0 ? error_errno("fork") : 0;
}

/* The slot of worker p, or -1. */
static int worker_slot(pid_t p, int n)
{
	int k;

	for (k = 0; k < n; k++)
		if (worker_pids[k] == p)
			return k;
	return -1;
}

int runner_run(const struct runner_opts *o)
{
	int i, n = o->workers, running = 0, ret = 0;

	runner_lease = o->lease;
	runner_pid = getpid();
	handle_signals();
	git_libgit2_init();   /* once: each checkout's own init is then only a reference */
	executor_bwrap.sweep();
	if (n == 1 && !o->supervise)
		return worker_loop(o, 0);
	if (n > 64)
		n = 64;
	log_info("runner: %d worker%s", n, n == 1 ? "" : "s");
	for (i = 0; i < n && !runner_stopping; i++) {
		int rc = start_worker(o, i, n);

		if (rc < 0) {
			ret = -1;
			runner_stopping = 1;
		}
		if (rc)
			break;
		running++;
	}
	if (runner_stopping)
		on_stop(SIGTERM);
	while (running > 0) {
		int status, k;
		pid_t p = waitpid(-1, &status, 0);

		if (p < 0 && errno == EINTR)
			continue;
		if (p < 0)
			break;
		if ((k = worker_slot(p, n)) < 0)
			continue;
		worker_pids[k] = 0;
		running--;
		/* Killed (by the OOM killer, an admin's kill -9): its job comes back with the lease. */
		if (WIFSIGNALED(status) && !runner_stopping && !o->drain) {
			log_info("runner: worker %d was killed by signal %d; starting it again", k,
				 WTERMSIG(status));
			if (!start_worker(o, k, n)) {
				running++;
				continue;
			}
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			ret = -1;
	}
	return ret;
}
