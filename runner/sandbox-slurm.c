/*
 * sandbox-slurm.c: the Slurm executor (executor.h): jobs on the nodes of a
 * Slurm cluster, through `srun ... lifebelt node-exec`. The map of the
 * runner's files: runner.h; the frames: node-proto.h.
 *
 * Each runner worker holds one srun, and so one Slurm job of one CPU, and
 * grades its jobs through it one after another: open() sends a job's work
 * directory, node-exec unpacks it on the node and answers each step it is
 * sent with its observation, from the same bubblewrap sandbox a local job
 * gets; close() ends the job there, and the next job goes to the same
 * node-exec. A srun costs tens of milliseconds of Slurm's scheduling and
 * a node-exec's sandbox machinery as much again, more than a short job
 * takes: paid once per worker, not per job, and started ahead of the job
 * that needs it (slurm_start_ahead()), while the runner claims or checks
 * it out. The srun is started with the memory of the job it was started
 * for (or the server's limits) and slurm.hold_minutes of time, and a new
 * one is started when a job needs more of either, when the queue is empty
 * (a worker holds no CPU it does not use), and after an answer did not
 * come. So grade.c decides the next step from the last one's result
 * exactly as for a local job, and the expected outputs never leave this
 * host.
 *
 * The runner's queue stays in SQLite: a worker starts a srun only while
 * the partition has a free CPU (sinfo) or few of Lifebelt's wait for one
 * (slurm.margin), and srun's --immediate gives a job back when none came;
 * either way the job goes back to the queue without using an attempt, so
 * the backlog waits in Lifebelt's fair queue rather than in Slurm's.
 *
 * When srun ends without an observation, Slurm says how its job ended
 * (`scontrol show job -o ID`, which needs no accounting): OUT_OF_MEMORY
 * is the running step's memory verdict, and the next step gets a new
 * srun; anything else (TIMEOUT, NODE_FAIL, PREEMPTED, a CANCELLED we did
 * not ask for, a node that failed before answering) is an infrastructure
 * fault, never a score.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "command.h"
#include "executor.h"
#include "node-proto.h"
#include "slurm.h"
#include "spec.h"
#include "../db/model.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

/* Asked of Slurm beyond the job's memory limit: node-exec, bwrap, the work directory's tmpfs pages. */
#define MEM_MARGIN (128LL << 20)
/* Asked of Slurm beyond the job's wall-clock limit: unpacking, sandbox set-up, teardown. */
#define TIME_MARGIN 60
/* How long a node may take beyond a step's own wall limit to answer it. */
#define ANSWER_MARGIN_US (30LL * 1000000)
/* How long srun may take to end once its stdin closed, before it is told to stop. */
#define END_US (10LL * 1000000)
/*
 * The same when the runner stops mid-step: node-exec stops the step as
 * soon as its stdin closes, and ends; the runner stops within a second or
 * two, as with a local job.
 */
#define STOP_US (1LL * 1000000)

/*
 * The worker's srun, kept from job to job (each runner worker is a
 * process of its own). srun == 0: none; then a job starts one.
 */
static struct held {
	pid_t srun;
	int in, out, err;
	char job_id[32];        /* as node-exec said; "" until it did (a srun started ahead of its job) */
	long long mb;           /* its --mem */
	int64_t until;          /* time_mono_us() when its --time runs out */
	int64_t deadline;       /* time_mono_us() by which node-exec must have named its job */
	char *where;            /* partition, account, reservation, command it was started with */
	/*
	 * Its last job is over: the end frame goes with the next job's
	 * frames, in one write. srun forwards stdin over TCP without
	 * TCP_NODELAY, so a second small write right after the first would
	 * wait for the first one's delayed acknowledgement (tens of ms).
	 */
	int ended;
	struct node_reader rd;  /* its stdout, as frames */
} held = { 0, -1, -1, -1, "", 0, 0, 0, NULL, 0, NODE_READER_INIT(-1) };

/* One job's session on the worker's srun. Handed out as the opaque struct executor. */
struct sl_job {
	struct bundle b;
	struct slurm_conf conf;
	struct buf bundle;      /* the frames that set the job up: a new srun after a memory verdict gets them again */
	char job_id[32];        /* the Slurm job that ran its last step */
	int runs;               /* sruns the job was sent to */
	json_t *node;           /* the node's sandbox as node-exec described it; NULL until it did */
	/*
	 * The job goes to the node with its first step, in one write, and
	 * node-exec's description of its sandbox comes back with the step's
	 * answer: one round trip, not two. sent: the job was written to the
	 * worker's srun; set_up: the description came; fresh: the srun was
	 * started for the job, not kept from the last.
	 */
	int sent, set_up, fresh;
};

