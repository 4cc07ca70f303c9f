/* buf.c: the growable byte buffer. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "log.h"
#include "banned.h"

char buf_slopbuf[1];

void buf_init(struct buf *b, size_t hint)
{
	b->alloc = b->len = 0;
	b->buf = buf_slopbuf;
	if (hint)
		buf_grow(b, hint);
}

void buf_release(struct buf *b)
{
	if (b->alloc)
		free(b->buf);
	buf_init(b, 0);
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *s;

	if (!b->alloc)
		buf_grow(b, 0);
	s = b->buf;
	if (len)
		*len = b->len;
	buf_init(b, 0);
	return s;
}

void buf_grow(struct buf *b, size_t extra)
{
	size_t want;

	if (extra > SIZE_MAX - b->len - 1)
		die("buffer size overflow");
	want = b->len + extra + 1;
	if (want <= b->alloc)
		return;
	if (want < b->alloc * 2)
		want = b->alloc * 2;
	if (want < 64)
		want = 64;
	if (!b->alloc) {
		b->buf = xmalloc(want);
		b->buf[0] = '\0';
	} else {
		b->buf = xreallocarray(b->buf, want, 1);
	}
	b->alloc = want;
}

void buf_setlen(struct buf *b, size_t len)
{
	if (len > (b->alloc ? b->alloc - 1 : 0))
		die("buf_setlen beyond allocation");
	b->len = len;
	if (b->alloc)
		b->buf[len] = '\0';
}

void buf_add(struct buf *b, const void *data, size_t len)
{
	if (!len)
		return;
	buf_grow(b, len);
	memcpy(b->buf + b->len, data, len);
	buf_setlen(b, b->len + len);
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addch(struct buf *b, int c)
{
	buf_grow(b, 1);
	b->buf[b->len] = (char)c;
	buf_setlen(b, b->len + 1);
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	if (!b->alloc)
		buf_grow(b, 64);
	va_copy(cp, ap);
	n = vsnprintf(b->buf + b->len, b->alloc - b->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		die("vsnprintf failed");
	if ((size_t)n >= b->alloc - b->len) {
		buf_grow(b, (size_t)n);
		n = vsnprintf(b->buf + b->len, b->alloc - b->len, fmt, ap);
	}
	buf_setlen(b, b->len + (size_t)n);
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

void buf_rtrim(struct buf *b)
{
	size_t n = b->len;

	while (n && is_space(b->buf[n - 1]))
		n--;
	if (b->alloc)
		buf_setlen(b, n);
}

void buf_trim(struct buf *b)
{
	size_t i = 0;

	buf_rtrim(b);
	while (i < b->len && is_space(b->buf[i]))
		i++;
	if (i) {
		memmove(b->buf, b->buf + i, b->len - i);
		buf_setlen(b, b->len - i);
	}
}

int buf_read_fd(struct buf *b, int fd)
{
	for (;;) {
		ssize_t n;

		buf_grow(b, 8192);
		n = read(fd, b->buf + b->len, b->alloc - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!n)
			return 0;
		buf_setlen(b, b->len + (size_t)n);
	}
}

int buf_read_file(struct buf *b, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret, saved;

	if (fd < 0)
		return -1;
	ret = buf_read_fd(b, fd);
	saved = errno;
	close(fd);
	errno = saved;
	return ret;
}
