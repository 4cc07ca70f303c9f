/* t-workflow.c: GitHub Classroom's classroom.yml read as a spec, good and bad, from byte buffers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "../../runner/spec.h"
#include "../../runner/workflow.h"
#include "../../lib/alloc.h"
#include "../../lib/buf.h"
#include "../../lib/banned.h"

/* As GitHub Classroom generated it (2024-2026): io, python and command graders, the reporter. */
static const char generated[] =
	"name: Autograding Tests\n"
	"'on':\n"
	"- push\n"
	"- repository_dispatch\n"
	"permissions:\n"
	"  checks: write\n"
	"  actions: read\n"
	"  contents: read\n"
	"jobs:\n"
	"  run-autograding-tests:\n"
	"    runs-on: ubuntu-latest\n"
	"    if: github.actor != 'github-classroom[bot]'\n"
	"    steps:\n"
	"    - name: Checkout code\n"
	"      uses: actions/checkout@v4\n"
	"    - name: Sum of two\n"
	"      id: sum-of-two\n"
	"      uses: classroom-resources/autograding-io-grader@v1\n"
	"      with:\n"
	"        test-name: Sum of two\n"
	"        setup-command: ''\n"
	"        command: python3 sum.py\n"
	"        input: |\n"
	"          1 2\n"
	"        expected-output: |-\n"
	"          3\n"
	"          done\n"
	"        comparison-method: exact\n"
	"        timeout: 10\n"
	"        max-score: 2\n"
	"    - name: Unit tests\n"
	"      id: unit-tests\n"
	"      uses: classroom-resources/autograding-python-grader@v1\n"
	"      with:\n"
	"        timeout: 5\n"
	"        max-score: 10\n"
	"    - name: Compiles\n"
	"      id: compiles\n"
	"      uses: classroom-resources/autograding-command-grader@v1\n"
	"      with:\n"
	"        test-name: Compiles\n"
	"        setup-command: 'sudo apt-get install -y gcc '\n"
	"        command: \"  gcc -o sum sum.c  \"\n"
	"        timeout: .5\n"
	"        max-score: 2.5\n"
	"    - name: Style\n"
	"      id: style\n"
	"      uses: classroom-resources/autograding-command-grader@v1\n"
	"      with:\n"
	"        test-name: Style\n"
	"        command: flake8\n"
	"    - name: Autograding Reporter\n"
	"      uses: classroom-resources/autograding-grading-reporter@v1\n"
	"      env:\n"
	"        SUM-OF-TWO_RESULTS: \"${{steps.sum-of-two.outputs.result}}\"\n"
	"        UNIT-TESTS_RESULTS: \"${{steps.unit-tests.outputs.result}}\"\n"
	"        COMPILES_RESULTS: \"${{ steps.compiles.outputs.result }}\"\n"
	"      with:\n"
	"        runners: sum-of-two, unit-tests,compiles\n";

/* The same actions under their older education/ names, flow style, a regex. */
static const char older[] =
	"name: GitHub Classroom Workflow\n"
	"on: [push]\n"
	"jobs:\n"
	"  build:\n"
	"    name: Autograding\n"
	"    runs-on: ubuntu-latest\n"
	"    steps:\n"
	"      - uses: actions/checkout@v3\n"
	"      - id: greet\n"
	"        uses: education/autograding-io-grader@v1\n"
	"        with: {test-name: greet, command: ./greet, expected-output: '^Hello, .*!$',\n"
	"               comparison-method: regex, input: \"  Ada  \"}\n"
	"      - uses: education/autograding-grading-reporter@v1\n"
	"        env: {GREET_RESULTS: \"${{steps.greet.outputs.result}}\"}\n"
	"        with: {runners: greet}\n";

