/* log.c: error(), warning(), die() and daemon log lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "log.h"
#include "banned.h"

static const char *error_word = "error";

void log_set_error_word(const char *word)
{
	error_word = word;
}

/* One write per message so that lines from concurrent processes do not interleave. */
static void vreport(const char *word, const char *fmt, va_list ap, int with_errno, int err)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s: ", word);
	buf_vaddf(&b, fmt, ap);
	if (with_errno)
		buf_addf(&b, ": %s", strerror(err));
	buf_addch(&b, '\n');
	fwrite(b.buf, 1, b.len, stderr);
	fflush(stderr);
	buf_release(&b);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(error_word, fmt, ap, 0, 0);
	va_end(ap);
	return -1;
}

int error_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vreport(error_word, fmt, ap, 1, err);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning", fmt, ap, 0, 0);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("fatal", fmt, ap, 0, 0);
	va_end(ap);
	exit(128);
}

void die_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vreport("fatal", fmt, ap, 1, err);
	va_end(ap);
	exit(128);
}

void log_info(const char *fmt, ...)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	va_start(ap, fmt);
	{
		struct buf b = BUF_INIT;

		buf_addf(&b, "%s ", stamp);
		buf_vaddf(&b, fmt, ap);
		buf_addch(&b, '\n');
		fwrite(b.buf, 1, b.len, stderr);
		fflush(stderr);
		buf_release(&b);
	}
	va_end(ap);
}
