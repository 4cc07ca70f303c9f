/*
 * bwrap.h: the bubblewrap executor's session and the parts its files share:
 * where bwrap reaches things (the stage), its command line (bwrap-args.c)
 * and the child between fork and exec (bwrap-child.c). The ops are in
 * sandbox-bwrap.c; the runner's map of files: runner.h.
 */
#ifndef RUNNER_BWRAP_H
#define RUNNER_BWRAP_H

#include <stdint.h>

#include "executor.h"
#include "holder.h"

#define BWRAP "/usr/bin/bwrap"

/*
 * bwrap (running unprivileged) must reach the work directory by a path it
 * may traverse, but the data directory is closed to other users. A root
 * runner's holder finds it at BWRAP_ATTACH: the child that becomes the
 * holder's bwrap enters the worker's mount namespace (launch.h), copies it,
 * and attaches a clone of the work directory's mount there, so one name
 * serves every sandbox and nothing is mounted on the host. Where that
 * namespace could not be made, or for a sandbox per step, each job's work
 * directory is bound, once, at BWRAP_STAGE/<label>. BWRAP_STAGE is
 * searchable but not listable.
 */
#define BWRAP_STAGE "/run/lifebelt"
#define BWRAP_ATTACH BWRAP_STAGE "/w"
#define BWRAP_ROOT BWRAP_STAGE "/root"      /* the sandboxes' / (launch_mnt), in the worker's namespace only */

/* lifebelt-holder (installed beside lifebelt) inside the sandbox, run as the job's pid 1. */
#define BWRAP_HOLDER "/.lifebelt/lifebelt-holder"

/* Where the child puts the sandbox-ready marker pipe, the work directory, bwrap's info and the filter. */
#define BWRAP_READY_FD 3
#define BWRAP_WORKDIR_FD 4
#define BWRAP_INFO_FD 5
#define BWRAP_FILTER_FD 6       /* the steps' seccomp filter, for bwrap's --seccomp */

struct worker;
struct worker_root;
struct buf;

/* A session: one job's sandbox. */
struct executor {
	struct bundle b;
	struct worker *w;
	struct worker_root *root;       /* what its / comes from (worker_root()) */
	char *workdir;
	int workdir_fd;         /* O_PATH, handed to bwrap with --bind-fd */
	int drop;               /* 1: we are root and switch to SANDBOX_UID */
	int on_tmpfs;           /* the work dir is its own (capped) file system */
	char *stage;            /* BWRAP_STAGE/<label> bound to the work dir (root only), or NULL */
	int64_t nproc_base;     /* processes the sandbox uid already had (RLIMIT_NPROC counts them) */
	char *exe;              /* lifebelt-holder, bound into the sandbox as BWRAP_HOLDER */
	int net;                /* the worker's network namespace for the holder, or -1: bwrap makes one */
	int mnt;                /* the worker's mount namespace for the holder's bwrap, or -1 */
	int detached;           /* a spare's work directory's mount, on no path of the host yet (pool.c), or -1 */
	struct holder holder;
};

/* A session of w for bundle b, nothing set up yet. */
struct executor *bwrap_new(struct worker *w, const struct bundle *b);
/* Stop e's holder, release its stage mount, free it; remove its work directory if asked. */
void bwrap_free(struct executor *e, int remove_workdir);

/* BWRAP_STAGE, made if need be: searchable by anyone, listable by none. 0 or -1. */
int bwrap_stage_dir(void);
/* Bind e->workdir at BWRAP_STAGE/name (root): a path bwrap, unprivileged, may reach. 0 or -1 (reported). */
int bwrap_stage_bind(struct executor *e, const char *name);

/*
 * bwrap's command line into a, NUL-separated: for step st in a sandbox of
 * its own, or (st NULL) for e's holder. bwrap_argv(): argv pointing into
 * such a list; free() the array only.
 */
void bwrap_args(const struct executor *e, const struct step *st, struct buf *a);
char **bwrap_argv(const struct buf *args);

/* The descriptors bwrap_exec() hands bwrap, -1 where there is none. */
struct bwrap_fds {
	int in, out, err;       /* its stdio */
	int ready;              /* BWRAP_READY_FD: the sandbox-ready marker (or bwrap's info for a step) */
	int info;               /* BWRAP_INFO_FD: the holder's bwrap's info */
	int filter;             /* BWRAP_FILTER_FD */
	int errpipe;            /* exec's errno, see lib/child.h */
};

/*
 * In the child, between fork (or vfork) and exec: join the cgroups, take
 * the limits, enter the worker's namespaces (holder), drop to the sandbox
 * user, and exec bwrap with argv (from bwrap_args()). Only async-signal-safe
 * calls, and nothing that writes to memory the runner uses. Never returns.
 */
void bwrap_exec(const struct executor *e, const struct step *st, char **argv,
		const struct bwrap_fds *fds) __attribute__((noreturn));

#endif
