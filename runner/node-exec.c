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
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bwrap.h"
#include "checkout.h"
#include "image.h"
#include "executor.h"
#include "node-proto.h"
#include "pool.h"
#include "runner.h"
#include "workdir.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/log.h"
#include "../lib/banned.h"

static volatile int node_stopping;
/*
 * Slurm ends a job in two passes over its processes: SIGCONT to all, then
 * SIGTERM to all. The second may reach node-exec after a step it cut short
 * has ended (the step's processes first, node-exec last): the first pass
 * says it is coming.
 */
static volatile sig_atomic_t node_warned;
/* The report files the tests write, and the teacher's files (node-proto.h's header). */
static char **node_reports, **node_files;
/* A copy of the teacher's files as unpacked, outside the sandbox: put back before each step. */
static struct buf node_pristine = BUF_INIT;
/*
 * srun's stdin again, for the steps' pump to watch (executor.h's
 * cancel_fd, which is never 0): while a step runs the runner sends
 * nothing, so input then means it closed, because the runner stopped or
 * died. The step is stopped at once rather than left to run to its limit
 * for no one.
 */
static int node_in = -1;
/* srun's stdin as frames; and what goes out on its stdout next, in one write. */
static struct node_reader node_rd = NODE_READER_INIT(0);
static struct buf node_out = BUF_INIT;

/* More than grade.c reads of a report: it then says the report is too large. */
#define REPORT_SEND_MAX ((4 << 20) + 1)

static void on_signal(int sig)
{
	(void)sig;
	node_stopping = 1;
}