static struct sl_job *job_of(struct executor *e)
{
	return (struct sl_job *)(void *)e;
}

static void conf_set(char **dst, const char *v)
{
	free(*dst);
	*dst = v && *v ? xstrdup(v) : NULL;
}

void slurm_conf_load(struct db *db, const struct spec *s, struct slurm_conf *c)
{
	static const char *const keys[] = { "slurm.partition", "slurm.account", "slurm.reservation",
					    "slurm.command" };
	char **fields[] = { &c->partition, &c->account, &c->reservation, &c->command };
	struct buf v = BUF_INIT;
	int i;

	memset(c, 0, sizeof(*c));
	c->immediate = 30;
	c->hold = 30;
	c->margin = 1;
	for (i = 0; db && i < 4; i++) {
		buf_reset(&v);
		db_config_get(db, keys[i], &v);
		conf_set(fields[i], v.buf);
	}
	if (db) {
		static const char *const k[] = { "slurm.immediate_seconds", "slurm.hold_minutes",
						 "slurm.margin" };
		int *to[] = { &c->immediate, &c->hold, &c->margin };
		int64_t n[3];

		db_config_ints(db, k, n, 3);
		for (i = 0; i < 3; i++)
			if (n[i] > 0)
				*to[i] = (int)n[i];
	}
	for (i = 0; i < 3; i++)
		if (s && s->slurm[i])
			conf_set(fields[i], s->slurm[i]);
	if (!c->command)
		c->command = xstrdup("lifebelt");
	buf_release(&v);
}

void slurm_conf_release(struct slurm_conf *c)
{
	free(c->partition);
	free(c->account);
	free(c->reservation);
	free(c->command);
	memset(c, 0, sizeof(*c));
}

enum slurm_end slurm_end_parse(const char *line, struct buf *state)
{
	static const char *const keys[] = { "JobState=", "Reason=" };
	int i;

	buf_reset(state);
	for (i = 0; i < 2; i++) {
		const char *at = line;
		size_t kl = strlen(keys[i]), n;

		while ((at = strstr(at, keys[i])) && at != line && at[-1] != ' ' && at[-1] != '\n')
			at += kl;
		if (!at)
			continue;
		at += kl;
		n = strcspn(at, " \n");
		if (i)
			buf_addf(state, " (%.*s)", (int)(n > 200 ? 200 : n), at);
		else
			buf_add(state, at, n > 64 ? 64 : n);
	}
	if (!state->len || state->buf[0] == ' ') {
		buf_reset(state);
		buf_adds(state, "unknown (Slurm no longer knows the job)");
		return SLURM_END_FAULT;
	}
	return strcspn(state->buf, " ") == 13 && !strncmp(state->buf, "OUT_OF_MEMORY", 13) ?
	       SLURM_END_MEMORY : SLURM_END_FAULT;
}

int slurm_jobs(struct buf *out)
{
	const char *argv[] = { "squeue", "--noheader", "--format=%i %j %T %M %N", NULL };
	struct buf all = BUF_INIT;
	char *line, *save = NULL;
	int rc = command_run(argv, &all);

	if (rc) {
		buf_release(&all);
		return -1;
	}
	for (line = strtok_r(all.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *name = strchr(line, ' ');

		if (name && !strncmp(name + 1, "lb-", 3))
			buf_addf(out, "%s\n", line);
	}
	buf_release(&all);
	return 0;
}

/* The work directory being packed (nftw passes no context), and where its path starts. */
static struct buf *packing;
static size_t packing_root;
static int pack_failed;

static int pack_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	struct buf entry = BUF_INIT, data = BUF_INIT;
	const char *rel = path + packing_root;

	(void)flag;
	if (!ftw->level)
		return 0;
	rel += *rel == '/';
	if (S_ISREG(st->st_mode)) {
		if (buf_read_file(&data, path))
			pack_failed = error_errno("cannot read %s", path);
	} else if (S_ISLNK(st->st_mode)) {
		char target[4096];
		ssize_t n = readlink(path, target, sizeof(target));

		if (n < 0 || n >= (ssize_t)sizeof(target))
			pack_failed = error_errno("cannot read the link %s", path);
		else
			buf_add(&data, target, n);
	} else if (!S_ISDIR(st->st_mode)) {
		return 0;       /* a fifo or a socket: checkout makes none */
	}
	if (!pack_failed) {
		node_entry_encode(&entry, st->st_mode & (S_IFMT | 0777), rel, data.buf, data.len);
		node_frame(packing, NODE_ENTRY, entry.buf, entry.len);
	}
	buf_release(&entry);
	buf_release(&data);
	return pack_failed;
}

