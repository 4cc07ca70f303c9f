/* try.c: `lifebelt try`: a teacher runs an assignment's tests on a local directory, same sandbox. */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkout.h"
#include "executor.h"
#include "grade.h"
#include "runner.h"
#include "slurm.h"
#include "spec.h"
#include "workdir.h"
#include "../db/images.h"
#include "../lib/buf.h"
#include "../lib/home.h"
#include "../lib/fsutil.h"
#include "../lib/log.h"
#include "../lib/banned.h"

/*
 * Print n bytes of what a submission produced on the teacher's terminal:
 * control characters (C0, DEL and UTF-8's C1) become '?', so that no
 * escape sequence in a student's output reaches the terminal.
 */
static void put_text(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = s[i];

		if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
			putchar('?');
		} else if (ch == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
			   (unsigned char)s[i + 1] <= 0x9f) {
			putchar('?');
			i++;
		} else {
			putchar(ch);
		}
	}
}

/* Of a long text, the terminal shows this many bytes of its start and as many of its end. */
#define TRY_SHOWN_HALF 2048

static void print_lines(const char *p, size_t len)
{
	const char *end = p + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		fputs("      ", stdout);
		put_text(p, n);
		putchar('\n');
		p += n + (nl ? 1 : 0);
	}
}

/*
 * What the capture itself left out of the n bytes at s: the count in its
 * "\n[... N bytes elided ...]\n" line, which try's own cut would hide, less
 * that line's own length (counted in n).
 */
static long long kept_elided(const char *s, size_t n)
{
	static const char mark[] = "\n[... ";
	const char *p = memmem(s, n, mark, sizeof(mark) - 1);
	long long count = 0;
	int used = 0;

	/* Not "]\n" in the format: a newline there would match any run of whitespace. */
	if (!p || sscanf(p + sizeof(mark) - 1, "%lld bytes elided ...]%n", &count, &used) != 1 ||
	    !used || count < 0 || p[sizeof(mark) - 1 + used] != '\n' ||
	    (size_t)(p - s) + sizeof(mark) + used > n)
		return 0;
	return count - (long long)(sizeof(mark) + used);
}

/*
 * The text under label, indented: a long one as its head and its tail
 * with the number of bytes left out between, so that a test that floods
 * its output does not flood the terminal (the web page shows all it kept).
 */
static void print_indented(const char *label, const char *text)
{
	size_t len = strlen(text), head = TRY_SHOWN_HALF, tail = TRY_SHOWN_HALF;

	if (!len)
		return;
	printf("    %s:\n", label);
	if (len <= head + tail) {
		print_lines(text, len);
		return;
	}
	/* Cut at line ends where one is near, so that a line is whole or not there. */
	while (head > TRY_SHOWN_HALF / 2 && text[head - 1] != '\n')
		head--;
	if (text[head - 1] != '\n')
		head = TRY_SHOWN_HALF;
	while (tail > TRY_SHOWN_HALF / 2 && text[len - tail - 1] != '\n')
		tail--;
	if (text[len - tail - 1] != '\n')
		tail = TRY_SHOWN_HALF;
	print_lines(text, head);
	printf("      [... %lld bytes elided ...]\n",
	       (long long)(len - head - tail) + kept_elided(text + head, len - head - tail));
	print_lines(text + len - tail, tail);
}

/* Copy every entry of sub except .git into the (possibly mounted) work directory dir. */
static int copy_submission(const char *sub, const char *dir)
{
	DIR *d = opendir(sub);
	struct dirent *de;
	int ret = 0;

	if (!d)
		return error_errno("cannot read %s", sub);
	while (!ret && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strcmp(de->d_name, ".git"))
			ret = checkout_overlay(sub, de->d_name, dir);
	closedir(d);
	return ret;
}

