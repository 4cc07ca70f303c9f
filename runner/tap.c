/* tap.c: the Test Anything Protocol, as far as grading needs it. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cases.h"
#include "../lib/banned.h"

void cases_parse_tap(struct cases *c, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	c->planned = -1;
	while (p < end && !c->bailed && !c->over) {
		const char *nl = memchr(p, '\n', end - p);
		const char *le = nl ? nl : end, *s = p;
		int ok = -1;
		enum case_state state;

		if (le - s >= 2 && !strncmp(s, "ok", 2) && (le - s == 2 || s[2] == ' ')) {
			ok = 1;
			s += 2;
		} else if (le - s >= 6 && !strncmp(s, "not ok", 6) && (le - s == 6 || s[6] == ' ')) {
			ok = 0;
			s += 6;
		} else if (le - s >= 4 && !strncmp(s, "1..", 3) && s[3] >= '0' && s[3] <= '9') {
			/* Read with a cap: a plan of 20 million must not become 20 million rows. */
			long n = strtol(s + 3, NULL, 10);

			c->planned = n > INT_MAX || n < 0 ? INT_MAX : (int)n;
			if (c->max && c->planned > c->max)
				c->over = 1;
		} else if (le - s >= 9 && !strncmp(s, "Bail out!", 9)) {
			c->bailed = 1;
		}
		if (ok >= 0) {
			const char *hash;
			size_t n;

			while (s < le && *s == ' ')
				s++;
			while (s < le && *s >= '0' && *s <= '9')
				s++;
			hash = memchr(s, '#', le - s);
			n = (hash ? hash : le) - s;
			if (hash) {
				const char *d = hash + 1;

				while (d < le && *d == ' ')
					d++;
				if (le - d >= 4 && (!strncasecmp(d, "skip", 4) || !strncasecmp(d, "todo", 4)))
					ok = 2;
			}
			state = ok == 2 ? CASE_SKIP : ok ? CASE_PASS : CASE_FAIL;
			cases_add(c, s, n, state);
		}
		p = le + 1;
	}
}
