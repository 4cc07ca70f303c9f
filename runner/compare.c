/* compare.c: exact, included and regex comparison of outputs, and a short diff. */
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "compare.h"
#include "spec.h"
#include "../lib/buf.h"
#include "../lib/banned.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Trim both ends; crlf: CRLF becomes LF too. */
static void normalise(struct buf *out, const char *s, size_t len, int crlf)
{
	size_t i, start = 0, end = len;

	while (start < end && is_space(s[start]))
		start++;
	while (end > start && is_space(s[end - 1]))
		end--;
	for (i = start; i < end; i++) {
		if (crlf && s[i] == '\r' && i + 1 < end && s[i + 1] == '\n')
			continue;
		buf_addch(out, s[i]);
	}
}

void compare_normalise(struct buf *out, const char *s, size_t len)
{
	normalise(out, s, len, 1);
}

/* As JavaScript's RegExp: `.` matches neither LF nor CR, `$` only at the end. */
static pcre2_code *compile(const char *pattern)
{
	pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
	pcre2_code *re;
	int err;
	PCRE2_SIZE off;

	if (!cc)
		return NULL;
	pcre2_set_newline(cc, PCRE2_NEWLINE_ANYCRLF);
	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			   PCRE2_DOLLAR_ENDONLY | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
			   &err, &off, cc);
	pcre2_compile_context_free(cc);
	return re;
}

int compare_regex_check(const char *pattern)
{
	pcre2_code *re = compile(pattern);

	if (!re)
		return -1;
	pcre2_code_free(re);
	return 0;
}

static int regex_search(const char *pattern, const char *s, size_t len)
{
	pcre2_code *re = compile(pattern);
	pcre2_match_data *md;
	int rc;

	if (!re)
		return -1;
	md = pcre2_match_data_create_from_pattern(re, NULL);
	rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return rc >= 0;
}

static int compare(int cmp, int crlf, const char *expected, const char *actual, size_t len)
{
	struct buf a = BUF_INIT, e = BUF_INIT;
	int ret;

	normalise(&a, actual, len, crlf);
	if (cmp == CMP_REGEX) {
		ret = regex_search(expected, a.buf, a.len);
	} else {
		normalise(&e, expected, strlen(expected), crlf);
		if (cmp == CMP_EXACT)
			ret = a.len == e.len && !memcmp(a.buf, e.buf, a.len);
		else
			ret = e.len == 0 || memmem(a.buf, a.len, e.buf, e.len) != NULL;
	}
	buf_release(&a);
	buf_release(&e);
	return ret;
}

int compare_output(int cmp, const char *expected, const char *actual, size_t len)
{
	return compare(cmp, 1, expected, actual, len);
}

int compare_output_cr(int cmp, const char *expected, const char *actual, size_t len)
{
	return compare(cmp, 0, expected, actual, len);
}

/* Append line n of s (without its newline) shortened to 120 bytes. */
static void add_line(struct buf *out, const char *line, size_t n)
{
	size_t i;

	if (!line) {
		buf_adds(out, "(no line)");
		return;
	}
	for (i = 0; i < n && i < 120; i++)
		buf_addch(out, (unsigned char)line[i] < 0x20 && line[i] != '\t' ? '?' : line[i]);
	if (n > 120)
		buf_adds(out, "...");
}

void compare_diff(struct buf *out, const char *expected, const char *actual, size_t len)
{
	struct buf a = BUF_INIT, e = BUF_INIT;
	const char *pa, *pe;
	int line = 1;

	compare_normalise(&a, actual, len);
	compare_normalise(&e, expected, strlen(expected));
	pa = a.buf;
	pe = e.buf;
	for (;;) {
		const char *ea = pa ? memchr(pa, '\n', a.buf + a.len - pa) : NULL;
		const char *ee = pe ? memchr(pe, '\n', e.buf + e.len - pe) : NULL;
		size_t na = pa ? (size_t)((ea ? ea : a.buf + a.len) - pa) : 0;
		size_t ne = pe ? (size_t)((ee ? ee : e.buf + e.len) - pe) : 0;

		if (!pa && !pe)
			break;
		if (!pa || !pe || na != ne || memcmp(pa, pe, na)) {
			buf_addf(out, "line %d:\n- expected: ", line);
			add_line(out, pe, ne);
			buf_adds(out, "\n+ got:      ");
			add_line(out, pa, na);
			break;
		}
		pa = ea ? ea + 1 : NULL;
		pe = ee ? ee + 1 : NULL;
		line++;
	}
	buf_release(&a);
	buf_release(&e);
}
