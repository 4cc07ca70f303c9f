/*
 * node-exec.c: `lifebelt node-exec`, a job's far end on a node of a Slurm
 * cluster (sandbox-slurm.c starts it through srun; the frames: node-proto.h).
 *
 * It unpacks the work directory into the node's own $TMPDIR (a capped
 * tmpfs where it may mount), then runs each step it is sent in the same
 * bubblewrap sandbox a local job gets, answering with what it observed.
 * It decides nothing: verdicts stay with the runner, which alone holds the
 * expected outputs.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checkout.h"
#include "executor.h"
#include "node-proto.h"
#include "runner.h"
#include "workdir.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/log.h"
#include "../lib/banned.h"

static volatile int node_stopping;
/* The report files the tests write, and the teacher's files (node-proto.h's header). */
static char **node_reports, **node_files;
/* A copy of the teacher's files as unpacked, outside the sandbox: put back before each step. */
static struct buf node_pristine = BUF_INIT;

/* More than grade.c reads of a report: it then says the report is too large. */
#define REPORT_SEND_MAX ((4 << 20) + 1)

static void on_signal(int sig)
{
	(void)sig;
	node_stopping = 1;
}

/* The directory fd that holds path's last component, walked without following links. -1 if none. */
static int open_parent(int root, const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');
	char *dirs = slash ? xstrndup(path, slash - path) : NULL, *c, *save = NULL;
	int fd = dup(root);

	*base = slash ? slash + 1 : path;
	for (c = dirs ? strtok_r(dirs, "/", &save) : NULL; c && fd >= 0; c = strtok_r(NULL, "/", &save)) {
		int next = openat(fd, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		close(fd);
		fd = next;
	}
	free(dirs);
	return fd;
}

/* Make one entry of the work directory below root. 0 or -1 (reported). */
static int unpack(int root, const struct node_entry *e)
{
	const char *base;
	int dir = open_parent(root, e->path, &base), fd, rc = -1;
	size_t done = 0;

	if (dir < 0)
		return error_errno("cannot open the directory of %s", e->path);
	if (S_ISDIR(e->mode)) {
		rc = mkdirat(dir, base, 0700) || fchmodat(dir, base, (e->mode & 0777) | 0700, 0) ? -1 : 0;
	} else if (S_ISLNK(e->mode)) {
		char *target = xstrndup(e->data, e->len);

		rc = symlinkat(target, dir, base);
		free(target);
	} else if ((fd = openat(dir, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				e->mode & 0777)) >= 0) {
		while (done < e->len) {
			ssize_t w = write(fd, e->data + done, e->len - done);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			done += w;
		}
		rc = done == e->len && !fchmod(fd, e->mode & 0777) ? 0 : -1;
		close(fd);
	}
	if (rc)
		error_errno("cannot write %s", e->path);
	close(dir);
	return rc;
}

static int send_frame(int kind, const void *p, size_t n)
{
	struct buf f = BUF_INIT;
	int rc;

	node_frame(&f, kind, p, n);
	rc = node_write(1, &f);
	buf_release(&f);
	return rc;
}

/* Say why the job could not be set up: the runner counts it an infrastructure fault. */
static int fault(const char *why)
{
	char host[64];
	struct buf t = BUF_INIT;

	if (node_stopping)
		return -1;      /* Slurm is ending the job: the runner asks it how */
	if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "a node");
	host[sizeof(host) - 1] = '\0';
	buf_addf(&t, "%s: %s", host, why);
	send_frame(NODE_FAULT, t.buf, t.len);
	buf_release(&t);
	return -1;
}

/* Receive the work directory's entries into dir until the go. 0 or -1. */
static int receive_workdir(const char *dir, struct buf *f)
{
	int root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC), kind, rc = -1;
	struct node_entry e;

	if (root < 0)
		return error_errno("cannot open %s", dir);
	while (!node_read(0, &kind, f, 0, &node_stopping)) {
		if (kind == NODE_GO) {
			rc = 0;
			break;
		}
		if (kind != NODE_ENTRY || node_entry_decode(f->buf, f->len, &e)) {
			error("a malformed work directory entry");
			break;
		}
		rc = unpack(root, &e);
		free(e.path);
		if (rc)
			break;
		rc = -1;
	}
	close(root);
	return rc;
}

