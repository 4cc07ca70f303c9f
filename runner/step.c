/*
 * step.c: one step of a bubblewrap session (see step.h; map: runner.h):
 * start it, pump its pipes from a table (git's run-command.c,
 * pump_io_round), reap it, classify what happened.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bwrap.h"
#include "cgroup.h"
#include "holder.h"
#include "spawn.h"
#include "step.h"
#include "worker.h"
#include "../lib/buf.h"
#include "../lib/child.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

/* Once the step is over, its pipes are drained this long (what it left behind is killed first). */
#define LINGER_US (200 * 1000)
/* How often to look when nothing else wakes us (no pidfd, or draining). */
#define TICK_MS 20

/* The pipes a step has, in the pump's table. */
enum { IO_IN, IO_OUT, IO_ERR, IO_READY, IO_N };

/* One pipe the pump moves: our end, and what goes through it. */
struct io {
	int fd;                 /* -1: closed (or never there) */
	short events;           /* POLLOUT: fed from data; POLLIN: read into cap or buf */
	const char *data;
	size_t len, done;
	struct capture *cap;
	struct buf *buf;
};

/* A step on its way, from start to classify. */
struct run {
	struct executor *e;
	const struct step *st;
	struct observation *o;
	struct io io[IO_N];
	int child[IO_N];        /* the child's ends of the pipes, until it has them */
	int ep[2];              /* exec's errno (lib/child.h) */
	int filter;             /* the filter for bwrap's --seccomp, or -1 */
	struct buf args, ready;
	char **argv;
	pid_t pid;
	int pidfd, spawned;
	int exited;             /* 1: its pidfd said so; 2: reaped already (no pidfd) */
	int swept;              /* the cgroups were emptied after the step ended */
	int64_t start, deadline, linger;
	struct cgroup_counts before;
	int status;
	struct rusage ru;
};

