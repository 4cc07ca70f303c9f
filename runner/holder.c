/* holder.c: a job's holder sandbox: start, wait until set up, stop (see holder.h; map: runner.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "bwrap.h"
#include "holder.h"
#include "launch.h"
#include "later.h"
#include "worker.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/child.h"
#include "../lib/fsutil.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

/* How long a holder may take to set up, and to exit once its stdin closed. */
#define SETUP_MS 5000
#define EXIT_GRACE_MS 2000

void holder_init(struct holder *h)
{
	int i;

	h->pid = 0;
	h->in = h->ready = h->info = h->ep = h->tree = -1;
	for (i = 0; i < ENTER_NS; i++)
		h->nsfd[i] = -1;
}

char *holder_path(void)
{
	struct buf path = BUF_INIT, data = BUF_INIT, copy = BUF_INIT;
	char *ret = NULL;

	if (fs_self_program(&path, "holder") != 1) {
		buf_release(&path);
		return NULL;
	}
	if (geteuid())
		return buf_detach(&path, NULL);
	buf_addf(&copy, "%s/lifebelt-holder", BWRAP_STAGE);
	if (bwrap_stage_dir() || buf_read_file(&data, path.buf) ||
	    fs_write_atomic(copy.buf, data.buf, data.len, 0755))
		error_errno("cannot copy %s to %s", path.buf, copy.buf);
	else
		ret = buf_detach(&copy, NULL);
	buf_release(&path);
	buf_release(&data);
	buf_release(&copy);
	return ret;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Close the pipes the holder reports its set-up on. */
static void close_setup(struct holder *h)
{
	close_fd(&h->ready);
	close_fd(&h->info);
	close_fd(&h->ep);
}

/* A stopped holder, for the background queue to wait for. */
struct reap {
	pid_t pid;
	int setup[3];           /* its set-up pipes, or -1 */
};

/* Wait for the holder to end; after EXIT_GRACE_MS, kill it. Then close its pipes. */
static void reap(void *arg)
{
	struct reap *r = arg;
	int fd = (int)syscall(SYS_pidfd_open, r->pid, 0), i;

	if (fd >= 0) {
		struct pollfd p = { fd, POLLIN, 0 };

		if (poll(&p, 1, EXIT_GRACE_MS) <= 0)
			kill(r->pid, SIGKILL);
		close(fd);
	} else {
		kill(r->pid, SIGKILL);
	}
	while (waitpid(r->pid, NULL, 0) < 0 && errno == EINTR)
		;
	for (i = 0; i < 3; i++)
		if (r->setup[i] >= 0)
			close(r->setup[i]);
	free(r);
}

void holder_stop(struct holder *h)
{
	int i;

	for (i = 0; i < ENTER_NS; i++)
		close_fd(&h->nsfd[i]);
	/*
	 * Closing its stdin ends the holder, and so the sandbox; bwrap then
	 * reaps it and exits. Killed at once, bwrap would leave the holder to
	 * whatever reaps orphans on the host: when that is not a real init (a
	 * container's first process), zombies pile up. A holder still setting
	 * up (a spare no job took) keeps its set-up pipes until it is reaped:
	 * bwrap writes the sandbox's pid there before it lets the sandbox go
	 * on, and killed by that write (SIGPIPE), it would leave the sandbox
	 * waiting for it forever.
	 */
	close_fd(&h->in);
	close_fd(&h->tree);
	if (h->pid > 0) {
		struct reap *r = xmalloc(sizeof(*r));

		r->pid = h->pid;
		r->setup[0] = h->ready;
		r->setup[1] = h->info;
		r->setup[2] = h->ep;
		h->ready = h->info = h->ep = -1;
		later_add(reap, r, NULL);
	} else {
		close_setup(h);
	}
	h->pid = 0;
}

/*
 * In a vfork() child, which shares our memory until exec: a handler of
 * ours must not run there. Signals stay blocked until this is done.
 */
static void handlers_default(void)
{
	int sig;

	for (sig = 1; sig < NSIG; sig++) {
		struct sigaction sa;

		if (!sigaction(sig, NULL, &sa) && sa.sa_handler != SIG_IGN && sa.sa_handler != SIG_DFL) {
			sa.sa_handler = SIG_DFL;
			sa.sa_flags = 0;
			sigaction(sig, &sa, NULL);
		}
	}
}

/* vfork the holder's bwrap with argv; its pid, or -1. */
static pid_t start_bwrap(const struct executor *e, char **argv, const struct bwrap_fds *fds)
{
	sigset_t all, old;
	pid_t pid;

	/*
	 * vfork: a fork would copy the runner's page tables only for exec to
	 * drop them; this starts once per job.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = vfork();
	if (!pid) {
		handlers_default();
		bwrap_exec(e, NULL, argv, fds);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return pid;
}

static void close_pair(int p[2])
{
	close_fd(&p[0]);
	close_fd(&p[1]);
}

int holder_spawn(struct executor *e)
{
	struct holder *h = &e->holder;
	int in[2] = { -1, -1 }, ready[2] = { -1, -1 }, info[2] = { -1, -1 }, ep[2] = { -1, -1 };
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC), ret = -1;
	struct buf args = BUF_INIT;
	char **argv = NULL;
	pid_t pid;

	if (devnull < 0 || pipe2(in, O_CLOEXEC) || pipe2(ready, O_CLOEXEC) || pipe2(info, O_CLOEXEC) ||
	    pipe2(ep, O_CLOEXEC))
		goto done;
	if (e->mnt >= 0 && h->tree < 0 && (h->tree = launch_tree(e->workdir)) < 0)
		goto done;
	if (e->mnt < 0 && !worker_etc(e->w, e->root))
		goto done;
	bwrap_args(e, NULL, &args);
	argv = bwrap_argv(&args);
	{
		struct bwrap_fds fds = { in[0], devnull, devnull, ready[1], info[1], -1, ep[1] };

		pid = start_bwrap(e, argv, &fds);
	}
	close_fd(&h->tree);
	if (pid < 0)
		goto done;
	h->pid = pid;
	h->in = in[1];
	h->ready = ready[0];
	h->info = info[0];
	h->ep = ep[0];
	in[1] = ready[0] = info[0] = ep[0] = -1;
	ret = 0;
done:
	if (ret)
		holder_stop(h);
	close_pair(in);
	close_pair(ready);
	close_pair(info);
	close_pair(ep);
	if (devnull >= 0)
		close(devnull);
	free(argv);
	buf_release(&args);
	return ret;
}

/* Read from fd until it closes or ms pass; 0 or -1 on timeout. */
static int read_until_eof(int fd, struct buf *out, int ms)
{
	int64_t end = time_mono_us() + (int64_t)ms * 1000;

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		int64_t left = end - time_mono_us();
		char chunk[4096];
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)(left / 1000) + 1) <= 0)
			return -1;
		n = read(fd, chunk, sizeof(chunk));
		if (n <= 0)
			return 0;
		buf_add(out, chunk, n);
	}
}

