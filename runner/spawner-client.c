/* spawner-client.c: the runner's side of lifebelt-spawner (see spawn.h; the map of files: runner.h). */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "spawn.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/banned.h"

/* Tell the spawner the steps' filter (see spawner_main()); 0 or -1. */
static int send_filter(struct spawner *s, const struct enter_filter *f)
{
	struct buf msg = BUF_INIT;
	int ret;

	buf_add(&msg, SPAWN_FILTER_TAG, 8);
	if (f)
		buf_add(&msg, f->code, (size_t)f->len * 8);
	ret = spawn_send(s->sock, msg.buf, msg.len, NULL, 0) == (ssize_t)msg.len ? 0 : -1;
	buf_release(&msg);
	return ret;
}

int spawner_start(struct spawner *s, struct cgroup *cg, const struct enter_filter *f)
{
	struct buf path = BUF_INIT;
	char *argv[] = { (char *)"lifebelt-spawner", NULL }, *env[] = { NULL };
	int sv[2], got[SPAWN_FDS], found = fs_self_program(&path, "spawner") == 1;
	char ready;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		buf_release(&path);
		return -1;
	}
	s->pid = fork();
	if (!s->pid) {
		cgroup_join(cg);   /* before the descriptors it writes to are closed */
		if (dup2(sv[1], 3) < 0)
			_exit(1);
		syscall(SYS_close_range, 4U, ~0U, 0U);
		if (found)
			execve(path.buf, argv, env);
		spawner_main(3);
	}
	buf_release(&path);
	close(sv[1]);
	if (s->pid < 0) {
		s->pid = 0;
		close(sv[0]);
		return -1;
	}
	s->sock = sv[0];
	cg->spare = s->pid;
	/* The steps it forks are only limited if it really is in the cgroups. */
	if (spawn_recv(s->sock, &ready, 1, got) != 1 || send_filter(s, f) || !cgroup_has(cg, s->pid)) {
		spawner_stop(s, cg);
		return -1;
	}
	return 0;
}

void spawner_stop(struct spawner *s, struct cgroup *cg)
{
	if (s->sock >= 0)
		close(s->sock);
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
	}
	s->sock = -1;
	s->pid = 0;
	cg->spare = 0;
}

pid_t spawner_run(struct spawner *s, const struct enter *en, int in, int out, int err,
		  int errpipe, const int *nsfd, int *pidfd)
{
	static struct spawn_req req;   /* 64 KiB: not on the stack */
	struct spawn_reply rep;
	int fds[SPAWN_FDS], got[SPAWN_FDS], i;
	size_t len = strlen(en->cmd);

	if (len >= SPAWN_CMD_MAX) {
		errno = E2BIG;
		return -1;
	}
	req.cpu = en->cpu;
	req.fsize = en->fsize;
	req.nofile = en->nofile;
	req.as = en->as;
	req.memory = en->memory;
	memcpy(req.cmd, en->cmd, len + 1);
	fds[0] = in;
	fds[1] = out;
	fds[2] = err;
	fds[3] = errpipe;
	for (i = 0; i < ENTER_NS; i++)
		fds[4 + i] = nsfd[i];
	if (spawn_send(s->sock, &req, offsetof(struct spawn_req, cmd) + len + 1, fds, SPAWN_FDS) < 0 ||
	    spawn_recv(s->sock, &rep, sizeof(rep), got) != sizeof(rep))
		return -1;
	if (rep.err || got[0] < 0) {
		if (got[0] >= 0)
			close(got[0]);
		errno = rep.err ? rep.err : ESRCH;
		return -1;
	}
	*pidfd = got[0];
	return rep.pid;
}

int spawner_result(struct spawner *s, int *status, struct rusage *ru)
{
	struct spawn_result res;
	int got[SPAWN_FDS];

	if (spawn_recv(s->sock, &res, sizeof(res), got) != sizeof(res))
		return -1;
	*status = res.status;
	*ru = res.ru;
	return 0;
}
