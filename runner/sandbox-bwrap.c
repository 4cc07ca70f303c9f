/*
 * sandbox-bwrap.c: the local executor's operations (executor.h): each job
 * in a bubblewrap sandbox of its own, each step in it or in a fresh one.
 * The parts are in the files runner.h's map names.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bwrap.h"
#include "cgroup.h"
#include "holder.h"
#include "later.h"
#include "pool.h"
#include "step.h"
#include "worker.h"
#include "workdir.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/banned.h"

void observation_release(struct observation *o)
{
	capture_release(&o->out);
	capture_release(&o->err);
	free(o->fault);
	memset(o, 0, sizeof(*o));
}

int bwrap_stage_dir(void)
{
	return (mkdir(BWRAP_STAGE, 0711) && errno != EEXIST) || chmod(BWRAP_STAGE, 0711) ? -1 : 0;
}

int bwrap_stage_bind(struct executor *e, const char *name)
{
	struct buf st = BUF_INIT;

	buf_addf(&st, "%s/%s", BWRAP_STAGE, name);
	later_wait_for(st.buf);   /* the same name's last use, if it is still being removed */
	if (bwrap_stage_dir() || (mkdir(st.buf, 0700) && errno != EEXIST) ||
	    mount(e->workdir, st.buf, NULL, MS_BIND, NULL)) {
		error_errno("cannot bind %s at %s", e->workdir, st.buf);
		rmdir(st.buf);
		buf_release(&st);
		return -1;
	}
	e->stage = buf_detach(&st, NULL);
	return 0;
}

struct executor *bwrap_new(struct worker *w, const struct bundle *b)
{
	struct executor *e = xcalloc(1, sizeof(*e));

	e->b = *b;
	e->w = w;
	e->workdir = xstrdup(b->workdir);
	e->b.workdir = e->workdir;
	e->drop = geteuid() == 0;
	e->workdir_fd = -1;
	e->net = e->mnt = e->detached = -1;
	holder_init(&e->holder);
	return e;
}

void bwrap_free(struct executor *e, int remove_workdir)
{
	holder_stop(&e->holder);
	free(e->exe);
	if (e->stage) {
		workdir_unmount_later(e->stage);
		free(e->stage);
	}
	if (e->workdir_fd >= 0)
		close(e->workdir_fd);
	if (e->detached >= 0)
		close(e->detached);
	if (remove_workdir)
		workdir_remove_later(e->workdir);
	free(e->workdir);
	free(e);
}

/* How many processes uid has now: RLIMIT_NPROC is per user, not per sandbox. */
static int64_t count_processes(uid_t uid)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int64_t n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char p[300];
		struct stat st;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(p, sizeof(p), "/proc/%.20s", de->d_name);
		if (!stat(p, &st) && st.st_uid == uid)
			n++;
	}
	closedir(d);
	return n;
}

