/* capture.h: keeping the head and tail of a stream, with the elided byte count (map: runner.h). */
#ifndef RUNNER_CAPTURE_H
#define RUNNER_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/buf.h"

/*
 * A capped copy of a stream: the first cap/2 bytes and the last cap/2 bytes
 * are kept; what lies between is counted in `elided`. `total` counts every
 * byte seen. With keep_all set (stdout of an io test, for the comparison)
 * `all` also holds every byte, up to the step's print limit.
 */
struct capture {
	size_t cap;
	struct buf head;
	char *ring;             /* cap/2 bytes of tail, circular; NULL until the head is full */
	size_t ring_len, ring_pos;
	int64_t total, elided;
	int keep_all;
	struct buf all;
};

void capture_init(struct capture *c, size_t cap, int keep_all);
void capture_add(struct capture *c, const char *data, size_t len);
/* Append the kept text: head, "[... N bytes elided ...]", tail. */
void capture_text(const struct capture *c, struct buf *out);
void capture_release(struct capture *c);

#endif