int runner_try(const char *tests_dir, const char *sub)
{
	const struct executor_ops *ops = &executor_bwrap;
	struct worker *w = NULL;
	struct checker_host host = { NULL, NULL, NULL };
	struct executor *ex = NULL;
	struct bundle b;
	char label[32];
	struct spec s;
	struct limits l;
	struct grade g = GRADE_INIT;
	struct buf dir = BUF_INIT, tree = BUF_INIT, why = BUF_INIT, path = BUF_INIT;
	struct image im;
	struct db *db = NULL;
	struct slurm_conf sc = { 0 };
	char tmpl[] = "/tmp/lifebelt-try.XXXXXX";
	const char **reports = NULL;
	int capped, i, rc, ret = -1;
	static volatile int never;

	struct sigaction sa;

	/* A test that ends without reading its input must not end try (EPIPE instead), as in the runner. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	if (!fs_is_dir(tests_dir))
		return error("tests directory '%s' is not a directory", tests_dir);
	if (!fs_is_dir(sub))
		return error("submission directory '%s' is not a directory", sub);
	if (spec_load(tests_dir, &s))
		return -1;
	spec_warn(&s);
	memset(&im, 0, sizeof(im));
	/*
	 * On the server, the sandbox its jobs get: runner.executor and the
	 * slurm.* settings, as the runner reads them. With no database
	 * (a teacher's own machine), the local sandbox.
	 */
	home_path(&path, "lifebelt.db");
	if (!access(path.buf, F_OK) && db_open(&db, path.buf, DB_READONLY))
		goto done;
	ops = runner_executor(db, &s);
	slurm_conf_load(db, &s, &sc);
	if (s.image && ops != &executor_docker) {
		/* The image's name is the server's: its database says where the tree is. */
		if (!db) {
			error("%s names the image '%s': no database at %s to find it in (set LIFEBELT_HOME)",
			      s.path, s.image, path.buf);
			goto done;
		}
		if (runner_image(db, &s, &im, &tree, &why)) {
			error("%s", why.buf);
			goto done;
		}
	}
	runner_limits(NULL, &s, &l);
	if (!mkdtemp(tmpl)) {
		error_errno("cannot create a work directory in /tmp");
		goto done;
	}
	buf_addf(&dir, "%s/work", tmpl);
	if (workdir_create(dir.buf, l.disk, l.files, &capped))
		goto done;
	if (copy_submission(sub, dir.buf))
		goto done;
	for (i = 0; i < s.nr_files; i++)
		if (checkout_overlay(tests_dir, s.files[i], dir.buf))
			goto done;
	snprintf(label, sizeof(label), "try-%ld", (long)getpid());
	b = (struct bundle){ dir.buf, l, 0, label, 0, tree.len ? tree.buf : NULL,
			     ops == &executor_docker ? s.image : NULL, &sc, reports = spec_reports(&s),
			     (const char *const *)s.files };
	w = ops->worker_new();
	if ((rc = ops->open(w, &ex, &b)) == EXECUTOR_BUSY)
		error("the Slurm partition has no free CPU now: try again later");
	if (rc)
		goto done;
	g.reveal = 1;
	/* A remote executor's checkers run here (grade.h). */
	if (ops->remote)
		host.w = executor_bwrap.worker_new();
	host.b = &b;
	if (grade_run(ops, ex, &host, dir.buf, &s, &l, &never, &g)) {
		error("infrastructure fault: %s", g.fault ? g.fault : "grading failed");
		goto done;
	}
	{
		json_t *d = ops->describe(ex);
		char *text = d ? json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

		printf("spec: %s\nsandbox: %s\n", s.path, text ? text : "null");
		if (im.name)
			printf("image: %s %s\n", im.name, im.digest);
		free(text);
		json_decref(d);
	}
	if (g.build_log.len)
		print_indented("build", g.build_log.buf);
	for (i = 0; i < g.nr; i++) {
		const struct grade_row *r = &g.rows[i];

		printf("%-12s ", verdict_name(r->verdict));
		put_text(r->name, strlen(r->name));
		printf("%s  %g/%g\n", r->hidden ? " (hidden)" : "", r->points, r->max_points);
		if (r->verdict != VERDICT_PASS) {
			print_indented("detail", r->detail);
			print_indented("output", r->output);
		}
	}
	printf("%s: %g/%g\n", job_status_name(g.status), g.score, g.max_score);
	ret = 0;
done:
	if (ex)
		ops->close(ex);
	if (host.ex)
		executor_bwrap.close(host.ex);
	if (host.w)
		executor_bwrap.shutdown(host.w);
	ops->shutdown(w);
	if (dir.len) {
		workdir_remove(dir.buf);
		fs_remove_tree(tmpl);
	}
	grade_release(&g);
	free(reports);
	spec_release(&s);
	image_release(&im);
	slurm_conf_release(&sc);
	db_close(db);
	buf_release(&dir);
	buf_release(&tree);
	buf_release(&why);
	buf_release(&path);
	return ret;
}
