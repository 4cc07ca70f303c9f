/* grade.c: build, tests and verdicts. The only place a score is decided. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cases.h"
#include "checker.h"
#include "checkout.h"
#include "compare.h"
#include "grade.h"
#include "../db/queue.h"
#include "../lib/alloc.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/verdict.h"
#include "../lib/banned.h"

/* A report file the tests write is read with at most this many bytes. */
#define REPORT_MAX (4 << 20)

void grade_release(struct grade *g)
{
	int i;

	for (i = 0; i < g->nr; i++) {
		free(g->rows[i].name);
		free(g->rows[i].output);
		free(g->rows[i].detail);
	}
	free(g->rows);
	free(g->fault);
	buf_release(&g->build_log);
	memset(g, 0, sizeof(*g));
	buf_init(&g->build_log, 0);
}

static struct grade_row *add_row(struct grade *g, const char *name, int hidden, double max_points)
{
	struct grade_row *r;

	ALLOC_GROW(g->rows, g->nr + 1, g->alloc);
	r = &g->rows[g->nr++];
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(name);
	r->hidden = hidden;
	r->max_points = max_points;
	r->verdict = VERDICT_FAIL;
	return r;
}

/*
 * A hidden test's output and details are not kept (`lifebelt try` keeps
 * them, and so does an assignment that reveals them at a set time: the
 * web page withholds them until then).
 */
static int secret(const struct grade *g, const struct spec_test *t)
{
	return t->hidden && !g->reveal && !g->keep_hidden;
}

/* A hidden case's name is the test's output, but is shown with its verdict: only `lifebelt try` keeps it. */
static int secret_name(const struct grade *g, const struct spec_test *t)
{
	return t->hidden && !g->reveal;
}

static void set_text(char **dst, const char *s)
{
	free(*dst);
	*dst = xstrdup(s ? s : "");
}

static const char *signal_name(int sig)
{
	const char *s = sigabbrev_np(sig);

	return s ? s : "?";
}

/*
 * The verdict an observation earns before any output is compared, or
 * VERDICT_UNKNOWN (0) when the step ended normally (exit status in
 * o->status). reason gets why.
 */
static enum verdict limit_verdict(const struct observation *o, const struct step *st,
				  const struct limits *l, int clipped, struct buf *reason)
{
	switch (o->fired) {
	case FIRED_CPU:
		buf_addf(reason, "CPU time limit (%g s) exceeded", st->cpu);
		return VERDICT_TIME_LIMIT;
	case FIRED_WALL:
		if (!clipped)
			buf_addf(reason, "wall-clock limit (%g s) exceeded", st->wall);
		else
			buf_addf(reason, "the job's time limit (%g s) ran out", l->job);
		return VERDICT_WALL_LIMIT;
	case FIRED_MEMORY:
		buf_addf(reason, "memory limit (%lld MiB) exceeded", (long long)(l->memory >> 20));
		return VERDICT_MEMORY_LIMIT;
	case FIRED_OUTPUT:
		buf_addf(reason, "printed more than %lld MiB", (long long)(l->output >> 20));
		return VERDICT_OUTPUT_LIMIT;
	case FIRED_FILE_SIZE:
		buf_addf(reason, "wrote a file larger than %lld MiB", (long long)(l->file_size >> 20));
		return VERDICT_OUTPUT_LIMIT;
	case FIRED_DISK:
		buf_addf(reason, "the work directory is full (%lld MiB, %lld files at most)",
			 (long long)(l->disk >> 20), (long long)l->files);
		return VERDICT_OUTPUT_LIMIT;
	case FIRED_NONE:
		break;
	}
	if (!o->exited) {
		buf_addf(reason, "killed by signal %d (SIG%s)", o->signal, signal_name(o->signal));
		return VERDICT_CRASHED;
	}
	return VERDICT_UNKNOWN;
}

static void note_procs(const struct observation *o, const struct limits *l, struct buf *reason)
{
	if (o->procs_capped)
		buf_addf(reason, "%sthe process limit (%lld) refused a fork", reason->len ? "; " : "",
			 (long long)l->processes);
}

/* Everything printed, for a visible row: stdout then stderr, capped. */
static void excerpt(const struct observation *o, struct buf *out)
{
	capture_text(&o->out, out);
	if (o->err.total) {
		if (out->len && out->buf[out->len - 1] != '\n')
			buf_addch(out, '\n');
		capture_text(&o->err, out);
	}
}

struct run_ctx {
	const struct executor_ops *ops;
	struct executor *ex;
	struct checker_host *host;      /* for checkers, when ops->remote */
	const struct limits *l;
	int64_t job_deadline;   /* time_mono_us */
	int clipped;            /* the last step's wall limit was cut to the job's time left */
	volatile int *cancel;
};

static double job_left(const struct run_ctx *c)
{
	return (c->job_deadline - time_mono_us()) / 1e6;
}

