/* spawn.c: the spawner's wire protocol and its loop (see spawn.h). After fork: system calls only. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"
#include "../lib/banned.h"

ssize_t spawn_send(int sock, const void *data, size_t len, const int *fds, int nfds)
{
	char ctl[CMSG_SPACE(sizeof(int) * SPAWN_FDS)];
	struct iovec iov = { (void *)data, len };
	struct msghdr m;
	struct cmsghdr *c;

	memset(&m, 0, sizeof(m));
	memset(ctl, 0, sizeof(ctl));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	if (nfds) {
		m.msg_control = ctl;
		m.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	return sendmsg(sock, &m, MSG_NOSIGNAL);
}

ssize_t spawn_recv(int sock, void *data, size_t len, int *fds)
{
	char ctl[CMSG_SPACE(sizeof(int) * SPAWN_FDS)];
	struct iovec iov = { data, len };
	struct msghdr m;
	struct cmsghdr *c;
	ssize_t n;
	int i;

	for (i = 0; i < SPAWN_FDS; i++)
		fds[i] = -1;
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl;
	m.msg_controllen = sizeof(ctl);
	do
		n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	for (c = CMSG_FIRSTHDR(&m); n >= 0 && c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));

			memcpy(fds, CMSG_DATA(c), sizeof(int) * (k < SPAWN_FDS ? k : SPAWN_FDS));
		}
	return n;
}

/*
 * Orphans: a step's shell whose parent, the process that entered the
 * sandbox for it, was killed first (a limit, a runner stopping). Left to
 * the host's init, a zombie would hold up the end of the sandbox, whose
 * pid 1 waits for every process of its namespace to be reaped, for as long
 * as that init takes (a container's first process may take a second).
 */
static void reap_orphans(int sig)
{
	int saved = errno;

	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	errno = saved;
}

/*
 * The spawner: lives in the worker's cgroups and forks the steps there, since
 * moving a process into a cgroup takes milliseconds. The cgroup kills spare
 * it; it is immune to the OOM killer. It reaps the orphans of its steps:
 * SIGCHLD is blocked while it waits for a step of its own, whose status is
 * the runner's.
 */
void spawner_main(int sock)
{
	static struct spawn_req req;
	static union {
		char tag[8];
		unsigned long long code[1 + ENTER_FILTER_MAX];   /* 8-byte instructions after the tag */
	} prog;
	struct enter_filter filter = { 0, prog.code + 1 };
	int got[SPAWN_FDS];
	ssize_t len;
	struct sigaction sa;
	sigset_t chld;

	enter_oom_score_adj("-1000");
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = reap_orphans;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (spawn_send(sock, "r", 1, NULL, 0) < 0)   /* joined: ready */
		_exit(1);
	len = spawn_recv(sock, &prog, sizeof(prog), got);
	if (len < 8 || memcmp(prog.tag, SPAWN_FILTER_TAG, 8) || (len - 8) % 8)
		_exit(1);
	filter.len = (unsigned short)((len - 8) / 8);
	for (;;) {
		int fds[SPAWN_FDS], i;
		struct spawn_reply rep = { 0, 0 };
		struct spawn_result res;
		ssize_t n = spawn_recv(sock, &req, sizeof(req), fds);
		int pidfd = -1;

		if (n <= 0)
			_exit(0);
		req.cmd[SPAWN_CMD_MAX - 1] = '\0';
		sigprocmask(SIG_BLOCK, &chld, NULL);
		rep.pid = fork();
		if (!rep.pid) {
			struct enter en = { fds + 4, req.cpu, req.fsize, req.nofile, req.as, req.memory,
					    req.cmd, filter.len ? &filter : NULL };

			signal(SIGCHLD, SIG_DFL);
			sigprocmask(SIG_UNBLOCK, &chld, NULL);
			close(sock);
			enter_child(&en, fds[0], fds[1], fds[2], fds[3]);
		}
		if (rep.pid < 0)
			rep.err = errno;
		for (i = 0; i < SPAWN_FDS; i++)
			if (fds[i] >= 0)
				close(fds[i]);
		if (rep.pid > 0)
			pidfd = (int)syscall(SYS_pidfd_open, rep.pid, 0);
		if (spawn_send(sock, &rep, sizeof(rep), &pidfd, pidfd >= 0) < 0)
			_exit(1);
		if (pidfd >= 0)
			close(pidfd);
		if (rep.pid <= 0) {
			sigprocmask(SIG_UNBLOCK, &chld, NULL);
			continue;
		}
		memset(&res, 0, sizeof(res));
		while (wait4(rep.pid, &res.status, 0, &res.ru) < 0)
			if (errno != EINTR)
				break;
		sigprocmask(SIG_UNBLOCK, &chld, NULL);
		if (spawn_send(sock, &res, sizeof(res), NULL, 0) < 0)
			_exit(1);
	}
}
