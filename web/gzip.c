/* gzip.c: Content-Encoding gzip for pages: Accept-Encoding parsed, and zlib's deflate. */
#include <limits.h>
#include <string.h>
#include <strings.h>

#define ZLIB_CONST
#include <zlib.h>

#include "gzip.h"
#include "../lib/banned.h"

/*
 * zlib's default level: a 290 KB gradebook becomes 12 KB in 5 ms; level 9
 * takes 17 ms for 11 KB. A kept page is compressed once, an export on
 * each request, so the default suits both.
 */
#define GZIP_LEVEL Z_DEFAULT_COMPRESSION

static const char *ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* RFC 9110's tchar: the bytes of a token. */
static int is_tchar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static size_t token_len(const char *p)
{
	size_t n = 0;

	while (is_tchar((unsigned char)p[n]))
		n++;
	return n;
}

/* A weight, "0" ["." 0*3DIGIT] or "1" ["." 0*3"0"], in thousandths; -1 if it is not one. */
static int qvalue(const char *p, size_t len)
{
	int v, scale = 100;
	size_t i;

	if (!len || (p[0] != '0' && p[0] != '1') || (len > 1 && p[1] != '.') || len > 5)
		return -1;
	v = (p[0] - '0') * 1000;
	for (i = 2; i < len; i++, scale /= 10) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v += (p[i] - '0') * scale;
	}
	return v > 1000 ? -1 : v;
}

/*
 * One element of the list at *p: its coding (a token) and weight (1000
 * unless given). Returns 0, or -1 when it does not parse; either way *p
 * is left after the element's comma, or at the end.
 */
static int element(const char **p, const char **coding, size_t *coding_len, int *q)
{
	const char *s = ows(*p);
	size_t n;
	int ok;

	*coding = s;
	*coding_len = token_len(s);
	*q = 1000;
	ok = *coding_len > 0;
	s = ows(s + *coding_len);
	while (ok && *s == ';') {
		const char *name = ows(s + 1);

		n = token_len(name);
		s = name + n;
		if (!n || *s != '=') {
			ok = 0;
			break;
		}
		s++;
		/* Only the weight is defined; another parameter's token value is passed over. */
		if (n == 1 && (*name == 'q' || *name == 'Q'))
			ok = (*q = qvalue(s, token_len(s))) >= 0;
		s = ows(s + token_len(s));
	}
	if (*s && *s != ',')
		ok = 0;
	s += strcspn(s, ",");
	*p = *s ? s + 1 : s;
	return ok ? 0 : -1;
}

static int is_coding(const char *coding, size_t len, const char *name)
{
	return len == strlen(name) && !strncasecmp(coding, name, len);
}

int gzip_accepted(const char *accept_encoding)
{
	const char *p = accept_encoding, *coding;
	size_t len;
	int q, gzip_q = -1, star_q = -1;

	if (!p)
		return 0;
	while (*p) {
		if (element(&p, &coding, &len, &q))
			continue;
		/* Named twice, the lower weight holds: a refusal is never overruled. */
		if (is_coding(coding, len, "gzip") || is_coding(coding, len, "x-gzip"))
			gzip_q = gzip_q < 0 || q < gzip_q ? q : gzip_q;
		else if (is_coding(coding, len, "*"))
			star_q = star_q < 0 || q < star_q ? q : star_q;
	}
	return gzip_q >= 0 ? gzip_q > 0 : star_q > 0;
}

int gzip_compress(struct buf *out, const void *data, size_t len)
{
	z_stream z;
	uLong bound;
	int rc;

	if (len > UINT_MAX / 2)         /* deflateBound() must fit an uInt too */
		return -1;
	memset(&z, 0, sizeof(z));
	/* 15 + 16: the largest window, wrapped as gzip rather than zlib. */
	if (deflateInit2(&z, GZIP_LEVEL, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	bound = deflateBound(&z, (uLong)len);
	buf_grow(out, bound);
	z.next_in = data;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out->buf + out->len;
	z.avail_out = (uInt)bound;
	rc = deflate(&z, Z_FINISH);
	if (rc == Z_STREAM_END)
		buf_setlen(out, out->len + z.total_out);
	deflateEnd(&z);
	return rc == Z_STREAM_END ? 0 : -1;
}