/*
 * The digest of an image's unpacked tree (image.h: HOME/images/<hex>/rootfs)
 * into out: node-exec finds the same image's tree in its own data directory.
 * 0 if tree is NULL: the node's root.
 */
static int image_digest(const char *tree, struct buf *out)
{
	const char *end = tree ? strrchr(tree, '/') : NULL, *start = end;

	while (start && start > tree && start[-1] != '/')
		start--;
	if (!end || end - start != 64)
		return 0;
	buf_addf(out, "sha256:%.*s", 64, start);
	return 1;
}

/* The frames that set the job up on the node: header, image, the work directory, go. 0 or -1. */
static int pack(struct sl_job *j)
{
	struct buf h = BUF_INIT;

	node_header_encode(&h, j->b.label, &j->b.limits, j->b.reports, j->b.files);
	node_frame(&j->bundle, NODE_HEADER, h.buf, h.len);
	buf_reset(&h);
	if (image_digest(j->b.image, &h))
		node_frame(&j->bundle, NODE_IMAGE, h.buf, h.len);
	buf_release(&h);
	packing = &j->bundle;
	packing_root = strlen(j->b.workdir);
	pack_failed = 0;
	if (nftw(j->b.workdir, pack_one, 16, FTW_PHYS) || pack_failed)
		return -1;
	packing = NULL;
	node_frame(&j->bundle, NODE_GO, NULL, 0);
	return 0;
}

/* Whatever srun said on stderr so far, without waiting. */
static void drain_err(struct buf *to)
{
	char chunk[4096];
	ssize_t n;

	while (held.err >= 0) {
		struct pollfd p = { held.err, POLLIN, 0 };

		if (poll(&p, 1, 0) <= 0 || (n = read(held.err, chunk, sizeof(chunk))) <= 0)
			break;
		if (to->len < 4096)
			buf_add(to, chunk, n);
	}
}

/*
 * End the worker's srun: its stdin closed, it ends once node-exec has;
 * else, after grace microseconds, it is stopped.
 */
static void end_srun_within(struct buf *said, int64_t grace)
{
	int64_t until = time_mono_us() + grace;
	int status, sig = 0, pfd = -1;

	command_close(&held.in);
	if (held.srun) {
		struct pollfd p;

		/* Woken as srun ends, not at the next look: a drained runner's workers end sooner. */
		pfd = (int)syscall(SYS_pidfd_open, held.srun, 0);
		p.fd = pfd;
		p.events = POLLIN;
		p.revents = 0;
		for (;;) {
			pid_t r = waitpid(held.srun, &status, WNOHANG);

			if (r == held.srun || (r < 0 && errno != EINTR))
				break;
			if (said)
				drain_err(said);
			if (time_mono_us() > until && sig != SIGKILL) {
				/* On a SIGTERM srun kills its step's processes at once, then ends. */
				sig = sig ? SIGKILL : SIGTERM;
				kill(held.srun, sig);
				until = time_mono_us() + END_US / 5;
			}
			poll(&p, pfd >= 0, 5);
		}
		if (pfd >= 0)
			close(pfd);
		if (said)
			drain_err(said);
	}
	command_close(&held.out);
	command_close(&held.err);
	node_reader_release(&held.rd);
	held.srun = 0;
	held.ended = 0;
	*held.job_id = '\0';
	free(held.where);
	held.where = NULL;
}

static void end_srun(struct buf *said)
{
	end_srun_within(said, END_US);
}

/* How long a srun for c may take to start node-exec and set a job up: its wait for a CPU, and a minute. */
static int64_t setup_us(const struct slurm_conf *c)
{
	return (int64_t)(c->immediate + 60) * 1000000;
}

/* Where a srun for c goes, to tell whether the worker's srun serves a job of c. */
static char *where(const struct slurm_conf *c)
{
	struct buf w = BUF_INIT;

	buf_addf(&w, "%s\n%s\n%s\n%s", c->partition ? c->partition : "", c->account ? c->account : "",
		 c->reservation ? c->reservation : "", c->command);
	return buf_detach(&w, NULL);
}

/* The memory Slurm is asked for a job of limits l, in MiB: its limits and a margin. */
static long long job_mb(const struct limits *l)
{
	return (l->memory + l->tmp + l->disk + MEM_MARGIN + (1 << 20) - 1) >> 20;
}

