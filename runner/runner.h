/*
 * runner.h: the grading runner: workers claiming jobs, and one-off runs for
 * teachers. This comment is the runner's map; every file of runner/ says
 * in its banner what it is for.
 *
 * What runs where, and why
 * ------------------------
 * `lifebelt runner` (or `lifebelt serve`, forked before any thread) sweeps
 * what runners that died left behind, then forks the workers and waits.
 *
 *   runner ─┬─ worker 0 ─┬─ heartbeat thread: renews the claimed job's lease
 *           │            ├─ background thread (later.c): teardown that only waits
 *           │            ├─ spawner: forks the steps inside the worker's cgroups
 *           │            ├─ holder of the current job ── its steps
 *           │            └─ holder of the spare (the next job's sandbox)
 *           └─ worker 1 ...
 *
 * A worker is a process of its own: a job that crashes or leaks takes one
 * worker with it, and each worker has its own database connection, its
 * own share of the CPUs, its own cgroups. It claims a job, checks the
 * commit out into a fresh work directory (a capped tmpfs as root), and
 * hands a bundle to an executor (executor.h: a bundle goes in,
 * observations come out); the verdicts are computed here, outside the
 * sandbox, from the observations only. What a worker keeps from job to
 * job for the bubblewrap executor is one struct worker (worker.h), made
 * by its first job and passed down.
 *
 * A job's sandbox has the host's /usr, or the tree of the image its
 * assignment names (image.h): a worker keeps one ready-made root per
 * image it has met (struct worker_root), and the spare only serves a job
 * of the same root.
 *
 * The holder is a bwrap whose pid 1 is lifebelt-holder (a tiny static
 * program): it keeps one sandbox's namespaces alive for the whole job,
 * and each step enters them, which is far cheaper than a bwrap per step.
 * Without root or a pids cgroup (nothing could kill what a step leaves
 * behind) each step gets a bwrap of its own instead.
 *
 * The spawner, lifebelt-spawner (another tiny static program), sits in the
 * worker's cgroups and forks the steps there: moving a process into a
 * cgroup costs milliseconds, and forking a small static program is much
 * cheaper than forking the worker.
 *
 * The spare: while a job runs, the worker starts the next job's holder on
 * a fresh, empty work directory; the next job adopts it. A sandbox is
 * never used by two jobs.
 *
 * The map of files
 * ----------------
 *   loop.c            the runner and its workers: claim, grade, repeat; sweeps
 *   job.c             one job from claim to record: checkout, sandbox, grade, provenance
 *   try.c             `lifebelt try`: one job for a teacher, no database
 *   checkout.c        the commit into the work directory (libgit2, no git machinery)
 *   workdir.c         work directories: the capped tmpfs, removal
 *   later.c           the background queue (teardown that only waits)
 *   spec.c            lifebelt.json and autograding.json; which file is the spec
 *   workflow.c        GitHub Classroom's classroom.yml (libyaml)
 *   image.c           assignment images: unpacked once per digest into the data directory
 *   grade.c           build, tests and verdicts: the only place a score is decided
 *   compare.c, tap.c, junit.c, cases.c   reading what the tests printed
 *   capture.c         the head and tail of a step's output
 *   checker.c         a teacher's checker program's own directory (input, expected, actual)
 *   executor.h        the executor interface (bundle, step, observation)
 *   sandbox-bwrap.c   the bubblewrap executor's operations
 *   sandbox-docker.c  the Docker executor: a container per job
 *   sandbox-slurm.c   the Slurm executor: a srun per worker, serving its jobs; slurm.h its settings
 *   node-exec.c       `lifebelt node-exec`: a Slurm job's far end, steps in bwrap on the node
 *   node-proto.c      the frames between the two
 *   command.c         running docker, srun, scontrol on pipes
 *   worker.c          a worker's state: cgroups, spawner, namespaces, /etc
 *   pool.c            the spare sandbox, started ahead
 *   holder.c          a job's holder sandbox: start, wait until set up, stop
 *   step.c            one step: start, pump its pipes, reap, classify
 *   bwrap-args.c      bwrap's command line
 *   bwrap-child.c     the child that becomes bwrap, between fork and exec
 *   launch.c          the namespaces and read-only / a worker's sandboxes start from (per root: host or image)
 *   cgroup.c          the worker's cgroups: limits, counters, kills, sweeps
 *   filter.c          the steps' seccomp filter
 *   enter.c           a step entering the holder's sandbox (after fork; shared with the spawner)
 *   spawn.c           the spawner's wire protocol and loop; spawner-client.c, the runner's side
 *   holder/, spawner/ the two static programs
 */
