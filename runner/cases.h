/* cases.h: test cases reported by a test framework (TAP on stdout, JUnit XML), scored one by one. */
#ifndef RUNNER_CASES_H
#define RUNNER_CASES_H

#include <stddef.h>

/* A case's failure or skip message is kept up to this many bytes. */
#define CASE_DETAIL_MAX 2048

enum case_state {
	CASE_PASS,
	CASE_FAIL,
	CASE_SKIP               /* skipped, not run, expected to fail (xfail, TAP TODO) */
};

struct test_case {
	char *name;
	enum case_state state;
	char *detail;           /* the framework's failure or skip message, or NULL */
};

struct cases {
	struct test_case *v;
	int nr, alloc;
	int planned;            /* TAP: N of "1..N"; -1 without a plan */
	int bailed;             /* TAP: "Bail out!" seen */
	char *broken;           /* why the report as a whole is not to be trusted, or NULL */
	int max;                /* set before parsing: keep at most this many cases (0: no cap) */
	int over;               /* more cases were reported or planned than max: none is trusted */
};

void cases_release(struct cases *c);
/*
 * Append a case named by the n bytes at name (leading dashes and spaces
 * dropped; "case N" if empty). Past c->max, nothing is kept and c->over is set.
 */
void cases_add(struct cases *c, const char *name, size_t n, enum case_state state);
/*
 * Append the n bytes at text as a line of the last case's detail (after a
 * newline if it has one already); the detail stays within CASE_DETAIL_MAX.
 */
void cases_detail(struct cases *c, const char *text, size_t n);
/* Mark the whole report untrusted, saying why; the first reason stays. */
void cases_broken(struct cases *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Parse TAP (12, 13 and 14) from text as prove's TAP::Parser does. Test
 * lines are "ok" or "not ok" at the start of a line, an optional number, the
 * description up to the first unescaped "#" if a directive follows it
 * ("# SKIP" or "# TODO", in any case, as a whole word: "# skipped" is
 * none), else the rest of the line ("\#" is a "#" in the name, "\\" a
 * backslash); a directive's reason is the case's detail. "ok # SKIP",
 * "ok # TODO" and "not ok # TODO" are CASE_SKIP; "not ok # SKIP" fails,
 * as in prove. A test beyond a plan already read fails.
 * Indented lines (subtests) are ignored, but an indented YAML block
 * ("---" to "...") after a test line, and "#" comments after a "not ok"
 * line, are appended to that case's detail. Other lines are ignored.
 *
 * c->broken is set, in these words, when:
 *   - "no plan in the TAP output": no "1..N" line at all;
 *   - "more than one plan in the TAP output";
 *   - "the plan 1..N must be at the beginning or the end of the TAP output":
 *     a test line follows a plan that came after other test lines;
 *   - "planned N tests but ran M": the count differs from the plan;
 *   - "tests out of sequence: found N but expected M": a test's number is not
 *     its position (a gap, a repeat, a number above the plan);
 *   - "the TAP version line must come before the plan and the tests", or
 *     "an explicit TAP version must be at least 13, not N";
 *   - "a YAML block in the TAP output does not end with \"...\"" (TAP 13
 *     and later; TAP::Parser drops the rest of such a stream);
 *   - "Bail out! REASON": c->bailed is set too and parsing stops there.
 * The first of these stays. A plan of "1..0" (with or without "# SKIP why")
 * and no tests is fine: c->planned is 0, c->nr 0. A plan above c->max sets
 * c->over, and parsing stops once it is set (then no check is made).
 * Never fails; c->planned is -1 without a plan.
 */
void cases_parse_tap(struct cases *c, const char *text, size_t len);

/*
 * Parse a JUnit XML report with expat: every <testcase> at any depth below a
 * <testsuites> or <testsuite> root is a case named "classname.name" (or
 * name). A <failure> or <error> child fails it, a <skipped> child skips it
 * (also when it failed too: node's todo tests, pytest's xfail), and so do
 * GoogleTest's result="skipped"/"suppressed" and status="notrun". The
 * detail is the message attribute, then the element's text (CDATA too).
 * Output in <system-out>/<system-err> is text, never markup.
 *
 * CUnit's own report (root <CUNIT_TEST_RUN_REPORT>) is read too: each
 * test, named "suite.test", fails with one "file:line: condition" line per
 * failed assertion.
 *
 * Hostile input is refused, not walked: a report that declares an entity,
 * or nests elements deeper than 64, is broken; external DTDs and entities
 * are never read (a DOCTYPE naming one is accepted unread). Text before the
 * report on stdout (not starting with "<") is passed over up to "<?xml" or
 * "<testsuite"; what follows the root element is ignored. A report that is
 * not well-formed is broken ("the JUnit XML report is not well-formed (line
 * N: expat's message)") and keeps the cases read before the fault.
 * Parsing stops once c->over is set.
 *
 * Returns 0, or -1 when the text has no <testsuites>, <testsuite> or
 * CUnit root element (c->broken may then say what was found instead).
 */
int cases_parse_junit(struct cases *c, const char *text, size_t len);

#endif
