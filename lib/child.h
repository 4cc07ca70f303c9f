/*
 * child.h: the mechanics every fork-and-exec here shares (git's
 * run-command): the child's exec failure comes back through a close-on-exec
 * pipe, which closes when exec succeeds; and the child starts with signals
 * as a fresh program expects them. The child's side runs between fork and
 * exec: async-signal-safe calls only, no allocation (the static programs
 * under runner/ link this file too).
 */
#ifndef LIB_CHILD_H
#define LIB_CHILD_H

/* After fork, when what the child was to run cannot be: errno to errpipe, then exit 127. */
void child_fail(int errpipe) __attribute__((noreturn));

/*
 * After fork: SIGPIPE and SIGCHLD back to their defaults and no signal
 * blocked. The parent's choices (a server ignores SIGPIPE; its threads
 * block signals) are not the program's.
 */
void child_default_signals(void);

/*
 * In the parent, on the read end of the error pipe (its write end closed
 * here): 0 once the child reached exec (the pipe closed), the child's errno
 * (> 0) if it could not, or -1 with errno set if the read failed (EAGAIN
 * on a non-blocking pipe: not known yet).
 */
int child_exec_result(int fd);

#endif