#ifndef RUNNER_RUNNER_H
#define RUNNER_RUNNER_H

#include <signal.h>
#include <stdint.h>

struct buf;
struct db;
struct image;
struct job;
struct limits;
struct spec;
struct worker;

struct runner_opts {
	int workers;            /* worker processes (1..64) */
	int drain;              /* exit once the queue is empty */
	int lease;              /* seconds a claim lasts without a heartbeat */
	int poll_ms;            /* the slow poll behind the wake-up FIFO */
	int supervise;          /* workers in processes of their own even if one (lifebelt serve) */
};

/*
 * Run workers until SIGTERM/SIGINT (or, with drain, until the queue is
 * empty). Each worker is a process of its own with its own database
 * connection (one worker runs in the runner's process unless o->supervise);
 * a worker killed by a signal is started again; a job being graded when
 * the runner is stopped goes back to the queue without counting an
 * attempt. Returns 0 or -1.
 */
int runner_run(const struct runner_opts *o);

/* Set by SIGTERM/SIGINT handlers: finish quickly. */
extern volatile sig_atomic_t runner_stopping;
/* Seconds a job's lease lasts; the heartbeat renews it every third of that. */
extern int runner_lease;

/*
 * Grade one claimed job and record the outcome (done, or an infrastructure
 * fault: requeued or infra_error). index keeps concurrent sandboxes apart;
 * w is what the worker keeps from job to job (executor.h).
 * Returns 0 when the outcome was recorded, RUNNER_BUSY when the job went
 * back to the queue because its executor had no room for it (the worker
 * waits a little before it claims again), -1 if not even that worked.
 */
#define RUNNER_BUSY 1
int runner_job(struct db *db, struct job *j, const char *owner, int index, struct worker *w);

/*
 * The limits a job runs with: built-in defaults, then the server's
 * settings (when db is not NULL), then the spec's own.
 */
void runner_limits(struct db *db, const struct spec *s, struct limits *l);

/*
 * The image a job's sandbox has as its /: the spec's, else the server's
 * sandbox.image, else none (im->name NULL, tree left empty: the host's
 * root). Its unpacked tree into tree. 0, or -1 with why said (an image gone
 * from the server is the host's fault, never the student's). Release im
 * with image_release().
 */
int runner_image(struct db *db, const struct spec *s, struct image *im, struct buf *tree,
		 struct buf *why);

/*
 * The executor a job runs in: the one its spec names ("executor"), else
 * the server's setting runner.executor (when db is not NULL), else bwrap.
 */
const struct executor_ops *runner_executor(struct db *db, const struct spec *s);

/*
 * `lifebelt try`: grade the directory sub (copied, its .git left out) with
 * the tests in tests_dir in the same sandbox, printing the verdicts with
 * every detail (hidden tests included: the teacher is looking). 0 or -1.
 */
int runner_try(const char *tests_dir, const char *sub);

/*
 * `lifebelt node-exec`: on a node of a Slurm cluster, run one job sent
 * on stdin as node-proto.h says, answering on stdout. 0, or -1 (the
 * runner then hears of a fault, or of nothing, and asks Slurm).
 */
int runner_node_exec(void);

#endif