/* Hand the work directory to the sandbox's user, see if it is a file system of its own, open it. 0 or -1. */
static int open_workdir(struct executor *e)
{
	if (e->drop && workdir_give(e->workdir))
		return error_errno("cannot hand %s to the sandbox user", e->workdir);
	e->on_tmpfs = workdir_own_fs(e->workdir);
	if (e->workdir_fd < 0)
		e->workdir_fd = open(e->workdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (e->workdir_fd < 0)
		return error_errno("cannot open %s", e->workdir);
	return 0;
}

/*
 * The job's sandbox: a holder where the worker has what it takes (root, a
 * pids cgroup, lifebelt-holder), else a bwrap per step. 0 or -1 (reported).
 */
static int open_sandbox(struct executor *e)
{
	struct worker *w = e->w;

	e->net = w->net;
	e->mnt = e->drop ? e->root->mnt : -1;
	if (!*w->cg.pids)
		e->nproc_base = count_processes(e->drop ? SANDBOX_UID : getuid());
	/* Without a pids cgroup nothing could kill what a step leaves behind: a sandbox per step. */
	if (e->holder.pid && (!e->drop || !*w->cg.pids))
		holder_stop(&e->holder);
	/*
	 * bwrap runs as the sandbox's uid, which may not reach the work
	 * directory: as root, each sandbox gets it through a stage mount, or
	 * the holder's bwrap through BWRAP_ATTACH in the worker's mount namespace.
	 */
	if (e->drop && !e->stage && e->mnt < 0 && bwrap_stage_bind(e, e->b.label))
		return -1;
	if (!e->holder.pid && e->drop && *w->cg.pids && (e->exe || (e->exe = holder_path())))
		holder_start(e);
	if (e->drop && !e->stage && !e->holder.pid && bwrap_stage_bind(e, e->b.label))
		return -1;   /* a sandbox per step after all */
	return 0;
}

static int bw_open(struct worker *w, struct executor **out, const struct bundle *b)
{
	struct executor *e;

	/* The sandbox started ahead for this job (see pool_adopt), or a new one. */
	if ((e = pool_take(w, b->workdir))) {
		e->b = *b;
		e->b.workdir = e->workdir;
	} else {
		e = bwrap_new(w, b);
	}
	if (open_workdir(e))
		goto fail;
	worker_limit(w, &b->limits);
	e->root = worker_root(w, b->image);
	if (open_sandbox(e))
		goto fail;
	if (b->more && e->holder.pid)
		pool_start(w, e);
	*out = e;
	return 0;
fail:
	bwrap_free(e, 0);
	return -1;
}

static void bw_close(struct executor *e)
{
	if (!e)
		return;
	holder_stop(&e->holder);
	cgroup_kill(&e->w->cg);
	bwrap_free(e, 0);
}

static json_t *bw_describe(struct executor *e)
{
	json_t *d;
	cpu_set_t cpus;
	int holder = e->holder.pid != 0;

	d = json_pack("{s:s,s:s,s:i,s:[s,s,s,s,s,s,s],s:b,s:b,s:o,s:s,s:b,s:s,s:s}",
		      "kind", "bwrap", "root", e->root && e->root->image ? "image" : "host",
		      "uid", e->drop ? SANDBOX_UID : (int)getuid(),
		      "namespaces", "user", "pid", "net", "ipc", "uts", "mount", "cgroup",
		      "nested_userns", 0, "seccomp", worker_filter(e->w) != NULL,
		      "cgroup", cgroup_describe(&e->w->cg),
		      "workdir", e->on_tmpfs ? "tmpfs" : "directory", "rlimit_as", !*e->w->cg.memory,
		      "sandbox_per", holder ? "job" : "step",
		      "net_per", holder && e->net >= 0 ? "worker" : holder ? "job" : "step");
	/* The CPUs its steps start on (the worker's share, see worker_cpus()). */
	if (d && !sched_getaffinity(0, sizeof(cpus), &cpus))
		json_object_set_new(d, "cpus", json_integer(CPU_COUNT(&cpus)));
	return d;
}

/* Stage mounts and cgroups are named ...-<pid> after the runner that made them. */
static void bw_sweep(void)
{
	DIR *d = opendir(BWRAP_STAGE);
	struct dirent *de;

	cgroup_sweep();
	if (!d)
		return;
	while ((de = readdir(d))) {
		const char *dash = strrchr(de->d_name, '-');
		char p[300];
		long pid;

		if (!dash || (pid = strtol(dash + 1, NULL, 10)) <= 0 || !kill((pid_t)pid, 0) ||
		    errno != ESRCH)
			continue;
		snprintf(p, sizeof(p), "%s/%.200s", BWRAP_STAGE, de->d_name);
		umount2(p, MNT_DETACH);
		rmdir(p);
	}
	closedir(d);
}

static void bw_shutdown(struct worker *w)
{
	if (w)
		pool_discard(w);
	later_wait();
	worker_free(w);
}

const struct executor_ops executor_bwrap = {
	"bwrap", worker_new, bw_open, step_run, bw_describe, bw_close, bw_sweep, bw_shutdown,
	pool_adopt, 0
};
