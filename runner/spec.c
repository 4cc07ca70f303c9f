/* spec.c: finding, reading and checking lifebelt.json and GitHub Classroom's autograding.json. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "spec.h"
#include "compare.h"
#include "workflow.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/banned.h"

/* Whole seconds as an integer, as a reader of the provenance expects them. */
static json_t *seconds(double d)
{
	return d == (double)(json_int_t)d ? json_integer((json_int_t)d) : json_real(d);
}

json_t *limits_json(const struct limits *l)
{
	const struct limit_key *k;
	json_t *o = json_object();

	for (k = limit_keys; o && k->name; k++)
		json_object_set_new(o, k->name, k->is_double ? seconds(limits_get(l, k)) :
				    json_integer((json_int_t)limits_get(l, k)));
	return o;
}

const char **spec_reports(const struct spec *s)
{
	const char **r = xcalloc(s->nr + 1, sizeof(*r));
	int i, n = 0;

	for (i = 0; i < s->nr; i++)
		if (s->tests[i].report)
			r[n++] = s->tests[i].report;
	return r;
}

void spec_release(struct spec *s)
{
	int i;

	for (i = 0; i < s->nr; i++) {
		struct spec_test *t = &s->tests[i];

		free(t->name);
		free(t->setup);
		free(t->run);
		free(t->input);
		free(t->output);
		free(t->report);
		free(t->id);
		free(t->checker);
	}
	for (i = 0; i < s->nr_files; i++)
		free(s->files[i]);
	free(s->files);
	free(s->tests);
	free(s->build);
	free(s->executor);
	for (i = 0; i < 3; i++)
		free(s->slurm[i]);
	free(s->image);
	free(s->path);
	free(s->dir);
	free(s->warnings);
	memset(s, 0, sizeof(*s));
}

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

static int bad(const struct spec *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(const struct spec *s, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	error("%s: %s", s->path, b.buf);
	buf_release(&b);
	return -1;
}

/* A relative path that stays inside its directory. */
static int path_is_safe(const char *p)
{
	const char *c = p;

	if (!*p || *p == '/')
		return 0;
	while (*c) {
		size_t n = strcspn(c, "/");

		if ((n == 2 && !strncmp(c, "..", 2)) || n == 0)
			return 0;
		c += n;
		if (*c == '/')
			c++;
	}
	return 1;
}

static int load_limits(struct spec *s, json_t *obj)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return bad(s, "field 'limits' must be an object");
	json_object_foreach(obj, key, v) {
		const struct limit_key *k = limit_key_find(key);
		double d;

		if (!k)
			return bad(s, "unknown field 'limits.%s'", key);
		if (!json_is_number(v) || (d = json_number_value(v)) <= 0 || d > k->max)
			return bad(s, "field 'limits.%s' must be a number above 0 and at most %g",
				   key, k->max);
		limits_set(&s->limits, k, d);
	}
	return 0;
}

static int get_string(struct spec *s, json_t *t, int i, const char *field, char **out, int required)
{
	json_t *v = json_object_get(t, field);

	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return bad(s, "tests[%d]: missing field '%s'", i, field);
		return 0;
	}
	if (!json_is_string(v))
		return bad(s, "tests[%d]: field '%s' must be a string", i, field);
	if (required && !*json_string_value(v))
		return bad(s, "tests[%d]: field '%s' is empty", i, field);
	*out = dup_or_null(json_string_value(v));
	return 0;
}

static int known_field(const char *key, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(*list, key))
			return 1;
	return 0;
}

/* The default tolerance of comparison "numbers": a float printed with %g passes, a wrong digit fails. */
#define DEFAULT_TOLERANCE 1e-6

/*
 * "comparison", "ignore_case" and "tolerance" of tests[i]: each named when
 * wrong, and a field that would change nothing refused rather than
 * ignored.
 */
