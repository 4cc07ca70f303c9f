/* later.c: teardown that only waits, on a thread of the worker's own (see later.h). */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "later.h"
#include "workdir.h"
#include "../lib/banned.h"

struct later {
	char *path;             /* remove this work directory (or only unmount it), or NULL */
	int unmount_only;
	pid_t pid;              /* reap this child, or 0 */
	int fds[LATER_FDS];     /* then close these, or -1 */
	struct later *next;
};

/* Per worker process: a fork starts afresh (owner). */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queued = PTHREAD_COND_INITIALIZER, finished = PTHREAD_COND_INITIALIZER;
static struct later *head, *tail, *running;
static pid_t owner;
static int started;

/* Wait for pid to end; after REAP_GRACE_MS, kill it. */
#define REAP_GRACE_MS 2000

static void reap(pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (fd >= 0) {
		struct pollfd p = { fd, POLLIN, 0 };

		if (poll(&p, 1, REAP_GRACE_MS) <= 0)
			kill(pid, SIGKILL);
		close(fd);
	} else {
		kill(pid, SIGKILL);
	}
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static void later_do(struct later *l)
{
	int i;

	if (l->pid > 0)
		reap(l->pid);
	for (i = 0; l->pid > 0 && i < LATER_FDS; i++)
		if (l->fds[i] >= 0)
			close(l->fds[i]);
	if (l->path && l->unmount_only) {
		umount2(l->path, MNT_DETACH);
		rmdir(l->path);   /* never recursive: the mount may be another path's too */
	} else if (l->path) {
		workdir_remove(l->path);
	}
}

static void *later_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	for (;;) {
		while (!head)
			pthread_cond_wait(&queued, &mu);
		running = head;
		head = head->next;
		if (!head)
			tail = NULL;
		pthread_mutex_unlock(&mu);
		later_do(running);
		pthread_mutex_lock(&mu);
		free(running->path);
		free(running);
		running = NULL;
		pthread_cond_broadcast(&finished);
	}
	return NULL;
}

/* Queue l; without a thread (it could not be started), do it now. */
static void later_add(struct later *l)
{
	pthread_mutex_lock(&mu);
	if (owner != getpid()) {
		/* A fork's copy of the queue belongs to its parent's thread. */
		pthread_t t;
		pthread_attr_t a;

		owner = getpid();
		head = tail = running = NULL;
		pthread_attr_init(&a);
		pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
		started = !pthread_create(&t, &a, later_main, NULL);
		pthread_attr_destroy(&a);
	}
	if (!started) {
		pthread_mutex_unlock(&mu);
		later_do(l);
		free(l->path);
		free(l);
		return;
	}
	if (tail)
		tail->next = l;
	else
		head = l;
	tail = l;
	pthread_cond_signal(&queued);
	pthread_mutex_unlock(&mu);
}

static void later_path(const char *path, int unmount_only)
{
	struct later *l = calloc(1, sizeof(*l));

	if (!l || !(l->path = strdup(path))) {
		free(l);
		l = &(struct later){ .path = (char *)path, .unmount_only = unmount_only };
		later_do(l);
		return;
	}
	l->unmount_only = unmount_only;
	later_add(l);
}

void later_remove(const char *path)
{
	later_path(path, 0);
}

void later_unmount(const char *path)
{
	later_path(path, 1);
}

void later_reap(pid_t pid, const int *fds, int n)
{
	struct later *l = calloc(1, sizeof(*l));
	int i;

	if (!l) {
		waitpid(pid, NULL, 0);
		for (i = 0; i < n; i++)
			if (fds[i] >= 0)
				close(fds[i]);
		return;
	}
	l->pid = pid;
	for (i = 0; i < LATER_FDS; i++)
		l->fds[i] = i < n ? fds[i] : -1;
	later_add(l);
}

static int concerns(const struct later *l, const char *path)
{
	return l && l->path && !strcmp(l->path, path);
}

void later_wait_for(const char *path)
{
	pthread_mutex_lock(&mu);
	for (;;) {
		const struct later *l;
		int pending = owner == getpid() && concerns(running, path);

		for (l = head; owner == getpid() && l && !pending; l = l->next)
			pending = concerns(l, path);
		if (!pending)
			break;
		pthread_cond_wait(&finished, &mu);
	}
	pthread_mutex_unlock(&mu);
}

void later_wait(void)
{
	pthread_mutex_lock(&mu);
	while (owner == getpid() && (head || running))
		pthread_cond_wait(&finished, &mu);
	pthread_mutex_unlock(&mu);
}
