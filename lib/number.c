/* number.c: whole numbers from the command line and the settings, within bounds. */
#include <errno.h>
#include <stdlib.h>

#include "number.h"
#include "log.h"
#include "banned.h"

int number_parse(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	const char *p = *s == '-' ? s + 1 : s;
	char *end;
	long long v;

	/* strtoll alone would take " 5", "+5" and "" (as 0). */
	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int number_arg(const char *opt, const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	if (!s || !number_parse(s, lo, hi, out))
		return 0;
	return error("bad value for %s: '%s' (a whole number from %lld to %lld)", opt, s,
		     (long long)lo, (long long)hi);
}

int number_arg_int(const char *opt, const char *s, int lo, int hi, int *out)
{
	int64_t v;

	if (!s)
		return 0;
	if (number_arg(opt, s, lo, hi, &v))
		return -1;
	*out = (int)v;
	return 0;
}