/* What Classroom made before 2024: the workflow only runs autograding.json. */
static const char oldest[] =
	"name: GitHub Classroom Workflow\n"
	"on:\n"
	"  - push\n"
	"  - workflow_dispatch\n"
	"permissions:\n"
	"  checks: write\n"
	"  actions: read\n"
	"  contents: read\n"
	"jobs:\n"
	"  build:\n"
	"    name: Autograding\n"
	"    runs-on: ubuntu-latest\n"
	"    if: github.actor != 'github-classroom[bot]'\n"
	"    steps:\n"
	"      - uses: actions/checkout@v4\n"
	"      - uses: education/autograding@v1\n";

static char err[8192];

/* workflow_parse() on text, its error line (if any) in err. */
static int parse(const char *text, size_t len, struct spec *s, struct buf *warn)
{
	FILE *f = tmpfile();
	int saved, rc;
	size_t n;

	fflush(stderr);
	saved = dup(2);
	dup2(fileno(f), 2);
	memset(s, 0, sizeof(*s));
	s->path = xstrdup("classroom.yml");
	buf_reset(warn);
	rc = workflow_parse(s, text, len, warn);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(err, 1, sizeof(err) - 1, f);
	err[n] = '\0';
	if (n && err[n - 1] == '\n')
		err[n - 1] = '\0';
	fclose(f);
	return rc;
}

/* The one error line bad (a step list spliced into a reporter-less frame) gives. */
static void refused(const char *text, const char *want, const char *what)
{
	struct spec s;
	struct buf warn = BUF_INIT;
	int rc = parse(text, strlen(text), &s, &warn);

	is_int(rc, -1, "%s is refused", what);
	is_str(err, want, "%s: the error line", what);
	ok(!strchr(err, '\n'), "%s: one line", what);
	spec_release(&s);
	buf_release(&warn);
}

#define HEAD "jobs:\n  t:\n    steps:\n    - uses: actions/checkout@v4\n"
#define REPORTER(runners, env) \
	"    - uses: classroom-resources/autograding-grading-reporter@v1\n" \
	"      env:\n" env "      with:\n        runners: " runners "\n"
#define IO(id, extra) \
	"    - id: " id "\n      uses: classroom-resources/autograding-io-grader@v1\n" \
	"      with:\n        test-name: " id "\n        command: ./a\n" extra

static void test_generated(void)
{
	struct spec s;
	struct buf warn = BUF_INIT;

	is_int(parse(generated, strlen(generated), &s, &warn), 0, "a generated workflow loads");
	is_int(s.workflow, 1, "workflow format");
	is_int(s.nr, 4, "one test per grader step, checkout and reporter are none");
	is_int(s.tests[0].grader, GRADER_IO, "io grader");
	is_str(s.tests[0].name, "Sum of two", "test-name");
	is_str(s.tests[0].id, "sum-of-two", "step id");
	is_str(s.tests[0].run, "python3 sum.py", "command");
	is_str(s.tests[0].input, "1 2", "input trimmed: its newline is gone");
	is_str(s.tests[0].output, "3\ndone", "a |- block scalar, lines kept");
	is_int(s.tests[0].cmp, CMP_EXACT, "exact");
	ok(s.tests[0].setup == NULL || !*s.tests[0].setup, "an empty setup-command runs nothing");
	ok(s.tests[0].timeout == 600, "timeout 10 minutes");
	ok(s.tests[0].points == 2, "max-score");
	is_int(s.tests[0].uncounted, 0, "listed by the reporter");
	is_int(s.tests[1].grader, GRADER_PYTHON, "python grader");
	is_str(s.tests[1].name, "Unit tests", "the python grader is named by its step");
	is_int(s.tests[1].format, FORMAT_JUNIT, "read from pytest's JUnit report");
	ok(s.tests[1].report && !strchr(s.tests[1].report, '/'), "a report at the top of the checkout");
	ok(strstr(s.tests[1].run, "-s\", \"--tb=no\"") && strstr(s.tests[1].run, "_test.py"),
	   "pytest -s --tb=no over *_test.py");
	ok(s.tests[1].timeout == 300 && s.tests[1].points == 10, "python timeout and max-score");
	is_int(s.tests[2].grader, GRADER_COMMAND, "command grader");
	is_str(s.tests[2].run, "gcc -o sum sum.c", "command trimmed");
	is_str(s.tests[2].setup, "sudo apt-get install -y gcc", "setup-command trimmed");
	ok(s.tests[2].timeout == 30, "a fractional timeout in minutes");
	ok(s.tests[2].points == 2, "max-score 2.5 counts 2, as parseInt reads it");
	is_int(s.tests[3].uncounted, 1, "a grader the reporter does not list counts nothing");
	ok(s.tests[3].timeout == 600 && s.tests[3].points == 0, "defaults: 10 minutes, 0 points");
	ok(strstr(warn.buf, "classroom.yml: line 46: steps[4] (id: style): not among the reporter's runners"),
	   "the unlisted step is named in a warning");
	spec_release(&s);
	buf_release(&warn);
}

