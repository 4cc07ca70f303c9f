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
	w->net = -1;
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
static int mnt_start(struct worker *w, const char *image)
{
	struct launch_root l;
	char at[CGROUP_DIRS][64];
	struct buf holder = BUF_INIT;
	int tree, fd, i;

	memset(&l, 0, sizeof(l));
	l.stage = BWRAP_STAGE;
	l.root = BWRAP_ROOT;
	l.image = image;
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
		w->namespaces = 1;
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

int worker_root_fresh(const struct worker_root *r)
{
	struct stat st;

	return !r->image || (!stat(r->image, &st) && st.st_dev == r->dev && st.st_ino == r->ino);
}

static void root_free(struct worker_root *r);

struct worker_root *worker_root(struct worker *w, const char *image)
{
	struct worker_root *r;
	struct stat st;
	size_t i;

	for (i = 0; i < w->nr_roots; i++) {
		r = w->roots[i];
		if (image ? !r->image || strcmp(r->image, image) : !!r->image)
			continue;
		if (worker_root_fresh(r))
			return r;
		root_free(r);
		w->roots[i] = w->roots[--w->nr_roots];
		break;
	}
	r = xcalloc(1, sizeof(*r));
	r->image = image ? xstrdup(image) : NULL;
	r->seq = w->roots_made++;
	if (image && !stat(image, &st)) {
		r->dev = st.st_dev;
		r->ino = st.st_ino;
	}
	r->mnt = w->namespaces ? mnt_start(w, image) : -1;
	ALLOC_GROW(w->roots, w->nr_roots + 1, w->alloc_roots);
	w->roots[w->nr_roots++] = r;
	return r;
}

/* The /etc's directory: as root a tmpfs in the stage, else in /dev/shm or TMPDIR. 0 or -1. */
static int etc_mkdir(struct buf *dir, int seq)
{
	const char *tmp = getenv("TMPDIR");

	if (geteuid() == 0) {
		buf_addf(dir, "%s/etc-%d-%ld", BWRAP_STAGE, seq, (long)getpid());
		return !bwrap_stage_dir() && (!mkdir(dir->buf, 0755) || errno == EEXIST) &&
		       !mount("lifebelt-etc", dir->buf, "tmpfs", MS_NOSUID | MS_NODEV, LAUNCH_ETC_TMPFS) ?
		       0 : -1;
	}
	if (!access("/dev/shm", W_OK | X_OK))
		tmp = "/dev/shm";
	buf_addf(dir, "%s/lifebelt-etc.XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
	return mkdtemp(dir->buf) && !chmod(dir->buf, 0755) ? 0 : -1;
}

/*
 * As root, the image's tree bound read-only at BWRAP_STAGE/image-<seq>-<pid>:
 * bwrap runs as the sandbox's user, who may not reach the data directory.
 * 0 or -1 (reported).
 */
static int stage_image(struct worker_root *r)
{
	struct buf at = BUF_INIT;

	buf_addf(&at, "%s/image-%d-%ld", BWRAP_STAGE, r->seq, (long)getpid());
	if (bwrap_stage_dir() || (mkdir(at.buf, 0755) && errno != EEXIST) ||
	    mount(r->image, at.buf, NULL, MS_BIND | MS_REC, NULL) ||
	    mount(NULL, at.buf, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL)) {
		error_errno("cannot bind %s at %s", r->image, at.buf);
		umount2(at.buf, MNT_DETACH);
		rmdir(at.buf);
		buf_release(&at);
		return -1;
	}
	r->stage = buf_detach(&at, NULL);
	return 0;
}

const char *worker_etc(struct worker *w, struct worker_root *r)
{
	struct buf dir = BUF_INIT;
	int root = geteuid() == 0;

	(void)w;
	if (r->etc)
		return r->etc;
	if (root && r->image && !r->stage && stage_image(r))
		return NULL;
	if (etc_mkdir(&dir, r->seq)) {
		error_errno("cannot make the sandbox's /etc at %s", dir.buf);
		buf_release(&dir);
		return NULL;
	}
	/* Then the work directory's path shows in the sandbox's mount table too. */
	r->etc = buf_detach(&dir, NULL);
	if (launch_etc(r->etc, r->image, root ? SANDBOX_UID : getuid(), root ? SANDBOX_GID : getgid()) ||
	    (root && mount(NULL, r->etc, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
			   NULL))) {
		error_errno("cannot make the sandbox's /etc at %s", r->etc);
		workdir_remove(r->etc);
		free(r->etc);
		r->etc = NULL;
	}
	return r->etc;
}

static void root_free(struct worker_root *r)
{
	if (r->mnt >= 0)
		close(r->mnt);
	if (r->etc)
		workdir_remove(r->etc);
	if (r->stage) {
		umount2(r->stage, MNT_DETACH);
		rmdir(r->stage);
	}
	free(r->etc);
	free(r->stage);
	free(r->image);
	free(r);
}

void worker_free(struct worker *w)
{
	size_t i;

	if (!w)
		return;
	if (w->cg_made) {
		spawner_stop(&w->spawner, &w->cg);
		if (w->net >= 0)
			close(w->net);
		cgroup_destroy(&w->cg);
	}
	for (i = 0; i < w->nr_roots; i++)
		root_free(w->roots[i]);
	free(w->roots);
	free(w);
}