static void fault(struct observation *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fault(struct observation *o, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (!o->fault)
		o->fault = buf_detach(&b, NULL);
	buf_release(&b);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* The read end of a pipe that yields the steps' filter, then EOF (for bwrap's --seccomp); or -1. */
static int filter_pipe(const struct enter_filter *f)
{
	size_t len = (size_t)f->len * 8;
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		return -1;
	/* A few hundred instructions: far less than a pipe holds. */
	if (write(p[1], f->code, len) != (ssize_t)len) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	close(p[1]);
	return p[0];
}

static void enter_of(const struct executor *e, const struct step *st, struct enter *en)
{
	const struct limits *l = &e->b.limits;

	en->nsfd = e->holder.nsfd;
	en->cpu = (rlim_t)(st->cpu + 0.999);
	en->fsize = (rlim_t)l->file_size;
	en->nofile = (rlim_t)l->open_files;
	en->as = *e->w->cg.memory ? 0 : (rlim_t)l->memory;
	en->memory = (rlim_t)l->memory;
	en->cmd = st->cmd;
	en->filter = worker_filter(e->w);
}

/* The pipes, and for a sandbox of the step's own its command line and filter. 0 or -1 (a fault). */
static int prepare(struct run *r)
{
	struct executor *e = r->e;
	const struct enter_filter *f = worker_filter(e->w);
	int i, p[2];

	for (i = 0; i < IO_N; i++) {
		/* bwrap's marker pipe only for a sandbox of the step's own. */
		if (i == IO_READY && e->holder.pid)
			continue;
		if (pipe2(p, O_CLOEXEC)) {
			fault(r->o, "pipe: %s", strerror(errno));
			return -1;
		}
		r->io[i].fd = i == IO_IN ? p[1] : p[0];
		r->child[i] = i == IO_IN ? p[0] : p[1];
	}
	if (pipe2(r->ep, O_CLOEXEC)) {
		fault(r->o, "pipe: %s", strerror(errno));
		return -1;
	}
	if (e->holder.pid)
		return 0;
	/* A sandbox of the step's own; with a holder the step enters its namespaces. */
	if (!worker_etc(e->w, e->root) || (f && (r->filter = filter_pipe(f)) < 0)) {
		fault(r->o, "cannot set up the step's sandbox: %s", strerror(errno));
		return -1;
	}
	bwrap_args(e, r->st, &r->args);
	r->argv = bwrap_argv(&r->args);
	return 0;
}

/* In the child: into the holder's sandbox, or a bwrap of the step's own. Never returns. */
static void in_child(struct run *r, const struct enter *en)
{
	struct executor *e = r->e;
	struct bwrap_fds fds = { r->child[IO_IN], r->child[IO_OUT], r->child[IO_ERR],
				 r->child[IO_READY], -1, r->filter, r->ep[1] };

	if (e->holder.pid) {
		cgroup_join(&e->w->cg);
		enter_child(en, fds.in, fds.out, fds.err, fds.errpipe);
	}
	bwrap_exec(e, r->st, r->argv, &fds);
}

/* The cgroups' counters before the step: nothing runs in them between steps, so the last one's end. */
static void count_before(struct run *r)
{
	struct worker *w = r->e->w;

	cgroup_reset_peak(&w->cg);
	if (w->counts_ok)
		r->before = w->counts;
	else
		cgroup_counts(&w->cg, &r->before);
	w->counts_ok = 0;
}

/* Fork the step, through the worker's spawner where it has one (then r->spawned); its pid or -1. */
static pid_t fork_step(struct run *r, const struct enter *en)
{
	struct executor *e = r->e;
	struct worker *w = e->w;
	pid_t pid;

	r->spawned = e->holder.pid && w->spawner.sock >= 0;
	if (r->spawned) {
		pid = spawner_run(&w->spawner, en, r->child[IO_IN], r->child[IO_OUT],
				  r->child[IO_ERR], r->ep[1], e->holder.nsfd, &r->pidfd);
		if (pid >= 0)
			return pid;
		/*
		 * A spawner that stopped answering is replaced by moving steps
		 * in again (as is a command too long to send it).
		 */
		if (errno != E2BIG)
			spawner_stop(&w->spawner, &w->cg);
		r->spawned = 0;
	}
	return fork();
}

/* Start the step; once it runs, only our ends of its pipes stay open here. 0 or -1 (a fault). */
static int start(struct run *r)
{
	struct enter en;
	int i, code;

	count_before(r);
	r->start = time_mono_us();
	r->deadline = r->start + (int64_t)(r->st->wall * 1e6);
	enter_of(r->e, r->st, &en);
	if ((r->pid = fork_step(r, &en)) < 0) {
		fault(r->o, "cannot start the step: %s", strerror(errno));
		return -1;
	}
	if (!r->pid)
		in_child(r, &en);
	for (i = 0; i < IO_N; i++)
		close_fd(&r->child[i]);
	close_fd(&r->ep[1]);
	if ((code = child_exec_result(r->ep[0])) > 0) {
		if (r->spawned)
			spawner_result(&r->e->w->spawner, &r->status, &r->ru);
		else
			waitpid(r->pid, NULL, 0);
		fault(r->o, "cannot start the step in the sandbox: %s", strerror(code));
		return -1;
	}
	if (!r->spawned)
		r->pidfd = (int)syscall(SYS_pidfd_open, r->pid, 0);
	for (i = 0; i < IO_N; i++)
		if (r->io[i].fd >= 0)
			set_nonblock(r->io[i].fd);
	if (!r->st->input || !r->st->input_len)
		close_fd(&r->io[IO_IN].fd);
	return 0;
}

/* Move what poll() found ready through one pipe; 1 if it closed. */
static int pump_one(struct io *io, short revents)
{
	if (!revents)
		return 0;
	if (io->events == POLLOUT) {
		ssize_t n = write(io->fd, io->data + io->done, io->len - io->done);

		if (n > 0)
			io->done += n;
		if ((n < 0 && errno != EAGAIN) || io->done == io->len) {
			close_fd(&io->fd);
			return 1;
		}
	} else {
		char chunk[65536];
		ssize_t n = read(io->fd, chunk, sizeof(chunk));

		if (n > 0 && io->cap)
			capture_add(io->cap, chunk, n);
		else if (n > 0)
			buf_add(io->buf, chunk, n);
		else if (n == 0 || errno != EAGAIN) {
			close_fd(&io->fd);
			return 1;
		}
	}
	return 0;
}

/*
 * One round of the pump: poll the open pipes (and the step's pidfd) for at
 * most timeout ms, then move what is ready. 0, or -1 (a fault).
 */
static int pump_round(struct run *r, int timeout)
{
	struct pollfd p[IO_N + 2];
	int slot[IO_N], np = 0, i, pp = -1;

	for (i = 0; i < IO_N; i++) {
		slot[i] = -1;
		if (r->io[i].fd < 0)
			continue;
		p[np].fd = r->io[i].fd;
		p[np].events = r->io[i].events;
		p[np].revents = 0;
		slot[i] = np++;
	}
	if (!r->exited && r->pidfd >= 0) {
		p[np].fd = r->pidfd;
		p[np].events = POLLIN;
		p[np].revents = 0;
		pp = np++;
	}
	if (r->st->cancel_fd > 0) {
		p[np].fd = r->st->cancel_fd;
		p[np].events = POLLIN;
		p[np].revents = 0;
		np++;
	}
	if (poll(p, np, timeout) < 0) {
		if (errno == EINTR)
			return 0;
		fault(r->o, "poll: %s", strerror(errno));
		return -1;
	}
	if (r->st->cancel_fd > 0 && p[np - 1].revents) {
		fault(r->o, "the runner is stopping");
		return -1;
	}
	for (i = 0; i < IO_N; i++)
		if (slot[i] >= 0)
			pump_one(&r->io[i], p[slot[i]].revents);
	if (pp >= 0 && p[pp].revents)
		r->exited = 1;
	return 0;
}

/* 1 while a pipe the step writes to is open. */
static int reading(const struct run *r)
{
	return r->io[IO_OUT].fd >= 0 || r->io[IO_ERR].fd >= 0 || r->io[IO_READY].fd >= 0;
}

/* Move the pipes until the step is over and they are closed, or a limit fires. */
static void pump(struct run *r)
{
	const struct step *st = r->st;
	struct observation *o = r->o;

	while (reading(r) || !r->exited) {
		int64_t now = time_mono_us();
		int timeout;

		if (now >= r->deadline) {
			o->fired = FIRED_WALL;
			break;
		}
		if (st->cancel && *st->cancel) {
			fault(o, "the runner is stopping");
			break;
		}
		timeout = (int)((r->deadline - now + 999) / 1000);
		if ((r->linger || (!r->exited && r->pidfd < 0)) && timeout > TICK_MS)
			timeout = TICK_MS;
		if (pump_round(r, timeout))
			break;
		if (o->out.total + o->err.total > r->e->b.limits.output) {
			o->fired = FIRED_OUTPUT;
			break;
		}
		if (r->pidfd < 0 && !r->exited && waitpid(r->pid, &r->status, WNOHANG) == r->pid) {
			r->exited = 2;   /* reaped already */
			continue;
		}
		/* Once the step is over, what it left behind goes; then drain the pipes briefly. */
		if (r->exited && !r->linger) {
			cgroup_kill(&r->e->w->cg);
			r->swept = 1;
			r->linger = time_mono_us() + LINGER_US;
		}
		if (r->linger && time_mono_us() >= r->linger)
			break;
	}
}

/* Kill the step if it is not over, and wait for its status and usage. 0 or -1 (a fault). */
static int reap(struct run *r)
{
	struct executor *e = r->e;
	struct observation *o = r->o;

	if (o->fired || !r->exited || o->fault) {
		kill(r->pid, SIGKILL);
		cgroup_kill(&e->w->cg);
		r->swept = 1;
	}
	if (r->spawned) {
		if (spawner_result(&e->w->spawner, &r->status, &r->ru)) {
			fault(o, "the spawner failed: %s", strerror(errno));
			spawner_stop(&e->w->spawner, &e->w->cg);
			return -1;
		}
	} else {
		while (r->exited != 2 && wait4(r->pid, &r->status, 0, &r->ru) != r->pid) {
			if (errno == EINTR)
				continue;
			fault(o, "wait: %s", strerror(errno));
			return -1;
		}
	}
	if (o->fault)
		return -1;
	if (r->exited == 2)
		getrusage(RUSAGE_CHILDREN, &r->ru);   /* rare fallback: no pidfd */
	/*
	 * Orphans (setsid, daemonised) die with the step. Once a sweep has
	 * found the cgroup empty, with the step over, nothing is left to fork.
	 */
	if (!r->swept)
		cgroup_kill(&e->w->cg);
	return 0;
}

/* Which limit fired, from the status and the cgroups' counters. */
static void classify_limit(struct run *r, const struct cgroup_counts *after)
{
	struct observation *o = r->o;

	if (o->fired)
		return;
	if (after->oom_kills > r->before.oom_kills ||
	    (o->signal == SIGKILL && after->mem_fails > r->before.mem_fails))
		o->fired = FIRED_MEMORY;
	else if (o->signal == SIGXCPU || (o->signal == SIGKILL && o->cpu >= r->st->cpu))
		o->fired = FIRED_CPU;
	else if (o->signal == SIGXFSZ)
		o->fired = FIRED_FILE_SIZE;
}

/* The observation from what reap() found. 0, or -1 (a fault: the sandbox did not start). */
static int classify(struct run *r)
{
	struct executor *e = r->e;
	struct worker *w = e->w;
	struct observation *o = r->o;
	struct cgroup_counts after;

	o->wall = (time_mono_us() - r->start) / 1e6;
	o->cpu = r->ru.ru_utime.tv_sec + r->ru.ru_stime.tv_sec +
		 (r->ru.ru_utime.tv_usec + r->ru.ru_stime.tv_usec) / 1e6;
	o->peak_memory = (int64_t)r->ru.ru_maxrss * 1024;
	if (WIFSIGNALED(r->status)) {
		o->signal = WTERMSIG(r->status);
	} else if (WEXITSTATUS(r->status) > 128 && WEXITSTATUS(r->status) <= 128 + 64) {
		/* bwrap passes a signal of the command on as 128 + signal, like a shell */
		o->signal = WEXITSTATUS(r->status) - 128;
	} else {
		o->exited = 1;
		o->status = WEXITSTATUS(r->status);
	}
	if (!e->holder.pid && !o->fired && !r->ready.len) {
		struct buf t = BUF_INIT;

		capture_text(&o->err, &t);
		buf_trim(&t);
		fault(o, "the sandbox did not start: %s", t.buf);
		buf_release(&t);
		return -1;
	}
	cgroup_counts(&w->cg, &after);
	w->counts = after;
	w->counts_ok = !!*w->cg.pids;
	if (after.peak > 0)
		o->peak_memory = after.peak;
	o->procs_capped = after.pids_max > r->before.pids_max;
	classify_limit(r, &after);
	/* A full work directory explains a failure or a hang better than anything else. */
	if ((!o->fired || o->fired == FIRED_WALL || o->fired == FIRED_CPU) && e->on_tmpfs) {
		struct statvfs fs;

		if (!statvfs(e->workdir, &fs) && (fs.f_bavail == 0 || fs.f_favail == 0))
			o->fired = FIRED_DISK;
	}
	return 0;
}

static void run_init(struct run *r, struct executor *e, const struct step *st, struct observation *o)
{
	int i;

	memset(r, 0, sizeof(*r));
	r->e = e;
	r->st = st;
	r->o = o;
	for (i = 0; i < IO_N; i++)
		r->io[i].fd = r->child[i] = -1;
	r->io[IO_IN] = (struct io){ -1, POLLOUT, st->input, st->input_len, 0, NULL, NULL };
	r->io[IO_OUT] = (struct io){ -1, POLLIN, NULL, 0, 0, &o->out, NULL };
	r->io[IO_ERR] = (struct io){ -1, POLLIN, NULL, 0, 0, &o->err, NULL };
	r->io[IO_READY] = (struct io){ -1, POLLIN, NULL, 0, 0, NULL, &r->ready };
	r->ep[0] = r->ep[1] = r->filter = r->pidfd = -1;
	buf_init(&r->args, 0);
	buf_init(&r->ready, 0);
}

static void run_release(struct run *r)
{
	int i;

	for (i = 0; i < IO_N; i++) {
		close_fd(&r->io[i].fd);
		close_fd(&r->child[i]);
	}
	close_fd(&r->ep[0]);
	close_fd(&r->ep[1]);
	close_fd(&r->filter);
	close_fd(&r->pidfd);
	free(r->argv);
	buf_release(&r->args);
	buf_release(&r->ready);
}

int step_run(struct executor *e, const struct step *st, struct observation *o)
{
	struct run r;

	memset(o, 0, sizeof(*o));
	/* A holder that died (it should not) is replaced; failing that, a sandbox per step. */
	if (e->holder.pid && waitpid(e->holder.pid, NULL, WNOHANG) != 0) {
		e->holder.pid = 0;
		holder_stop(&e->holder);
		holder_start(e);
	}
	capture_init(&o->out, e->b.limits.capture, st->keep_stdout);
	capture_init(&o->err, e->b.limits.capture, 0);
	o->peak_memory = -1;
	run_init(&r, e, st, o);
	if (!prepare(&r) && !start(&r)) {
		pump(&r);
		if (!reap(&r))
			classify(&r);
	}
	run_release(&r);
	return o->fault ? -1 : 0;
}
