/* compare.h: comparing a program's output with the expected output (io tests). */
#ifndef RUNNER_COMPARE_H
#define RUNNER_COMPARE_H

#include <stddef.h>

struct buf;

/*
 * Normalise text as both formats do before comparing: CRLF becomes LF (a
 * lone CR stays), then whitespace is trimmed at both ends of the whole text.
 */
void compare_normalise(struct buf *out, const char *s, size_t len);

/*
 * Does actual (len bytes) pass against expected under cmp (enum spec_cmp)?
 * exact: equal after normalising; included: expected is a substring of
 * actual; regex: the raw expected as a pattern (ECMAScript-like: PCRE2, no
 * flags, `$` only at the very end, `.` not matching a newline) searched in
 * the normalised actual. Returns 1 pass, 0 fail, -1 invalid pattern.
 */
int compare_output(int cmp, const char *expected, const char *actual, size_t len);

/*
 * compare_output() as GitHub Classroom's workflow graders compare: both
 * sides trimmed, CRLF kept (a Windows line ending in a program's output
 * does not equal a plain newline).
 */
int compare_output_cr(int cmp, const char *expected, const char *actual, size_t len);

/* 0 if pattern compiles, -1 if not. */
int compare_regex_check(const char *pattern);

/*
 * A short line diff for a visible failing test: the first differing line
 * of expected and actual (after normalising), with its line number.
 */
void compare_diff(struct buf *out, const char *expected, const char *actual, size_t len);

#endif
