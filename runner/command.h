/* command.h: running a helper program (docker, srun, scontrol) on pipes (map: runner.h). */
#ifndef RUNNER_COMMAND_H
#define RUNNER_COMMAND_H

#include <sys/types.h>

struct buf;

/* Close *fd if open and set it to -1. */
void command_close(int *fd);

/*
 * Start argv (found on PATH) with its stdin, stdout and stderr on new pipes:
 * our ends in fds[0..2], close-on-exec. fds[i] < 0 on entry: that stream is
 * /dev/null. The pid, or -1 (reported), an exec failure included.
 */
pid_t command_spawn(const char *const argv[], int fds[3]);

/* Run argv to its end, its stdout into out (may be NULL). Its exit status, or -1. */
int command_run(const char *const argv[], struct buf *out);

#endif
