/* t-later.c: the background queue: order, waiting for one key, waiting for all. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "../../runner/later.h"
#include "../../lib/alloc.h"
#include "../../lib/banned.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int order[8], nr;
static pthread_t main_thread;
static int on_main;

struct work {
	int id;
	int ms;                 /* how long it takes */
};

static void work(void *arg)
{
	struct work *w = arg;
	struct timespec ts = { 0, (long)w->ms * 1000000 };

	nanosleep(&ts, NULL);
	pthread_mutex_lock(&mu);
	order[nr++] = w->id;
	on_main |= pthread_equal(pthread_self(), main_thread);
	pthread_mutex_unlock(&mu);
	free(w);
}

static void add(int id, int ms, const char *key)
{
	struct work *w = xmalloc(sizeof(*w));

	w->id = id;
	w->ms = ms;
	later_add(work, w, key);
}

static int done(void)
{
	int n;

	pthread_mutex_lock(&mu);
	n = nr;
	pthread_mutex_unlock(&mu);
	return n;
}

static void nothing(void *arg)
{
	(void)arg;
}

static volatile int stop_asking;

/* Ask about a key again and again while the queue's thread finishes work on others. */
static void *ask(void *unused)
{
	(void)unused;
	while (!stop_asking)
		later_wait_for("k");
	return NULL;
}

int main(void)
{
	pthread_t asker;
	int i;

	main_thread = pthread_self();
	add(1, 100, "a");
	add(2, 0, NULL);
	add(3, 50, "b");
	add(4, 0, "c");
	ok(done() < 4, "later_add returns before the work is done");
	later_wait_for("b");
	ok(done() >= 3, "later_wait_for returns once the work on its key is done");
	is_int(order[0], 1, "work is done in order (1)");
	is_int(order[1], 2, "work is done in order (2)");
	is_int(order[2], 3, "work is done in order (3)");
	later_wait_for("nothing");
	later_wait();
	is_int(done(), 4, "later_wait returns once everything is done");
	ok(!on_main, "the work runs on a thread of its own");

	/* The work done is freed only once no one can be looking at its key (ASan: make check). */
	pthread_create(&asker, NULL, ask, NULL);
	for (i = 0; i < 200000; i++)
		later_add(nothing, NULL, i % 2 ? "j" : "i");
	later_wait();
	stop_asking = 1;
	pthread_join(asker, NULL);
	ok(1, "later_wait_for reads no work that is done while the queue's thread frees it");

	/* A child forked once the thread runs has none: its work must still be done. */
	{
		pid_t pid = fork();
		int status = -1;

		if (!pid) {
			alarm(5);
			add(9, 0, "x");
			later_wait();
			_exit(done() == 5 ? 0 : 1);
		}
		waitpid(pid, &status, 0);
		ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "a child forked after the thread started gets its work done");
	}
	return done_testing();
}
