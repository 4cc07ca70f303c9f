/* worker.c: what a worker keeps from job to job: cgroups, spawner, namespaces, /etc (map: runner.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bwrap.h"
#include "filter.h"
#include "holder.h"
#include "launch.h"
#include "worker.h"
#include "workdir.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/limits.h"
#include "../lib/log.h"
#include "../lib/banned.h"

_Static_assert(CGROUP_DIRS <= LAUNCH_CGROUPS, "every cgroup of a worker can be shown");

struct worker *worker_new(void)
{
	struct worker *w = xcalloc(1, sizeof(*w));
	const struct sock_fprog *p = filter_program();

	w->spawner = (struct spawner)SPAWNER_INIT;
	w->net = w->mnt = -1;
	if (p) {
		w->filter.len = p->len;
		w->filter.code = p->filter;
	}
	return w;
}

const struct enter_filter *worker_filter(const struct worker *w)
{
	return w->filter.len ? &w->filter : NULL;
}

/*
 * The worker's mount namespace for its holders' bwraps (launch_mnt), with
 * BWRAP_ATTACH made and the kernel's mount API checked; an fd or -1.
 */
static int mnt_start(struct worker *w)
{
	struct launch_root l;
	char at[CGROUP_DIRS][64];
	struct buf holder = BUF_INIT;
	int tree, fd, i;

	memset(&l, 0, sizeof(l));
	l.stage = BWRAP_STAGE;
	l.root = BWRAP_ROOT;
	l.cgroups = cgroup_shown(&w->cg, l.cgroup_dir, at);
	for (i = 0; i < l.cgroups; i++)
		l.cgroup_at[i] = at[i];

	if (bwrap_stage_dir() || (mkdir(BWRAP_ATTACH, 0700) && errno != EEXIST))
		return -1;
	if ((tree = launch_tree(BWRAP_ATTACH)) < 0)
		return -1;   /* a kernel before 5.2 */
	close(tree);
	if (fs_self_program(&holder, "holder") != 1) {
		buf_release(&holder);
		return -1;
	}
	l.holder = holder.buf;
	fd = launch_mnt(&l);
	buf_release(&holder);
	return fd;
}

/* The first job: the cgroups, and as root with a pids cgroup, the spawner and namespaces. */
static void make(struct worker *w, const struct limits *l)
{
	w->counts_ok = 0;
	cgroup_create(&w->cg, "w", l->memory, l->processes + 1);
	w->cg_made = 1;
	if (geteuid() == 0 && *w->cg.pids) {
		spawner_start(&w->spawner, &w->cg, worker_filter(w));
		w->net = launch_net();
		w->mnt = mnt_start(w);
	}
	w->cg_memory = l->memory;
	w->cg_pids = l->processes + 1;
}

void worker_limit(struct worker *w, const struct limits *l)
{
	int64_t pids = l->processes + !!w->spawner.pid;   /* the spawner counts */

	if (!w->cg_made) {
		make(w, l);
	} else if (w->cg_memory != l->memory || w->cg_pids != pids) {
		/* Rewritten only when they change: cgroup v1 takes four writes. */
		w->cg_memory = l->memory;
		w->cg_pids = pids;
		cgroup_limit(&w->cg, w->cg_memory, w->cg_pids);
	}
}

/* The /etc's directory: as root a tmpfs in the stage, else in /dev/shm or TMPDIR. 0 or -1. */
static int etc_mkdir(struct buf *dir)
{
	const char *tmp = getenv("TMPDIR");

	if (geteuid() == 0) {
		buf_addf(dir, "%s/etc-%ld", BWRAP_STAGE, (long)getpid());
		return !bwrap_stage_dir() && (!mkdir(dir->buf, 0755) || errno == EEXIST) &&
		       !mount("lifebelt-etc", dir->buf, "tmpfs", MS_NOSUID | MS_NODEV, LAUNCH_ETC_TMPFS) ?
		       0 : -1;
	}
	if (!access("/dev/shm", W_OK | X_OK))
		tmp = "/dev/shm";
	buf_addf(dir, "%s/lifebelt-etc.XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
	return mkdtemp(dir->buf) && !chmod(dir->buf, 0755) ? 0 : -1;
}

const char *worker_etc(struct worker *w)
{
	struct buf dir = BUF_INIT;
	int root = geteuid() == 0;

	if (w->etc)
		return w->etc;
	if (etc_mkdir(&dir)) {
		error_errno("cannot make the sandbox's /etc at %s", dir.buf);
		buf_release(&dir);
		return NULL;
	}
	/* Then the work directory's path shows in the sandbox's mount table too. */
	w->etc = buf_detach(&dir, NULL);
	if (launch_etc(w->etc, root ? SANDBOX_UID : getuid(), root ? SANDBOX_GID : getgid()) ||
	    (root && mount(NULL, w->etc, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
			   NULL))) {
		error_errno("cannot make the sandbox's /etc at %s", w->etc);
		workdir_remove(w->etc);
		free(w->etc);
		w->etc = NULL;
	}
	return w->etc;
}

void worker_free(struct worker *w)
{
	if (!w)
		return;
	if (w->cg_made) {
		spawner_stop(&w->spawner, &w->cg);
		if (w->net >= 0)
			close(w->net);
		if (w->mnt >= 0)
			close(w->mnt);
		cgroup_destroy(&w->cg);
	}
	if (w->etc)
		workdir_remove(w->etc);
	free(w->etc);
	free(w);
}
