/* timeutil.c: ISO 8601 parsing and the formats shown to people. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "timeutil.h"
#include "banned.h"

static int digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

int time_parse(const char *s, int64_t *out)
{
	const char *p = s;
	int y, mo, d, h, mi, sec = 0, oh = 0, om = 0, sign = 1;

	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
	    digits(&p, 2, &d))
		return -1;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	p++;
	if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
		return -1;
	if (*p == ':') {
		p++;
		if (digits(&p, 2, &sec))
			return -1;
		if (*p == '.' || *p == ',') {
			p++;
			if (*p < '0' || *p > '9')
				return -1;
			while (*p >= '0' && *p <= '9')
				p++;
		}
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &oh))
			return -1;
		if (*p == ':')
			p++;
		if (digits(&p, 2, &om))
			return -1;
	} else {
		return -1;
	}
	if (*p)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || sec > 60 || oh > 23 || om > 59)
		return -1;
	*out = days_from_civil(y, mo, d) * TIME_DAY + h * 3600 + mi * 60 + sec -
	       sign * (oh * 3600 + om * 60);
	return 0;
}

static void format(struct buf *b, int64_t t, int iso)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm)) {
		buf_addf(b, "@%lld", (long long)t);
		return;
	}
	buf_addf(b, iso ? "%04d-%02d-%02dT%02d:%02d:%02dZ" : "%04d-%02d-%02d %02d:%02d:%02d UTC",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void time_format(struct buf *b, int64_t t)
{
	format(b, t, 0);
}

void time_format_iso(struct buf *b, int64_t t)
{
	format(b, t, 1);
}

static void unit(struct buf *b, int64_t n, const char *name)
{
	buf_addf(b, "%lld %s%s", (long long)n, name, n == 1 ? "" : "s");
}

void time_format_duration(struct buf *b, int64_t s)
{
	if (s < 0)
		s = -s;
	if (s >= TIME_DAY) {
		unit(b, s / TIME_DAY, "day");
		if ((s % TIME_DAY) / 3600) {
			buf_addch(b, ' ');
			unit(b, (s % TIME_DAY) / 3600, "hour");
		}
	} else if (s >= 3600) {
		unit(b, s / 3600, "hour");
		if ((s % 3600) / 60) {
			buf_addch(b, ' ');
			unit(b, (s % 3600) / 60, "minute");
		}
	} else if (s >= 60) {
		unit(b, s / 60, "minute");
	} else {
		unit(b, s, "second");
	}
}

int64_t time_now(void)
{
	return (int64_t)time(NULL);
}

int64_t time_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
