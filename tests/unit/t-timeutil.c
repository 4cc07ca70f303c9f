/* t-timeutil.c: ISO 8601 parsing with offsets, and the formats shown to people. */
#include "tap.h"
#include "../../lib/buf.h"
#include "../../lib/timeutil.h"

int main(void)
{
	struct buf b = BUF_INIT;
	int64_t t = 0, u = 0;

	ok(!time_parse("1970-01-01T00:00:00Z", &t) && t == 0, "the epoch");
	ok(!time_parse("2026-12-01T23:59:00+01:00", &t), "an offset is accepted");
	ok(!time_parse("2026-12-01T22:59Z", &u) && t == u, "the same instant in UTC, no seconds");
	ok(!time_parse("2026-12-01 17:59:00-0500", &u) && t == u, "space for T, offset without colon");
	ok(!time_parse("2024-02-29T12:00:00.250Z", &t), "a leap day and fractional seconds");
	ok(time_parse("2026-02-29T12:00:00Z", &t), "no 29 February in 2026");
	ok(time_parse("2026-12-01T23:59:00", &t), "a time without an offset is refused");
	ok(time_parse("2026-13-01T00:00:00Z", &t), "month 13 is refused");
	ok(time_parse("2026-12-01T24:00:00Z", &t), "hour 24 is refused");
	ok(time_parse("2026-12-01T10:00:00Zjunk", &t), "trailing junk is refused");
	ok(time_parse("tomorrow", &t), "words are refused");
	time_parse("2026-11-30T21:05:03Z", &t);
	time_format(&b, t);
	is_str(b.buf, "2026-11-30 21:05:03 UTC", "the people's format");
	buf_reset(&b);
	time_format_iso(&b, t);
	is_str(b.buf, "2026-11-30T21:05:03Z", "the ISO format round-trips");
	buf_reset(&b);
	time_format_duration(&b, 2 * 86400 + 2 * 3600 + 59);
	is_str(b.buf, "2 days 2 hours", "days and hours");
	buf_reset(&b);
	time_format_duration(&b, 3600 + 60);
	is_str(b.buf, "1 hour 1 minute", "singular units");
	buf_reset(&b);
	time_format_duration(&b, 12);
	is_str(b.buf, "12 seconds", "seconds");
	buf_release(&b);
	return done_testing();
}
