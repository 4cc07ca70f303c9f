/* log.c: error(), warning(), die() and daemon log lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "banned.h"

static const char *error_word = "error";

/* This thread's capture of the first error (log_capture_errors), or NULL. */
static __thread char *capture;
static __thread size_t capture_size;
static __thread int captured;

void log_capture_errors(char *into, size_t size)
{
	capture = size ? into : NULL;
	capture_size = size;
	captured = 0;
	if (capture)
		capture[0] = '\0';
}

void log_set_error_word(const char *word)
{
	error_word = word;
}

/*
 * Format into a fixed buffer and write it at once (git's vreportf): lines
 * from concurrent processes do not interleave, and nothing here allocates,
 * so die("out of memory") cannot recurse. A message longer than the buffer
 * is cut, and says so.
 */
#define REPORT_MAX 8192

static void report_line(char *msg, size_t len)
{
	static const char cut[] = "...\n";
	size_t off = 0;

	if (len >= REPORT_MAX - 1)
		memcpy(msg + REPORT_MAX - sizeof(cut), cut, sizeof(cut));
	else
		memcpy(msg + len, "\n", 2);
	len = strlen(msg);
	while (off < len) {
		ssize_t n = write(2, msg + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += n;
	}
}

static void vreport(const char *word, const char *sep, const char *fmt, va_list ap, int with_errno, int err)
{
	char msg[REPORT_MAX];
	size_t len;
	int n;

	fflush(stderr);   /* whatever stdio holds goes first */
	n = snprintf(msg, sizeof(msg), "%s%s", word, sep);
	len = n < 0 ? 0 : (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
	n = vsnprintf(msg + len, sizeof(msg) - len, fmt, ap);
	len = n < 0 ? len : len + (size_t)n < sizeof(msg) ? len + (size_t)n : sizeof(msg) - 1;
	if (with_errno && len < sizeof(msg) - 1) {
		n = snprintf(msg + len, sizeof(msg) - len, ": %s", strerror(err));
		len = n < 0 ? len : len + (size_t)n < sizeof(msg) ? len + (size_t)n : sizeof(msg) - 1;
	}
	msg[len] = '\0';
	report_line(msg, len);
}

/* Keep the first error of this thread in the capture; 1 if captured (nothing printed). */
static int capture_error(const char *fmt, va_list ap)
{
	if (!capture)
		return 0;
	if (!captured++)
		vsnprintf(capture, capture_size, fmt, ap);
	return 1;
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!capture_error(fmt, ap)) {
		va_end(ap);
		va_start(ap, fmt);
		vreport(error_word, ": ", fmt, ap, 0, 0);
	}
	va_end(ap);
	return -1;
}

int error_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vreport(error_word, ": ", fmt, ap, 1, err);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning", ": ", fmt, ap, 0, 0);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("fatal", ": ", fmt, ap, 0, 0);
	va_end(ap);
	exit(128);
}

void die_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vreport("fatal", ": ", fmt, ap, 1, err);
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
	vreport(stamp, " ", fmt, ap, 0, 0);
	va_end(ap);
}