static int load_comparison(struct spec *s, int i, json_t *v)
{
	static const char *const names[] = { "exact", "included", "regex", "whitespace", "numbers", NULL };
	static const enum spec_cmp cmps[] = { CMP_EXACT, CMP_INCLUDED, CMP_REGEX, CMP_WHITESPACE, CMP_NUMBERS };
	struct spec_test *st = &s->tests[i];
	const char *str = json_string_value(v);
	int k;

	for (k = 0; str && names[k] && strcmp(str, names[k]); k++)
		;
	if (!str || !names[k])
		return bad(s, "tests[%d]: field 'comparison' must be \"exact\", \"included\", \"regex\", "
			   "\"whitespace\" or \"numbers\"", i);
	st->cmp = cmps[k];
	if ((st->cmp == CMP_WHITESPACE || st->cmp == CMP_NUMBERS) && !st->output)
		return bad(s, "tests[%d]: comparison \"%s\" needs field 'output'", i, str);
	return 0;
}

static int load_comparison_flags(struct spec *s, json_t *t, int i)
{
	struct spec_test *st = &s->tests[i];
	json_t *v;

	if ((v = json_object_get(t, "ignore_case"))) {
		if (!json_is_boolean(v))
			return bad(s, "tests[%d]: field 'ignore_case' must be true or false", i);
		if (!st->output)
			return bad(s, "tests[%d]: field 'ignore_case' needs field 'output'", i);
		st->ignore_case = json_is_true(v);
	}
	st->tolerance = st->cmp == CMP_NUMBERS ? DEFAULT_TOLERANCE : 0;
	if ((v = json_object_get(t, "tolerance"))) {
		if (st->cmp != CMP_NUMBERS)
			return bad(s, "tests[%d]: field 'tolerance' is for comparison \"numbers\" only", i);
		if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1e300)
			return bad(s, "tests[%d]: field 'tolerance' must be a number, 0 or above", i);
		st->tolerance = json_number_value(v);
	}
	return 0;
}

/*
 * "checker": a file of the tests directory, run as ./NAME in a directory
 * of its own (grade.c), so its last component is a plain file name. It
 * decides alone: a comparison beside it would never be used.
 */