static void on_cont(int sig)
{
	(void)sig;
	node_warned = 1;
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

/* Send what node_out holds. 0 or -1. */
static int flush_out(void)
{
	int rc = node_write(1, &node_out);

	buf_reset(&node_out);
	return rc;
}

static int send_frame(int kind, const void *p, size_t n)
{
	node_frame(&node_out, kind, p, n);
	return flush_out();
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

/* A digest as image.h names trees: sha256:<64 lowercase hex>. */
static int digest_ok(const char *p, size_t n)
{
	return n == 7 + 64 && !memcmp(p, "sha256:", 7) && strspn(p + 7, "0123456789abcdef") >= 64;
}

/*
 * The frame after the header: the assignment image's digest, its tree on
 * this node put into image; else left in f (and *kind) for
 * receive_workdir(). 0 or -1.
 */
static int receive_image(int *kind, struct buf *f, struct buf *image)
{
	if (node_read(&node_rd, kind, f, 0, &node_stopping))
		return -1;
	if (*kind != NODE_IMAGE)
		return 0;
	if (!digest_ok(f->buf, f->len))
		return error("a malformed image digest");
	buf_addch(f, '\0');
	image_tree(image, f->buf);
	return node_read(&node_rd, kind, f, 0, &node_stopping) ? -1 : 0;
}

/* Receive the work directory's entries into dir, the first in f, until the go. 0 or -1. */
static int receive_workdir(const char *dir, int kind, struct buf *f)
{
	int root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC), rc = -1;
	struct node_entry e;

	if (root < 0)
		return error_errno("cannot open %s", dir);
	do {
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
	} while (!node_read(&node_rd, &kind, f, 0, &node_stopping));
	close(root);
	return rc;
}


/* Keep a copy of the teacher's files (as grade.c has the tests directory). 0 or -1. */
static int keep_pristine(const char *dir)
{
	char **f;

	/* None to keep: no directory made and removed for nothing (an inode of the node's disk each). */
	if (!node_files || !*node_files)
		return 0;
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

/* The step's own report, one of those the header named; NULL: none. */
static const char *step_report(const struct step *st)
{
	char **r;

	for (r = node_reports; st->report && r && *r; r++)
		if (!strcmp(*r, st->report))
			return *r;
	return NULL;
}

/*
 * Remove the step's report (NULL: none) before it, as grade.c does on the
 * runner's host: only a report the step writes itself may count. Another
 * test's report stays for the steps after it, as it does there.
 */
static void clear_report(int root, const char *report)
{
	const char *base;
	int dir = report ? open_parent(root, report, &base) : -1;

	if (dir >= 0) {
		unlinkat(dir, base, 0);
		close(dir);
	}
}

/*
 * What the step left at its report when that is no regular file reached
 * without a symlink (NODE_ODD_*, as grade.c's read_report() tells them
 * apart); 0: a regular file, or nothing.
 */
static int odd_report(int root, const char *report)
{
	struct open_how how;
	struct stat st;
	int fd, odd = 0;

	memset(&how, 0, sizeof(how));
	how.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
	if ((fd = (int)syscall(SYS_openat2, root, report, &how, sizeof(how))) < 0)
		return errno == ELOOP || errno == EXDEV ? NODE_ODD_SYMLINK : 0;
	if (!fstat(fd, &st) && !S_ISREG(st.st_mode))
		odd = S_ISLNK(st.st_mode) ? NODE_ODD_SYMLINK : S_ISDIR(st.st_mode) ? NODE_ODD_DIRECTORY :
		      NODE_ODD_OTHER;
	close(fd);
	return odd;
}

/*
 * The step's report (NULL: none), if it wrote one, as a frame appended to
 * node_out (sent at once if large): a regular file, reached without a
 * symlink; or what is there instead (NODE_ODD_REPORT). 0 or -1.
 */
static int add_report(int root, const char *report)
{
	const char *base;
	int dir, fd = -1, odd, rc = 0;
	size_t max;
	struct buf f = BUF_INIT;
	struct stat st;

	if (!report)
		return 0;
	max = strlen(report) + 1 + REPORT_SEND_MAX;
	if ((dir = open_parent(root, report, &base)) >= 0)
		fd = openat(dir, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && !fstat(fd, &st) && S_ISREG(st.st_mode)) {
		char chunk[65536];
		ssize_t n;

		buf_adds(&f, report);
		buf_addch(&f, '\0');
		while (f.len < max && (n = read(fd, chunk, sizeof(chunk))) > 0)
			buf_add(&f, chunk, n);
		if (f.len > max)
			buf_setlen(&f, max);
		node_frame(&node_out, NODE_REPORT, f.buf, f.len);
		if (node_out.len > (1 << 20))
			rc = flush_out();
	}
	if (fd >= 0)
		close(fd);
	if (dir >= 0)
		close(dir);
	if ((odd = odd_report(root, report))) {
		buf_reset(&f);
		buf_adds(&f, report);
		buf_addch(&f, '\0');
		buf_addch(&f, odd);
		node_frame(&node_out, NODE_ODD_REPORT, f.buf, f.len);
	}
	buf_release(&f);
	return rc;
}

/* How long a step that looks cut short waits for Slurm's signal to node-exec itself. */
#define SETTLE_MS 500

/*
 * Slurm ends a job by signalling all its processes, node-exec's own last:
 * the step's (SIGTERM), its sandbox machinery's, then node-exec. A step
 * may end of it before node-exec hears: killed by the SIGTERM, with a
 * fault, or quite normally (a shell whose child was killed runs on and
 * exits 0, a program that catches SIGTERM exits). After a step that ended
 * so, or after Slurm's SIGCONT said its SIGTERM is coming, node-exec waits
 * a moment for that, so that the runner asks Slurm rather than reading
 * the step as the student's.
 */
static void settle(const struct observation *o)
{
	int waited = 0;

	if (!node_warned && !o->fault && (o->exited || o->signal != SIGTERM || o->fired != FIRED_NONE))
		return;
	while (!node_stopping && waited < SETTLE_MS) {
		poll(NULL, 0, 10);
		waited += 10;
	}
	/* A SIGCONT without a SIGTERM (a suspended job resumed): the step stands. */
	node_warned = 0;
}

/*
 * Run each step sent until the job's end: 0; 1 if srun's stdin closed
 * first; -1 if the runner's frames were bad or a step was cut short.
 *
 * The next job's sandbox is started once the first answer is on its way
 * (a local worker starts it when it opens the job): while the runner
 * stores a one-step job's result and checks out its next job, rather
 * than before the first step, which waits for nothing then.
 */
static int serve_steps(struct worker *w, struct executor *ex, const char *dir, struct buf *f)
{
	int root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC), ahead = 0;

	const struct executor_ops *ops = &executor_bwrap;
	int kind, rc;

	while (!(rc = node_read(&node_rd, &kind, f, 0, &node_stopping))) {
		struct step st;
		struct observation o;
		struct buf out = BUF_INIT;
		const char *report;

		if (kind == NODE_END)
			break;
		if (kind != NODE_STEP || node_step_decode(f->buf, f->len, &st)) {
			close(root);
			return error("a malformed step");
		}
		st.cancel = &node_stopping;
		st.cancel_fd = node_in;
		report = step_report(&st);
		clear_report(root, report);
		if (put_back(dir)) {
			node_step_release(&st);
			close(root);
			return error("cannot put the teacher's files back");
		}
		if (ops->run(ex, &st, &o) && !o.fault)
			o.fault = xstrdup("the step could not be run on the node");
		node_step_release(&st);
		/* The runner sent something, or closed srun's stdin, during the step: it stopped or is gone. */
		if (o.fault && node_reader_ready(&node_rd))
			node_stopping = 1;
		settle(&o);
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
		/* One write: see sandbox-slurm.c's held.ended on srun's delayed acknowledgements. */
		rc = add_report(root, report);
		node_obs_encode(&out, &o);
		node_frame(&node_out, NODE_OBSERVATION, out.buf, out.len);
		if (!rc)
			rc = flush_out();
		buf_reset(&node_out);
		buf_release(&out);
		observation_release(&o);
		if (rc) {
			close(root);
			return error_errno("cannot send an observation");
		}
		if (!ahead++ && ex->holder.pid)
			pool_start(w, ex);
	}
	close(root);
	return rc;
}

/*
 * Each node-exec keeps its jobs in a directory of its own,
 * $TMPDIR/lifebelt-node-PID: a job's work directory and its teacher's
 * files, and the next job's sandbox started ahead. What one that was
 * killed (SIGKILL from Slurm, a node restarted) left is removed by the
 * next to start: its PID no longer runs. $TMPDIR is the node's own.
 */
#define NODE_DIR "lifebelt-node-"

static void sweep_one(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	struct buf p = BUF_INIT;

	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		buf_reset(&p);
		buf_addf(&p, "%s/%s", path, de->d_name);
		workdir_remove(p.buf);
	}
	if (d)
		closedir(d);
	rmdir(path);
	buf_release(&p);
}