/*
 * While a step runs the runner sends nothing: stdin readable then means it
 * closed, because the runner stopped or died. The step is stopped at once
 * rather than left to run to its limit for no one.
 */
struct watch {
	pthread_t thread;
	volatile int done;
};

static void *watch_main(void *arg)
{
	struct watch *w = arg;

	while (!w->done && !node_stopping) {
		struct pollfd p = { 0, POLLIN, 0 };

		if (poll(&p, 1, 50) > 0 && p.revents)
			node_stopping = 1;
	}
	return NULL;
}

/* Keep a copy of the teacher's files (as grade.c has the tests directory). 0 or -1. */
static int keep_pristine(const char *dir)
{
	char **f;

	buf_addf(&node_pristine, "%s-files", dir);
	if (mkdir(node_pristine.buf, 0700))
		return error_errno("cannot create %s", node_pristine.buf);
	for (f = node_files; f && *f; f++)
		if (checkout_overlay(dir, *f, node_pristine.buf))
			return -1;
	return 0;
}

/* The teacher's files as they were unpacked, over whatever the last step made of them. */
static int put_back(const char *dir)
{
	char **f;

	for (f = node_files; f && *f; f++)
		if (checkout_restore(node_pristine.buf, *f, dir))
			return -1;
	return 0;
}

/* Remove the reports before a step: only a report the step writes itself may count. */
static void clear_reports(int root)
{
	char **r;

	for (r = node_reports; r && *r; r++) {
		const char *base;
		int dir = open_parent(root, *r, &base);

		if (dir >= 0) {
			unlinkat(dir, base, 0);
			close(dir);
		}
	}
}

/* Send each report the step wrote: a regular file, reached without a symlink. 0 or -1. */
static int send_reports(int root)
{
	char **r;
	int rc = 0;

	for (r = node_reports; !rc && r && *r; r++) {
		const char *base;
		int dir = open_parent(root, *r, &base), fd = -1;
		struct buf f = BUF_INIT;
		struct stat st;

		if (dir >= 0)
			fd = openat(dir, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0 && !fstat(fd, &st) && S_ISREG(st.st_mode)) {
			char chunk[65536];
			ssize_t n;

			buf_adds(&f, *r);
			buf_addch(&f, '\0');
			while (f.len < strlen(*r) + 1 + REPORT_SEND_MAX &&
			       (n = read(fd, chunk, sizeof(chunk))) > 0)
				buf_add(&f, chunk, n);
			if (f.len > strlen(*r) + 1 + REPORT_SEND_MAX)
				buf_setlen(&f, strlen(*r) + 1 + REPORT_SEND_MAX);
			rc = send_frame(NODE_REPORT, f.buf, f.len);
		}
		if (fd >= 0)
			close(fd);
		if (dir >= 0)
			close(dir);
		buf_release(&f);
	}
	return rc;
}

/* Run each step sent until srun's stdin closes. 0, or -1 if the runner's frames were bad. */
static int serve_steps(struct executor *ex, const char *dir, struct buf *f)
{
	int root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);

	const struct executor_ops *ops = &executor_bwrap;
	int kind, rc;

	while (!(rc = node_read(0, &kind, f, 0, &node_stopping))) {
		struct step st;
		struct observation o;
		struct buf out = BUF_INIT;

		if (kind != NODE_STEP || node_step_decode(f->buf, f->len, &st)) {
			close(root);
			return error("a malformed step");
		}
		st.cancel = &node_stopping;
		clear_reports(root);
		if (put_back(dir)) {
			node_step_release(&st);
			close(root);
			return error("cannot put the teacher's files back");
		}
		{
			struct watch w = { 0, 0 };
			int watching = !pthread_create(&w.thread, NULL, watch_main, &w);

			if (ops->run(ex, &st, &o) && !o.fault)
				o.fault = xstrdup("the step could not be run on the node");
			w.done = 1;
			if (watching)
				pthread_join(w.thread, NULL);
		}
		node_step_release(&st);
		if (node_stopping) {
			/*
			 * Slurm is ending the job (scancel, its time limit, preemption) or
			 * the runner is gone: no answer, so that the runner asks Slurm
			 * how the job ended rather than reading a step cut short.
			 */
			observation_release(&o);
			close(root);
			return -1;
		}
		if (send_reports(root))
			rc = -1;
		node_obs_encode(&out, &o);
		buf_reset(f);
		node_frame(f, NODE_OBSERVATION, out.buf, out.len);
		if (!rc)
			rc = node_write(1, f);
		buf_release(&out);
		observation_release(&o);
		if (rc) {
			close(root);
			return error_errno("cannot send an observation");
		}
	}
	close(root);
	return rc < 0 ? -1 : 0;
}

