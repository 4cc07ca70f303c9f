/*
 * later.h: the process's background queue (redis's bio.c): work that only
 * waits, done on a thread of its own, in order, so that the worker goes on
 * to its next job. A job's teardown is such work: unmounting waits for an
 * RCU grace period, removing a directory may wait for the disk, and a
 * killed holder takes a moment to exit. The thread starts with the first
 * work queued; a child forked after that starts with an empty queue of its
 * own. The runner's map of files: runner.h.
 */
#ifndef RUNNER_LATER_H
#define RUNNER_LATER_H

typedef void later_fn(void *arg);

/*
 * Run fn(arg) on the queue's thread once everything queued before it is
 * done; fn owns arg. key (copied; NULL: none) names what the work
 * concerns, for later_wait_for(). Where no thread could be started, fn
 * runs now.
 */
void later_add(later_fn *fn, void *arg, const char *key);
/* Wait until nothing queued concerns key (before making it again). */
void later_wait_for(const char *key);
/* Wait until everything queued is done (before the worker stops). */
void later_wait(void);

#endif
