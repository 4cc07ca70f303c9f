/* workflow.c: GitHub Classroom's classroom.yml, read with libyaml into a spec of its graders. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "workflow.h"
#include "compare.h"
#include "spec.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/banned.h"

/* At most this many YAML events (scalars, starts, ends): a cap on the tree libyaml builds. */
#define WORKFLOW_MAX_EVENTS 100000
/* At most this many steps, and tests: as many as lifebelt.json takes. */
#define WORKFLOW_MAX_STEPS 1000
/* The longest timeout, in minutes: GitHub ran no job longer than six hours. */
#define WORKFLOW_MAX_MINUTES 360

/*
 * The python grader's run: pytest over every *_test.py of the checkout, or
 * pytest's own discovery when there is none, with the grader's -s --tb=no.
 * Isolated (-I), as GitHub's grader imported pytest from its own image,
 * never from the student's files; pytest still puts each test's directory
 * on the path. The cases are read from the JUnit report it writes.
 */
#define PYTEST_REPORT ".lifebelt-pytest.xml"
#define PYTEST_RUN "python3 -I -c 'import os, sys, pytest\n" \
	"f = [os.path.join(r, n) for r, d, ns in os.walk(\"./\") for n in ns if n.endswith(\"_test.py\")]\n" \
	"sys.exit(pytest.main([\"-s\", \"--tb=no\", \"-p\", \"no:cacheprovider\", " \
	"\"--junitxml=" PYTEST_REPORT "\"] + f))'"

enum action {
	ACTION_UNKNOWN, ACTION_CHECKOUT, ACTION_IO, ACTION_COMMAND, ACTION_PYTHON,
	ACTION_REPORTER, ACTION_AUTOGRADING
};

/* The actions understood, by owner/name (either owner: classroom-resources/ or education/). */
static const struct {
	const char *name;
	enum action action;
} actions[] = {
	{ "autograding-io-grader", ACTION_IO },
	{ "autograding-command-grader", ACTION_COMMAND },
	{ "autograding-python-grader", ACTION_PYTHON },
	{ "autograding-grading-reporter", ACTION_REPORTER },
};

struct wf {
	struct spec *s;
	struct buf *warn;
	yaml_document_t doc;
	int alloc;              /* of s->tests */
	int *step_of;           /* test i is steps[step_of[i]] */
	int step;               /* the step being read, -1 outside the steps */
	unsigned long line;     /* the line an error or warning is about, 0 for none */
	unsigned long *line_of; /* test i's step begins on that line */
	const char *label;      /* its id or name, NULL without */
	const char *label_key;  /* "id" or "name" */
	yaml_node_t *root, *job;        /* the workflow and its job: env set above a step */
};

/* Errors and warnings are about n's line from now on; NULL keeps the line. */
static void at(struct wf *w, const yaml_node_t *n)
{
	if (n)
		w->line = (unsigned long)n->start_mark.line + 1;
}

static void where(const struct wf *w, struct buf *b)
{
	buf_addf(b, "%s: ", w->s->path);
	if (w->line)
		buf_addf(b, "line %lu: ", w->line);
	if (w->step >= 0) {
		buf_addf(b, "steps[%d]", w->step);
		if (w->label)
			buf_addf(b, " (%s: %s)", w->label_key ? w->label_key : "id", w->label);
		buf_adds(b, ": ");
	}
}

/*
 * Names and values quoted from the file since from: a tests repository's
 * push brings it from outside, so a control character (a newline, an
 * escape sequence for the teacher's terminal) shows as '?'.
 */
static void plain(struct buf *b, size_t from)
{
	for (; from < b->len; from++)
		if ((unsigned char)b->buf[from] < 0x20 || b->buf[from] == 0x7f)
			b->buf[from] = '?';
}

