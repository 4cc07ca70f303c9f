/* t-child.c: the error pipe of a fork-and-exec, and the signals a child starts with. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "../../lib/child.h"
#include "../../lib/banned.h"

/* Fork and exec path (or fail before exec with errno err, if path is NULL); what the parent learns. */
static int start(const char *path, int err, int *status)
{
	char *argv[] = { (char *)"child", NULL }, *env[] = { NULL };
	int p[2], code;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -2;
	pid = fork();
	if (!pid) {
		if (path)
			execve(path, argv, env);
		else
			errno = err;
		child_fail(p[1]);
	}
	close(p[1]);
	code = child_exec_result(p[0]);
	close(p[0]);
	waitpid(pid, status, 0);
	return code;
}

/* In a child: 0 if child_default_signals() undid an ignored SIGPIPE and a blocked SIGUSR1. */
static int signals_reset(void)
{
	struct sigaction ign, sa;
	sigset_t block, now;
	int status;
	pid_t pid;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	pid = fork();
	if (!pid) {
		child_default_signals();
		sigaction(SIGPIPE, NULL, &sa);
		sigprocmask(SIG_SETMASK, NULL, &now);
		_exit(sa.sa_handler == SIG_DFL && !sigismember(&now, SIGUSR1) ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(void)
{
	int status, p[2];

	is_int(start("/bin/true", 0, &status), 0, "an exec that succeeds closes the pipe: 0");
	ok(WIFEXITED(status) && !WEXITSTATUS(status), "and the program ran");
	is_int(start("/nonexistent/program", 0, &status), ENOENT, "an exec that fails brings its errno");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 127, "and the child exits 127");
	is_int(start(NULL, EACCES, &status), EACCES, "a failure before exec brings that errno");

	/* A non-blocking pipe the child has not written to nor closed: not known yet. */
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK))
		return 1;
	is_int(child_exec_result(p[0]), -1, "nothing yet on a non-blocking pipe: -1");
	is_int(errno, EAGAIN, "with EAGAIN");
	close(p[0]);
	close(p[1]);

	is_int(signals_reset(), 0, "a child gets SIGPIPE back and no signal blocked");
	return done_testing();
}
