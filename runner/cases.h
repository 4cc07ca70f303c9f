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
/* Append n bytes to the last case's detail, which stays within CASE_DETAIL_MAX. */
void cases_detail(struct cases *c, const char *text, size_t n);
/* Mark the whole report untrusted, saying why; the first reason stays. */
void cases_broken(struct cases *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Parse TAP version 12/13 from text: "ok"/"not ok" lines (a "# SKIP" or
 * "# TODO" directive makes a skipped case), the plan, "Bail out!". Indented
 * subtest lines are ignored. A plan above c->max sets c->over, and parsing
 * stops once it is set. Never fails; c->nr may be 0.
 */
void cases_parse_tap(struct cases *c, const char *text, size_t len);

/*
 * Parse JUnit XML: every <testcase> is a case named "classname.name" (or
 * name); a <failure> or <error> inside fails it, <skipped> skips it.
 * Parsing stops once c->over is set.
 * Returns 0, or -1 when the text holds no <testsuite(s)> element at all.
 */
int cases_parse_junit(struct cases *c, const char *text, size_t len);

#endif
