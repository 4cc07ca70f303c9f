/*
 * holder.h: a job's holder sandbox. Steps join one sandbox per job (root
 * with a pids cgroup): the holder is a bwrap whose command,
 * lifebelt-holder, runs as the sandbox's pid 1 and waits on its stdin;
 * each step enters its namespaces, and the cgroup kills what a step
 * leaves. Without it, a bwrap per step. The runner's map of files: runner.h.
 */
#ifndef RUNNER_HOLDER_H
#define RUNNER_HOLDER_H

#include <sys/types.h>

#include "enter.h"

struct executor;

struct holder {
	pid_t pid;                      /* the holder's bwrap; 0: none */
	int in;                         /* its stdin: closing it ends the sandbox */
	int ready, info, ep;            /* its set-up reports (holder_spawn), or -1 */
	int tree;                       /* the work directory's mount, cloned for its bwrap (holder_spawn clones it if -1), or -1 */
	int nsfd[ENTER_NS];             /* its namespaces, once set up (holder_wait) */
};

void holder_init(struct holder *h);

/*
 * lifebelt-holder beside our own binary, or NULL (then: a sandbox per step).
 * As root, bwrap runs as the sandbox's uid, which may not be able to reach
 * our install directory (a build tree in a private folder, a 0700 home): the
 * holder is then copied to BWRAP_STAGE, which that uid can reach, and that
 * copy is returned. free() it.
 */
char *holder_path(void);

/*
 * Start e's holder without waiting for it; -1 (quietly) if it could not
 * be started. holder_wait() then waits until it is set up and opens its
 * namespaces; 0, or -1 (it is stopped).
 */
int holder_spawn(struct executor *e);
int holder_wait(struct executor *e);
/* Both; -1 (quietly: the caller falls back to a sandbox per step) if anything fails. */
int holder_start(struct executor *e);

/*
 * End the holder: closing its stdin ends the sandbox, bwrap reaps it and
 * exits; the wait is left to the background queue (later.h).
 */
void holder_stop(struct holder *h);

#endif