static void sweep(const char *tmp)
{
	DIR *d = opendir(tmp);
	struct dirent *de;
	struct buf p = BUF_INIT;

	while (d && (de = readdir(d))) {
		char *end;
		long pid;

		if (strncmp(de->d_name, NODE_DIR, strlen(NODE_DIR)))
			continue;
		pid = strtol(de->d_name + strlen(NODE_DIR), &end, 10);
		if (pid > 0 && !*end && kill((pid_t)pid, 0) && errno == ESRCH) {
			buf_reset(&p);
			buf_addf(&p, "%s/%s", tmp, de->d_name);
			sweep_one(p.buf);
		}
	}
	if (d)
		closedir(d);
	buf_release(&p);
}

/*
 * The sandbox's description to the runner: with the first step's answer
 * when that step came with the job, else at once. Two writes in a row
 * would meet srun's delayed acknowledgements (see sandbox-slurm.c's
 * held.ended). 0 or -1.
 */
static int send_sandbox(const struct executor_ops *ops, struct executor *ex)
{
	json_t *d = ops->describe(ex);
	char *text = d ? json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	int rc = text ? 0 : -1;

	if (text)
		node_frame(&node_out, NODE_SANDBOX, text, strlen(text));
	if (!rc && !node_reader_ready(&node_rd))
		rc = flush_out();
	json_decref(d);
	free(text);
	return rc;
}

/*
 * One job, its header in f: unpack it below home, answer its steps, tidy
 * up. 0 when the runner ended it (the next may come); 1 when srun's stdin
 * closed; -1 on a fault (said to the runner) or a step cut short.
 */
