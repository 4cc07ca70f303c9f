/* capture.c: head and tail of a stream, so endless output costs bounded memory (map: runner.h). */
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "../lib/alloc.h"
#include "../lib/banned.h"

void capture_init(struct capture *c, size_t cap, int keep_all)
{
	memset(c, 0, sizeof(*c));
	c->cap = cap < 2 ? 2 : cap;
	buf_init(&c->head, 0);
	buf_init(&c->all, 0);
	c->keep_all = keep_all;
}

void capture_add(struct capture *c, const char *data, size_t len)
{
	size_t half = c->cap / 2, i;

	c->total += len;
	if (c->keep_all)
		buf_add(&c->all, data, len);
	if (c->head.len < half) {
		size_t n = half - c->head.len < len ? half - c->head.len : len;

		buf_add(&c->head, data, n);
		data += n;
		len -= n;
	}
	/* Most steps print less than the head holds: the tail is only made when needed. */
	if (len && !c->ring)
		c->ring = xmalloc(half);
	for (i = 0; i < len; i++) {
		if (c->ring_len == half)
			c->elided++;
		else
			c->ring_len++;
		c->ring[c->ring_pos] = data[i];
		c->ring_pos = (c->ring_pos + 1) % half;
	}
}

void capture_text(const struct capture *c, struct buf *out)
{
	size_t half = c->cap / 2, start;

	buf_add(out, c->head.buf, c->head.len);
	if (c->elided)
		buf_addf(out, "\n[... %lld bytes elided ...]\n", (long long)c->elided);
	if (!c->ring_len)
		return;
	start = c->ring_len < half ? 0 : c->ring_pos;
	if (c->ring_len < half) {
		buf_add(out, c->ring, c->ring_len);
	} else {
		buf_add(out, c->ring + start, half - start);
		buf_add(out, c->ring, start);
	}
}

void capture_release(struct capture *c)
{
	buf_release(&c->head);
	buf_release(&c->all);
	free(c->ring);
	memset(c, 0, sizeof(*c));
}
