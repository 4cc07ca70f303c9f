/* child.c: the error pipe and signals of a fork-and-exec (see child.h). */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "banned.h"

void child_fail(int errpipe)
{
	int code = errno;
	ssize_t n = write(errpipe, &code, sizeof(code));

	(void)n;
	_exit(127);
}

void child_default_signals(void)
{
	struct sigaction dfl;
	sigset_t none;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGPIPE, &dfl, NULL);
	sigaction(SIGCHLD, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

int child_exec_result(int fd)
{
	int code;
	ssize_t n;

	do
		n = read(fd, &code, sizeof(code));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == (ssize_t)sizeof(code))
		return code > 0 ? code : EIO;
	return n ? EIO : 0;
}