static int check_checker(struct spec *s, json_t *t, int i)
{
	const char *c = s->tests[i].checker, *base = strrchr(c, '/');
	static const char *const unused[] = { "comparison", "ignore_case", "tolerance", NULL };
	int k;

	base = base ? base + 1 : c;
	if (!path_is_safe(c) || *base == '-' || *base == '.' ||
	    strspn(base, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen(base))
		return bad(s, "tests[%d]: field 'checker' must be a file of the tests directory "
			   "(letters, digits, '.', '_' and '-' in its name)", i);
	for (k = 0; unused[k]; k++)
		if (json_object_get(t, unused[k]))
			return bad(s, "tests[%d]: field '%s' does not go with 'checker': the checker decides", i,
				   unused[k]);
	return 0;
}

/* One test of lifebelt.json: strict, every field checked and named. */
static int load_native_test(struct spec *s, json_t *t, int i)
{
	static const char *const fields[] = { "name", "run", "input", "output", "comparison",
		"timeout", "points", "hidden", "format", "report", "cases", "skipped", "ignore_case",
		"tolerance", "checker", NULL };
	struct spec_test *st = &s->tests[i];
	const char *key, *str;
	json_t *v;

	if (!json_is_object(t))
		return bad(s, "tests[%d] must be an object", i);
	json_object_foreach(t, key, v)
		if (!known_field(key, fields))
			return bad(s, "tests[%d]: unknown field '%s'", i, key);
	st->points = 1;
	st->cmp = CMP_EXACT;
	if (get_string(s, t, i, "name", &st->name, 1) || get_string(s, t, i, "run", &st->run, 1) ||
	    get_string(s, t, i, "input", &st->input, 0) ||
	    get_string(s, t, i, "output", &st->output, 0) ||
	    get_string(s, t, i, "report", &st->report, 0) ||
	    get_string(s, t, i, "checker", &st->checker, 0))
		return -1;
	if (st->checker && check_checker(s, t, i))
		return -1;
	if ((v = json_object_get(t, "comparison")) && load_comparison(s, i, v))
		return -1;
	if ((v = json_object_get(t, "format"))) {
		str = json_string_value(v);
		if (str && !strcmp(str, "io"))
			st->format = FORMAT_IO;
		else if (str && !strcmp(str, "tap"))
			st->format = FORMAT_TAP;
		else if (str && !strcmp(str, "junit"))
			st->format = FORMAT_JUNIT;
		else
			return bad(s, "tests[%d]: field 'format' must be \"io\", \"tap\" or \"junit\"", i);
	}
	if ((v = json_object_get(t, "timeout"))) {
		if (!json_is_number(v) || json_number_value(v) <= 0 || json_number_value(v) > 3600)
			return bad(s, "tests[%d]: field 'timeout' must be seconds, above 0 and at most 3600", i);
		st->timeout = json_number_value(v);
	}
	if ((v = json_object_get(t, "points"))) {
		if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1e6)
			return bad(s, "tests[%d]: field 'points' must be a number from 0 to 1000000", i);
		st->points = json_number_value(v);
	}
	if ((v = json_object_get(t, "hidden"))) {
		if (!json_is_boolean(v))
			return bad(s, "tests[%d]: field 'hidden' must be true or false", i);
		st->hidden = json_is_true(v);
	}
	if ((v = json_object_get(t, "cases"))) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 100000)
			return bad(s, "tests[%d]: field 'cases' must be a whole number from 1 to 100000", i);
		st->cases = (int)json_integer_value(v);
	}
	if ((v = json_object_get(t, "skipped"))) {
		str = json_string_value(v);
		if (str && !strcmp(str, "zero"))
			st->skipped = SKIPPED_ZERO;
		else if (str && !strcmp(str, "exclude"))
			st->skipped = SKIPPED_EXCLUDE;
		else
			return bad(s, "tests[%d]: field 'skipped' must be \"zero\" or \"exclude\"", i);
	}
	if (st->format == FORMAT_IO && (json_object_get(t, "cases") || json_object_get(t, "skipped")))
		return bad(s, "tests[%d]: fields 'cases' and 'skipped' are for format \"tap\" or \"junit\" only", i);
	if (st->format != FORMAT_IO && (st->output || st->input))
		return bad(s, "tests[%d]: fields 'input' and 'output' are for format \"io\" only", i);
	if (st->checker && st->format != FORMAT_IO)
		return bad(s, "tests[%d]: field 'checker' is for format \"io\" only", i);
	if (st->report && st->format != FORMAT_JUNIT)
		return bad(s, "tests[%d]: field 'report' is for format \"junit\" only", i);
	if (st->report && !path_is_safe(st->report))
		return bad(s, "tests[%d]: field 'report' must be a relative path inside the work directory", i);
	if (load_comparison_flags(s, t, i))
		return -1;
	if (st->cmp == CMP_REGEX && st->output && compare_regex_check(st->output))
		return bad(s, "tests[%d]: field 'output' is not a valid regular expression", i);
	if (st->cmp == CMP_REGEX && !st->output)
		return bad(s, "tests[%d]: comparison \"regex\" needs field 'output'", i);
	return 0;
}

int docker_image_valid(const char *t)
{
	return t && *t && strlen(t) <= 255 && t[0] != '-' &&
	       strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/:@-") == strlen(t);
}

