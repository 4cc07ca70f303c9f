/* tap.c: parsing test cases: the Test Anything Protocol and JUnit XML. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cases.h"
#include "../lib/buf.h"
#include "../lib/banned.h"

void cases_release(struct cases *c)
{
	int i;

	for (i = 0; i < c->nr; i++) {
		free(c->v[i].name);
		free(c->v[i].detail);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static void add_case(struct cases *c, const char *name, size_t n, int ok)
{
	struct buf b = BUF_INIT;

	if (c->nr == c->alloc) {
		c->alloc = c->alloc ? 2 * c->alloc : 16;
		c->v = realloc(c->v, c->alloc * sizeof(*c->v));
	}
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
	c->v[c->nr].ok = ok;
	c->v[c->nr].detail = NULL;
	c->nr++;
}

void cases_parse_tap(struct cases *c, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	c->planned = -1;
	while (p < end && !c->bailed) {
		const char *nl = memchr(p, '\n', end - p);
		const char *le = nl ? nl : end, *s = p;
		int ok = -1;

		if (le - s >= 2 && !strncmp(s, "ok", 2) && (le - s == 2 || s[2] == ' ')) {
			ok = 1;
			s += 2;
		} else if (le - s >= 6 && !strncmp(s, "not ok", 6) && (le - s == 6 || s[6] == ' ')) {
			ok = 0;
			s += 6;
		} else if (le - s >= 4 && !strncmp(s, "1..", 3) && s[3] >= '0' && s[3] <= '9') {
			c->planned = atoi(s + 3);
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
					ok = 1;
			}
			add_case(c, s, n, ok);
		}
		p = le + 1;
	}
}

/* ---- JUnit XML: a scanner for the few elements that matter ---- */

static void unescape(struct buf *out, const char *s, size_t n)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&apos;", '\'' }
	};
	size_t i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < 5; k++) {
			size_t el = strlen(ents[k].ent);

			if (n - i >= el && !memcmp(s + i, ents[k].ent, el)) {
				buf_addch(out, ents[k].c);
				i += el - 1;
				break;
			}
		}
		if (k == 5)
			buf_addch(out, s[i]);
	}
}

/* The value of attribute name in the tag text [s, e), appended to out; 1 if found. */
static int attr(const char *s, const char *e, const char *name, struct buf *out)
{
	size_t nl = strlen(name);
	const char *p = s;

	while (p < e) {
		const char *q = memmem(p, e - p, name, nl);
		char quote;
		const char *v, *ve;

		if (!q)
			return 0;
		p = q + nl;
		if (q == s || (q[-1] != ' ' && q[-1] != '\t' && q[-1] != '\n' && q[-1] != '\r'))
			continue;
		while (p < e && *p == ' ')
			p++;
		if (p >= e || *p != '=')
			continue;
		p++;
		while (p < e && *p == ' ')
			p++;
		if (p >= e || (*p != '"' && *p != '\''))
			continue;
		quote = *p++;
		v = p;
		ve = memchr(v, quote, e - v);
		if (!ve)
			return 0;
		unescape(out, v, ve - v);
		return 1;
	}
	return 0;
}

int cases_parse_junit(struct cases *c, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	c->planned = -1;
	if (!memmem(text, len, "<testsuite", 10))
		return -1;
	while (p < end) {
		const char *t = memmem(p, end - p, "<testcase", 9), *te, *close, *body_end;
		struct buf name = BUF_INIT, cls = BUF_INIT;
		int ok = 1;

		if (!t)
			break;
		te = memchr(t, '>', end - t);
		if (!te)
			break;
		attr(t + 9, te, "classname", &cls);
		attr(t + 9, te, "name", &name);
		if (te[-1] == '/') {
			body_end = te + 1;
		} else {
			close = memmem(te, end - te, "</testcase>", 11);
			body_end = close ? close : end;
			if (memmem(te, body_end - te, "<failure", 8) || memmem(te, body_end - te, "<error", 6))
				ok = 0;
		}
		if (cls.len && name.len)
			buf_addch(&cls, '.');
		buf_add(&cls, name.buf, name.len);
		add_case(c, cls.buf, cls.len, ok);
		buf_release(&name);
		buf_release(&cls);
		p = body_end;
	}
	return 0;
}
