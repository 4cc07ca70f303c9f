/*
 * later.h: the part of a job's teardown that only waits, done on a thread of
 * the worker's own so that the worker goes on to its next job. Unmounting
 * waits for an RCU grace period, removing a directory may wait for the
 * disk, and a killed holder takes a moment to exit.
 */
#ifndef RUNNER_LATER_H
#define RUNNER_LATER_H

#include <sys/types.h>

/* workdir_remove(path), later: unmount it and remove everything below. */
void later_remove(const char *path);
/* Unmount path and remove it if it is then an empty directory, later (a stage or a spare's mount). */
void later_unmount(const char *path);
#define LATER_FDS 3

/*
 * Wait for the child pid to end, later; SIGKILL it if it has not within 2 s.
 * Then close fds (n, at most LATER_FDS; -1s are skipped): pipes it may
 * still write to, which must not close under it (a write to a closed pipe
 * kills the writer).
 */
void later_reap(pid_t pid, const int *fds, int n);
/* Wait until nothing queued concerns path (before making it again). */
void later_wait_for(const char *path);
/* Wait until everything queued is done (before the worker stops). */
void later_wait(void);

#endif