/* "slurm": where on the cluster the Slurm executor sends this assignment's jobs. 0 or -1 (reported). */
static int load_slurm(struct spec *s, json_t *o)
{
	static const char *const keys[] = { "partition", "account", "reservation" };
	const char *k;
	json_t *v;
	int i;

	if (!o)
		return 0;
	if (!json_is_object(o))
		return bad(s, "field 'slurm' must be an object such as {\"partition\": \"grading\"}");
	json_object_foreach(o, k, v) {
		const char *t = json_string_value(v);

		for (i = 0; i < 3 && strcmp(k, keys[i]); i++)
			;
		if (i == 3)
			return bad(s, "field 'slurm.%s' is unknown (partition, account, reservation)", k);
		if (!t || !*t || *t == '-' || strlen(t) > 64 ||
		    strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen(t))
			return bad(s, "field 'slurm.%s' must be a Slurm name (letters, digits, '.', '_', '-')", k);
		s->slurm[i] = xstrdup(t);
	}
	return 0;
}

/*
 * "executor" and "image": how the job runs. The image is one of the
 * server's (lifebelt image add), whose tree is the sandbox's /; with the
 * Docker executor, a Docker image. 0, or -1 (reported).
 */
static int load_executor(struct spec *s, json_t *root)
{
	json_t *v = json_object_get(root, "executor");
	const char *t;

	if (v) {
		t = json_string_value(v);
		if (!t || (strcmp(t, "bwrap") && strcmp(t, "docker") && strcmp(t, "slurm")))
			return bad(s, "field 'executor' must be \"bwrap\", \"docker\" or \"slurm\"");
		s->executor = xstrdup(t);
	}
	if (load_slurm(s, json_object_get(root, "slurm")))
		return -1;
	if (!(v = json_object_get(root, "image")))
		return 0;
	t = json_string_value(v);
	if (s->executor && !strcmp(s->executor, "docker")) {
		if (!docker_image_valid(t))
			return bad(s, "field 'image' must be a Docker image such as \"lifebelt-python:1\"");
	} else if (!t || (name_valid(t) && (s->executor || !docker_image_valid(t)))) {
		/*
		 * Without an "executor" the server's runner.executor decides
		 * which the image is (image_spec_check() holds it to that).
		 */
		return bad(s, "field 'image' must be an image's name (lifebelt image list)");
	}
	s->image = xstrdup(t);
	return 0;
}

/* One test of autograding.json: GitHub Classroom's own lenient reading. */
static int load_classroom_test(struct spec *s, json_t *t, int i)
{
	struct spec_test *st = &s->tests[i];
	const char *str;
	json_t *v;

	if (!json_is_object(t))
		return bad(s, "tests[%d] must be an object", i);
	if (get_string(s, t, i, "name", &st->name, 1) || get_string(s, t, i, "run", &st->run, 1) ||
	    get_string(s, t, i, "setup", &st->setup, 0) ||
	    get_string(s, t, i, "input", &st->input, 0) ||
	    get_string(s, t, i, "output", &st->output, 0))
		return -1;
	str = json_string_value(json_object_get(t, "comparison"));
	st->cmp = CMP_INCLUDED;         /* missing or unknown */
	if (str && !strcmp(str, "exact"))
		st->cmp = CMP_EXACT;
	else if (str && !strcmp(str, "regex"))
		st->cmp = CMP_REGEX;
	v = json_object_get(t, "timeout");
	st->timeout = 60;               /* minutes; missing, null or 0: one minute */
	if (v && !json_is_null(v)) {
		if (!json_is_number(v) || json_number_value(v) < 0)
			return bad(s, "tests[%d]: field 'timeout' must be a number of minutes", i);
		if (json_number_value(v) > 0)
			st->timeout = json_number_value(v) * 60;
	}
	v = json_object_get(t, "points");
	st->points = 0;                 /* only a truthy number counts */
	if (json_is_number(v) && json_number_value(v) > 0 && isfinite(json_number_value(v)))
		st->points = json_number_value(v);
	return 0;
}

