/* t-gzip.c: the web's gzip module: Accept-Encoding as clients send it, and bytes zlib takes back. */
#include <string.h>

#define ZLIB_CONST
#include <zlib.h>

#include "tap.h"
#include "../../lib/buf.h"
#include "../../web/gzip.h"
#include "../../lib/banned.h"

static const struct {
	const char *value;
	int gzip;
} cases[] = {
	/* What browsers and tools send. */
	{ "gzip, deflate, br", 1 },
	{ "gzip, deflate, br, zstd", 1 },
	{ "deflate, gzip", 1 },
	{ "gzip;q=1.0, identity; q=0.5, *;q=0", 1 },
	{ "br;q=1.0, gzip;q=0.8, *;q=0.1", 1 },
	/* Case, spaces and tabs, the old name. */
	{ "GZIP", 1 },
	{ "GZip;Q=0.5", 1 },
	{ " \tgzip \t; \tq=0.7 ", 1 },
	{ "x-gzip", 1 },
	{ "X-Gzip;q=1", 1 },
	/* Weights. */
	{ "gzip;q=0", 0 },
	{ "gzip;q=0.", 0 },
	{ "gzip;q=0.0", 0 },
	{ "gzip;q=0.000", 0 },
	{ "gzip;q=0.001", 1 },
	{ "gzip;q=1.000", 1 },
	{ "gzip;q=1.001", 0 },
	{ "gzip;q=2", 0 },
	{ "gzip;q=0.0001", 0 },
	{ "gzip;q=-1", 0 },
	{ "gzip;q=", 0 },
	{ "gzip;q=0.5x", 0 },
	{ "gzip;q=.5", 0 },
	/* The star: only for codings not named. */
	{ "*", 1 },
	{ "*;q=0.1", 1 },
	{ "*;q=0", 0 },
	{ "deflate, *", 1 },
	{ "gzip;q=0, *", 0 },
	{ "*, gzip;q=0", 0 },
	{ "*;q=0, gzip", 1 },
	/* Named twice: a refusal holds. */
	{ "gzip, gzip;q=0", 0 },
	{ "gzip;q=0, gzip", 0 },
	/* Other codings, nothing, and bytes that do not parse. */
	{ "br", 0 },
	{ "deflate, br, zstd, compress", 0 },
	{ "identity", 0 },
	{ "", 0 },
	{ ",,, ,", 0 },
	{ "gzipped", 0 },
	{ "gzi", 0 },
	{ "gzip junk", 0 },
	{ "gzip;", 0 },
	{ "gzip;q", 0 },
	{ "gzip;level=9", 1 },
	{ "gzip;=9", 0 },
	{ "gzip;q = 1", 0 },
	{ "gzip;q=1.", 1 },
	{ "gzip;q=1.0000", 0 },
	{ "gzip;level=\"9\"", 0 },
	{ "\"gzip\"", 0 },
	{ "gzip\x01", 0 },
	{ "br, gzip\x01, deflate", 0 },
	{ "junk junk, gzip", 1 },
};

/* data as zlib's inflate takes it back from a gzip stream, or "" when it cannot. */
static int gunzip(struct buf *out, const char *in, size_t len)
{
	z_stream z;
	char chunk[4096];
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return -1;
	z.next_in = (const Bytef *)in;
	z.avail_in = (uInt)len;
	do {
		z.next_out = (Bytef *)chunk;
		z.avail_out = sizeof(chunk);
		rc = inflate(&z, Z_NO_FLUSH);
		buf_add(out, chunk, sizeof(chunk) - z.avail_out);
	} while (rc == Z_OK);
	inflateEnd(&z);
	return rc == Z_STREAM_END && !z.avail_in ? 0 : -1;
}

int main(void)
{
	struct buf page = BUF_INIT, z = BUF_INIT, back = BUF_INIT, again = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		is_int(gzip_accepted(cases[i].value), cases[i].gzip, "Accept-Encoding: '%s'",
		       cases[i].value);
	is_int(gzip_accepted(NULL), 0, "no Accept-Encoding: identity");

	for (i = 0; i < 5000; i++)
		buf_addf(&page, "<tr><td>s%04zu</td><td class=\"num\">%zu</td></tr>\n", i, i * 7 % 13);
	buf_adds(&z, "kept");
	ok(!gzip_compress(&z, page.buf, page.len), "a page compresses");
	ok(!memcmp(z.buf, "kept\x1f\x8b", 6), "appended after what the buffer held, as a gzip member");
	ok(!gunzip(&back, z.buf + 4, z.len - 4), "zlib's inflate takes it back whole");
	ok(back.len == page.len && !memcmp(back.buf, page.buf, page.len), "as the same bytes");
	ok((z.len - 4) * 10 < page.len, "at a tenth of the size or less (%zu of %zu)", z.len - 4,
	   page.len);
	ok(!gzip_compress(&again, page.buf, page.len) && again.len == z.len - 4 &&
	   !memcmp(again.buf, z.buf + 4, again.len), "the same page gives the same bytes");
	buf_reset(&z);
	buf_reset(&back);
	ok(!gzip_compress(&z, "", 0) && !gunzip(&back, z.buf, z.len) && back.len == 0,
	   "so does an empty one");
	buf_release(&page);
	buf_release(&z);
	buf_release(&back);
	buf_release(&again);
	return done_testing();
}