static void test_older(void)
{
	struct spec s;
	struct buf warn = BUF_INIT;
	static const char swapped[] = HEAD
		IO("a", "        expected-output: x\n        comparison-method: contains\n")
		IO("b", "        expected-output: y\n        comparison-method: included\n")
		REPORTER("a", "        A_RESULTS: ${{steps.b.outputs.result}}\n");
	/* The env lines set on the job and the workflow instead of the reporter. */
	static const char above[] = "env:\n  B_RESULTS: ${{steps.b.outputs.result}}\n"
		"jobs:\n  t:\n    env:\n      A_RESULTS: ${{steps.a.outputs.result}}\n"
		"    steps:\n    - uses: actions/checkout@v4\n"
		IO("a", "        expected-output: x\n        comparison-method: exact\n")
		IO("b", "        expected-output: y\n        comparison-method: exact\n")
		REPORTER("a,b", "        X: y\n");

	is_int(parse(older, strlen(older), &s, &warn), 0, "education/ names and flow style load");
	is_int(s.nr, 1, "one test");
	is_str(s.tests[0].output, "^Hello, .*!$", "the pattern");
	is_int(s.tests[0].cmp, CMP_REGEX, "regex");
	is_str(s.tests[0].input, "Ada", "input trimmed at both ends");
	is_int(s.tests[0].uncounted, 0, "counted");
	is_int(warn.len, 0, "no warning");
	spec_release(&s);

	is_int(parse(swapped, strlen(swapped), &s, &warn), 0, "runner a reading step b's result loads");
	is_int(s.tests[0].uncounted, 1, "the reporter reads B's result under A's name: a counts nothing");
	is_int(s.tests[1].uncounted, 0, "b counts");
	is_int(s.tests[0].cmp, CMP_INCLUDED, "contains");
	is_int(s.tests[1].cmp, CMP_INVALID, "included is no comparison-method of the io grader");
	ok(strstr(warn.buf, "classroom.yml: line 18: steps[2] (id: b): comparison-method 'included' is not "
		  "exact, contains or regex"), "and a warning says so, naming its line");
	spec_release(&s);

	is_int(parse(above, strlen(above), &s, &warn), 0, "env lines of the job and the workflow load");
	ok(!s.tests[0].uncounted && !s.tests[1].uncounted, "both runners count");
	spec_release(&s);

	is_int(parse(oldest, strlen(oldest), &s, &warn), WORKFLOW_AUTOGRADING_JSON,
	       "the older workflow hands over to autograding.json");
	is_int(s.nr, 0, "with no tests of its own");
	spec_release(&s);
	buf_release(&warn);
}

