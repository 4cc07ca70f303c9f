/* timeutil.h: ISO 8601 times in, UTC times and durations out. */
#ifndef LIB_TIMEUTIL_H
#define LIB_TIMEUTIL_H

/* Seconds in a day, as deadlines count them (UTC: no leap seconds). */
#define TIME_DAY 86400

#include <stddef.h>
#include <stdint.h>

struct buf;

/*
 * Parse "YYYY-MM-DDTHH:MM[:SS][.fff](Z|+HH:MM|-HH:MM|+HHMM)"; a space may
 * stand for the 'T'. The offset is required: a bare local time is ambiguous
 * for a deadline. Returns 0 and sets *out (seconds since the epoch), or -1.
 */
int time_parse(const char *s, int64_t *out);
/* Append "2026-11-30 21:05:03 UTC". */
void time_format(struct buf *b, int64_t t);
/* Append "2026-11-30T21:05:03Z". */
void time_format_iso(struct buf *b, int64_t t);
/* Append a rough human duration: "2 days 2 hours", "5 minutes", "12 seconds". */
void time_format_duration(struct buf *b, int64_t seconds);
/* The server's clock in seconds; a monotonic one in microseconds, for measurements. */
int64_t time_now(void);
int64_t time_mono_us(void);

#endif
