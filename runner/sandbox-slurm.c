/*
 * sandbox-slurm.c: the Slurm executor (executor.h): each job on a node of
 * a Slurm cluster, through one `srun ... lifebelt node-exec` per job. The
 * map of the runner's files: runner.h; the frames: node-proto.h.
 *
 * open() packs the work directory and starts srun with it on srun's stdin;
 * node-exec unpacks it on the node and answers each step it is sent with
 * its observation, from the same bubblewrap sandbox a local job gets. So
 * grade.c decides the next step from the last one's result exactly as for
 * a local job, and the expected outputs never leave this host. The
 * runner's queue stays in SQLite: a worker holds one job at a time, and
 * srun's --immediate gives a job back (an infrastructure fault, retried
 * later) when the partition has no free CPU for it, so the backlog waits
 * in Lifebelt's fair queue rather than in Slurm's.
 *
 * When srun ends without an observation, Slurm says how the job ended
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
#include <sys/stat.h>
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

/* One job's srun. Handed out as the opaque struct executor. */
struct sl_job {
	struct bundle b;
	struct slurm_conf conf;
	struct buf bundle;      /* the frames open() sent: a new srun after a memory verdict gets them again */
	pid_t srun;
	int in, out, err;
	char job_id[32];        /* as node-exec said; "" until it did */
	int runs;               /* sruns started */
	json_t *node;           /* the node's sandbox as node-exec described it; NULL until it did */
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
	for (i = 0; db && i < 4; i++) {
		buf_reset(&v);
		db_config_get(db, keys[i], &v);
		conf_set(fields[i], v.buf);
	}
	if (db) {
		const char *k = "slurm.immediate_seconds";
		int64_t n;

		db_config_ints(db, &k, &n, 1);
		if (n > 0)
			c->immediate = (int)n;
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

		if (name && !strncmp(name + 1, "lb-job-", 7))
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

/* The frames that set the job up on the node: header, the work directory, go. 0 or -1. */
static int pack(struct sl_job *j)
{
	struct buf h = BUF_INIT;

	node_header_encode(&h, j->b.label, &j->b.limits, j->b.reports, j->b.files);
	node_frame(&j->bundle, NODE_HEADER, h.buf, h.len);
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
static void drain_err(struct sl_job *j, struct buf *to)
{
	char chunk[4096];
	ssize_t n;

	while (j->err >= 0) {
		struct pollfd p = { j->err, POLLIN, 0 };

		if (poll(&p, 1, 0) <= 0 || (n = read(j->err, chunk, sizeof(chunk))) <= 0)
			break;
		if (to->len < 4096)
			buf_add(to, chunk, n);
	}
}

/* End srun: its stdin closed, it ends once node-exec has; else it is stopped. */
static void end_srun(struct sl_job *j, struct buf *said)
{
	int64_t until = time_mono_us() + END_US;
	int status, sig = 0;

	command_close(&j->in);
	if (!j->srun)
		return;
	for (;;) {
		pid_t r = waitpid(j->srun, &status, WNOHANG);

		if (r == j->srun || (r < 0 && errno != EINTR))
			break;
		if (said)
			drain_err(j, said);
		if (time_mono_us() > until && sig != SIGKILL) {
			/* srun passes one SIGTERM on to the job; a second ends it at once. */
			sig = sig ? SIGKILL : SIGTERM;
			kill(j->srun, sig);
			until = time_mono_us() + END_US / 5;
		}
		poll(NULL, 0, 5);
	}
	if (said)
		drain_err(j, said);
	command_close(&j->out);
	command_close(&j->err);
	j->srun = 0;
}

/* The srun command line for j. Its strings live in a; the array is the caller's to free. */
static const char **srun_argv(const struct sl_job *j, struct buf *a)
{
	const struct limits *l = &j->b.limits;
	const char **argv;
	long long mb = (l->memory + l->tmp + l->disk + MEM_MARGIN + (1 << 20) - 1) >> 20;
	long long minutes = ((long long)l->job + TIME_MARGIN + 59) / 60;
	size_t i;
	int n;

#define ARG(...) do { buf_addf(a, __VA_ARGS__); buf_addch(a, '\0'); } while (0)
	ARG("srun");
	ARG("--job-name=lb-%s", j->b.label);
	if (j->conf.partition)
		ARG("--partition=%s", j->conf.partition);
	if (j->conf.account)
		ARG("--account=%s", j->conf.account);
	if (j->conf.reservation)
		ARG("--reservation=%s", j->conf.reservation);
	ARG("--ntasks=1"); ARG("--cpus-per-task=1");
	ARG("--mem=%lldM", mb);
	ARG("--time=%lld", minutes);
	ARG("--immediate=%d", j->conf.immediate);
	ARG("--quiet");
	/* slurmstepd otherwise holds output back until a newline, and frames are binary. */
	ARG("--unbuffered");
	ARG("%s", j->conf.command);
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
 * Start srun and send the bundle; wait for node-exec to name its Slurm job.
 * 0, or -1 with why said.
 */
static int start(struct sl_job *j, struct buf *why)
{
	struct buf a = BUF_INIT, id = BUF_INIT, said = BUF_INIT;
	const char **argv = srun_argv(j, &a);
	int fds[3] = { 0, 0, 0 }, kind = 0, rc;
	int64_t deadline = time_mono_us() + (int64_t)(j->conf.immediate + 60) * 1000000;

	j->srun = command_spawn(argv, fds);
	free(argv);
	buf_release(&a);
	*j->job_id = '\0';
	if (j->srun < 0) {
		j->srun = 0;
		buf_adds(why, "cannot run srun");
		return -1;
	}
	j->in = fds[0];
	j->out = fds[1];
	j->err = fds[2];
	j->runs++;
	/* node-exec names its job before it reads: no deadlock if the bundle fills the pipe. */
	rc = node_write(j->in, &j->bundle);
	if (!rc && !(rc = node_read(j->out, &kind, &id, deadline, NULL)) && kind == NODE_JOB &&
	    id.len < sizeof(j->job_id) && strspn(id.buf, "0123456789_") == id.len) {
		memcpy(j->job_id, id.buf, id.len + 1);
		buf_release(&id);
		return 0;
	}
	end_srun(j, &said);
	buf_trim(&said);
	if (!rc && kind == NODE_FAULT)
		buf_addf(why, "node-exec: %.*s", (int)(id.len > 300 ? 300 : id.len), id.buf);
	else
		buf_addf(why, "srun did not start the job: %s", said.len ? said.buf : "no answer");
	buf_release(&id);
	buf_release(&said);
	return -1;
}

static struct worker *sl_worker_new(void)
{
	return NULL;    /* nothing is kept from job to job */
}

static void sl_free(struct sl_job *j)
{
	end_srun(j, NULL);
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

	(void)w;
	signal(SIGPIPE, SIG_IGN);       /* a srun that died is seen in its answer */
	j->b = *b;
	j->b.label = xstrdup(b->label);
	j->in = j->out = j->err = -1;
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
	if (start(j, &why)) {
		error("%s", why.buf);
		buf_release(&why);
		sl_free(j);
		return -1;
	}
	*out = (struct executor *)(void *)j;
	return 0;
}

/*
 * A report the node sent (path NUL contents) into the work directory
 * here, where grade.c reads it: only a path the bundle named, its
 * directories made as needed and none followed if it is a symlink. A
 * report that cannot be placed is left out: the test then has none. 0, or
 * -1 on a frame that is not a report of this job.
 */
static int place_report(struct sl_job *j, const char *p, size_t n)
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

static int sl_run(struct executor *e, const struct step *st, struct observation *o)
{
	struct sl_job *j = job_of(e);
	struct buf f = BUF_INIT, state = BUF_INIT, said = BUF_INIT, why = BUF_INIT;
	int64_t t0 = time_mono_us();
	int kind = 0, rc;

	memset(o, 0, sizeof(*o));
	capture_init(&o->out, j->b.limits.capture, st->keep_stdout);
	capture_init(&o->err, j->b.limits.capture, 0);
	o->peak_memory = -1;
	/* The last step's srun ended with a memory verdict: this one gets a new srun. */
	if (!j->srun && start(j, &why)) {
		o->fault = buf_detach(&why, NULL);
		return -1;
	}
	{
		struct buf p = BUF_INIT;

		node_step_encode(&p, st);
		node_frame(&f, NODE_STEP, p.buf, p.len);
		buf_release(&p);
	}
	rc = node_write(j->in, &f);
	while (!rc && (rc = node_read(j->out, &kind, &f, t0 + (int64_t)(st->wall * 1e6) + ANSWER_MARGIN_US,
				       st->cancel)) == 0 && (kind == NODE_SANDBOX || kind == NODE_REPORT)) {
		if (kind == NODE_REPORT && place_report(j, f.buf, f.len)) {
			rc = -1;
			kind = 0;
		} else if (kind == NODE_SANDBOX) {
			json_decref(j->node);
			j->node = json_loadb(f.buf, f.len, JSON_REJECT_DUPLICATES, NULL);
		}
	}
	if (!rc && kind == NODE_OBSERVATION) {
		observation_release(o);
		if (node_obs_decode(f.buf, f.len, j->b.limits.capture, j->b.limits.output, o)) {
			o->fault = xstrdup("a malformed observation from the node");
		} else {
			o->out.keep_all = st->keep_stdout;
		}
		buf_release(&f);
		return o->fault ? -1 : 0;
	}
	if (st->cancel && *st->cancel) {
		buf_release(&f);
		end_srun(j, NULL);
		o->fault = xstrdup("the runner is stopping");
		return -1;
	}
	/* No answer: srun ended, or the node went silent. What Slurm says decides. */
	end_srun(j, &said);
	if (!rc && kind == NODE_FAULT) {
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

	return json_pack("{s:s,s:s,s:s?,s:s?,s:s?,s:i,s:O?}", "kind", "slurm", "job_id", j->job_id,
			 "partition", j->conf.partition, "account", j->conf.account,
			 "reservation", j->conf.reservation, "sruns", j->runs, "node", j->node);
}

static void sl_close(struct executor *e)
{
	if (e)
		sl_free(job_of(e));
}

/*
 * Nothing to sweep: a srun ends with the worker that holds its stdin
 * (node-exec reads the end and cleans up), and Slurm ends a job whose
 * srun is gone.
 */
static void sl_sweep(void)
{
}

static void sl_shutdown(struct worker *w)
{
	(void)w;
}

const struct executor_ops executor_slurm = {
	"slurm", sl_worker_new, sl_open, sl_run, sl_describe, sl_close, sl_sweep, sl_shutdown, NULL
};