/* The srun command line for jobs of c and l. Its strings live in a; the array is the caller's to free. */
static const char **srun_argv(const struct slurm_conf *c, const struct limits *l, long long minutes,
			      struct buf *a)
{
	const char **argv;
	size_t i;
	int n;

#define ARG(...) do { buf_addf(a, __VA_ARGS__); buf_addch(a, '\0'); } while (0)
	ARG("srun");
	/* Named after the worker, whose jobs it grades one after another (lifebelt status). */
	ARG("--job-name=lb-runner-%ld", (long)getpid());
	if (c->partition)
		ARG("--partition=%s", c->partition);
	if (c->account)
		ARG("--account=%s", c->account);
	if (c->reservation)
		ARG("--reservation=%s", c->reservation);
	ARG("--ntasks=1"); ARG("--cpus-per-task=1");
	ARG("--mem=%lldM", job_mb(l));
	ARG("--time=%lld", minutes);
	ARG("--immediate=%d", c->immediate);
	ARG("--quiet");
	/* slurmstepd otherwise holds output back until a newline, and frames are binary. */
	ARG("--unbuffered");
	ARG("%s", c->command);
	ARG("node-exec");
#undef ARG
	for (n = 0, i = 0; i < a->len; i++)
		n += !a->buf[i];
	argv = xcalloc(n + 1, sizeof(*argv));
	for (n = 0, i = 0; i < a->len; i += strlen(a->buf + i) + 1)
		argv[n++] = a->buf + i;
	return argv;
}

/*
 * How long sinfo's count of a partition's free CPUs is taken as true, less
 * the sruns the runner's workers started since: workers starting at once
 * then neither all ask sinfo nor all take the same CPU.
 */
#define ROOM_US (1LL * 1000000)

/*
 * The runner's workers take the partition's free CPUs one at a time, under
 * a lock in the data directory whose file also holds the count: "TIME
 * FREE PARTITION", TIME from time_mono_us(). The lock's fd, or -1.
 */