static int load_file(struct spec *s, const char *path, int classroom)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	json_t *tests, *v;
	size_t i;
	int ret = -1;

	s->path = xstrdup(path);
	s->classroom = classroom;
	if (!root)
		return error("%s: line %d: %s", path, jerr.line, jerr.text);
	tests = json_object_get(root, "tests");
	if (!json_is_object(root)) {
		bad(s, "the top level must be a JSON object");
		goto done;
	}
	if (!json_is_array(tests)) {
		bad(s, "field 'tests' must be an array of tests");
		goto done;
	}
	if (!json_array_size(tests)) {
		bad(s, "field 'tests' is empty");
		goto done;
	}
	if (json_array_size(tests) > 1000) {
		bad(s, "field 'tests' has more than 1000 tests");
		goto done;
	}
	if (!classroom) {
		static const char *const fields[] = { "build", "tests", "limits", "files", "executor", "slurm",
						      "image", NULL };
		const char *key;

		json_object_foreach(root, key, v)
			if (!known_field(key, fields)) {
				bad(s, "unknown field '%s'", key);
				goto done;
			}
		v = json_object_get(root, "build");
		if (v && !json_is_string(v)) {
			bad(s, "field 'build' must be a string (a shell command)");
			goto done;
		}
		s->build = dup_or_null(json_string_value(v));
		if (load_executor(s, root))
			goto done;
		if ((v = json_object_get(root, "limits")) && load_limits(s, v))
			goto done;
		if ((v = json_object_get(root, "files"))) {
			if (!json_is_array(v)) {
				bad(s, "field 'files' must be an array of paths");
				goto done;
			}
			s->files = xcalloc(json_array_size(v) + 1, sizeof(char *));
			for (i = 0; i < json_array_size(v); i++) {
				const char *f = json_string_value(json_array_get(v, i));

				if (!f || !path_is_safe(f)) {
					bad(s, "files[%zu] must be a relative path inside the tests directory", i);
					goto done;
				}
				s->files[s->nr_files++] = xstrdup(f);
			}
		}
	}
	s->tests = xcalloc(json_array_size(tests), sizeof(*s->tests));
	for (i = 0; i < json_array_size(tests); i++) {
		int rc;

		s->nr = i + 1;
		rc = classroom ? load_classroom_test(s, json_array_get(tests, i), i)
			       : load_native_test(s, json_array_get(tests, i), i);
		if (rc)
			goto done;
	}
	if (!classroom) {
		int a, b;

		for (a = 0; a < s->nr; a++)
			for (b = 0; b < a; b++)
				if (!strcmp(s->tests[a].name, s->tests[b].name)) {
					bad(s, "tests[%d]: field 'name' repeats \"%s\"", a, s->tests[a].name);
					goto done;
				}
	}
	ret = 0;
done:
	json_decref(root);
	return ret;
}

/* classroom.yml, read whole up to the parser's cap: a tests repository brings it from outside. */
static int load_workflow(struct spec *s, const char *path, struct buf *warn)
{
	struct buf text = BUF_INIT;
	struct stat st;
	int fd, ret = -1;

	s->path = xstrdup(path);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode))
		error("%s: cannot read it (%s)", path, fd < 0 ? strerror(errno) : "not a regular file");
	else if (st.st_size > WORKFLOW_MAX_BYTES)
		error("%s: larger than %d KiB", path, WORKFLOW_MAX_BYTES >> 10);
	else if (buf_read_fd(&text, fd) < 0)
		error_errno("%s: cannot read it", path);
	else
		ret = workflow_parse(s, text.buf, text.len, warn);
	if (fd >= 0)
		close(fd);
	buf_release(&text);
	return ret;
}

/* The spec's possible files, the one read first: lifebelt.json wins over GitHub Classroom's. */
enum { SPEC_NATIVE, SPEC_WORKFLOW, SPEC_WORKFLOW_TOP, SPEC_AUTOGRADING, SPEC_AUTOGRADING_TOP, SPEC_FILES };
static const char *const spec_files[SPEC_FILES] = {
	"lifebelt.json", ".github/workflows/classroom.yml", "classroom.yml",
	".github/classroom/autograding.json", "autograding.json",
};

