/* junit.c: JUnit XML reports: a scanner for the few elements that matter. */
#include <string.h>

#include "cases.h"
#include "../lib/buf.h"
#include "../lib/banned.h"

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
	while (p < end && !c->over) {
		const char *t = memmem(p, end - p, "<testcase", 9), *te, *close, *body_end;
		struct buf name = BUF_INIT, cls = BUF_INIT;
		enum case_state state = CASE_PASS;

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
				state = CASE_FAIL;
			else if (memmem(te, body_end - te, "<skipped", 8))
				state = CASE_SKIP;
		}
		if (cls.len && name.len)
			buf_addch(&cls, '.');
		buf_add(&cls, name.buf, name.len);
		cases_add(c, cls.buf, cls.len, state);
		buf_release(&name);
		buf_release(&cls);
		p = body_end;
	}
	return 0;
}
