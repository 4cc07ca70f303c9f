/* gzip.h: Content-Encoding gzip for pages: whether a client takes it, and the bytes. */
#ifndef WEB_GZIP_H
#define WEB_GZIP_H

#include <stddef.h>

#include "../lib/buf.h"

/*
 * Whether an Accept-Encoding value (RFC 9110 12.5.3) allows gzip: "gzip"
 * or its old name "x-gzip" with a weight above 0, or, when neither is
 * named, "*" with one. Codings and the "q" are case-insensitive; "q=0"
 * refuses. An element that does not parse (a bad weight, stray bytes)
 * counts as not there. NULL (no header) and "" take identity only.
 */
int gzip_accepted(const char *accept_encoding);

/*
 * Append data compressed as one gzip member (RFC 1952; no file name, no
 * time, so equal pages give equal bytes) to out. 0, or -1 if zlib failed
 * (out is then as it was).
 */
int gzip_compress(struct buf *out, const void *data, size_t len);

#endif