/* Run cmd with the step limits, clipped to the job's time left; -1 on an infrastructure fault. */
static int run_step(struct run_ctx *c, struct grade *g, const char *cmd, const char *input,
		    double cpu, double wall, int keep, const char *report, struct step *st,
		    struct observation *o)
{
	double left = job_left(c);

	memset(st, 0, sizeof(*st));
	st->cmd = cmd;
	st->input = input;
	st->input_len = input ? strlen(input) : 0;
	st->cpu = cpu;
	st->wall = wall < left ? wall : left;
	c->clipped = wall > left;
	st->cancel = c->cancel;
	if (st->wall < 0.01)
		st->wall = 0.01;
	st->keep_stdout = keep;
	st->report = report;
	if (c->ops->run(c->ex, st, o) || o->fault) {
		g->fault = xstrdup(o->fault ? o->fault : "the executor failed");
		return -1;
	}
	return 0;
}

/* read_report() found more than REPORT_MAX bytes. */
#define REPORT_TOO_LARGE 1

/* Open rel below dirfd without following any symlink or leaving the directory. */
static int open_beneath(int dirfd, const char *rel, int flags)
{
	struct open_how how;

	memset(&how, 0, sizeof(how));
	how.flags = flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
	return (int)syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
}

/*
 * Remove the report rel inside workdir before a step that could write it,
 * so that only a report the step wrote itself is read after it (neither
 * a committed one nor an earlier test's). Its directory is opened without
 * following a symlink; a symlink at rel is removed, never followed. A
 * missing report, or a directory path that cannot hold one, is fine.
 * Returns -1 with why set when the path is a directory or the old report
 * cannot be removed.
 */