static int bad(const struct wf *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(const struct wf *w, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	where(w, &b);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	plain(&b, 0);
	error("%s", b.buf);
	buf_release(&b);
	return -1;
}

static void warn(const struct wf *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(const struct wf *w, const char *fmt, ...)
{
	size_t from = w->warn->len;
	va_list ap;

	where(w, w->warn);
	va_start(ap, fmt);
	buf_vaddf(w->warn, fmt, ap);
	va_end(ap);
	plain(w->warn, from);
	buf_addch(w->warn, '\n');
}

/* A syntax error as libyaml reports it, with its line. */
static int syntax(struct wf *w, const yaml_parser_t *p)
{
	if (p->error == YAML_MEMORY_ERROR)
		die("out of memory");
	w->line = (unsigned long)p->problem_mark.line + 1;
	return bad(w, "%s%s%s", p->problem ? p->problem : "not valid YAML", p->context ? " " : "",
		   p->context ? p->context : "");
}

/*
 * Walk the events once before building the tree: nesting deeper than
 * WORKFLOW_MAX_DEPTH or more than WORKFLOW_MAX_EVENTS events is refused
 * before libyaml's loader allocates a node for each.
 */
static int check_shape(struct wf *w, const char *text, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int depth = 0, events = 0, ret = 0, done = 0;

	if (!yaml_parser_initialize(&p))
		die("out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!done && !ret) {
		if (!yaml_parser_parse(&p, &ev)) {
			ret = syntax(w, &p);
			break;
		}
		if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT)
			depth++;
		else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
			depth--;
		done = ev.type == YAML_STREAM_END_EVENT;
		w->line = (unsigned long)ev.start_mark.line + 1;
		yaml_event_delete(&ev);
		if (depth > WORKFLOW_MAX_DEPTH)
			ret = bad(w, "nested deeper than %d levels", WORKFLOW_MAX_DEPTH);
		else if (++events > WORKFLOW_MAX_EVENTS)
			ret = bad(w, "more than %d YAML nodes", WORKFLOW_MAX_EVENTS);
	}
	if (!ret)
		w->line = 0;
	yaml_parser_delete(&p);
	return ret;
}

static yaml_node_t *node(struct wf *w, int id)
{
	return yaml_document_get_node(&w->doc, id);
}

/* A scalar's text, or NULL when n is no scalar or holds a NUL byte. */
static const char *scalar(const yaml_node_t *n)
{
	const char *v;

	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	v = (const char *)n->data.scalar.value;
	return strlen(v) == n->data.scalar.length ? v : NULL;
}

/* The value of key in the mapping map, or NULL. */
static yaml_node_t *get(struct wf *w, const yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pair;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const char *k = scalar(node(w, pair->key));

		if (k && !strcmp(k, key))
			return node(w, pair->value);
	}
	return NULL;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* s trimmed of surrounding whitespace, as a new string. */
static char *trimmed(const char *s)
{
	size_t n;

	while (is_space(*s))
		s++;
	n = strlen(s);
	while (n && is_space(s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/*
 * Input name of the step's `with`, trimmed as GitHub's actions read every
 * input (a new string, "" when it is missing). -1 when it is not a single
 * value.
 */
static int input(struct wf *w, const yaml_node_t *with, const char *name, char **out)
{
	yaml_node_t *v = get(w, with, name);
	const char *text = scalar(v);

	*out = NULL;
	at(w, v ? v : with);
	if (v && !text)
		return bad(w, "with.%s must be a single value%s", name,
			   v->type == YAML_SCALAR_NODE ? " without NUL bytes" : "");
	*out = trimmed(text ? text : "");
	return 0;
}

static int required(struct wf *w, const yaml_node_t *with, const char *name, char **out)
{
	if (input(w, with, name, out))
		return -1;
	if (!**out) {
		free(*out);
		*out = NULL;
		return bad(w, "missing input with.%s (the action requires it)", name);
	}
	return 0;
}

/*
 * A number as the actions read it: digits with an optional fraction
 * (no sign, no exponent: what a generated file holds). whole: the
 * fraction is refused (the python grader's shell arithmetic fails on it).
 */
static int number(struct wf *w, const char *name, const char *text, int whole, double *out)
{
	size_t n = strspn(text, "0123456789"), f = 0;

	if (text[n] == '.' && !whole)
		f = 1 + strspn(text + n + 1, "0123456789");
	if (n + f < 1 + (f > 0) || text[n + f] || n + f > 12)
		return bad(w, "with.%s must be a %s, not '%s'", name,
			   whole ? "whole number" : "number", text);
	*out = strtod(text, NULL);
	return 0;
}

/* timeout (minutes, default 10) into t->timeout (seconds), max-score's integer part into t->points. */
static int budget(struct wf *w, const yaml_node_t *with, struct spec_test *t, int whole)
{
	char *v = NULL;
	double d = 10;
	int ret = -1;

	if (input(w, with, "timeout", &v) || (*v && number(w, "timeout", v, whole, &d)))
		goto done;
	if (d <= 0 || d > WORKFLOW_MAX_MINUTES) {
		bad(w, "with.timeout must be above 0 and at most %d minutes", WORKFLOW_MAX_MINUTES);
		goto done;
	}
	t->timeout = d * 60;
	free(v);
	d = 0;
	if (input(w, with, "max-score", &v) || (*v && number(w, "max-score", v, whole, &d)))
		goto done;
	if (d > 1e6) {
		bad(w, "with.max-score must be at most 1000000");
		goto done;
	}
	t->points = (double)(long)d;       /* parseInt: 2.5 is 2 */
	ret = 0;
done:
	free(v);
	return ret;
}

static struct spec_test *new_test(struct wf *w, enum spec_grader grader, const char *id)
{
	struct spec *s = w->s;
	struct spec_test *t;

	ALLOC_GROW(s->tests, s->nr + 1, w->alloc);
	w->step_of = xreallocarray(w->step_of, w->alloc, sizeof(int));
	w->line_of = xreallocarray(w->line_of, w->alloc, sizeof(*w->line_of));
	w->step_of[s->nr] = w->step;
	w->line_of[s->nr] = w->line;
	t = &s->tests[s->nr++];
	memset(t, 0, sizeof(*t));
	t->grader = grader;
	t->id = id ? xstrdup(id) : NULL;
	t->uncounted = 1;               /* until the reporter lists it */
	return t;
}

static enum spec_cmp comparison(const char *method)
{
	if (!strcmp(method, "exact"))
		return CMP_EXACT;
	if (!strcmp(method, "contains"))
		return CMP_INCLUDED;
	if (!strcmp(method, "regex"))
		return CMP_REGEX;
	return CMP_INVALID;
}

static int io_grader(struct wf *w, const yaml_node_t *with, struct spec_test *t)
{
	char *method = NULL, *input_text = NULL;
	int ret = -1;

	if (required(w, with, "test-name", &t->name) || required(w, with, "command", &t->run) ||
	    required(w, with, "expected-output", &t->output) ||
	    required(w, with, "comparison-method", &method) ||
	    input(w, with, "setup-command", &t->setup) || input(w, with, "input", &input_text) ||
	    budget(w, with, t, 0))
		goto done;
	t->cmp = comparison(method);
	if (t->cmp == CMP_INVALID) {
		at(w, get(w, with, "comparison-method"));
		warn(w, "comparison-method '%s' is not exact, contains or regex: GitHub's io grader "
		     "made it an error, out of the total, and so does Lifebelt", method);
	} else if (t->cmp == CMP_REGEX && compare_regex_check(t->output)) {
		at(w, get(w, with, "expected-output"));
		warn(w, "expected-output is not a valid regular expression: GitHub's io grader "
		     "made it an error, out of the total, and so does Lifebelt");
	}
	if (*input_text)
		t->input = input_text;
	else
		free(input_text);
	input_text = NULL;
	ret = 0;
done:
	free(method);
	free(input_text);
	return ret;
}

static int command_grader(struct wf *w, const yaml_node_t *with, struct spec_test *t)
{
	return required(w, with, "test-name", &t->name) || required(w, with, "command", &t->run) ||
	       input(w, with, "setup-command", &t->setup) || budget(w, with, t, 0) ? -1 : 0;
}

static int python_grader(struct wf *w, const yaml_node_t *step, const yaml_node_t *with,
			 struct spec_test *t)
{
	const char *name = scalar(get(w, step, "name"));

	if (input(w, with, "setup-command", &t->setup) || budget(w, with, t, 1))
		return -1;
	at(w, get(w, with, "setup-command"));
	if (*t->setup)
		warn(w, "with.setup-command is not run: GitHub's python grader never ran it");
	free(t->setup);
	t->setup = NULL;
	t->name = xstrdup(name && *name ? name : t->id ? t->id : "python");
	t->run = xstrdup(PYTEST_RUN);
	t->format = FORMAT_JUNIT;
	t->report = xstrdup(PYTEST_REPORT);
	return 0;
}

/* owner/name@ref to the action it names. */
static enum action action_of(const char *uses)
{
	size_t n = strcspn(uses, "@"), i;
	const char *slash = memchr(uses, '/', n);
	size_t owner;

	if (!slash)
		return ACTION_UNKNOWN;
	owner = slash - uses;
	if (owner == 7 && n == 16 && !strncasecmp(uses, "actions/checkout", 16))
		return ACTION_CHECKOUT;
	if (!((owner == 19 && !strncasecmp(uses, "classroom-resources", 19)) ||
	      (owner == 9 && !strncasecmp(uses, "education", 9))))
		return ACTION_UNKNOWN;
	if (n - owner - 1 == 11 && owner == 9 && !strncasecmp(slash + 1, "autograding", 11))
		return ACTION_AUTOGRADING;
	for (i = 0; i < sizeof(actions) / sizeof(*actions); i++)
		if (n - owner - 1 == strlen(actions[i].name) &&
		    !strncasecmp(slash + 1, actions[i].name, n - owner - 1))
			return actions[i].action;
	return ACTION_UNKNOWN;
}

/* The step id that "${{ steps.ID.outputs.result }}" reads, as a new string, or NULL. */
static char *result_of(const char *value)
{
	char *t = trimmed(value), *inner, *id = NULL;
	size_t n = strlen(t);

	if (n < 5 || strncmp(t, "${{", 3) || strcmp(t + n - 2, "}}"))
		goto done;
	t[n - 2] = '\0';
	inner = trimmed(t + 3);
	n = strlen(inner);
	if (!strncmp(inner, "steps.", 6) && n > 6 + 15 && !strcmp(inner + n - 15, ".outputs.result"))
		id = xstrndup(inner + 6, n - 6 - 15);
	free(inner);
done:
	free(t);
	return id;
}

static int find_test(const struct spec *s, const char *id)
{
	int i;

	for (i = 0; i < s->nr; i++)
		if (s->tests[i].id && !strcmp(s->tests[i].id, id))
			return i;
	return -1;
}

/*
 * The env var name as GitHub Actions sets it: on the step, else on its
 * job, else on the workflow. NULL when none is a single value; errors are
 * then about the runner, else about the value's line.
 */
static const char *env_of(struct wf *w, const yaml_node_t *step, const char *name)
{
	const yaml_node_t *scopes[] = { step, w->job, w->root };
	size_t i;

	for (i = 0; i < sizeof(scopes) / sizeof(*scopes); i++) {
		yaml_node_t *v = get(w, get(w, scopes[i], "env"), name);

		if (scalar(v)) {
			at(w, v);
			return scalar(v);
		}
	}
	return NULL;
}

/* One runner named in the reporter's runners: the test whose result its env var reads. */
static int count_runner(struct wf *w, const yaml_node_t *step, const char *runner, int *listed)
{
	struct buf var = BUF_INIT;
	const char *p, *value;
	char *id = NULL;
	int i, ret = -1;

	/* The reporter reads the env var named by the id upper-cased, "-" kept. */
	for (p = runner; *p; p++)
		buf_addch(&var, *p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
	buf_adds(&var, "_RESULTS");
	if (!(value = env_of(w, step, var.buf))) {
		if (find_test(w->s, runner) < 0)
			bad(w, "runner '%s' names no step: no grader step before the reporter has "
			    "id '%s'", runner, runner);
		else
			bad(w, "runner '%s' has no env.%s (\"${{steps.%s.outputs.result}}\")",
			    runner, var.buf, runner);
		goto done;
	}
	if (!(id = result_of(value))) {
		bad(w, "env.%s must be \"${{steps.ID.outputs.result}}\", not '%s'", var.buf, value);
		goto done;
	}
	if ((i = find_test(w->s, id)) < 0) {
		bad(w, "env.%s reads step '%s', which is no grader step before the reporter", var.buf, id);
		goto done;
	}
	if (listed[i]) {
		bad(w, "runner '%s' reads step '%s' a second time", runner, id);
		goto done;
	}
	listed[i] = 1;
	w->s->tests[i].uncounted = 0;
	ret = 0;
done:
	free(id);
	buf_release(&var);
	return ret;
}

/* The reporter: which graders count. Steps it does not list run and count nothing, as on GitHub. */
static int reporter(struct wf *w, const yaml_node_t *step)
{
	yaml_node_t *with = get(w, step, "with");
	int *listed = xcalloc(w->s->nr + 1, sizeof(int));
	char *runners = NULL, *p, *comma;
	unsigned long line;
	int i, ret = -1;

	if (required(w, with, "runners", &runners))
		goto done;
	line = w->line;
	for (p = runners; p; p = comma ? comma + 1 : NULL) {
		char *one;

		w->line = line;
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		one = trimmed(p);
		if (!*one) {
			free(one);
			bad(w, "with.runners has an empty name (a comma too many)");
			goto done;
		}
		i = count_runner(w, step, one, listed);
		free(one);
		if (i)
			goto done;
	}
	ret = 0;
done:
	free(runners);
	free(listed);
	return ret;
}

static int grader(struct wf *w, const yaml_node_t *step, enum action a, const char *id)
{
	yaml_node_t *with = get(w, step, "with");
	struct spec_test *t;

	if (with && with->type != YAML_MAPPING_NODE) {
		at(w, with);
		return bad(w, "field 'with' must be a mapping of inputs");
	}
	if (id && find_test(w->s, id) >= 0) {
		at(w, get(w, step, "id"));
		return bad(w, "id '%s' is steps[%d]'s already", id, w->step_of[find_test(w->s, id)]);
	}
	if (w->s->nr >= WORKFLOW_MAX_STEPS)
		return bad(w, "more than %d tests", WORKFLOW_MAX_STEPS);
	t = new_test(w, a == ACTION_IO ? GRADER_IO : a == ACTION_COMMAND ? GRADER_COMMAND : GRADER_PYTHON, id);
	if (a == ACTION_IO)
		return io_grader(w, with, t);
	if (a == ACTION_COMMAND)
		return command_grader(w, with, t);
	return python_grader(w, step, with, t);
}

/* Every step in order; the reporter's is kept in *rep for after the graders. */
static int read_steps(struct wf *w, const yaml_node_t *steps, int *rep, int *autograding)
{
	yaml_node_item_t *item;

	*rep = -1;
	if ((steps->data.sequence.items.top - steps->data.sequence.items.start) > WORKFLOW_MAX_STEPS)
		return bad(w, "more than %d steps", WORKFLOW_MAX_STEPS);
	for (item = steps->data.sequence.items.start; item < steps->data.sequence.items.top; item++) {
		yaml_node_t *step = node(w, *item);
		const char *id = scalar(get(w, step, "id")), *uses;
		enum action a;

		w->step = (int)(item - steps->data.sequence.items.start);
		w->label = NULL;
		at(w, step);
		if (!step || step->type != YAML_MAPPING_NODE)
			return bad(w, "a step must be a mapping");
		w->label = id ? id : scalar(get(w, step, "name"));
		w->label_key = id ? "id" : "name";
		if (get(w, step, "run")) {
			at(w, get(w, step, "run"));
			return bad(w, "a 'run' step: Lifebelt grades only actions/checkout, the "
				   "autograding graders and the grading reporter");
		}
		if (!(uses = scalar(get(w, step, "uses"))))
			return bad(w, "field 'uses' must name an action");
		a = action_of(uses);
		if (a == ACTION_UNKNOWN || (*rep >= 0 && a != ACTION_CHECKOUT))
			at(w, get(w, step, "uses"));
		if (a == ACTION_UNKNOWN)
			return bad(w, "unknown action '%s'", uses);
		if (*rep >= 0 && a != ACTION_CHECKOUT)
			return bad(w, "a step after the grading reporter (steps[%d]) counts nothing", *rep);
		if (a == ACTION_REPORTER)
			*rep = w->step;
		else if (a == ACTION_AUTOGRADING)
			*autograding = w->step;
		else if (a != ACTION_CHECKOUT && grader(w, step, a, id))
			return -1;
	}
	return 0;
}

/* The workflow's single job's steps. */
static yaml_node_t *job_steps(struct wf *w, yaml_node_t *root)
{
	yaml_node_t *jobs = get(w, root, "jobs"), *job, *steps;
	const char *name;
	long n;

	at(w, jobs ? jobs : root);
	if (!jobs || jobs->type != YAML_MAPPING_NODE) {
		bad(w, "field 'jobs' must be a mapping of jobs");
		return NULL;
	}
	n = jobs->data.mapping.pairs.top - jobs->data.mapping.pairs.start;
	if (n != 1) {
		bad(w, "field 'jobs' has %ld jobs; Lifebelt grades a workflow of one job", n);
		return NULL;
	}
	name = scalar(node(w, jobs->data.mapping.pairs.start->key));
	job = w->job = node(w, jobs->data.mapping.pairs.start->value);
	steps = get(w, job, "steps");
	at(w, steps ? steps : job);
	if (!steps || steps->type != YAML_SEQUENCE_NODE) {
		bad(w, "jobs.%s: field 'steps' must be a list of steps", name ? name : "?");
		return NULL;
	}
	return steps;
}

int workflow_parse(struct spec *s, const char *text, size_t len, struct buf *warnings)
{
	struct wf w;
	yaml_parser_t p;
	yaml_node_t *root, *steps;
	int rep = -1, autograding = -1, ret = -1, loaded = 0;

	memset(&w, 0, sizeof(w));
	w.s = s;
	w.warn = warnings;
	w.step = -1;
	s->workflow = 1;
	if (len > WORKFLOW_MAX_BYTES)
		return bad(&w, "larger than %d KiB", WORKFLOW_MAX_BYTES >> 10);
	if (check_shape(&w, text, len))
		return -1;
	if (!yaml_parser_initialize(&p))
		die("out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &w.doc)) {
		syntax(&w, &p);
		goto done;
	}
	loaded = 1;
	root = w.root = yaml_document_get_root_node(&w.doc);
	at(&w, root);
	if (!root || root->type != YAML_MAPPING_NODE) {
		bad(&w, "the top level must be a mapping (a GitHub Actions workflow)");
		goto done;
	}
	if (!(steps = job_steps(&w, root)) || read_steps(&w, steps, &rep, &autograding))
		goto done;
	if (autograding >= 0 && !s->nr && rep < 0) {
		ret = WORKFLOW_AUTOGRADING_JSON;
		goto done;
	}
	w.step = autograding;
	w.label = NULL;
	if (autograding >= 0) {
		at(&w, node(&w, steps->data.sequence.items.start[autograding]));
		bad(&w, "education/autograding (autograding.json) beside other graders: keep one or the other");
		goto done;
	}
	w.step = -1;
	at(&w, steps);
	if (rep < 0) {
		bad(&w, "no step uses the grading reporter (classroom-resources/autograding-grading-reporter): "
		    "GitHub Classroom counted no points without it");
		goto done;
	}
	if (!s->nr) {
		bad(&w, "no grader steps (classroom-resources/autograding-io-grader, -command-grader, "
		    "-python-grader)");
		goto done;
	}
	w.step = rep;
	w.label = scalar(get(&w, node(&w, steps->data.sequence.items.start[rep]), "id"));
	w.label_key = "id";
	at(&w, node(&w, steps->data.sequence.items.start[rep]));
	if (reporter(&w, node(&w, steps->data.sequence.items.start[rep])))
		goto done;
	for (w.step = 0; w.step < s->nr; w.step++)
		if (s->tests[w.step].uncounted) {
			int i = w.step;

			w.step = w.step_of[i];
			w.line = w.line_of[i];
			w.label = s->tests[i].id;
			warn(&w, "not among the reporter's runners: it runs and counts nothing, as on GitHub");
			w.step = i;
		}
	ret = 0;
done:
	if (loaded)
		yaml_document_delete(&w.doc);
	yaml_parser_delete(&p);
	free(w.step_of);
	free(w.line_of);
	return ret;
}
