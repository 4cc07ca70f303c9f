/* buf.h: the one growable byte buffer (git's strbuf invariants). */
#ifndef LIB_BUF_H
#define LIB_BUF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * A buffer is never NULL-backed: `buf` points at a NUL-terminated array of
 * `len` bytes (which may themselves hold NULs) with room for `alloc`.
 * Initialise with BUF_INIT or buf_init(); release with buf_release(), after
 * which the buffer is empty and reusable.
 */
struct buf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char buf_slopbuf[];
#define BUF_INIT { 0, 0, buf_slopbuf }

void buf_init(struct buf *b, size_t hint);
void buf_release(struct buf *b);
/* Hand the string to the caller (free() it); the buffer is left empty. */
char *buf_detach(struct buf *b, size_t *len);
/* Make room for `extra` more bytes; dies on overflow or out of memory. */
void buf_grow(struct buf *b, size_t extra);
void buf_setlen(struct buf *b, size_t len);
static inline void buf_reset(struct buf *b) { buf_setlen(b, 0); }

void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, int c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void buf_trim(struct buf *b);
void buf_rtrim(struct buf *b);

/* Read all of fd (or the file at path) into b; 0 or -1 with errno set. */
int buf_read_fd(struct buf *b, int fd);
int buf_read_file(struct buf *b, const char *path);

#endif