static int clear_report(const char *workdir, const char *rel, struct buf *why)
{
	const char *slash = strrchr(rel, '/');
	struct buf dir = BUF_INIT;
	int top, fd, ret = -1;

	top = open(workdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (top < 0) {
		buf_addf(why, "cannot open the work directory (%s)", strerror(errno));
		return -1;
	}
	fd = top;
	if (slash) {
		buf_add(&dir, rel, slash - rel);
		fd = open_beneath(top, dir.buf, O_RDONLY | O_DIRECTORY);
		if (fd < 0) {
			/* Missing, not a directory, or reached through a symlink: read_report refuses it too. */
			ret = errno == ENOENT || errno == ENOTDIR || errno == ELOOP || errno == EXDEV ? 0 : -1;
			if (ret)
				buf_addf(why, "cannot open the report's directory %s (%s)", dir.buf,
					 strerror(errno));
			goto done;
		}
	}
	if (!unlinkat(fd, slash ? slash + 1 : rel, 0) || errno == ENOENT)
		ret = 0;
	else if (errno == EISDIR)
		buf_addf(why, "not run: the report %s is a directory in the work directory; "
			 "the test's report must be a file there", rel);
	else
		buf_addf(why, "not run: an old report %s cannot be removed (%s)", rel, strerror(errno));
done:
	if (fd >= 0 && fd != top)
		close(fd);
	close(top);
	buf_release(&dir);
	return ret;
}

/*
 * Read the junit report rel inside workdir without following any symlink
 * or leaving the directory (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS).
 * At most REPORT_MAX + 1 bytes are read: a larger report returns
 * REPORT_TOO_LARGE, never a part of it. -1 with why set: no report.
 */
static int read_report(const char *workdir, const char *rel, struct buf *out, struct buf *why)
{
	int dirfd, fd, ret = -1;
	char chunk[65536];
	struct stat st;
	ssize_t n;

	dirfd = open(workdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0)
		return -1;
	fd = open_beneath(dirfd, rel, O_RDONLY);
	if (fd < 0) {
		buf_addf(why, "no report %s (%s)", rel, errno == ELOOP || errno == EXDEV ?
			 "it is a symlink" : strerror(errno));
		goto done;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		buf_addf(why, "report %s is not a regular file", rel);
		goto done;
	}
	while (out->len <= REPORT_MAX) {
		size_t want = REPORT_MAX + 1 - out->len;

		n = read(fd, chunk, want < sizeof(chunk) ? want : sizeof(chunk));
		if (n <= 0)
			break;
		buf_add(out, chunk, n);
	}
	ret = out->len > REPORT_MAX ? REPORT_TOO_LARGE : 0;
done:
	if (fd >= 0)
		close(fd);
	close(dirfd);
	return ret;
}

/* The most a test can be worth before it reports anything: "cases" fixes it for tap/junit. */
static double test_max(const struct spec_test *t)
{
	return t->cases ? t->cases * t->points : t->points;
}

/*
 * Why a tap or junit run as a whole earns nothing although its cases were
 * read, appended to fail (left empty when the cases count one by one): the
 * report disagrees with the number of cases the teacher fixed, is broken
 * (a limit that stopped the program is the likelier cause then), or (TAP,
 * whose frameworks exit non-zero when a case fails) the program failed
 * although no case did. total is the number of rows.
 */
static void run_failure(const struct spec_test *t, const struct cases *cs, int total,
			const struct observation *o, enum verdict limit, const char *reason,
			struct buf *fail)
{
	int i, failed = total > cs->nr, skipped = 0;

	for (i = 0; i < cs->nr; i++) {
		failed |= cs->v[i].state == CASE_FAIL;
		skipped |= cs->v[i].state == CASE_SKIP;
	}
	if (t->cases && cs->planned >= 0 && cs->planned != t->cases)
		buf_addf(fail, "the plan announces %d case%s; the test has %d", cs->planned,
			 cs->planned == 1 ? "" : "s", t->cases);
	else if (t->cases && cs->over)
		buf_addf(fail, "reported more than %d cases; the test has %d", t->cases, t->cases);
	else if (cs->broken)
		buf_adds(fail, limit ? reason : cs->broken);
	else if (t->format == FORMAT_TAP && !failed && limit)
		buf_adds(fail, reason);
	else if (t->format == FORMAT_TAP && !failed && o->status)
		buf_addf(fail, "exit status %d although %s", o->status,
			 skipped ? "no case failed" : "every case passed");
}

/* Row i of a tap or junit test whose cases count one by one. */
static void case_row(struct grade *g, const struct spec_test *t, const struct cases *cs, int i,
		     struct grade_row *r, enum verdict limit, const char *reason)
{
	const struct test_case *c = i < cs->nr ? &cs->v[i] : NULL;

	if (c && c->state == CASE_PASS) {
		r->verdict = VERDICT_PASS;
		r->points = t->points;
	} else if (c && c->state == CASE_SKIP) {
		r->verdict = VERDICT_SKIPPED;
		if (t->skipped == SKIPPED_EXCLUDE) {
			r->max_points = 0;
			r->excluded = 1;
		}
	} else if (!c && limit) {
		r->verdict = limit;
	}
	if (secret(g, t))
		return;
	if (c && c->state != CASE_PASS)
		set_text(&r->detail, c->detail);
	else if (!c && limit)
		set_text(&r->detail, reason);
	else if (!c)
		set_text(&r->detail, cs->bailed ? "bailed out before this case" : "not reported");
}

/*
 * A tap or junit test: one row per case. A report of more cases than
 * limits.cases (without "cases") is not trusted at all: one failed row
 * says why. With "cases", the test has that many rows whatever the
 * program reported. A run that failed as a whole (run_failure) keeps its
 * rows' names, and none earns anything.
 */
static void grade_cases(struct grade *g, const struct spec_test *t, const struct observation *o,
			enum verdict limit, const char *reason, const char *workdir, int64_t max)
{
	struct cases cs;
	struct buf text = BUF_INIT, why = BUF_INIT, name = BUF_INIT, out = BUF_INIT, fail = BUF_INIT;
	int i, total, parsed = 0, rc = 0;

	memset(&cs, 0, sizeof(cs));
	cs.max = t->cases ? t->cases : max > 0 && max < INT_MAX ? (int)max : INT_MAX;
	if (t->format == FORMAT_TAP) {
		cases_parse_tap(&cs, o->out.all.buf, o->out.all.len);
		parsed = cs.nr > 0 || cs.planned >= 0;
	} else {
		if (!t->report)
			buf_add(&text, o->out.all.buf, o->out.all.len);
		else
			rc = read_report(workdir, t->report, &text, &why);
		if (rc == REPORT_TOO_LARGE) {
			buf_addf(&why, "the report is larger than %d MiB", REPORT_MAX >> 20);
			limit = VERDICT_OUTPUT_LIMIT;
			reason = why.buf;
		} else if (rc || cases_parse_junit(&cs, text.buf, text.len)) {
			if (!why.len)
				buf_adds(&why, cs.broken ? cs.broken : "no JUnit XML report");
		} else {
			parsed = 1;
		}
	}
	if (!secret(g, t))
		excerpt(o, &out);
	if (cs.over && !t->cases) {
		buf_reset(&why);
		buf_addf(&why, "reported more than %d cases; the limit is %d", cs.max, cs.max);
		limit = VERDICT_UNKNOWN;
		parsed = 0;
		cases_release(&cs);
	}
	total = t->cases ? t->cases : cs.planned > cs.nr ? cs.planned : cs.nr;
	if (!parsed || !total) {
		/* Nothing to score case by case: the whole test is one failed row. */
		struct grade_row *r = add_row(g, t->name, t->hidden, test_max(t));

		r->verdict = limit ? limit : VERDICT_FAIL;
		if (!why.len)
			buf_addf(&why, "no %s output", t->format == FORMAT_TAP ? "TAP" : "JUnit");
		set_text(&r->detail, secret(g, t) ? "" : limit ? reason : why.buf);
		set_text(&r->output, out.buf);
		goto done;
	}
	run_failure(t, &cs, total, o, limit, reason, &fail);
	for (i = 0; i < total; i++) {
		struct grade_row *r;

		buf_reset(&name);
		/* A case's name is the test's output: a hidden test's stays unseen. */
		if (i < cs.nr && secret_name(g, t))
			buf_addf(&name, "%s: case %d", t->name, i + 1);
		else
			buf_addf(&name, "%s: %s", t->name, i < cs.nr ? cs.v[i].name : "(not run)");
		r = add_row(g, name.buf, t->hidden, t->points);
		if (!fail.len) {
			case_row(g, t, &cs, i, r, limit, reason);
		} else {
			r->verdict = limit ? limit : VERDICT_FAIL;
			if (!secret(g, t)) {
				buf_reset(&name);
				buf_addf(&name, "the run failed: %s", fail.buf);
				set_text(&r->detail, name.buf);
			}
		}
		set_text(&r->output, i ? "" : out.buf);      /* the excerpt is stored once */
		if (!r->detail)
			set_text(&r->detail, "");
	}
done:
	cases_release(&cs);
	buf_release(&text);
	buf_release(&why);
	buf_release(&name);
	buf_release(&out);
	buf_release(&fail);
}

/* A visible test's input shown next to its diff: at most this many bytes of its start. */
#define INPUT_SHOWN 2048

/* "input:" and the start of it, so that a student can run the failing case again. */
static void show_input(struct buf *d, const char *input)
{
	size_t len = strlen(input), n = len < INPUT_SHOWN ? len : INPUT_SHOWN;

	buf_adds(d, "\ninput:\n");
	buf_add(d, input, n);
	if (n < len)
		buf_addf(d, "\n[... %zu more bytes of input not shown ...]", len - n);
}

/* What a test's checker decided, and what it said (for a visible test's student). */
struct checked {
	int ran;
	int pass;
	struct buf said;
};

/* Of what a checker printed, a student sees at most this many bytes. */
#define CHECKER_SAID 4096

/* The checker's stdout, its start, for the detail. */
static void checker_said(const struct observation *co, struct buf *said)
{
	struct buf out = BUF_INIT;

	capture_text(&co->out, &out);
	buf_add(said, out.buf, out.len < CHECKER_SAID ? out.len : CHECKER_SAID);
	if (out.len > CHECKER_SAID)
		buf_addf(said, "\n[... %zu more bytes the checker printed ...]", out.len - CHECKER_SAID);
	buf_release(&out);
}

/* How much of stdout GitHub Classroom's io grader took (Node's execSync buffer): more is an error. */
#define IO_GRADER_STDOUT (1 << 20)

/*
 * An io test (any format): exit status, then the comparison of stdout.
 * classroom.yml's io grader: a non-zero exit or more than 1 MiB of stdout
 * is an error, CRLF is kept, and a test it could not compare (an unknown
 * comparison-method, an invalid regular expression) is out of the total.
 */
static void grade_io(struct grade *g, const struct spec *s, const struct spec_test *t,
		     const struct observation *o, enum verdict limit, const char *reason,
		     const struct checked *k)
{
	struct grade_row *r = add_row(g, t->name, t->hidden, t->points);
	struct buf d = BUF_INIT, out = BUF_INIT;
	int io_grader = t->grader == GRADER_IO;
	int compare = s->workflow ? io_grader : s->classroom ? (t->output || t->input) : t->output != NULL;

	if (!secret(g, t))
		excerpt(o, &out);
	if (limit) {
		r->verdict = limit;
		buf_adds(&d, reason);
	} else if (o->status != 0) {
		buf_addf(&d, "exit status %d", o->status);
		if (io_grader)
			r->verdict = VERDICT_ERROR;
	} else if (io_grader && o->out.total > IO_GRADER_STDOUT) {
		r->verdict = VERDICT_ERROR;
		buf_addf(&d, "printed more than %d MiB on stdout", IO_GRADER_STDOUT >> 20);
	} else if (k->ran) {
		if (k->pass) {
			r->verdict = VERDICT_PASS;
		} else {
			buf_adds(&d, "the checker failed it");
			if (k->said.len) {
				buf_addch(&d, '\n');
				buf_add(&d, k->said.buf, k->said.len);
			}
		}
	} else if (compare) {
		const char *expected = t->output ? t->output : "";
		struct compare_how how = { t->cmp, t->ignore_case, t->tolerance };
		int rc = t->cmp == CMP_INVALID ? -1 : s->workflow ?
			compare_output_cr(t->cmp, expected, o->out.all.buf, o->out.all.len) :
			compare_output(&how, expected, o->out.all.buf, o->out.all.len);

		if (rc == 1) {
			r->verdict = VERDICT_PASS;
		} else if (rc < 0) {
			r->verdict = VERDICT_ERROR;
			buf_adds(&d, t->cmp == CMP_INVALID ? "the comparison-method is not exact, contains or regex" :
				 "the expected output is not a valid regular expression");
			if (io_grader) {
				/* GitHub's io grader reported no max_score then. */
				r->max_points = 0;
				buf_adds(&d, " (out of the total, as on GitHub)");
			}
		} else {
			buf_adds(&d, "wrong output");
			if (!secret(g, t) && t->cmp != CMP_REGEX) {
				buf_addch(&d, '\n');
				compare_diff(&d, &how, expected, o->out.all.buf, o->out.all.len);
				if (t->input && *t->input)
					show_input(&d, t->input);
			}
			/* The diff reads lines as the other formats do: say what it cannot show. */
			if (s->workflow && memchr(o->out.all.buf, '\r', o->out.all.len))
				buf_adds(&d, "\nthe output has CR (\\r) characters: classroom.yml's graders "
					 "compare them as they are");
		}
	} else {
		r->verdict = VERDICT_PASS;
	}
	if (r->verdict == VERDICT_PASS)
		r->points = t->points;
	set_text(&r->detail, secret(g, t) ? "" : d.buf);
	set_text(&r->output, out.buf);
	buf_release(&d);
	buf_release(&out);
}

/*
 * classroom.yml's python grader: pytest's JUnit report, case by case, each
 * collected test worth an equal share of max-score (unrounded); a skipped
 * one earns nothing. A run that stopped before reporting (pytest's exit
 * status 2 and above: a collection error, no tests) is one error worth
 * max-score; a timeout is out of the total, as GitHub's grader then
 * reported no max_score.
 */
static void grade_pytest(struct grade *g, const struct spec_test *t, const struct observation *o,
			 enum verdict limit, const char *reason, const char *workdir, int64_t max)
{
	struct cases cs;
	struct buf text = BUF_INIT, why = BUF_INIT, name = BUF_INIT, out = BUF_INIT;
	struct grade_row *r;
	int i, rc;

	memset(&cs, 0, sizeof(cs));
	cs.max = max > 0 && max < INT_MAX ? (int)max : INT_MAX;
	excerpt(o, &out);
	if (limit) {
		buf_adds(&why, reason);
	} else if (o->status != 0 && o->status != 1) {
		buf_addf(&why, "pytest ended with exit status %d before any test counted "
			 "(a collection error, or no tests)", o->status);
	} else if ((rc = read_report(workdir, t->report, &text, &why)) ||
		   cases_parse_junit(&cs, text.buf, text.len) || cs.over || !cs.nr) {
		/* read_report() said why it found no report, if it could. */
		if (rc == REPORT_TOO_LARGE)
			buf_addf(&why, "pytest's report is larger than %d MiB", REPORT_MAX >> 20);
		else if (rc)
			buf_adds(&why, why.len ? "" : "pytest wrote no report");
		else if (cs.over)
			buf_addf(&why, "pytest reported more than %d tests", cs.max);
		else
			buf_adds(&why, cs.broken ? cs.broken : "pytest reported no tests");
	}
	if (why.len) {
		r = add_row(g, t->name, 0, limit == VERDICT_WALL_LIMIT ? 0 : t->points);
		r->verdict = limit ? limit : VERDICT_ERROR;
		set_text(&r->detail, why.buf);
		set_text(&r->output, out.buf);
		goto done;
	}
	for (i = 0; i < cs.nr; i++) {
		buf_reset(&name);
		buf_addf(&name, "%s: %s", t->name, cs.v[i].name);
		r = add_row(g, name.buf, 0, t->points / cs.nr);
		r->verdict = cs.v[i].state == CASE_PASS ? VERDICT_PASS :
			     cs.v[i].state == CASE_SKIP ? VERDICT_SKIPPED : VERDICT_FAIL;
		if (r->verdict == VERDICT_PASS)
			r->points = r->max_points;
		set_text(&r->detail, r->verdict == VERDICT_PASS ? "" : cs.v[i].detail);
		set_text(&r->output, i ? "" : out.buf);
	}
done:
	cases_release(&cs);
	buf_release(&text);
	buf_release(&why);
	buf_release(&name);
	buf_release(&out);
}

void grade_build_failed(struct grade *g, const struct spec *s, const char *why)
{
	int i;

	for (i = 0; i < s->nr; i++) {
		const struct spec_test *t = &s->tests[i];
		/*
		 * A tap or junit test is worth nothing before it reports cases,
		 * unless "cases" fixes it; classroom.yml's python grader is worth
		 * its max-score, and a step the reporter does not list nothing.
		 */
		struct grade_row *r = add_row(g, t->name, t->hidden, t->uncounted ? 0 :
					      t->format == FORMAT_IO || t->cases ? test_max(t) :
					      t->grader == GRADER_PYTHON ? t->points : 0);

		r->verdict = VERDICT_BUILD_FAILED;
		set_text(&r->output, "");
		set_text(&r->detail, why);
		g->max_score += r->max_points;
	}
	g->status = STATUS_BUILD_FAILED;
}

/*
 * The teacher's files as they are in the tests directory again: the build
 * and earlier tests ran as the sandbox's user, who owns the work directory
 * and could have rewritten a checker.
 */
static int put_back(const struct spec *s, const char *workdir)
{
	int i;

	for (i = 0; i < s->nr_files; i++)
		if (checkout_restore(s->dir, s->files[i], workdir))
			return -1;
	return 0;
}

/*
 * A test that starts one of the teacher's Python files (`python3 check.py
 * ARGS`, the script one of the spec's files or below one of its
 * directories) runs it isolated, as `python3 -I check.py ARGS`: neither the
 * work directory, nor the environment, nor user site-packages come before
 * Python's own modules, so a committed subprocess.py cannot stand in for
 * the real one. What the checker starts (the student's program) runs as
 * usual, its own directory first. Returns cmd itself, or out's text.
 */
static const char *checker_command(const struct spec *s, const char *cmd, struct buf *out)
{
	const char *p = cmd, *word, *base, *script;
	size_t len;
	int i;

	while (*p == ' ' || *p == '\t')
		p++;
	word = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	for (base = p; base > word && base[-1] != '/'; base--)
		;
	if (p - base < 6 || strncmp(base, "python", 6) ||
	    strspn(base + 6, "0123456789.") != (size_t)(p - base - 6) || !*p)
		return cmd;
	len = (size_t)(p - cmd);
	while (*p == ' ' || *p == '\t')
		p++;
	script = p;
	if (!strncmp(script, "./", 2))
		script += 2;
	p += strcspn(p, " \t\n;&|<>()$`\\\"'*?[]{}~#");
	if (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != ';' && *p != '&' && *p != '|' &&
	    *p != '<' && *p != '>')
		return cmd;
	for (i = 0; i < s->nr_files; i++) {
		const char *f = s->files[i];
		size_t n = strlen(f);

		if ((size_t)(p - script) >= n && !strncmp(script, f, n) &&
		    (script + n == p || script[n] == '/')) {
			buf_add(out, cmd, len);
			buf_adds(out, " -I");
			buf_adds(out, cmd + len);
			return out->buf;
		}
	}
	return cmd;
}

/* A test that did not run (or whose setup failed): one row worth all the test is worth. */
static struct grade_row *test_not_run(struct grade *g, const struct spec_test *t,
				      enum verdict verdict, const char *detail)
{
	struct grade_row *r = add_row(g, t->name, t->hidden, test_max(t));

	r->verdict = verdict;
	set_text(&r->output, "");
	set_text(&r->detail, detail);
	return r;
}

/*
 * A command of classroom.yml's io or command grader, in the environment
 * those actions gave it: only PATH, HOME and these (the sandbox's own
 * PATH, HOME, TMPDIR, LANG and the like stay, as the sandbox needs them).
 */
static const char *action_env(const struct spec_test *t, const char *cmd, struct buf *out)
{
	if (t->grader != GRADER_IO && t->grader != GRADER_COMMAND)
		return cmd;
	buf_reset(out);
	buf_addf(out, "export FORCE_COLOR=true DOTNET_CLI_HOME=/tmp DOTNET_NOLOGO=true; %s", cmd);
	return out->buf;
}

/* The rows from first on count nothing: classroom.yml's reporter does not list their step. */
static void uncount(struct grade *g, int first)
{
	int i;

	for (i = first; i < g->nr; i++) {
		struct grade_row *r = &g->rows[i];
		struct buf d = BUF_INIT;

		r->points = r->max_points = 0;
		r->excluded = 1;
		buf_addf(&d, "%s%snot counted: the grading reporter does not list this step",
			 r->detail ? r->detail : "", r->detail && *r->detail ? "; " : "");
		free(r->detail);
		r->detail = buf_detach(&d, NULL);
	}
}

/*
 * The test's checker, after its run ended well (exit status 0, no limit)
 * and with none of its processes left: in a directory of its own, in a
 * step of its own with the test's limits. k says what it decided. -1 on
 * an infrastructure fault (the directory, holding a hidden test's expected
 * output, could not be removed before a later step).
 */
static int run_checker(struct run_ctx *c, struct grade *g, const struct spec *s,
		       const struct spec_test *t, const char *workdir, const struct observation *o,
		       double cpu, double wall, struct checked *k)
{
	struct buf path = BUF_INIT, cmd = BUF_INIT, why = BUF_INIT;
	struct checker dir;
	struct observation co;
	struct step st;
	struct run_ctx here = *c;
	int ret = -1;

	memset(&co, 0, sizeof(co));
	k->ran = 1;
	/*
	 * The checker's directory, the expected output with it, is made in this
	 * host's work directory; a remote executor's steps never see it, so the
	 * checker runs here, in a sandbox of its own.
	 */
	if (c->ops->remote) {
		if (!c->host->ex && executor_bwrap.open(c->host->w, &c->host->ex, c->host->b)) {
			c->host->ex = NULL;
			g->fault = xstrdup("cannot set up this host's sandbox for the checker");
			goto done;
		}
		here.ops = &executor_bwrap;
		here.ex = c->host->ex;
	}
	buf_addf(&path, "%s/%s", s->dir, t->checker);
	if (checker_prepare(&dir, workdir, path.buf, t->input, t->output, o->out.all.buf,
			    o->out.all.len, &cmd, &k->said)) {
		ret = 0;
		goto done;
	}
	if (run_step(&here, g, cmd.buf, NULL, cpu, wall, 0, NULL, &st, &co)) {
		checker_remove(&dir);
		goto done;
	}
	if (checker_remove(&dir)) {
		g->fault = xstrdup("the checker's directory could not be removed");
		goto done;
	}
	if (limit_verdict(&co, &st, c->l, here.clipped, &why))
		buf_addf(&k->said, "the checker was stopped: %s", why.buf);
	else if (co.status == 0)
		k->pass = 1;
	else if (co.out.total)
		checker_said(&co, &k->said);
	else
		buf_addf(&k->said, "(exit status %d, nothing on stdout)", co.status);
	ret = 0;
done:
	observation_release(&co);
	buf_release(&path);
	buf_release(&cmd);
	buf_release(&why);
	return ret;
}

/*
 * One test of s: its setup (autograding.json, classroom.yml), its run, its
 * rows. -1 on an infrastructure fault.
 */
static int run_test(struct run_ctx *c, struct grade *g, const struct spec *s,
		    const struct spec_test *t, const char *workdir)
{
	const struct limits *l = c->l;
	double wall = t->timeout ? t->timeout : l->wall;
	double cpu = s->classroom || s->workflow ? wall : (l->cpu < wall ? l->cpu : wall);
	enum verdict limit = VERDICT_UNKNOWN;
	int64_t t0 = time_mono_us();
	struct buf reason = BUF_INIT, cmd = BUF_INIT;
	struct checked k = { 0, 0, BUF_INIT };
	struct step st;
	struct observation o;
	int ret = -1;

	memset(&o, 0, sizeof(o));
	if (job_left(c) <= 0.01) {
		test_not_run(g, t, VERDICT_WALL_LIMIT, "not run: the job's time limit ran out");
		ret = 0;
		goto done;
	}
	if (put_back(s, workdir)) {
		test_not_run(g, t, VERDICT_FAIL, "not run: the tests' files could not be put back "
			     "(is the work directory full?)");
		ret = 0;
		goto done;
	}
	if (t->setup) {
		if (t->report && clear_report(workdir, t->report, &reason)) {
			test_not_run(g, t, VERDICT_FAIL, reason.buf);
			ret = 0;
			goto done;
		}
		/* autograding.json: one budget covers setup and run; classroom.yml: each has it all. */
		if (run_step(c, g, action_env(t, t->setup, &cmd), NULL, cpu, wall, 0, t->report, &st, &o))
			goto done;
		limit = limit_verdict(&o, &st, l, c->clipped, &reason);
		if (limit || o.status) {
			struct grade_row *r;
			struct buf out = BUF_INIT;

			if (!limit)
				buf_addf(&reason, "setup failed with exit status %d", o.status);
			buf_adds(&reason, " (the sandbox has no network: tools that setup installs "
				 "belong in the assignment's image)");
			if (!secret(g, t))
				excerpt(&o, &out);
			/* GitHub's io grader reported no max_score for a failed setup; the command grader did. */
			if (t->grader == GRADER_IO)
				buf_adds(&reason, "; out of the total, as on GitHub");
			r = test_not_run(g, t, limit ? limit : VERDICT_FAIL, secret(g, t) ? "" : reason.buf);
			if (t->grader == GRADER_IO)
				r->max_points = 0;
			set_text(&r->output, out.buf);
			buf_release(&out);
			ret = 0;
			goto done;
		}
		observation_release(&o);
		if (!s->workflow) {
			wall -= (time_mono_us() - t0) / 1e6;
			cpu = wall;
		}
	}
	if (t->report && clear_report(workdir, t->report, &reason)) {
		test_not_run(g, t, VERDICT_FAIL, reason.buf);
		ret = 0;
		goto done;
	}
	buf_reset(&cmd);
	if (run_step(c, g, s->workflow ? action_env(t, t->run, &cmd) : checker_command(s, t->run, &cmd),
		     t->input, cpu, wall, 1, t->report, &st, &o))
		goto done;
	limit = limit_verdict(&o, &st, l, c->clipped, &reason);
	note_procs(&o, l, &reason);
	if (t->checker && !limit && !o.status && run_checker(c, g, s, t, workdir, &o, cpu, wall, &k))
		goto done;
	if (t->grader == GRADER_PYTHON)
		grade_pytest(g, t, &o, limit, reason.buf, workdir, l->cases);
	else if (t->format == FORMAT_IO)
		grade_io(g, s, t, &o, limit, reason.buf, &k);
	else
		grade_cases(g, t, &o, limit, reason.buf, workdir, l->cases);
	ret = 0;
done:
	observation_release(&o);
	buf_release(&cmd);
	buf_release(&reason);
	buf_release(&k.said);
	return ret;
}

/*
 * The rows test by test as the spec declares them; first[i] and count[i]
 * say where test i's rows are in the order the tests ran.
 */
static void declared_order(struct grade *g, const struct spec *s, const int *first, const int *count)
{
	struct grade_row *rows = xreallocarray(NULL, g->nr ? g->nr : 1, sizeof(*rows));
	int i, n = 0;

	for (i = 0; i < s->nr; i++) {
		memcpy(rows + n, g->rows + first[i], count[i] * sizeof(*rows));
		n += count[i];
	}
	free(g->rows);
	g->rows = rows;
	g->alloc = g->nr ? g->nr : 1;
}

int grade_run(const struct executor_ops *ops, struct executor *ex, struct checker_host *host,
	      const char *workdir, const struct spec *s, const struct limits *l, volatile int *cancel,
	      struct grade *g)
{
	struct run_ctx c = { ops, ex, host, l, time_mono_us() + (int64_t)(l->job * 1e6), 0, cancel };
	struct buf reason = BUF_INIT;
	struct step st;
	struct observation o;
	int *first = xcalloc(s->nr, sizeof(int)), *count = xcalloc(s->nr, sizeof(int));
	int i, hidden, all_pass = 1, ret = -1;

	memset(&o, 0, sizeof(o));
	if (s->build) {
		enum verdict limit;

		if (run_step(&c, g, s->build, NULL, l->job, l->job, 0, NULL, &st, &o))
			goto done;
		excerpt(&o, &g->build_log);
		limit = limit_verdict(&o, &st, l, c.clipped, &reason);
		if (limit || o.status) {
			if (!limit)
				buf_adds(&reason, "non-zero exit status");
			/* A refused fork shows only as "Resource temporarily unavailable": name the limit, as for a test. */
			note_procs(&o, l, &reason);
			buf_addf(&g->build_log, "%s[build failed: %s]\n",
				 g->build_log.len && g->build_log.buf[g->build_log.len - 1] != '\n' ? "\n" : "",
				 reason.buf);
			grade_build_failed(g, s, "");
			goto done_ok;
		}
		observation_release(&o);
	}
	/*
	 * Steps share the work directory and /tmp: what a hidden test was given
	 * could be kept there for a later step to print. So hidden tests run
	 * after every visible one, and nothing shown runs after them.
	 */
	for (hidden = 0; hidden < 2; hidden++)
		for (i = 0; i < s->nr; i++) {
			if (s->tests[i].hidden != hidden)
				continue;
			first[i] = g->nr;
			if (run_test(&c, g, s, &s->tests[i], workdir))
				goto done;
			if (s->tests[i].uncounted)
				uncount(g, first[i]);
			count[i] = g->nr - first[i];
		}
	declared_order(g, s, first, count);
	/* autograding.json without points anywhere: pass/fail only, a score of 0 of 0. */
	for (i = 0; i < g->nr; i++) {
		g->score += g->rows[i].points;
		g->max_score += g->rows[i].max_points;
		if (g->rows[i].verdict != VERDICT_PASS && !g->rows[i].excluded)
			all_pass = 0;
	}
	g->status = all_pass ? STATUS_PASSED : STATUS_FAILED;
done_ok:
	ret = 0;
done:
	observation_release(&o);
	buf_release(&reason);
	free(first);
	free(count);
	return ret;
}

void grade_outcome(const struct grade *g, const char *provenance, struct job_outcome *o,
		   struct job_result **results)
{
	struct job_result *r = xcalloc(g->nr ? g->nr : 1, sizeof(*r));
	int i;

	for (i = 0; i < g->nr; i++) {
		r[i].name = g->rows[i].name;
		r[i].verdict = verdict_name(g->rows[i].verdict);
		r[i].points = g->rows[i].points;
		r[i].max_points = g->rows[i].max_points;
		r[i].hidden = g->rows[i].hidden;
		r[i].output = g->rows[i].output;
		r[i].detail = g->rows[i].detail;
	}
	memset(o, 0, sizeof(*o));
	o->status = job_status_name(g->status);
	o->score = g->score;
	o->max_score = g->max_score;
	o->build_log = g->build_log.buf;
	o->provenance = provenance;
	o->nr = g->nr;
	o->results = r;
	*results = r;
}
