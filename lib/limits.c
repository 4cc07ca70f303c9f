/* limits.c: the table of job limits (see limits.h). */
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "banned.h"

#define IS_DOUBLE(f) _Generic(((struct limits *)0)->f, double: 1, default: 0)
#define ROW(key, field, u, d, mx, h) \
	{ key, #d, h, (double)(u), (double)(mx), offsetof(struct limits, field), IS_DOUBLE(field) },
const struct limit_key limit_keys[] = {
	LIMIT_KEYS(ROW)
	{ NULL, NULL, NULL, 0, 0, 0, 0 }
};
#undef ROW

const struct limit_key *limit_key_find(const char *name)
{
	const struct limit_key *k;

	for (k = limit_keys; k->name; k++)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}

void limits_set(struct limits *l, const struct limit_key *k, double v)
{
	char *p = (char *)l + k->off;

	if (k->is_double)
		*(double *)p = v * k->unit;
	else
		*(int64_t *)p = (int64_t)(v * k->unit);
}

double limits_get(const struct limits *l, const struct limit_key *k)
{
	const char *p = (const char *)l + k->off;

	return (k->is_double ? *(const double *)p : (double)*(const int64_t *)p) / k->unit;
}

void limits_default(struct limits *l)
{
	const struct limit_key *k;

	memset(l, 0, sizeof(*l));
	for (k = limit_keys; k->name; k++)
		limits_set(l, k, strtod(k->def, NULL));
}

void limits_merge(struct limits *l, const struct limits *over)
{
	const struct limit_key *k;

	for (k = limit_keys; k->name; k++) {
		char *to = (char *)l + k->off;
		const char *from = (const char *)over + k->off;

		if (k->is_double ? *(const double *)from != 0 : *(const int64_t *)from != 0)
			memcpy(to, from, k->is_double ? sizeof(double) : sizeof(int64_t));
	}
}
