/*
 * lifebelt-holder: pid 1 of a job's sandbox. It keeps the sandbox's
 * namespaces alive between the job's steps (which enter them) and reaps
 * orphans, until the runner closes its stdin. A tiny static program of its
 * own, because it starts once per job and the lifebelt binary's libraries
 * take milliseconds to load.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../lib/banned.h"

static void on_child(int sig)
{
	(void)sig;   /* only to end ppoll(): the loop reaps */
}

int main(void)
{
	struct sigaction sa;
	sigset_t chld, waiting;

	/*
	 * Not dumpable: the steps, though they run as the same user, can then
	 * neither ptrace nor read this process, so none of them can live on in
	 * it past its own step. As pid 1 it ignores their signals too.
	 */
	prctl(PR_SET_DUMPABLE, 0);
	/*
	 * Orphans are reaped as soon as they end, not on a timer: a zombie
	 * still counts against the job's process limit. SIGCHLD stays blocked
	 * except while waiting in ppoll(), so none is missed.
	 */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &waiting);
	sigdelset(&waiting, SIGCHLD);
	sa.sa_handler = on_child;
	sa.sa_flags = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	/* fd 3: tell the runner the sandbox is set up. */
	if (write(3, "\n", 1) != 1)
		return 1;
	close(3);
	for (;;) {
		struct pollfd p = { 0, POLLIN, 0 };
		char c;
		int rc;

		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		rc = ppoll(&p, 1, NULL, &waiting);
		if (rc < 0 && errno != EINTR)
			return 1;
		/* The runner closes our stdin when the job is over (or dies). */
		if (rc > 0 && read(0, &c, 1) <= 0)
			return 0;
	}
}
