/*
 * worker.h: what a worker process keeps from job to job for the bubblewrap
 * executor: its cgroups, its spawner, the namespaces its sandboxes start
 * in, the cgroups' counters after its last step, the sandbox's /etc for a
 * bwrap per step, and the next job's sandbox started ahead (pool.h). Made
 * once in the worker, passed down to everything that runs its jobs. The
 * runner's map of files: runner.h.
 */
#ifndef RUNNER_WORKER_H
#define RUNNER_WORKER_H

#include <stdint.h>

#include "cgroup.h"
#include "enter.h"
#include "pool.h"
#include "spawn.h"

struct limits;

struct worker {
	/*
	 * One cgroup per worker, kept from job to job with the limits
	 * rewritten: making and removing cgroups costs milliseconds each.
	 */
	struct cgroup cg;
	int cg_made;
	int64_t cg_memory, cg_pids;     /* the limits written last */
	struct spawner spawner;         /* root with a pids cgroup only */
	int net;                        /* launch_net(), or -1: bwrap makes one */
	int mnt;                        /* the mount namespace the holders' bwraps start in (launch_mnt), or -1 */
	/* Nothing runs in the worker's cgroups between steps: the last step's end is the next one's start. */
	struct cgroup_counts counts;
	int counts_ok;
	char *etc;                      /* worker_etc(), or NULL */
	struct enter_filter filter;     /* the steps' seccomp filter; len 0: none could be built */
	struct pool pool;
};

/* A worker with nothing made yet (worker_limit() makes it). Free with worker_free(). */
struct worker *worker_new(void);

/*
 * Before a job's session: make the worker's cgroups with the job's limits
 * l (and, as root, its spawner and namespaces) the first time; later,
 * rewrite the limits where they changed.
 */
void worker_limit(struct worker *w, const struct limits *l);

/* The steps' seccomp filter (filter.h), or NULL if it could not be built. */
const struct enter_filter *worker_filter(const struct worker *w);

/*
 * The sandbox's /etc for a bwrap that makes its / itself (the worker's
 * ready-made / has its own, see launch.h), made once per worker: a
 * read-only tmpfs at BWRAP_STAGE/etc-<pid> as root, else a directory in
 * /dev/shm (a tmpfs: a thousand small files and links are made at once
 * there, where a disk takes up to a second) or TMPDIR. Its path, or NULL
 * (reported).
 */
const char *worker_etc(struct worker *w);

/*
 * Stop the spawner, kill what is left in the cgroups and remove them,
 * remove the /etc; free w. The pool must be empty (pool_discard()) and the
 * background queue done (later_wait()).
 */
void worker_free(struct worker *w);

#endif
