/* html.c: escaping for HTML text, attributes and URLs; terminal codes removed. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "../lib/buf.h"
#include "../lib/banned.h"

void html_num(struct buf *b, double v)
{
	char digits[8];
	int n, i = sizeof(digits);

	/* -0 and fractions, large numbers (1e+06), NaN: printf's own. */
	if (!(v > -1e6 && v < 1e6) || v != (double)(int)v || (v == 0 && signbit(v))) {
		buf_addf(b, "%g", v);
		return;
	}
	n = (int)v;
	if (n < 0)
		buf_addch(b, '-');
	do {
		digits[--i] = (char)('0' + abs(n % 10));
		n /= 10;
	} while (n);
	buf_add(b, digits + i, sizeof(digits) - (size_t)i);
}

void html_rawf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

#define REPLACEMENT "\xef\xbf\xbd"

static void escape(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	buf_grow(b, n + n / 8);
	while (p < end) {
		const unsigned char *start = p;
		size_t len;

		/* Copy the longest run that needs nothing. */
		while (p < end && *p >= 0x20 && *p < 0x7f && *p != '&' && *p != '<' &&
		       *p != '>' && *p != '"' && *p != '\'')
			p++;
		if (p > start)
			buf_add(b, start, (size_t)(p - start));
		if (p == end)
			break;
		switch (*p) {
		case '&': buf_adds(b, "&amp;"); p++; continue;
		case '<': buf_adds(b, "&lt;"); p++; continue;
		case '>': buf_adds(b, "&gt;"); p++; continue;
		case '"': buf_adds(b, "&quot;"); p++; continue;
		case '\'': buf_adds(b, "&#39;"); p++; continue;
		case '\n':
		case '\r':
		case '\t':
			buf_addch(b, *p++);
			continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			buf_adds(b, REPLACEMENT);
			p++;
			continue;
		}
		len = utf8_len(p, (size_t)(end - p));
		if (!len) {
			buf_adds(b, REPLACEMENT);
			p++;
		} else {
			buf_add(b, p, len);
			p += len;
		}
	}
}

void html_txt(struct buf *b, const char *s)
{
	escape(b, s, strlen(s));
}

void html_ntxt(struct buf *b, const char *s, size_t n)
{
	escape(b, s, n);
}

void html_attr(struct buf *b, const char *s)
{
	escape(b, s, strlen(s));
}

/*
 * Length of the terminal escape sequence at s[0] == ESC: CSI (ESC [ ...
 * final byte), OSC (ESC ] ... BEL or ESC \), or a two-byte ESC X.
 */
static size_t escape_seq_len(const unsigned char *s, size_t n)
{
	size_t i;

	if (n < 2)
		return n;
	if (s[1] == '[') {
		for (i = 2; i < n; i++)
			if (s[i] >= 0x40 && s[i] <= 0x7e)
				return i + 1;
		return n;
	}
	if (s[1] == ']' || s[1] == 'P' || s[1] == '_' || s[1] == '^') {
		for (i = 2; i < n; i++) {
			if (s[i] == 0x07)
				return i + 1;
			if (s[i] == 0x1b && i + 1 < n && s[i + 1] == '\\')
				return i + 2;
		}
		return n;
	}
	return 2;
}

void html_term(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		const unsigned char *esc = memchr(p, 0x1b, (size_t)(end - p));
		const unsigned char *stop = esc ? esc : end;

		if (stop > p)
			escape(b, (const char *)p, (size_t)(stop - p));
		if (!esc)
			break;
		p = esc + escape_seq_len(esc, (size_t)(end - esc));
	}
}

void html_url_arg(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			buf_addch(b, *p);
		} else {
			buf_addch(b, '%');
			buf_addch(b, hex[*p >> 4]);
			buf_addch(b, hex[*p & 15]);
		}
	}
}
