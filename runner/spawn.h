/*
 * spawn.h: lifebelt-spawner, the process that forks a worker's steps inside
 * the worker's cgroups (moving a process into a cgroup takes milliseconds),
 * and its wire protocol over a SOCK_SEQPACKET socket. spawn.c holds the
 * protocol and the spawner's loop (linked into the static
 * runner/spawner/lifebelt-spawner too); spawner-client.c the runner's side.
 * The runner's map of files: runner.h.
 */
#ifndef RUNNER_SPAWN_H
#define RUNNER_SPAWN_H

#include <sys/resource.h>
#include <sys/types.h>

#include "enter.h"

/*
 * The runner sends a struct spawn_req (only as much of cmd as it needs)
 * with SPAWN_FDS descriptors: stdin, stdout, stderr, the error pipe and the
 * ENTER_NS namespaces. The spawner answers with a struct spawn_reply and a
 * pidfd of the step, then with a struct spawn_result once the step is over.
 */
#define SPAWN_FDS (4 + ENTER_NS)
#define SPAWN_CMD_MAX 65536

struct spawn_req {
	rlim_t cpu, fsize, nofile, as, memory;
	char cmd[SPAWN_CMD_MAX];
};

struct spawn_reply {
	int err;
	pid_t pid;
};

struct spawn_result {
	int status;
	struct rusage ru;
};

ssize_t spawn_send(int sock, const void *data, size_t len, const int *fds, int nfds);
/* Receive one message and up to SPAWN_FDS descriptors (-1 where none came). */
ssize_t spawn_recv(int sock, void *data, size_t len, int *fds);

/*
 * The spawner's loop on sock; returns never. Tells "r" on sock first
 * (ready), then takes one message: SPAWN_FILTER_TAG and the steps' seccomp
 * filter's code (none after the tag: no filter).
 */
#define SPAWN_FILTER_TAG "filter\0\0"   /* 8 bytes: the code after it stays aligned */
void spawner_main(int sock) __attribute__((noreturn));

/* The runner's side (spawner-client.c). */

struct cgroup;

/* A worker's spawner: pid 0 and sock -1 when there is none. */
struct spawner {
	pid_t pid;
	int sock;
};
#define SPAWNER_INIT { 0, -1 }

/*
 * Start the spawner in the cgroups cg (which then spare it: cg->spare),
 * told the steps' filter f (NULL: none); 0 or -1 (then steps are moved in
 * one by one). It is lifebelt-spawner, installed beside us: a small static
 * program forks much faster than this one. Without it, a fork of this
 * process runs the same loop.
 */
int spawner_start(struct spawner *s, struct cgroup *cg, const struct enter_filter *f);
/* Kill the spawner, if any; cg->spare no longer spares it. */
void spawner_stop(struct spawner *s, struct cgroup *cg);
/*
 * Hand the step en to the spawner with its stdio, error pipe and the
 * holder's namespaces nsfd; its pid and a pidfd (*pidfd), or -1 with errno
 * set (E2BIG: the command is too long to send).
 */
pid_t spawner_run(struct spawner *s, const struct enter *en, int in, int out, int err,
		  int errpipe, const int *nsfd, int *pidfd);
/* The spawned step's end: its wait status and resource usage. 0 or -1. */
int spawner_result(struct spawner *s, int *status, struct rusage *ru);

#endif
