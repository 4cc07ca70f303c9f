/*
 * sandbox-docker.c: the Docker executor (executor.h): each job in a fresh
 * container of the assignment's image, each step a `docker exec` in it.
 * The map of the runner's files: runner.h.
 *
 * The container is started attached (`docker run -i --rm`), its stdin a
 * pipe only this worker holds and its pid 1 waiting on it: if the worker
 * dies, however it dies, the pipe closes, the container ends and Docker
 * removes it. Its pid 1 runs as root (with no capability): the steps run
 * as the sandbox's user, who cannot signal it.
 *
 * Docker's own limits hold the whole container: no network, every
 * capability dropped, no new privileges, a read-only root, a private
 * /tmp, memory (swap included), processes, file size and open files. CPU
 * time is each step's own (the shell's `ulimit -t`); CPU time, peak memory,
 * out-of-memory kills and refused forks are read from the container's
 * cgroup, as the bubblewrap executor reads its own. A step that runs past
 * its wall time or prints too much is stopped by killing the container;
 * the next step gets a new one on the same work directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "command.h"
#include "enter.h"
#include "executor.h"
#include "workdir.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

#define DOCKER "docker"
/* How long a container may take to start (the image is local: no pull). */
#define START_SECONDS 60
/* Once a step is over, its pipes are drained this long. */
#define LINGER_US (200 * 1000)

/* One job's container. Handed out as the opaque struct executor. */
struct dk_job {
	struct bundle b;
	char *workdir, *image, *name;
	pid_t run;              /* the attached `docker run` */
	int keep;               /* its stdin: the container lives while this is open */
	char cg[2][512];        /* the container's cgroup: [0] memory (or unified), [1] cpu */
	int v2;
	char image_id[80];
	int uid, gid;
};

static struct dk_job *job_of(struct executor *e)
{
	return (struct dk_job *)(void *)e;
}

static int inspect(const char *name, const char *format, struct buf *out)
{
	const char *argv[] = { DOCKER, "inspect", "--format", format, name, NULL };

	buf_reset(out);
	if (command_run(argv, out))
		return -1;
	buf_trim(out);
	return 0;
}

static void remove_container(const char *name)
{
	const char *argv[] = { DOCKER, "rm", "--force", "--volumes", name, NULL };
	struct buf quiet = BUF_INIT;

	command_run(argv, &quiet);
	buf_release(&quiet);
}

/*
 * Where the container's cgroup is, from its pid 1's /proc/PID/cgroup: the
 * memory and cpuacct hierarchies (v1) or the unified one (v2).
 */
