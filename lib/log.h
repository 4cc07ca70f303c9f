/* log.h: error reporting in git's manner: error() logs and returns -1. */
#ifndef LIB_LOG_H
#define LIB_LOG_H

#include <stdarg.h>
#include <stddef.h>

/* Print "error: ..." to stderr and return -1, so call sites read `return error(...)`. */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Like error() with ": strerror(errno)" appended. */
int error_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "fatal: ..." and exit(128). Only at a command's top level. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void die_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* A timestamped line for daemons' logs ("serve", "runner"). */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Until called again with NULL, error() in this thread prints nothing and
 * keeps the first message (without "error: ") in into, cut to size: a
 * check whose one-line verdict the caller shows elsewhere (a push's
 * refusal, a delivery's outcome). into is "" while nothing failed.
 */
void log_capture_errors(char *into, size_t size);
/* Prefix for error lines ("error" by default); hooks print "lifebelt" to students. */
void log_set_error_word(const char *word);

#endif
