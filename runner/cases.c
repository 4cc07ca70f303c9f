/* cases.c: the list of test cases a framework reported. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/banned.h"

void cases_release(struct cases *c)
{
	int i;

	for (i = 0; i < c->nr; i++) {
		free(c->v[i].name);
		free(c->v[i].detail);
	}
	free(c->v);
	free(c->broken);
	memset(c, 0, sizeof(*c));
}

void cases_add(struct cases *c, const char *name, size_t n, enum case_state state)
{
	struct buf b = BUF_INIT;

	if (c->max && c->nr >= c->max) {
		c->over = 1;
		return;
	}
	ALLOC_GROW(c->v, c->nr + 1, c->alloc);
	while (n && (*name == ' ' || *name == '-')) {
		name++;
		n--;
	}
	while (n && name[n - 1] == ' ')
		n--;
	buf_add(&b, name, n > 200 ? 200 : n);
	if (!b.len)
		buf_addf(&b, "case %d", c->nr + 1);
	c->v[c->nr].name = buf_detach(&b, NULL);
	c->v[c->nr].state = state;
	c->v[c->nr].detail = NULL;
	c->nr++;
}


void cases_detail(struct cases *c, const char *text, size_t n)
{
	struct test_case *t;
	size_t have, room;
	struct buf b = BUF_INIT;

	if (!c->nr)
		return;
	t = &c->v[c->nr - 1];
	have = t->detail ? strlen(t->detail) : 0;
	room = have < CASE_DETAIL_MAX ? CASE_DETAIL_MAX - have : 0;
	if (!room)
		return;
	if (t->detail) {
		buf_adds(&b, t->detail);
		buf_addch(&b, '\n');
		room--;
	}
	buf_add(&b, text, n < room ? n : room);
	free(t->detail);
	t->detail = buf_detach(&b, NULL);
}

void cases_broken(struct cases *c, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	if (c->broken)
		return;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	c->broken = buf_detach(&b, NULL);
}
