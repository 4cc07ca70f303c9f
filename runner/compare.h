/* compare.h: comparing a program's output with the expected output (io tests). */
#ifndef RUNNER_COMPARE_H
#define RUNNER_COMPARE_H

#include <stddef.h>

struct buf;

/* How a test compares its output: lifebelt.json's "comparison", "ignore_case" and "tolerance". */
struct compare_how {
	int cmp;                /* enum spec_cmp */
	int ignore_case;        /* ASCII letters equal their other case */
	double tolerance;       /* numbers: |got - expected| at most this, or this times |expected| */
};

/*
 * Normalise text as both formats do before comparing: CRLF becomes LF (a
 * lone CR stays), then whitespace is trimmed at both ends of the whole text.
 */
void compare_normalise(struct buf *out, const char *s, size_t len);

/*
 * Does actual (len bytes) pass against expected as how says? exact: equal
 * after normalising; included: expected is a substring of actual; regex:
 * the raw expected as a pattern (ECMAScript-like: PCRE2, `$` only at the
 * very end, `.` not matching a newline; ignore_case is its only flag)
 * searched in the normalised actual; whitespace: the same words (runs of
 * anything but whitespace) in the same order, however they are spaced or
 * broken into lines; numbers: as whitespace, but two words that are both
 * decimal numbers are equal within the tolerance. Returns 1 pass, 0 fail,
 * -1 invalid pattern.
 */
int compare_output(const struct compare_how *how, const char *expected, const char *actual, size_t len);

/*
 * compare_output() as GitHub Classroom's workflow graders compare: both
 * sides trimmed, CRLF kept (a Windows line ending in a program's output
 * does not equal a plain newline).
 */
int compare_output_cr(int cmp, const char *expected, const char *actual, size_t len);

/* 0 if pattern compiles, -1 if not. */
int compare_regex_check(const char *pattern);

/*
 * A short diff for a visible failing test: the first differing line of
 * expected and actual (after normalising), with its line number; for
 * whitespace and numbers, the first differing word and its line.
 */
void compare_diff(struct buf *out, const struct compare_how *how, const char *expected,
		  const char *actual, size_t len);

#endif