static void find_cgroup(struct dk_job *j, const char *pid)
{
	struct buf p = BUF_INIT, f = BUF_INIT;
	char *line, *save = NULL;

	buf_addf(&p, "/proc/%s/cgroup", pid);
	if (buf_read_file(&f, p.buf))
		goto done;
	for (line = strtok_r(f.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *ctl = strchr(line, ':'), *path = ctl ? strchr(ctl + 1, ':') : NULL;

		if (!path)
			continue;
		*path++ = '\0';
		ctl++;
		if (!strcmp(ctl, "") && !*j->cg[0]) {
			snprintf(j->cg[0], sizeof(j->cg[0]), "/sys/fs/cgroup%s", path);
			snprintf(j->cg[1], sizeof(j->cg[1]), "/sys/fs/cgroup%s", path);
			j->v2 = 1;
		} else if (strstr(ctl, "memory")) {
			snprintf(j->cg[0], sizeof(j->cg[0]), "/sys/fs/cgroup/memory%s", path);
			j->v2 = 0;
		} else if (strstr(ctl, "cpuacct")) {
			snprintf(j->cg[1], sizeof(j->cg[1]), "/sys/fs/cgroup/%s%s", ctl, path);
		}
	}
done:
	buf_release(&p);
	buf_release(&f);
}

/* A number from a cgroup file: the whole file, or the value after "key " in it. -1: unknown. */
static int64_t cg_read(const char *dir, const char *file, const char *key)
{
	struct buf p = BUF_INIT, f = BUF_INIT;
	int64_t v = -1;

	if (!*dir)
		return -1;
	buf_addf(&p, "%s/%s", dir, file);
	if (!buf_read_file(&f, p.buf)) {
		const char *at = f.buf;
		size_t kl = key ? strlen(key) : 0;

		if (key)
			while (at && (strncmp(at, key, kl) || at[kl] != ' '))
				at = (at = strchr(at, '\n')) ? at + 1 : NULL;
		if (at)
			v = strtoll(at + kl, NULL, 10);
	}
	buf_release(&p);
	buf_release(&f);
	return v;
}

/* What a step is measured by: CPU nanoseconds, out-of-memory kills, refused forks. */
struct dk_counts {
	int64_t cpu_ns, oom, forks_refused;
};

static void counts(const struct dk_job *j, struct dk_counts *c)
{
	int64_t us;

	if (j->v2) {
		us = cg_read(j->cg[1], "cpu.stat", "usage_usec");
		c->cpu_ns = us < 0 ? -1 : us * 1000;
		c->oom = cg_read(j->cg[0], "memory.events", "oom_kill");
		c->forks_refused = cg_read(j->cg[0], "pids.events", "max");
	} else {
		char pids[512];
		const char *at = strstr(j->cg[0], "/memory/");

		c->cpu_ns = cg_read(j->cg[1], "cpuacct.usage", NULL);
		c->oom = cg_read(j->cg[0], "memory.oom_control", "oom_kill");
		snprintf(pids, sizeof(pids), "/sys/fs/cgroup/pids/%s", at ? at + 8 : "");
		c->forks_refused = at ? cg_read(pids, "pids.events", "max") : -1;
	}
}

static void hand_over(struct dk_job *j);

/* The uid of process pid, or -1. */
static long uid_of(const char *pid)
{
	struct buf p = BUF_INIT, f = BUF_INIT;
	const char *at;
	long uid = -1;

	buf_addf(&p, "/proc/%s/status", pid);
	if (!buf_read_file(&f, p.buf) && (at = strstr(f.buf, "\nUid:")))
		uid = strtol(at + 5, NULL, 10);
	buf_release(&p);
	buf_release(&f);
	return uid;
}

/*
 * Kill what a step left running (a daemon, a background job): every
 * process of the sandbox's user in the container's cgroup. The container's
 * own pid 1 and its child run as root and stay. 0, or -1 if some could not
 * be killed (the caller then ends the container).
 */
static int kill_leftovers(struct dk_job *j)
{
	struct buf p = BUF_INIT, f = BUF_INIT;
	int round, found = 1;

	if (!*j->cg[0])
		return -1;
	buf_addf(&p, "%s/cgroup.procs", j->cg[0]);
	for (round = 0; found && round < 20; round++) {
		char *line, *save = NULL;

		found = 0;
		buf_reset(&f);
		if (buf_read_file(&f, p.buf))
			break;
		for (line = strtok_r(f.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			if (uid_of(line) == j->uid) {
				found = 1;
				if (kill((pid_t)strtol(line, NULL, 10), SIGKILL) && errno != ESRCH)
					round = 20;
			}
		if (found)
			poll(NULL, 0, 5);
	}
	buf_release(&p);
	buf_release(&f);
	return found ? -1 : 0;
}

/* Start the job's container and wait until its pid 1 says it is up. 0, or -1 with why set. */
static int start_container(struct dk_job *j, struct buf *why)
{
	struct buf a = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	const char **argv;
	int fds[3] = { 0, 0, 0 }, i, n;
	int64_t deadline = time_mono_us() + (int64_t)START_SECONDS * 1000000;
	const struct limits *l = &j->b.limits;

#define ARG(...) do { buf_addf(&a, __VA_ARGS__); buf_addch(&a, '\0'); } while (0)
	ARG(DOCKER); ARG("run"); ARG("--interactive"); ARG("--rm"); ARG("--init");
	ARG("--pull=never"); ARG("--name=%s", j->name); ARG("--label=lifebelt.job=%s", j->b.label);
	ARG("--network=none"); ARG("--cap-drop=ALL"); ARG("--security-opt=no-new-privileges");
	ARG("--read-only");
	ARG("--tmpfs=/tmp:rw,nosuid,nodev,size=%lld", (long long)l->tmp);
	ARG("--shm-size=%lld", (long long)l->tmp);
	ARG("--pids-limit=%lld", (long long)l->processes);
	ARG("--memory=%lld", (long long)l->memory);
	ARG("--memory-swap=%lld", (long long)l->memory);
	ARG("--ulimit=fsize=%lld:%lld", (long long)l->file_size, (long long)l->file_size);
	ARG("--ulimit=nofile=%lld:%lld", (long long)l->open_files, (long long)l->open_files);
	ARG("--ulimit=core=0:0");
	ARG("--volume=%s:/work", j->workdir); ARG("--workdir=/work");
	ARG("--hostname=sandbox");
	ARG("--env=PATH=" SANDBOX_PATH); ARG("--env=HOME=/tmp"); ARG("--env=TMPDIR=/tmp");
	ARG("--env=LANG=C.UTF-8"); ARG("--env=PYTHONNOUSERSITE=1");
	ARG("--entrypoint=/bin/sh"); ARG("%s", j->image);
	/*
	 * /tmp is anyone's, as in the sandbox: Docker gives the tmpfs the mode
	 * of the image's own /tmp (an image made by hand may have it 0755),
	 * and pid 1, root, owns it, so it may chmod it without a capability.
	 */
	ARG("-c"); ARG("chmod 1777 /tmp 2>/dev/null; echo ready; read -r line; exit 0");
#undef ARG
	for (n = 0, i = 0; (size_t)i < a.len; i++)
		n += !a.buf[i];
	argv = xcalloc(n + 1, sizeof(*argv));
	for (n = 0, i = 0; (size_t)i < a.len; i += strlen(a.buf + i) + 1)
		argv[n++] = a.buf + i;
	j->run = command_spawn(argv, fds);
	free(argv);
	buf_release(&a);
	if (j->run < 0) {
		buf_adds(why, "cannot run docker");
		return -1;
	}
	j->keep = fds[0];
	/* Up when pid 1 says "ready"; an image that cannot start says why on stderr. */
	while (!strstr(out.buf ? out.buf : "", "ready\n")) {
		struct pollfd p[2] = { { fds[1], POLLIN, 0 }, { fds[2], POLLIN, 0 } };
		int64_t left = (deadline - time_mono_us()) / 1000;
		char chunk[4096];
		ssize_t r;

		if (left <= 0 || poll(p, 2, (int)left) <= 0)
			break;
		if (p[1].revents && (r = read(fds[2], chunk, sizeof(chunk))) > 0)
			buf_add(&err, chunk, r);
		if (p[0].revents) {
			if ((r = read(fds[1], chunk, sizeof(chunk))) <= 0)
				break;
			buf_add(&out, chunk, r);
		}
	}
	command_close(&fds[1]);
	command_close(&fds[2]);
	if (!strstr(out.buf ? out.buf : "", "ready\n")) {
		buf_trim(&err);
		buf_addf(why, "the container did not start: %s", err.len ? err.buf : "no answer");
		buf_release(&out);
		buf_release(&err);
		hand_over(j);
		return -1;
	}
	buf_release(&err);
	if (!inspect(j->name, "{{.State.Pid}}", &out))
		find_cgroup(j, out.buf);
	if (!*j->image_id && !inspect(j->name, "{{.Image}}", &out))
		snprintf(j->image_id, sizeof(j->image_id), "%s", out.buf);
	buf_release(&out);
	return 0;
}

/* End the container: remove it at once, then reap the attached client. */
static void hand_over(struct dk_job *j)
{
	if (j->run <= 0)
		return;
	remove_container(j->name);
	command_close(&j->keep);
	while (waitpid(j->run, NULL, 0) < 0 && errno == EINTR)
		;
	j->run = 0;
	memset(j->cg, 0, sizeof(j->cg));
}

static struct worker *dk_worker_new(void)
{
	return NULL;   /* nothing is kept from job to job */
}

static int dk_open(struct worker *w, struct executor **out, const struct bundle *b)
{
	struct dk_job *j = xcalloc(1, sizeof(*j));
	struct buf why = BUF_INIT;
	char host[64];

	(void)w;
	j->b = *b;
	j->workdir = xstrdup(b->workdir);
	j->b.workdir = j->workdir;
	j->image = xstrdup(b->docker_image && *b->docker_image ? b->docker_image : "debian:bookworm-slim");
	j->keep = -1;
	if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "host");
	host[sizeof(host) - 1] = '\0';
	buf_addf(&why, "lifebelt-%s-%.32s", b->label, host);
	j->name = buf_detach(&why, NULL);
	if (geteuid() == 0) {
		j->uid = SANDBOX_UID;
		j->gid = SANDBOX_GID;
		if (workdir_give(j->workdir)) {
			error_errno("cannot hand %s to the sandbox user", j->workdir);
			goto fail;
		}
	} else {
		j->uid = (int)getuid();
		j->gid = (int)getgid();
	}
	/* A container of this name left by a runner that died with its daemon. */
	remove_container(j->name);
	if (start_container(j, &why)) {
		error("%s", why.buf);
		goto fail;
	}
	buf_release(&why);
	*out = (struct executor *)(void *)j;
	return 0;
fail:
	buf_release(&why);
	free(j->workdir);
	free(j->image);
	free(j->name);
	free(j);
	return -1;
}

/* docker's own failures (no such container, exec refused) are not the step's. */
static int docker_failed(const struct capture *err)
{
	static const char *const marks[] = { "Error response from daemon", "OCI runtime exec failed",
					     "Error: No such container", NULL };
	int i;

	for (i = 0; marks[i]; i++)
		if (err->head.len >= strlen(marks[i]) && !memcmp(err->head.buf, marks[i], strlen(marks[i])))
			return 1;
	return 0;
}

static int dk_run(struct executor *e, const struct step *st, struct observation *o)
{
	struct dk_job *j = job_of(e);
	struct dk_counts before, after;
	struct buf why = BUF_INIT, cmd = BUF_INIT;
	int fds[3] = { 0, 0, 0 }, status = 0, exited = 0;
	int64_t start, deadline, linger = 0;
	pid_t pid;
	const char *argv[12];
	char user[48];
	int n = 0;

	memset(o, 0, sizeof(*o));
	capture_init(&o->out, j->b.limits.capture, st->keep_stdout);
	capture_init(&o->err, j->b.limits.capture, 0);
	o->peak_memory = -1;
	if (!j->run && start_container(j, &why)) {
		o->fault = buf_detach(&why, NULL);
		return -1;
	}
	if (!j->v2 && *j->cg[0]) {
		struct buf p = BUF_INIT;
		int fd;

		buf_addf(&p, "%s/memory.max_usage_in_bytes", j->cg[0]);
		if ((fd = open(p.buf, O_WRONLY | O_CLOEXEC)) >= 0) {
			if (write(fd, "0", 1) < 0)
				log_info("cannot reset %s", p.buf);
			close(fd);
		}
		buf_release(&p);
	}
	counts(j, &before);
	snprintf(user, sizeof(user), "--user=%d:%d", j->uid, j->gid);
	/*
	 * The step's own CPU limit, which Docker cannot set per exec: the
	 * shell's ulimit, SIGXCPU at the limit and SIGKILL a second later.
	 * The step ends with its shell, as in the sandbox: what it left
	 * running (a setsid daemon holding the output open, which docker exec
	 * would wait for) is killed as it exits, every process of the
	 * sandbox's user but the shell itself. A shell killed by a signal
	 * runs no trap: what it left ends at the wall limit.
	 */
	buf_addf(&cmd, "ulimit -S -t %lld && ulimit -H -t %lld && trap 'kill -9 -1 2>/dev/null' EXIT && eval \"$1\"",
		 (long long)(st->cpu + 0.999), (long long)(st->cpu + 1.999));
	argv[n++] = DOCKER;
	argv[n++] = "exec";
	argv[n++] = "--interactive";
	argv[n++] = user;
	argv[n++] = j->name;
	argv[n++] = "/bin/sh";
	argv[n++] = "-c";
	argv[n++] = cmd.buf;
	argv[n++] = "sh";
	argv[n++] = st->cmd;
	argv[n] = NULL;
	start = time_mono_us();
	deadline = start + (int64_t)(st->wall * 1e6);
	pid = command_spawn(argv, fds);
	buf_release(&cmd);
	if (pid < 0) {
		o->fault = xstrdup("cannot run docker exec");
		return -1;
	}
	if (!st->input_len)
		command_close(&fds[0]);
	else
		fcntl(fds[0], F_SETFL, O_NONBLOCK);
	{
		size_t done = 0;

		while (fds[1] >= 0 || fds[2] >= 0 || !exited) {
			struct pollfd p[3];
			int np = 0, i, idx[3] = { -1, -1, -1 };
			int64_t now = time_mono_us();
			int timeout;

			if (now >= deadline) {
				o->fired = FIRED_WALL;
				break;
			}
			if (st->cancel && *st->cancel) {
				o->fault = xstrdup("the runner is stopping");
				break;
			}
			for (i = 0; i < 3; i++)
				if (fds[i] >= 0) {
					p[np] = (struct pollfd){ fds[i], i ? POLLIN : POLLOUT, 0 };
					idx[i] = np++;
				}
			timeout = (int)((deadline - now + 999) / 1000);
			if (timeout > 20)
				timeout = 20;
			if (poll(p, np, timeout) < 0 && errno != EINTR)
				break;
			if (idx[0] >= 0 && p[idx[0]].revents) {
				ssize_t w = write(fds[0], st->input + done, st->input_len - done);

				if (w > 0)
					done += w;
				if ((w < 0 && errno != EAGAIN) || done == st->input_len)
					command_close(&fds[0]);
			}
			for (i = 1; i < 3; i++)
				if (idx[i] >= 0 && p[idx[i]].revents) {
					char chunk[65536];
					ssize_t r = read(fds[i], chunk, sizeof(chunk));

					if (r > 0)
						capture_add(i == 1 ? &o->out : &o->err, chunk, r);
					else if (r == 0 || errno != EAGAIN)
						command_close(&fds[i]);
				}
			if (o->out.total + o->err.total > j->b.limits.output) {
				o->fired = FIRED_OUTPUT;
				break;
			}
			if (!exited && waitpid(pid, &status, WNOHANG) == pid) {
				exited = 1;
				linger = time_mono_us() + LINGER_US;
			}
			if (linger && time_mono_us() >= linger)
				break;
		}
	}
	if (o->fired || o->fault || !exited) {
		/* The only sure way to stop all of a step: its container. The next step gets a new one. */
		counts(j, &after);
		hand_over(j);
		/* The client may be blocked writing to us: it goes too. */
		command_close(&fds[1]);
		command_close(&fds[2]);
		if (!exited) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
		}
		exited = 1;
	} else {
		counts(j, &after);
		if (kill_leftovers(j))
			hand_over(j);
	}
	command_close(&fds[0]);
	command_close(&fds[1]);
	command_close(&fds[2]);
	o->wall = (time_mono_us() - start) / 1e6;
	if (before.cpu_ns >= 0 && after.cpu_ns >= before.cpu_ns)
		o->cpu = (after.cpu_ns - before.cpu_ns) / 1e9;
	if (j->run && *j->cg[0])
		o->peak_memory = cg_read(j->cg[0], j->v2 ? "memory.peak" : "memory.max_usage_in_bytes", NULL);
	if (o->fault)
		return -1;
	if (!o->fired && WIFEXITED(status) && WEXITSTATUS(status) != 0 && docker_failed(&o->err)) {
		struct buf t = BUF_INIT, f = BUF_INIT;

		capture_text(&o->err, &t);
		buf_trim(&t);
		buf_addf(&f, "docker exec failed: %s", t.buf);
		buf_release(&t);
		o->fault = buf_detach(&f, NULL);
		hand_over(j);
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) > 128 && WEXITSTATUS(status) <= 128 + 64) {
		/* Docker reports a signal as 128 + signal, as a shell does. */
		o->signal = WEXITSTATUS(status) - 128;
	} else if (WIFEXITED(status)) {
		o->exited = 1;
		o->status = WEXITSTATUS(status);
	} else {
		o->signal = WTERMSIG(status);
	}
	o->procs_capped = after.forks_refused > before.forks_refused;
	if (!o->fired) {
		if (after.oom > before.oom)
			o->fired = FIRED_MEMORY;
		else if (o->signal == SIGXCPU || (o->signal == SIGKILL && o->cpu >= st->cpu))
			o->fired = FIRED_CPU;
		else if (o->signal == SIGXFSZ)
			o->fired = FIRED_FILE_SIZE;
	}
	/* A full work directory explains a failure or a hang better than anything else. */
	if ((!o->fired || o->fired == FIRED_WALL || o->fired == FIRED_CPU) && workdir_full(j->workdir))
		o->fired = FIRED_DISK;
	return 0;
}

static json_t *dk_describe(struct executor *e)
{
	struct dk_job *j = job_of(e);

	return json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:b,s:b,s:I,s:I,s:s}",
			 "kind", "docker", "image", j->image, "image_id", j->image_id, "uid", j->uid,
			 "network", "none", "cap_drop", "ALL", "no_new_privileges", 1, "read_only", 1,
			 "memory", (json_int_t)j->b.limits.memory, "pids", (json_int_t)j->b.limits.processes,
			 "cgroup", !*j->cg[0] ? "unknown" : j->v2 ? "v2" : "v1");
}

static void dk_close(struct executor *e)
{
	struct dk_job *j = job_of(e);

	if (!j)
		return;
	hand_over(j);
	free(j->workdir);
	free(j->image);
	free(j->name);
	free(j);
}

/*
 * Nothing to sweep: a container ends with the worker that holds its
 * stdin, and a container whose Docker daemon stopped ended with it.
 */
static void dk_sweep(void)
{
}

static void dk_shutdown(struct worker *w)
{
	(void)w;
}

const struct executor_ops executor_docker = {
	"docker", dk_worker_new, dk_open, dk_run, dk_describe, dk_close, dk_sweep, dk_shutdown, NULL, 0
};
