/* bwrap-child.c: the child that becomes bwrap, between fork (or vfork) and exec (map: runner.h). */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bwrap.h"
#include "cgroup.h"
#include "enter.h"
#include "launch.h"
#include "worker.h"
#include "../lib/child.h"
#include "../lib/banned.h"

/* Take the job's limits (the CPU's only for a step: a holder lives through the job). 0 or -1. */
static int take_limits(const struct executor *e, const struct step *st, const struct bwrap_fds *fds)
{
	const struct limits *l = &e->b.limits;
	int64_t nproc = e->nproc_base + l->processes + 3;

	if (enter_setup(fds->in, fds->out, fds->err, st ? (rlim_t)(st->cpu + 0.999) : RLIM_INFINITY,
			(rlim_t)l->file_size, (rlim_t)l->open_files,
			*e->w->cg.memory ? 0 : (rlim_t)l->memory))
		return -1;
	if (!*e->w->cg.pids)
		enter_limit(RLIMIT_NPROC, (rlim_t)nproc, (rlim_t)nproc);
	return st ? enter_oom_first() : 0;
}

/* As root, become the sandbox's user. */
static int drop_root(void)
{
	/*
	 * System calls, not glibc's set*id(): those change every thread of the
	 * process, and in a vfork() child (holder_spawn) they are the runner's.
	 */
	return syscall(SYS_setgroups, 0, NULL) ||
	       syscall(SYS_setresgid, SANDBOX_GID, SANDBOX_GID, SANDBOX_GID) ||
	       syscall(SYS_setresuid, SANDBOX_UID, SANDBOX_UID, SANDBOX_UID) ? -1 : 0;
}

/* Only the descriptors bwrap needs survive exec, at fixed numbers (dash takes one digit). 0 or -1. */
static int place_fds(const struct executor *e, const struct bwrap_fds *fds)
{
	int workdir, ready, info = -1, filter = -1;

	syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */);
	/* All moved above the fixed numbers first, so that no dup2() below lands on one still to go. */
	workdir = fcntl(e->workdir_fd, F_DUPFD_CLOEXEC, 10);
	ready = fcntl(fds->ready, F_DUPFD_CLOEXEC, 10);
	if (fds->info >= 0 && (info = fcntl(fds->info, F_DUPFD_CLOEXEC, 10)) < 0)
		return -1;
	if (fds->filter >= 0 && (filter = fcntl(fds->filter, F_DUPFD_CLOEXEC, 10)) < 0)
		return -1;
	if (workdir < 0 || ready < 0 || dup2(ready, BWRAP_READY_FD) < 0 ||
	    dup2(workdir, BWRAP_WORKDIR_FD) < 0)
		return -1;
	if (info >= 0 && dup2(info, BWRAP_INFO_FD) < 0)
		return -1;
	if (filter >= 0 && dup2(filter, BWRAP_FILTER_FD) < 0)
		return -1;
	return 0;
}

void bwrap_exec(const struct executor *e, const struct step *st, char **argv,
		const struct bwrap_fds *fds)
{
	char *env[] = { NULL };

	if (st)
		cgroup_join(&e->w->cg);
	else
		cgroup_join_views(&e->w->cg);
	if (take_limits(e, st, fds))
		goto fail;
	if (!st && e->net >= 0 && setns(e->net, CLONE_NEWNET))
		goto fail;
	if (!st && e->mnt >= 0 && launch_attach(e->mnt, e->holder.tree, BWRAP_ATTACH))
		goto fail;
	if (e->drop && drop_root())
		goto fail;
	/* setuid made us non-dumpable; bwrap needs /proc/self/fd for --bind-fd. */
	prctl(PR_SET_DUMPABLE, 1);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (place_fds(e, fds))
		goto fail;
	execve(BWRAP, argv, env);
fail:
	child_fail(fds->errpipe);
}