/*
 * Remove what a node-exec that was killed (SIGKILL from Slurm, a node
 * restarted) left in tmp: lifebelt-LABEL-PID and lifebelt-LABEL-PID-files,
 * named after a process that no longer runs. $TMPDIR is the node's own.
 */
static void sweep(const char *tmp)
{
	DIR *d = opendir(tmp);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		struct buf p = BUF_INIT;
		char *end, *dash;
		size_t n = strlen(de->d_name);
		int files = n > 6 && !strcmp(de->d_name + n - 6, "-files");
		long pid;

		if (strncmp(de->d_name, "lifebelt-job-", 13) && strncmp(de->d_name, "lifebelt-try-", 13))
			continue;
		buf_add(&p, de->d_name, files ? n - 6 : n);
		dash = strrchr(p.buf, '-');
		pid = dash ? strtol(dash + 1, &end, 10) : 0;
		if (pid > 0 && !*end && kill((pid_t)pid, 0) && errno == ESRCH) {
			buf_reset(&p);
			buf_addf(&p, "%s/%s", tmp, de->d_name);
			if (files)
				fs_remove_tree(p.buf);
			else
				workdir_remove(p.buf);
		}
		buf_release(&p);
	}
	closedir(d);
}

int runner_node_exec(void)
{
	const struct executor_ops *ops = &executor_bwrap;
	struct worker *w = NULL;
	struct executor *ex = NULL;
	struct buf f = BUF_INIT, dir = BUF_INIT;
	struct limits l;
	const char *tmp = getenv("TMPDIR"), *id = getenv("SLURM_JOB_ID");
	char label[64];
	int kind, capped, ret = -1;

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGPIPE, SIG_IGN);
	if (send_frame(NODE_JOB, id ? id : "", id ? strlen(id) : 0))
		return error_errno("cannot write to the runner");
	if (node_read(0, &kind, &f, 0, &node_stopping) || kind != NODE_HEADER ||
	    node_header_decode(f.buf, f.len, label, sizeof(label), &l, &node_reports, &node_files)) {
		fault("no header from the runner");
		goto done;
	}
	if (!tmp || *tmp != '/')
		tmp = "/tmp";
	sweep(tmp);
	buf_addf(&dir, "%s/lifebelt-%s-%ld", tmp, label, (long)getpid());
	if (workdir_create(dir.buf, l.disk, l.files, &capped)) {
		fault("cannot create the work directory");
		buf_reset(&dir);
		goto done;
	}
	if (receive_workdir(dir.buf, &f) || keep_pristine(dir.buf)) {
		fault("cannot unpack the work directory");
		goto done;
	}
	{
		struct bundle b = { dir.buf, l, 0, label, 0, NULL, NULL, NULL, NULL, NULL };


		w = ops->worker_new();
		json_t *d;
		char *text;

		if (ops->open(w, &ex, &b)) {
			fault("cannot set up the sandbox");
			goto done;
		}
		d = ops->describe(ex);
		text = d ? json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		json_decref(d);
		if (!text || send_frame(NODE_SANDBOX, text, strlen(text))) {
			free(text);
			goto done;
		}
		free(text);
	}
	ret = serve_steps(ex, dir.buf, &f);
done:
	if (ex)
		ops->close(ex);
	if (w)
		ops->shutdown(w);
	if (dir.len)
		workdir_remove(dir.buf);
	if (node_pristine.len)
		fs_remove_tree(node_pristine.buf);
	buf_release(&node_pristine);
	node_reports_free(node_reports);
	node_reports_free(node_files);
	buf_release(&f);
	buf_release(&dir);
	return ret;
}