/* The sandbox's pid 1 (as the host sees it) from bwrap's --info-fd JSON; 0 if it is not there. */
static long child_pid(const struct buf *info)
{
	json_t *o = json_loadb(info->buf, info->len, 0, NULL);
	json_int_t pid = 0;

	if (o && json_unpack(o, "{s:I}", "child-pid", &pid))
		pid = 0;
	json_decref(o);
	return pid > 0 ? (long)pid : 0;
}

int holder_wait(struct executor *e)
{
	struct holder *h = &e->holder;
	struct buf info = BUF_INIT, marker = BUF_INIT, path = BUF_INIT;
	long pid1;
	int i, ret = -1;

	if (!h->pid || h->ep < 0)
		goto done;
	/* Its exec failed; or bwrap did not set the sandbox up. */
	if (child_exec_result(h->ep) || read_until_eof(h->ready, &marker, SETUP_MS) || !marker.len ||
	    read_until_eof(h->info, &info, SETUP_MS) || !(pid1 = child_pid(&info)))
		goto done;
	for (i = 0; i < ENTER_NS; i++) {
		buf_reset(&path);
		buf_addf(&path, "/proc/%ld/ns/%s", pid1, enter_ns_names[i]);
		if ((h->nsfd[i] = open(path.buf, O_RDONLY | O_CLOEXEC)) < 0)
			goto done;
	}
	ret = 0;
done:
	close_setup(h);
	if (ret)
		holder_stop(h);
	buf_release(&info);
	buf_release(&marker);
	buf_release(&path);
	return ret;
}

int holder_start(struct executor *e)
{
	return holder_spawn(e) ? -1 : holder_wait(e);
}
