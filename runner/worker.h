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
#include <sys/types.h>

#include "cgroup.h"
#include "enter.h"
#include "pool.h"
#include "spawn.h"

struct limits;

/*
 * What a worker's sandboxes start from, for one root: the host's /usr, or
 * an image's tree (image.h). Made the first time a job of the worker
 * needs it, kept until the worker ends, so a job in an image starts as
 * fast as one on the host's root.
 */
struct worker_root {
	char *image;                    /* the image's unpacked tree, or NULL: the host's */
	int mnt;                        /* the mount namespace the holders' bwraps start in (launch_mnt), or -1 */
	char *etc;                      /* worker_etc(), or NULL */
	char *stage;                    /* root: the image's tree bound where bwrap, as the sandbox's user, reaches it */
	int seq;                        /* names its /etc and stage: ...-<seq>-<worker pid> */
	dev_t dev;                      /* the image's tree when the root was made (see worker_root_fresh()) */
	ino_t ino;
};

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
	int namespaces;                 /* 1: roots get a mount namespace (root with a pids cgroup) */
	struct worker_root **roots;     /* worker_root() */
	size_t nr_roots, alloc_roots;
	int roots_made;                 /* names the next root (seq) */
	/* Nothing runs in the worker's cgroups between steps: the last step's end is the next one's start. */
	struct cgroup_counts counts;
	int counts_ok;
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
 * The worker's root for image (an image's unpacked tree, or NULL for the
 * host's), made the first time: as root with a pids cgroup, with its
 * mount namespace (launch_mnt; -1 if it could not be made, and then
 * bwrap makes each / itself). Never NULL; freed with w.
 */
struct worker_root *worker_root(struct worker *w, const char *image);

/*
 * 1 if r's image is still the tree r was made from: an image removed and
 * added again has a tree of the same path, but r's mounts hold the old one.
 */
int worker_root_fresh(const struct worker_root *r);

/*
 * The sandbox's /etc for a bwrap that makes its / itself (the worker's
 * ready-made / has its own, see launch.h), made once per worker and root:
 * a read-only tmpfs at BWRAP_STAGE/etc-<seq>-<pid> as root, else a
 * directory in /dev/shm (a tmpfs: a thousand small files and links are
 * made at once there, where a disk takes up to a second) or TMPDIR. For an
 * image as root, its tree is also bound read-only at r->stage. Its path,
 * or NULL (reported).
 */
const char *worker_etc(struct worker *w, struct worker_root *r);

/*
 * Stop the spawner, kill what is left in the cgroups and remove them,
 * remove the /etc; free w. The pool must be empty (pool_discard()) and the
 * background queue done (later_wait()).
 */
void worker_free(struct worker *w);

#endif
