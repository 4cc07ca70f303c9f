/* compare.c: comparing outputs (exact, included, regex, word by word, numbers), and a short diff. */
#include <math.h>
#include <stdlib.h>
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

/* ASCII only: a byte of a UTF-8 sequence is never folded into another. */
static char fold(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static void fold_all(struct buf *b)
{
	size_t i;

	for (i = 0; i < b->len; i++)
		b->buf[i] = fold(b->buf[i]);
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
static pcre2_code *compile(const char *pattern, int caseless)
{
	pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
	pcre2_code *re;
	int err;
	PCRE2_SIZE off;

	if (!cc)
		return NULL;
	pcre2_set_newline(cc, PCRE2_NEWLINE_ANYCRLF);
	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			   PCRE2_DOLLAR_ENDONLY | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF |
			   (caseless ? PCRE2_CASELESS : 0),
			   &err, &off, cc);
	pcre2_compile_context_free(cc);
	return re;
}

int compare_regex_check(const char *pattern)
{
	pcre2_code *re = compile(pattern, 0);

	if (!re)
		return -1;
	pcre2_code_free(re);
	return 0;
}

static int regex_search(const char *pattern, int caseless, const char *s, size_t len)
{
	pcre2_code *re = compile(pattern, caseless);
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

/* The next whitespace-separated word of s[*pos..len): its start, its length in *n; NULL at the end. */
static const char *next_word(const char *s, size_t len, size_t *pos, size_t *n)
{
	size_t i = *pos, start;

	while (i < len && is_space(s[i]))
		i++;
	if (i == len)
		return NULL;
	start = i;
	while (i < len && !is_space(s[i]))
		i++;
	*pos = i;
	*n = i - start;
	return s + start;
}

/*
 * A decimal number as a program prints one: [+-]digits[.digits][e[+-]digits]
 * (".5" and "5." too). Not hex, inf or nan, which strtod would take.
 */
static int parse_number(const char *w, size_t n, double *out)
{
	char tmp[64], *end;
	size_t i = 0, digits = 0;

	if (n >= sizeof(tmp))
		return 0;
	if (i < n && (w[i] == '+' || w[i] == '-'))
		i++;
	for (; i < n && w[i] >= '0' && w[i] <= '9'; i++)
		digits++;
	if (i < n && w[i] == '.')
		for (i++; i < n && w[i] >= '0' && w[i] <= '9'; i++)
			digits++;
	if (!digits)
		return 0;
	if (i < n && (w[i] == 'e' || w[i] == 'E')) {
		size_t e = ++i;

		if (i < n && (w[i] == '+' || w[i] == '-'))
			e = ++i;
		while (i < n && w[i] >= '0' && w[i] <= '9')
			i++;
		if (i == e)
			return 0;
	}
	if (i != n)
		return 0;
	memcpy(tmp, w, n);
	tmp[n] = '\0';
	*out = strtod(tmp, &end);
	return isfinite(*out);
}

/* Two words equal under how: numbers within the tolerance (absolute or relative), the rest byte for byte. */
static int word_equal(const struct compare_how *how, const char *e, size_t ne, const char *a, size_t na)
{
	double x, y, d;
	size_t i;

	if (how->cmp == CMP_NUMBERS && parse_number(e, ne, &x) && parse_number(a, na, &y)) {
		d = fabs(x - y);
		return d <= how->tolerance || d <= how->tolerance * fabs(x);
	}
	if (ne != na)
		return 0;
	for (i = 0; i < ne; i++)
		if (how->ignore_case ? fold(e[i]) != fold(a[i]) : e[i] != a[i])
			return 0;
	return 1;
}

/* Word by word; *word gets the number of the first word that differs (from 1). */
static int compare_words(const struct compare_how *how, const char *expected, size_t elen,
			 const char *actual, size_t alen, int *word)
{
	size_t pe = 0, pa = 0, ne = 0, na = 0;
	const char *we, *wa;

	for (*word = 1;; ++*word) {
		we = next_word(expected, elen, &pe, &ne);
		wa = next_word(actual, alen, &pa, &na);
		if (!we || !wa)
			return !we && !wa;
		if (!word_equal(how, we, ne, wa, na))
			return 0;
	}
}

static int compare(const struct compare_how *how, int crlf, const char *expected,
		   const char *actual, size_t len)
{
	struct buf a = BUF_INIT, e = BUF_INIT;
	int cmp = how->cmp, word, ret;

	if (cmp == CMP_WHITESPACE || cmp == CMP_NUMBERS)
		return compare_words(how, expected, strlen(expected), actual, len, &word);
	normalise(&a, actual, len, crlf);
	if (cmp == CMP_REGEX) {
		ret = regex_search(expected, how->ignore_case, a.buf, a.len);
	} else {
		normalise(&e, expected, strlen(expected), crlf);
		if (how->ignore_case) {
			fold_all(&a);
			fold_all(&e);
		}
		if (cmp == CMP_EXACT)
			ret = a.len == e.len && !memcmp(a.buf, e.buf, a.len);
		else
			ret = e.len == 0 || memmem(a.buf, a.len, e.buf, e.len) != NULL;
	}
	buf_release(&a);
	buf_release(&e);
	return ret;
}

int compare_output(const struct compare_how *how, const char *expected, const char *actual, size_t len)
{
	return compare(how, 1, expected, actual, len);
}

int compare_output_cr(int cmp, const char *expected, const char *actual, size_t len)
{
	struct compare_how how = { cmp, 0, 0 };

	return compare(&how, 0, expected, actual, len);
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

/* The word-th word of s (from 1) and the line it is on, for the diff. */
static const char *nth_word(const char *s, size_t len, int word, size_t *n, int *line)
{
	size_t pos = 0, i;
	const char *w = NULL;

	while (word-- > 0 && (w = next_word(s, len, &pos, n)))
		;
	*line = 1;
	for (i = 0; w && s + i < w; i++)
		*line += s[i] == '\n';
	return w;
}

/* The first word that differs, with the line it is on in the output. */
static void word_diff(struct buf *out, const struct compare_how *how, const char *expected,
		      const char *actual, size_t len)
{
	size_t elen = strlen(expected), ne = 0, na = 0;
	const char *we, *wa;
	int word, line;

	compare_words(how, expected, elen, actual, len, &word);
	we = nth_word(expected, elen, word, &ne, &line);
	wa = nth_word(actual, len, word, &na, &line);
	buf_addf(out, "word %d", word);
	if (wa)
		buf_addf(out, " (line %d of the output)", line);
	buf_adds(out, ":\n- expected: ");
	add_line(out, we ? we : "(no more words)", we ? ne : 15);
	buf_adds(out, "\n+ got:      ");
	add_line(out, wa ? wa : "(no more words)", wa ? na : 15);
}

void compare_diff(struct buf *out, const struct compare_how *how, const char *expected,
		  const char *actual, size_t len)
{
	struct buf a = BUF_INIT, e = BUF_INIT;
	struct compare_how exact = { CMP_EXACT, 0, 0 };
	const char *pa, *pe;
	int line = 1;

	/* Lines are compared as words are, with or without case. */
	exact.ignore_case = how->ignore_case;
	if (how->cmp == CMP_WHITESPACE || how->cmp == CMP_NUMBERS) {
		word_diff(out, how, expected, actual, len);
		return;
	}
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
		if (!pa || !pe || na != ne || !word_equal(&exact, pe, ne, pa, na)) {
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