static void test_refused(void)
{
	struct buf big = BUF_INIT;
	int i;

	refused(HEAD IO("t", "        expected-output: x\n        comparison-method: exact\n")
		"    - id: test-2\n      uses: foo/bar@v1\n" REPORTER("t", "        T_RESULTS: ${{steps.t.outputs.result}}\n"),
		"error: classroom.yml: line 13: steps[2] (id: test-2): unknown action 'foo/bar@v1'", "an unknown action");
	refused(HEAD "    - name: Setup Java\n      uses: actions/setup-java@v4\n",
		"error: classroom.yml: line 6: steps[1] (name: Setup Java): unknown action 'actions/setup-java@v4'",
		"another action");
	refused(HEAD IO("t", "        comparison-method: exact\n"),
		"error: classroom.yml: line 8: steps[1] (id: t): missing input with.expected-output (the action requires it)",
		"an io grader without expected-output");
	refused(HEAD "    - id: c\n      uses: classroom-resources/autograding-command-grader@v1\n"
		"      with:\n        command: make\n",
		"error: classroom.yml: line 8: steps[1] (id: c): missing input with.test-name (the action requires it)",
		"a command grader without test-name");
	refused(HEAD "    - name: build\n      run: make\n",
		"error: classroom.yml: line 6: steps[1] (name: build): a 'run' step: Lifebelt grades only actions/checkout, "
		"the autograding graders and the grading reporter", "a run step");
	refused(HEAD IO("t", "        expected-output: x\n        comparison-method: exact\n"),
		"error: classroom.yml: line 4: no step uses the grading reporter (classroom-resources/autograding-grading-reporter): "
		"GitHub Classroom counted no points without it", "no reporter");
	refused(HEAD IO("t", "        expected-output: x\n        comparison-method: exact\n")
		REPORTER("t", "        X: y\n"),
		"error: classroom.yml: line 16: steps[2]: runner 't' has no env.T_RESULTS (\"${{steps.t.outputs.result}}\")",
		"a runner without its env var");
	refused(HEAD IO("t", "        expected-output: x\n        comparison-method: exact\n")
		REPORTER("t, u", "        T_RESULTS: ${{steps.t.outputs.result}}\n"),
		"error: classroom.yml: line 16: steps[2]: runner 'u' names no step: no grader step before the "
		"reporter has id 'u'", "a runner that names no step");
	refused(HEAD IO("t", "        expected-output: x\n        comparison-method: exact\n")
		REPORTER("t,", "        T_RESULTS: ${{steps.t.outputs.result}}\n"),
		"error: classroom.yml: line 16: steps[2]: with.runners has an empty name (a comma too many)", "a trailing comma");
	refused(HEAD IO("t", "        expected-output: x\n        comparison-method: exact\n        timeout: soon\n"),
		"error: classroom.yml: line 12: steps[1] (id: t): with.timeout must be a number, not 'soon'", "a timeout in words");
	refused(HEAD IO("t", "        expected-output: x\n        comparison-method: exact\n        timeout: .\n"),
		"error: classroom.yml: line 12: steps[1] (id: t): with.timeout must be a number, not '.'", "a lone dot");
	refused(HEAD "    - id: p\n      uses: classroom-resources/autograding-python-grader@v1\n"
		"      with:\n        timeout: 1.5\n",
		"error: classroom.yml: line 8: steps[1] (id: p): with.timeout must be a whole number, not '1.5'",
		"a fractional python timeout (the grader's shell arithmetic fails on it)");
	refused(HEAD IO("t", "        expected-output: \"a\\0b\"\n        comparison-method: exact\n"),
		"error: classroom.yml: line 10: steps[1] (id: t): with.expected-output must be a single value without NUL bytes",
		"a NUL byte");
	refused(HEAD IO("t", "        expected-output: [a, b]\n        comparison-method: exact\n"),
		"error: classroom.yml: line 10: steps[1] (id: t): with.expected-output must be a single value", "a list as an input");
	refused(HEAD "    - id: \"a\\nb\\e[2J\"\n      uses: \"x\\ny\"\n",
		"error: classroom.yml: line 6: steps[1] (id: a?b?[2J): unknown action 'x?y'",
		"control characters in a quoted id and action");
	refused(HEAD IO("t", "        expected-output: x\n        comparison-method: exact\n") IO("t", ""),
		"error: classroom.yml: line 12: steps[2] (id: t): id 't' is steps[1]'s already", "a repeated id");
	refused("jobs:\n  a:\n    steps: []\n  b:\n    steps: []\n",
		"error: classroom.yml: line 2: field 'jobs' has 2 jobs; Lifebelt grades a workflow of one job", "two jobs");
	refused("- a\n- b\n", "error: classroom.yml: line 1: the top level must be a mapping (a GitHub Actions workflow)",
		"a list");
	refused("", "error: classroom.yml: the top level must be a mapping (a GitHub Actions workflow)", "an empty file");
	refused("jobs:\n  t:\n    steps:\n    - uses: [\n",
		"error: classroom.yml: line 5: did not find expected node content while parsing a flow node",
		"malformed YAML");
	refused("jobs:\n  t:\n  steps: x\n\tbad: 1\n",
		"error: classroom.yml: line 4: found a tab character that violates indentation while scanning a plain scalar",
		"a tab");

	for (i = 0; i < 10000; i++)
		buf_addch(&big, '[');
	refused(big.buf, "error: classroom.yml: line 1: nested deeper than 32 levels", "deep nesting");
	buf_reset(&big);
	buf_adds(&big, "x: [");
	for (i = 0; i < 200000; i++)
		buf_adds(&big, "1,");
	buf_adds(&big, "1]\n");
	refused(big.buf, "error: classroom.yml: line 1: more than 100000 YAML nodes", "too many nodes");
	buf_reset(&big);
	while (big.len <= WORKFLOW_MAX_BYTES)
		buf_adds(&big, "# a comment line to pad the file out\n");
	refused(big.buf, "error: classroom.yml: larger than 1024 KiB", "a file over 1 MiB");
	/* Aliases are followed one step, never expanded: a billion laughs is just a small tree. */
	buf_reset(&big);
	buf_adds(&big, "a: &a [x, x, x, x, x, x, x, x, x]\n");
	for (i = 1; i < 20; i++)
		buf_addf(&big, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", 'a' + i, 'a' + i,
			 'a' + i - 1, 'a' + i - 1, 'a' + i - 1, 'a' + i - 1, 'a' + i - 1, 'a' + i - 1,
			 'a' + i - 1, 'a' + i - 1, 'a' + i - 1);
	buf_adds(&big, "jobs: *t\n");
	refused(big.buf, "error: classroom.yml: line 20: field 'jobs' must be a mapping of jobs", "nested aliases");
	buf_release(&big);
}

/* Every prefix and many one-byte changes of a real workflow: refused or read, never a crash. */
static void test_mangled(void)
{
	struct buf b = BUF_INIT, warn = BUF_INIT;
	struct spec s;
	size_t i, len = strlen(generated);
	int bad = 0;
	unsigned seed = 1;

	for (i = 0; i < len; i += 3) {
		int rc = parse(generated, i, &s, &warn);

		bad += rc != -1 && rc != 0;
		spec_release(&s);
	}
	for (i = 0; i < 3000; i++) {
		static const char bytes[] = "\0\n\t :-[]{}&*!|>'\"%@`#,?\\\x80\xff";

		buf_reset(&b);
		buf_add(&b, generated, len);
		seed = seed * 1103515245 + 12345;
		b.buf[(seed >> 8) % len] = bytes[(seed >> 20) % (sizeof(bytes) - 1)];
		bad += parse(b.buf, b.len, &s, &warn) < -1;
		spec_release(&s);
	}
	is_int(bad, 0, "prefixes and changed bytes are read or refused");
	buf_release(&b);
	buf_release(&warn);
}

int main(void)
{
	test_generated();
	test_older();
	test_refused();
	test_mangled();
	return done_testing();
}