static int lock_starts(void)
{
	struct buf p = BUF_INIT;
	int fd;

	home_path(&p, "work/slurm.lock");
	fd = open(p.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	buf_release(&p);
	while (fd >= 0 && flock(fd, LOCK_EX)) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* The partition's free CPUs as sinfo counts them, or -1 if it cannot be asked. */
static long long cpus_free(const struct slurm_conf *c)
{
	const char *argv[] = { "sinfo", "--noheader", "--format=%C", NULL, NULL };
	struct buf out = BUF_INIT, p = BUF_INIT;
	long long alloc, idle = -1, other, total;

	if (c->partition) {
		buf_addf(&p, "--partition=%s", c->partition);
		argv[3] = p.buf;
	}
	if (command_run(argv, &out) ||
	    sscanf(out.buf, "%lld/%lld/%lld/%lld", &alloc, &idle, &other, &total) != 4)
		idle = -1;
	buf_release(&out);
	buf_release(&p);
	return idle;
}

/*
 * Take one of the partition's free CPUs for a srun about to start, the
 * lock held: 1 if there was one; 0 if none is free; -1 if sinfo cannot be
 * asked (srun is given the job, and says what is wrong).
 */
static int take_cpu(int lock, const struct slurm_conf *c)
{
	char cached[256], part[128];
	long long at, free_cpus = -1;
	int64_t now = time_mono_us();
	ssize_t n = lock >= 0 ? pread(lock, cached, sizeof(cached) - 1, 0) : -1;
	struct buf w = BUF_INIT;

	*part = '\0';
	if (n > 0) {
		cached[n] = '\0';
		if (sscanf(cached, "%lld %lld %127s", &at, &free_cpus, part) != 3 || free_cpus < 0 ||
		    now - at > ROOM_US || now < at || strcmp(part, c->partition ? c->partition : "-"))
			free_cpus = -1;
	}
	if (free_cpus < 0) {
		free_cpus = cpus_free(c);
		at = now;
	}
	if (free_cpus < 0)
		return -1;
	buf_addf(&w, "%lld %lld %s\n", at, free_cpus ? free_cpus - 1 : 0, c->partition ? c->partition : "-");
	if (lock >= 0 && (ftruncate(lock, 0) || pwrite(lock, w.buf, w.len, 0) != (ssize_t)w.len))
		log_info("cannot note the cluster's free CPUs in work/slurm.lock");
	buf_release(&w);
	return free_cpus > 0;
}

/* 1 if fewer than slurm.margin of Lifebelt's Slurm jobs wait for a CPU (squeue), or it cannot be asked. */
static int margin_left(const struct slurm_conf *c)
{
	const char *argv[] = { "squeue", "--noheader", "--states=PENDING", "--format=%j", NULL };
	struct buf out = BUF_INIT;
	long long waiting = 0;
	const char *at;

	if (!command_run(argv, &out))
		for (at = out.buf; (at = strstr(at, "lb-")); at += 3)
			waiting += at == out.buf || at[-1] == '\n';
	buf_release(&out);
	return waiting < c->margin;
}

/*
 * Start the worker's srun for jobs of c and l, without waiting for it.
 * There must be room: a free CPU in the partition, taken under the lock
 * so that each worker sees what the one before took; or, with none free,
 * fewer than slurm.margin of Lifebelt's jobs waiting for one (squeue),
 * the lock then kept until Slurm has the srun's job (in *lock, -1 if not
 * kept; the caller closes it after await_start()). A srun started ahead
 * of its job (ahead) only takes a free CPU. 0, EXECUTOR_BUSY, or -1 with
 * why said.
 */
static int spawn(const struct slurm_conf *c, const struct limits *l, int ahead, int *lock, struct buf *why)
{
	long long need = ((long long)l->job + TIME_MARGIN + 59) / 60;
	long long minutes = need > c->hold ? need : c->hold;
	struct buf a = BUF_INIT;
	const char **argv;
	int fds[3] = { 0, 0, 0 }, room;

	*lock = lock_starts();
	room = take_cpu(*lock, c);
	if (!room && (ahead || !margin_left(c))) {
		if (*lock >= 0)
			close(*lock);
		*lock = -1;
		return EXECUTOR_BUSY;
	}
	if (room && *lock >= 0) {
		/* The CPU is noted as taken: the next worker need not wait for this srun. */
		close(*lock);
		*lock = -1;
	}
	signal(SIGPIPE, SIG_IGN);       /* a srun that died is seen in its answer */
	argv = srun_argv(c, l, minutes, &a);
	held.srun = command_spawn(argv, fds);
	free(argv);
	buf_release(&a);
	if (held.srun < 0) {
		held.srun = 0;
		buf_adds(why, "cannot run srun");
		return -1;
	}
	held.in = fds[0];
	held.out = fds[1];
	node_reader_init(&held.rd, held.out);
	held.err = fds[2];
	held.mb = job_mb(l);
	held.until = time_mono_us() + minutes * 60 * 1000000;
	held.deadline = time_mono_us() + setup_us(c);
	held.where = where(c);
	return 0;
}

/* Wait for the worker's new srun's node-exec to name its Slurm job. 0, EXECUTOR_BUSY, or -1 with why said. */
static int await_start(struct buf *why)
{
	struct buf id = BUF_INIT, said = BUF_INIT;
	int kind = 0, rc;

	if (!(rc = node_read(&held.rd, &kind, &id, held.deadline, NULL)) && kind == NODE_JOB &&
	    id.len < sizeof(held.job_id) && strspn(id.buf, "0123456789_") == id.len) {
		memcpy(held.job_id, id.buf, id.len + 1);
		buf_release(&id);
		return 0;
	}
	end_srun(&said);
	buf_trim(&said);
	rc = !rc && kind == NODE_FAULT ? -1 :
	     /* srun's words when --immediate ran out: the partition is busy, not broken. */
	     strstr(said.buf ? said.buf : "", "Requested nodes are busy") ||
	     strstr(said.buf ? said.buf : "", "Immediate execution impossible") ? EXECUTOR_BUSY : -1;
	if (!rc && kind == NODE_FAULT)
		buf_addf(why, "node-exec: %.*s", (int)(id.len > 300 ? 300 : id.len), id.buf);
	else
		buf_addf(why, "srun did not start the job: %s", said.len ? said.buf : "no answer");
	buf_release(&id);
	buf_release(&said);
	return rc;
}

/*
 * Start the worker's srun for j; wait for node-exec to name its Slurm job.
 * 0; EXECUTOR_BUSY if the partition had no CPU for it (sinfo, or srun's
 * --immediate ran out); or -1 with why said.
 */
static int start(struct sl_job *j, struct buf *why)
{
	int lock, rc = spawn(&j->conf, &j->b.limits, 0, &lock, why);

	if (!rc)
		rc = await_start(why);
	if (lock >= 0)
		close(lock);
	return rc;
}

/* 1 if the worker's srun can take a job of c and l: alive, the same partition..., memory and time enough. */
static int fits(const struct slurm_conf *c, const struct limits *l)
{
	char *w = where(c);
	int ok = held.where && !strcmp(w, held.where) && held.mb >= job_mb(l) &&
		 held.until - time_mono_us() > ((int64_t)l->job + TIME_MARGIN) * 1000000 &&
		 !waitpid(held.srun, NULL, WNOHANG);

	free(w);
	return ok;
}

/*
 * Take the worker's srun for j (a new one if it has none, or none that
 * fits). The job goes to it with its first step (send_job()). 0,
 * EXECUTOR_BUSY, or -1 with why said.
 */
static int attach(struct sl_job *j, struct buf *why)
{
	int rc;

	if (held.srun && !fits(&j->conf, &j->b.limits))
		end_srun(NULL);
	j->fresh = 0;
	if (!held.srun) {
		if ((rc = start(j, why)))
			return rc;
		j->fresh = 1;
	} else if (!*held.job_id) {
		/* Started ahead of the job: node-exec has yet to name its Slurm job. */
		if ((rc = await_start(why)))
			return rc;
		j->fresh = 1;
	}
	j->runs++;
	j->sent = j->set_up = 0;
	memcpy(j->job_id, held.job_id, sizeof(j->job_id));
	return 0;
}

/*
 * Append j's frames to out if the srun has yet to get them: the last
 * job's end first, then the job. node-exec reads them as they come: no
 * deadlock however large they are.
 */
static void send_job(struct sl_job *j, struct buf *out)
{
	if (j->sent)
		return;
	if (held.ended)
		node_frame(out, NODE_END, NULL, 0);
	buf_add(out, j->bundle.buf, j->bundle.len);
	held.ended = 0;
	j->sent = 1;
}

void slurm_start_ahead(const struct slurm_conf *c, const struct limits *l)
{
	struct buf why = BUF_INIT;
	int lock = -1;

	if (held.srun && !fits(c, l))
		end_srun(NULL);
	if (!held.srun)
		spawn(c, l, 1, &lock, &why);
	if (lock >= 0)
		close(lock);
	buf_release(&why);
}

static struct worker *sl_worker_new(void)
{
	return NULL;    /* the worker's srun is the process's own (held) */
}

static void sl_free(struct sl_job *j)
{
	slurm_conf_release(&j->conf);
	buf_release(&j->bundle);
	json_decref(j->node);
	free((char *)j->b.label);
	free(j);
}

static int sl_open(struct worker *w, struct executor **out, const struct bundle *b)
{
	struct sl_job *j = xcalloc(1, sizeof(*j));
	struct buf why = BUF_INIT;
	int rc;

	(void)w;
	j->b = *b;
	j->b.label = xstrdup(b->label);
	if (b->slurm) {
		j->conf = *b->slurm;
		j->conf.partition = b->slurm->partition ? xstrdup(b->slurm->partition) : NULL;
		j->conf.account = b->slurm->account ? xstrdup(b->slurm->account) : NULL;
		j->conf.reservation = b->slurm->reservation ? xstrdup(b->slurm->reservation) : NULL;
		j->conf.command = xstrdup(b->slurm->command ? b->slurm->command : "lifebelt");
	} else {
		slurm_conf_load(NULL, NULL, &j->conf);
	}
	if (pack(j)) {
		sl_free(j);
		return error("cannot pack the work directory %s", b->workdir);
	}
	if ((rc = attach(j, &why))) {
		if (rc < 0)
			error("%s", why.buf);
		buf_release(&why);
		sl_free(j);
		return rc;
	}
	*out = (struct executor *)(void *)j;
	return 0;
}

/*
 * A report the node sent (path NUL contents) into the work directory
 * here, where grade.c reads it: only a path the bundle named, its
 * directories made as needed and none followed if it is a symlink. A
 * report that cannot be placed is left out: the test then has none. For
 * NODE_ODD_REPORT (path NUL NODE_ODD_*), what the step left there instead,
 * of the same kind. 0, or -1 on a frame that is not a report of this job.
 */
static int place_report(struct sl_job *j, int kind, const char *p, size_t n)
{
	const char *const *r;
	const char *nul = memchr(p, '\0', n), *c, *slash;
	int fd, dir, ok = 0;

	for (r = j->b.reports; nul && r && *r; r++)
		ok |= !strcmp(*r, p);
	if (!ok)
		return -1;
	if ((dir = open(j->b.workdir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return 0;
	for (c = p; dir >= 0 && (slash = strchr(c, '/')); c = slash + 1) {
		char *part = xstrndup(c, slash - c);
		int next;

		mkdirat(dir, part, 0755);
		next = openat(dir, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		free(part);
		close(dir);
		dir = next;
	}
	if (dir < 0)
		return 0;
	if (kind == NODE_ODD_REPORT) {
		int odd = n > (size_t)(nul + 1 - p) ? nul[1] : 0;

		/* A symlink is refused whatever it names: this one names nothing. */
		if (odd == NODE_ODD_SYMLINK)
			symlinkat("a symlink on the node", dir, c);
		else if (odd == NODE_ODD_DIRECTORY)
			mkdirat(dir, c, 0755);
		else
			mkfifoat(dir, c, 0644);
		close(dir);
		return 0;
	}
	fd = openat(dir, c, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd >= 0) {
		struct buf b = BUF_INIT;

		buf_add(&b, nul + 1, n - (nul + 1 - p));
		if (node_write(fd, &b))
			log_info("cannot write the report %s", p);
		buf_release(&b);
		close(fd);
	}
	close(dir);
	return 0;
}

/* How long Slurm may take to settle a job's end state (COMPLETING: its processes are still being ended). */
#define SETTLE_US (15LL * 1000000)

/* How the Slurm job ended, asked of scontrol once the job is no longer running or completing. */
static enum slurm_end ask_slurm(const struct sl_job *j, struct buf *state)
{
	const char *argv[] = { "scontrol", "show", "job", "-o", j->job_id, NULL };
	struct buf line = BUF_INIT;
	enum slurm_end end;
	int64_t until = time_mono_us() + SETTLE_US;

	for (;;) {
		buf_reset(&line);
		if (!*j->job_id || command_run(argv, &line))
			buf_reset(&line);
		end = slurm_end_parse(line.buf, state);
		if ((strncmp(state->buf, "COMPLETING", 10) && strncmp(state->buf, "RUNNING", 7)) ||
		    time_mono_us() > until)
			break;
		poll(NULL, 0, 200);
	}
	buf_release(&line);
	return end;
}

/* node-exec's description of j's sandbox, frame f: the job is set up there. */
static void take_sandbox(struct sl_job *j, const struct buf *f)
{
	json_decref(j->node);
	j->node = json_loadb(f->buf, f->len, JSON_REJECT_DUPLICATES, NULL);
	j->set_up = 1;
}

/*
 * Send a step, read its answer (with the job's sandbox ahead of a first
 * one) into o. 0; -1 and *kind, f as node_read() left them when no
 * observation came.
 */
static int ask_step(struct sl_job *j, const struct step *st, const struct buf *step, int64_t t0,
		    int *kind, struct buf *f, struct observation *o)
{
	int64_t until = t0 + (int64_t)(st->wall * 1e6) + ANSWER_MARGIN_US +
			(j->set_up ? 0 : setup_us(&j->conf));
	struct buf out = BUF_INIT;
	int rc;

	/* One write: a second small one right after would wait on srun's delayed acknowledgements. */
	send_job(j, &out);
	buf_add(&out, step->buf, step->len);
	rc = node_write(held.in, &out);
	buf_release(&out);

	*kind = 0;
	while (!rc && (rc = node_read(&held.rd, kind, f, until, st->cancel)) == 0 &&
	       (*kind == NODE_SANDBOX || *kind == NODE_REPORT || *kind == NODE_ODD_REPORT)) {
		if (*kind != NODE_SANDBOX && place_report(j, *kind, f->buf, f->len)) {
			rc = -1;
			*kind = 0;
		} else if (*kind == NODE_SANDBOX) {
			take_sandbox(j, f);
		}
	}
	if (rc || *kind != NODE_OBSERVATION)
		return -1;
	observation_release(o);
	if (node_obs_decode(f->buf, f->len, j->b.limits.capture, j->b.limits.output, o)) {
		o->fault = xstrdup("a malformed observation from the node");
		end_srun(NULL);
	} else {
		o->out.keep_all = st->keep_stdout;
	}
	return 0;
}

static int sl_run(struct executor *e, const struct step *st, struct observation *o)
{
	struct sl_job *j = job_of(e);
	struct buf f = BUF_INIT, step = BUF_INIT, state = BUF_INIT, said = BUF_INIT, why = BUF_INIT;
	int64_t t0 = time_mono_us();
	int kind = 0;

	memset(o, 0, sizeof(*o));
	capture_init(&o->out, j->b.limits.capture, st->keep_stdout);
	capture_init(&o->err, j->b.limits.capture, 0);
	o->peak_memory = -1;
	/* The last step's srun ended with a memory verdict: this one gets a new srun. */
	if (!held.srun && attach(j, &why)) {
		if (!why.len)
			buf_adds(&why, "no free CPU on the cluster for the rest of the job");
		o->fault = buf_detach(&why, NULL);
		return -1;
	}
	node_step_encode(&f, st);
	node_frame(&step, NODE_STEP, f.buf, f.len);
	while (ask_step(j, st, &step, t0, &kind, &f, o)) {
		/*
		 * No word from a kept srun on a job's first step: it may have
		 * ended between jobs (its time, the node). Once more, on a new
		 * one (where the step ends as it may: Slurm says how).
		 */
		if (j->set_up || j->fresh || (st->cancel && *st->cancel) || kind == NODE_FAULT)
			break;
		end_srun(NULL);
		if (attach(j, &why)) {
			if (!why.len)
				buf_adds(&why, "no free CPU on the cluster for the job");
			o->fault = buf_detach(&why, NULL);
			buf_release(&f);
			buf_release(&step);
			return -1;
		}
	}
	buf_release(&step);
	if (kind == NODE_OBSERVATION) {
		buf_release(&f);
		return o->fault ? -1 : 0;
	}
	if (st->cancel && *st->cancel) {
		buf_release(&f);
		end_srun_within(NULL, STOP_US);
		o->fault = xstrdup("the runner is stopping");
		return -1;
	}
	/* No answer: srun ended, or the node went silent. What Slurm says decides. */
	end_srun(&said);
	if (kind == NODE_FAULT) {
		buf_addf(&why, "node-exec: %.*s", (int)(f.len > 300 ? 300 : f.len), f.buf);
	} else if (ask_slurm(j, &state) == SLURM_END_MEMORY) {
		o->signal = SIGKILL;
		o->fired = FIRED_MEMORY;
		o->wall = (time_mono_us() - t0) / 1e6;
	} else {
		buf_trim(&said);
		buf_addf(&why, "the Slurm job %s ended without an answer: %s%s%s", *j->job_id ? j->job_id : "?",
			 state.buf, said.len ? "; srun: " : "", said.len ? said.buf : "");
	}
	buf_release(&f);
	buf_release(&state);
	buf_release(&said);
	if (why.len) {
		o->fault = buf_detach(&why, NULL);
		return -1;
	}
	return 0;
}

static json_t *sl_describe(struct executor *e)
{
	struct sl_job *j = job_of(e);
	struct buf f = BUF_INIT;
	int kind = 0;

	/* No step was sent: the job goes now, and its description comes alone. */
	if (!j->sent && held.srun) {
		send_job(j, &f);
		if (node_write(held.in, &f))
			end_srun(NULL);
	}
	while (!j->set_up && held.srun &&
	       !node_read(&held.rd, &kind, &f, time_mono_us() + setup_us(&j->conf), NULL) && kind == NODE_SANDBOX)
		take_sandbox(j, &f);
	buf_release(&f);

	return json_pack("{s:s,s:s,s:s?,s:s?,s:s?,s:i,s:O?}", "kind", "slurm", "job_id", j->job_id,
			 "partition", j->conf.partition, "account", j->conf.account,
			 "reservation", j->conf.reservation, "sruns", j->runs, "node", j->node);
}

/* The job is over; the worker's srun waits for its next job, which ends this one on the node. */
static void sl_close(struct executor *e)
{
	struct sl_job *j;

	if (!e)
		return;
	j = job_of(e);
	/* What node-exec said of a job that ran no step was not read: the next job gets a new srun. */
	if (held.srun && j->sent && !j->set_up)
		end_srun(NULL);
	/* The job's end goes with the next job; a job never sent needs none. */
	if (j->sent)
		held.ended = held.srun != 0;
	sl_free(j);
}

/*
 * Nothing to sweep: a srun ends with the worker that holds its stdin
 * (node-exec reads the end and cleans up), and Slurm ends a job whose
 * srun is gone.
 */
static void sl_sweep(void)
{
}

/* The worker has no job for now, or stops: its srun ends, and its CPU goes back to the cluster. */
static void sl_shutdown(struct worker *w)
{
	(void)w;
	end_srun(NULL);
}

const struct executor_ops executor_slurm = {
	"slurm", sl_worker_new, sl_open, sl_run, sl_describe, sl_close, sl_sweep, sl_shutdown, NULL, 1
};
