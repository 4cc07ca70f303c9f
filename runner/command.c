/* command.c: running a helper program (docker, srun, scontrol) on pipes (command.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "command.h"
#include "../lib/buf.h"
#include "../lib/child.h"
#include "../lib/log.h"
#include "../lib/banned.h"

void command_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

pid_t command_spawn(const char *const argv[], int fds[3])
{
	int p[3][2] = { { -1, -1 }, { -1, -1 }, { -1, -1 } }, ep[2], i, err;
	pid_t pid;

	if (pipe2(ep, O_CLOEXEC))
		return error_errno("cannot make a pipe");
	for (i = 0; i < 3; i++)
		if (!fds[i] && pipe2(p[i], O_CLOEXEC)) {
			error_errno("cannot make a pipe");
			goto fail;
		}
	pid = fork();
	if (pid < 0) {
		error_errno("cannot fork");
		goto fail;
	}
	if (!pid) {
		int null = open("/dev/null", O_RDWR);

		child_default_signals();
		for (i = 0; i < 3; i++)
			if (dup2(p[i][0] >= 0 ? p[i][i ? 1 : 0] : null, i) < 0)
				child_fail(ep[1]);
		execvp(argv[0], (char *const *)argv);
		child_fail(ep[1]);
	}
	close(ep[1]);
	err = child_exec_result(ep[0]);
	close(ep[0]);
	for (i = 0; i < 3; i++) {
		command_close(&p[i][i ? 1 : 0]);
		fds[i] = p[i][i ? 0 : 1];
	}
	if (err) {
		for (i = 0; i < 3; i++)
			command_close(&fds[i]);
		waitpid(pid, NULL, 0);
		errno = err > 0 ? err : errno;
		return error_errno("cannot run %s", argv[0]);
	}
	return pid;
fail:
	for (i = 0; i < 3; i++) {
		command_close(&p[i][0]);
		command_close(&p[i][1]);
	}
	close(ep[0]);
	close(ep[1]);
	return -1;
}

int command_run(const char *const argv[], struct buf *out)
{
	int fds[3] = { -1, out ? 0 : -1, -1 }, status;
	pid_t pid = command_spawn(argv, fds);
	char chunk[4096];
	ssize_t n;

	if (pid < 0)
		return -1;
	while (fds[1] >= 0 && ((n = read(fds[1], chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR)))
		if (n > 0)
			buf_add(out, chunk, n);
	command_close(&fds[1]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
