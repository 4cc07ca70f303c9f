/* later.c: the background queue, one thread of the process's own (see later.h; map: runner.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "later.h"
#include "../lib/alloc.h"
#include "../lib/banned.h"

struct later {
	later_fn *fn;
	void *arg;
	char *key;              /* or NULL */
	struct later *next;
};

/*
 * The queue's state is the process's, as the thread is: there is one
 * queue however many sessions use it.
 */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queued = PTHREAD_COND_INITIALIZER, finished = PTHREAD_COND_INITIALIZER;
static struct later *head, *tail, *running;
static enum { NOT_STARTED, STARTED, NO_THREAD } state;

static void later_free(struct later *l)
{
	free(l->key);
	free(l);
}

static void *later_main(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&mu);
	for (;;) {
		while (!head)
			pthread_cond_wait(&queued, &mu);
		running = head;
		head = head->next;
		if (!head)
			tail = NULL;
		pthread_mutex_unlock(&mu);
		running->fn(running->arg);
		pthread_mutex_lock(&mu);
		/* Freed under the lock: later_wait_for() reads running's key. */
		later_free(running);
		running = NULL;
		pthread_cond_broadcast(&finished);
	}
	return NULL;
}

/*
 * A child forked after the thread started has no thread: it starts with
 * an empty queue of its own (what its parent queued is the parent's). The
 * lock is held across fork() so that the child's copy is consistent.
 */
static void fork_prepare(void)
{
	pthread_mutex_lock(&mu);
}

static void fork_parent(void)
{
	pthread_mutex_unlock(&mu);
}

static void fork_child(void)
{
	head = tail = running = NULL;
	state = NOT_STARTED;
	pthread_mutex_unlock(&mu);
}

/* The thread, started the first time. Under mu. */
static void start(void)
{
	static int registered;
	pthread_t t;
	pthread_attr_t a;

	if (!registered++)
		pthread_atfork(fork_prepare, fork_parent, fork_child);
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	state = pthread_create(&t, &a, later_main, NULL) ? NO_THREAD : STARTED;
	pthread_attr_destroy(&a);
}

void later_add(later_fn *fn, void *arg, const char *key)
{
	struct later *l = xcalloc(1, sizeof(*l));

	l->fn = fn;
	l->arg = arg;
	l->key = key ? xstrdup(key) : NULL;
	pthread_mutex_lock(&mu);
	if (state == NOT_STARTED)
		start();
	if (state == NO_THREAD) {
		pthread_mutex_unlock(&mu);
		l->fn(l->arg);
		later_free(l);
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

static int concerns(const struct later *l, const char *key)
{
	return l && l->key && !strcmp(l->key, key);
}

void later_wait_for(const char *key)
{
	pthread_mutex_lock(&mu);
	for (;;) {
		const struct later *l;
		int pending = concerns(running, key);

		for (l = head; l && !pending; l = l->next)
			pending = concerns(l, key);
		if (!pending)
			break;
		pthread_cond_wait(&finished, &mu);
	}
	pthread_mutex_unlock(&mu);
}

void later_wait(void)
{
	pthread_mutex_lock(&mu);
	while (head || running)
		pthread_cond_wait(&finished, &mu);
	pthread_mutex_unlock(&mu);
}
