/* pool.c: the spare sandbox, the next job's, started ahead (see pool.h; map: runner.h). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "bwrap.h"
#include "holder.h"
#include "launch.h"
#include "later.h"
#include "pool.h"
#include "worker.h"
#include "workdir.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/banned.h"

void pool_discard(struct worker *w)
{
	struct pool *p = &w->pool;

	if (p->spare)
		bwrap_free(p->spare, !p->adopted);
	p->spare = NULL;
	p->adopted = 0;
}

/*
 * Take the spare's work directory off the host: one clone of its mount for
 * its holder's bwrap (which attaches it in a namespace of its own), one to
 * attach at the job's path on adoption; then the host's mount goes, on the
 * background queue (an unmount waits for an RCU grace period, and this
 * runs while the current job waits to start). A worker killed before a job
 * adopted its spare leaves nothing mounted: the file system goes with the
 * last of its holder and the worker. 0 or -1.
 */
static int detach(struct executor *s)
{
	if ((s->holder.tree = launch_tree(s->workdir)) < 0 ||
	    (s->detached = launch_tree(s->workdir)) < 0 ||
	    (s->workdir_fd = openat(s->detached, ".", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	workdir_unmount_later(s->workdir);
	return 0;
}

void pool_start(struct worker *w, const struct executor *cur)
{
	struct pool *p = &w->pool;
	struct buf dir = BUF_INIT, name = BUF_INIT;
	const char *slash = strrchr(cur->workdir, '/');
	struct executor *s;
	int capped;

	pool_discard(w);
	if (!slash)
		return;
	buf_addf(&dir, "%.*s/%s%ld-%u", (int)(slash - cur->workdir), cur->workdir, POOL_PREFIX,
		 (long)getpid(), p->seq);
	if (workdir_create(dir.buf, cur->b.limits.disk, cur->b.limits.files, &capped) || !capped) {
		workdir_remove(dir.buf);
		buf_release(&dir);
		return;
	}
	s = bwrap_new(w, &cur->b);
	free(s->workdir);
	s->workdir = buf_detach(&dir, NULL);
	s->b.workdir = s->workdir;
	s->b.label = NULL;
	s->exe = xstrdup(cur->exe);
	s->net = cur->net;
	s->mnt = cur->mnt;
	s->root = cur->root;
	p->spare = s;
	p->adopted = 0;
	buf_addf(&name, "spare%u-%ld", p->seq++, (long)getpid());
	if ((s->mnt < 0 && bwrap_stage_bind(s, name.buf)) || (s->mnt >= 0 && detach(s)) ||
	    (s->workdir_fd < 0 &&
	     (s->workdir_fd = open(s->workdir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) ||
	    holder_spawn(s))
		pool_discard(w);
	buf_release(&name);
}

/* Make workdir the spare's work directory, its tmpfs resized for l; 0 or -1. */
static int move_to(struct executor *s, const char *workdir, const struct limits *l)
{
	int detached = s->detached >= 0;

	later_wait_for(workdir);
	workdir_remove(workdir);
	if (fs_mkdir_p(workdir, 0755))
		return -1;
	if (detached ? launch_attach(-1, s->detached, workdir) :
	    mount(s->workdir, workdir, NULL, MS_BIND, NULL))
		return -1;
	if (detached)
		close(s->detached);
	s->detached = -1;
	if (workdir_cap(workdir, l->disk, l->files, 1)) {
		workdir_remove(workdir);
		return -1;
	}
	if (!detached)
		workdir_unmount_later(s->workdir);
	free(s->workdir);
	s->workdir = xstrdup(workdir);
	s->b.workdir = s->workdir;
	return 0;
}

int pool_adopt(struct worker *w, const char *workdir, const struct limits *l, const char *image)
{
	struct pool *p = &w->pool;
	const char *had;

	if (p->adopted)
		pool_discard(w);   /* adopted by a job that never opened it */
	if (!p->spare)
		return 0;
	had = p->spare->root->image;
	if (p->spare->b.limits.tmp != l->tmp || (had ? !image || strcmp(had, image) : !!image) ||
	    !worker_root_fresh(p->spare->root) || holder_wait(p->spare) || !p->spare->holder.pid ||
	    move_to(p->spare, workdir, l)) {
		pool_discard(w);
		return 0;
	}
	p->adopted = 1;
	return 1;
}

struct executor *pool_take(struct worker *w, const char *workdir)
{
	struct pool *p = &w->pool;
	struct executor *e = p->spare;

	if (!e || !p->adopted || strcmp(e->workdir, workdir))
		return NULL;
	p->spare = NULL;
	p->adopted = 0;
	return e;
}