/* The first of spec_files from first on that is in dir (its index, or SPEC_FILES), as path. */
static int find_spec(const char *dir, int first, struct buf *path)
{
	int i;

	for (i = first; i < SPEC_FILES; i++) {
		buf_reset(path);
		buf_addf(path, "%s/%s", dir, spec_files[i]);
		if (!access(path->buf, F_OK))
			break;
	}
	return i;
}

/* Read the spec file `which` of dir, and what it leads to: the older classroom.yml grades autograding.json. */
static int load_one(const char *dir, struct spec *s, int *which, struct buf *p, struct buf *warn)
{
	int rc;

	if (*which == SPEC_NATIVE || *which >= SPEC_AUTOGRADING)
		return load_file(s, p->buf, *which != SPEC_NATIVE);
	rc = load_workflow(s, p->buf, warn);
	if (rc != WORKFLOW_AUTOGRADING_JSON)
		return rc;
	spec_release(s);
	*which = find_spec(dir, SPEC_AUTOGRADING, p);
	if (*which == SPEC_FILES)
		return error("%s/%s runs education/autograding, which reads .github/classroom/autograding.json: "
			     "it is not there", dir, spec_files[SPEC_WORKFLOW]);
	return load_file(s, p->buf, 1);
}

int spec_load(const char *dir, struct spec *s)
{
	struct buf p = BUF_INIT, warn = BUF_INIT;
	int which, other, ret = -1, i;

	memset(s, 0, sizeof(*s));
	which = find_spec(dir, 0, &p);
	if (which == SPEC_FILES) {
		error("tests directory %s has no lifebelt.json (or classroom.yml, "
		      ".github/classroom/autograding.json)", dir);
		goto done;
	}
	if (load_one(dir, s, &which, &p, &warn))
		goto done;
	s->dir = xstrdup(dir);
	for (other = 0; other < SPEC_FILES; other++) {
		/* The older classroom.yml only said to read autograding.json: nothing of it is ignored. */
		if (other == which || (s->classroom && (other == SPEC_WORKFLOW || other == SPEC_WORKFLOW_TOP)))
			continue;
		buf_reset(&p);
		buf_addf(&p, "%s/%s", dir, spec_files[other]);
		if (!access(p.buf, F_OK))
			buf_addf(&warn, "%s is ignored: %s is the spec\n", spec_files[other], spec_files[which]);
	}
	for (i = 0; i < s->nr_files; i++) {
		buf_reset(&p);
		buf_addf(&p, "%s/%s", dir, s->files[i]);
		if (access(p.buf, F_OK)) {
			bad(s, "files[%d]: %s is not in the tests directory", i, s->files[i]);
			goto done;
		}
	}
	for (i = 0; i < s->nr; i++) {
		struct stat st;

		if (!s->tests[i].checker)
			continue;
		buf_reset(&p);
		buf_addf(&p, "%s/%s", dir, s->tests[i].checker);
		if (lstat(p.buf, &st) || !S_ISREG(st.st_mode)) {
			bad(s, "tests[%d]: field 'checker': %s is not a file in the tests directory", i,
			    s->tests[i].checker);
			goto done;
		}
	}
	if (warn.len)
		s->warnings = buf_detach(&warn, NULL);
	ret = 0;
done:
	if (ret)
		spec_release(s);
	buf_release(&p);
	buf_release(&warn);
	return ret;
}

const char *spec_file(const struct spec *s)
{
	size_t n = s->dir ? strlen(s->dir) : 0;

	if (n && !strncmp(s->path, s->dir, n) && s->path[n] == '/')
		return s->path + n + 1;
	return s->path;
}

void spec_warn(const struct spec *s)
{
	const char *p = s->warnings;

	while (p && *p) {
		size_t n = strcspn(p, "\n");

		warning("%.*s", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

int spec_check_dir(const char *dir)
{
	struct spec s;

	if (spec_load(dir, &s))
		return -1;
	spec_warn(&s);
	spec_release(&s);
	return 0;
}