static int serve_job(struct worker *w, const char *home, struct buf *f)
{
	const struct executor_ops *ops = &executor_bwrap;
	struct executor *ex = NULL;
	struct buf dir = BUF_INIT, image = BUF_INIT;
	struct limits l;
	char label[64];
	int capped, kind, ret = -1;

	if (node_header_decode(f->buf, f->len, label, sizeof(label), &l, &node_reports, &node_files) ||
	    receive_image(&kind, f, &image)) {
		fault("no header from the runner");
		goto done;
	}
	buf_addf(&dir, "%s/%s", home, label);
	if ((!ops->adopt || !ops->adopt(w, dir.buf, &l, image.len ? image.buf : NULL)) &&
	    workdir_create(dir.buf, l.disk, l.files, &capped)) {
		fault("cannot create the work directory");
		buf_reset(&dir);
		goto done;
	}
	if (receive_workdir(dir.buf, kind, f) || keep_pristine(dir.buf)) {
		fault("cannot unpack the work directory");
		goto done;
	}
	if (image.len && !fs_is_dir(image.buf)) {
		buf_reset(f);
		buf_addf(f, "the assignment's image is not on this node: %s is missing (lifebelt image add "
			 "it on the node, with the same LIFEBELT_HOME)", image.buf);
		fault(f->buf);
		goto done;
	}
	{
		/* More jobs likely follow: the next one's sandbox is started ahead (serve_steps). */
		struct bundle b = { dir.buf, l, 0, label, 0, image.len ? image.buf : NULL,
				    NULL, NULL, NULL, NULL };

		if (ops->open(w, &ex, &b)) {
			fault("cannot set up the sandbox");
			goto done;
		}
	}
	if (!send_sandbox(ops, ex))
		ret = serve_steps(w, ex, dir.buf, f);
done:
	if (ex)
		ops->close(ex);
	if (dir.len)
		workdir_remove_later(dir.buf);
	if (node_pristine.len)
		fs_remove_tree(node_pristine.buf);
	buf_reset(&node_pristine);
	node_reports_free(node_reports);
	node_reports_free(node_files);
	node_reports = node_files = NULL;
	/* A description held for a first answer that never went: the runner asks Slurm. */
	buf_reset(&node_out);
	buf_release(&dir);
	buf_release(&image);
	return ret;
}

int runner_node_exec(void)
{
	const struct executor_ops *ops = &executor_bwrap;
	struct worker *w;
	struct buf f = BUF_INIT, home = BUF_INIT;
	const char *tmp = getenv("TMPDIR"), *id = getenv("SLURM_JOB_ID");
	int kind, rc;

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGCONT, on_cont);
	signal(SIGPIPE, SIG_IGN);
	if (send_frame(NODE_JOB, id ? id : "", id ? strlen(id) : 0))
		return error_errno("cannot write to the runner");
	if (!tmp || *tmp != '/')
		tmp = "/tmp";
	node_in = fcntl(0, F_DUPFD_CLOEXEC, 3);
	/*
	 * The work directories' mounts live in a mount namespace of this
	 * process's own (where it may make one), so that they go with it
	 * when Slurm kills it, not only when the next node-exec sweeps.
	 */
	if (!unshare(CLONE_NEWNS))
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	sweep(tmp);
	buf_addf(&home, "%s/" NODE_DIR "%ld", tmp, (long)getpid());
	if (mkdir(home.buf, 0700)) {
		error_errno("cannot create %s", home.buf);
		fault("cannot create the work directory");
		buf_release(&home);
		return -1;
	}
	/* Kept from job to job, as a local runner's worker keeps it: cgroups, spawner, a sandbox started ahead. */
	w = ops->worker_new();
	while (!(rc = node_read(&node_rd, &kind, &f, 0, &node_stopping))) {
		if (kind != NODE_HEADER) {
			rc = fault("no header from the runner");
			break;
		}
		if ((rc = serve_job(w, home.buf, &f)))
			break;
	}
	ops->shutdown(w);
	sweep_one(home.buf);
	buf_release(&f);
	buf_release(&home);
	return rc < 0 ? -1 : 0;
}
