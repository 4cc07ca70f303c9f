/*
 * tap.c: the Test Anything Protocol (TAP 14, and 12/13), read as prove
 * (Test::Harness's TAP::Parser) reads it: the same grammar for test lines,
 * directives and plans, the same checks of plan and numbering.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cases.h"
#include "../lib/buf.h"
#include "../lib/banned.h"

struct tap {
	struct cases *c;
	int version;            /* 12 unless a "TAP version" line says more */
	int lines;              /* plans, tests and versions seen */
	int plan_line;          /* 1 + tests seen when the plan came, 0 before it */
	int plans;
	int after;              /* what the last case may still take: 0 nothing, 1 YAML, 2 YAML or comments */
	const char *yaml_end;   /* in a YAML block: its indentation, or NULL */
	size_t yaml_indent;
	int yaml_detail;        /* the block follows a test line: it is that case's detail */
};

static int is_word(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* Skip blanks between p and e; returns the first other byte's address. */
static const char *skip_space(const char *p, const char *e)
{
	while (p < e && is_space(*p))
		p++;
	return p;
}

/* The word at p, case-insensitive, ending at a word boundary (Perl's /\bword\b/). */
static int word_at(const char *p, const char *e, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(e - p) >= n && !strncasecmp(p, word, n) && (p + n == e || !is_word(p[n]));
}

static long number(const char **p, const char *e)
{
	long n = 0;

	while (*p < e && **p >= '0' && **p <= '9') {
		n = n > INT_MAX / 10 ? INT_MAX : n * 10 + (**p - '0');
		(*p)++;
	}
	return n > INT_MAX ? INT_MAX : n;
}

static void add_case(struct tap *t, const char *desc, const char *de, enum case_state state)
{
	struct buf name = BUF_INIT;
	const char *p;

	/* TAP 14: "\#" is a "#" in the description, "\\" a backslash. */
	for (p = desc; p < de; p++) {
		if (*p == '\\' && p + 1 < de && (p[1] == '#' || p[1] == '\\'))
			p++;
		buf_addch(&name, *p);
	}
	cases_add(t->c, name.buf, name.len, state);
	buf_release(&name);
}

/*
 * "ok" or "not ok", an optional number, the description up to the first
 * unescaped "#", then perhaps a SKIP or TODO directive (TAP::Parser's
 * /#\s*(SKIP|TODO)\b\s*(.*)/i). "not ok # SKIP" fails, as in prove.
 */
static void test_line(struct tap *t, int ok, const char *s, const char *le)
{
	struct cases *c = t->c;
	const char *desc, *de, *dir = NULL;
	enum case_state state = ok ? CASE_PASS : CASE_FAIL;
	long num = -1;
	int todo = 0, ran = c->nr + 1;

	s = skip_space(s, le);
	if (s < le && *s >= '0' && *s <= '9')
		num = number(&s, le);
	desc = skip_space(s, le);
	for (de = desc; de < le && *de != '#'; de++)
		if (*de == '\\' && de + 1 < le)
			de++;
	if (de < le) {
		const char *d = skip_space(de + 1, le);

		if (word_at(d, le, "skip") || (todo = word_at(d, le, "todo")))
			dir = skip_space(d + 4, le);
		else
			de = le;        /* no directive: the "#" is the description's, as in prove */
	}
	while (de > desc && is_space(de[-1]))
		de--;
	if (dir && (todo || ok))
		state = CASE_SKIP;
	if (c->planned >= 0 && ran > c->planned)
		state = CASE_FAIL;      /* prove: a test beyond the plan is not ok */
	add_case(t, desc, de, state);
	if (c->over)
		return;
	if (dir && dir < le)
		cases_detail(c, dir, le - dir);
	if (num >= 0 && num != ran)
		cases_broken(c, "tests out of sequence: found %ld but expected %d", num, ran);
	if (t->plan_line > 1)
		cases_broken(c, "the plan 1..%d must be at the beginning or the end of the TAP output", c->planned);
	t->after = ok ? 1 : 2;
}

/* "1..N", "1..0 # SKIP why"; 0 when the line is no plan (TAP::Parser: an unknown line). */
static int plan_line(struct tap *t, const char *s, const char *le)
{
	struct cases *c = t->c;
	const char *p = s + 3;
	long n;

	if (le - s < 4 || memcmp(s, "1..", 3) || *p < '0' || *p > '9')
		return 0;
	n = number(&p, le);
	p = skip_space(p, le);
	if (p < le && !(t->version == 12 && !n)) {
		if (*p != '#' || t->version == 12)
			return 0;
		p = skip_space(p + 1, le);
		if (!word_at(p, le, "skip"))
			return 0;
	}
	if (t->plans++) {
		cases_broken(c, "more than one plan in the TAP output");
		return 1;
	}
	/* Read with a cap: a plan of 20 million must not become 20 million rows. */
	c->planned = (int)n;
	if (c->max && c->planned > c->max)
		c->over = 1;
	t->plan_line = c->nr + 1;
	return 1;
}

/* "TAP version 13"; 0 when the line is none. */
static int version_line(struct tap *t, const char *s, const char *le)
{
	const char *p = s + 3;
	long v;

	if (le - s < 4 || strncasecmp(s, "TAP", 3) || !is_space(*p))
		return 0;
	p = skip_space(p, le);
	if (!word_at(p, le, "version") || p + 7 == le || !is_space(p[7]))
		return 0;
	p = skip_space(p + 7, le);
	if (p == le || *p < '0' || *p > '9')
		return 0;
	v = number(&p, le);
	if (skip_space(p, le) != le)
		return 0;
	if (t->lines)
		cases_broken(t->c, "the TAP version line must come before the plan and the tests");
	else if (v < 13)
		cases_broken(t->c, "an explicit TAP version must be at least 13, not %ld", v);
	else
		t->version = 13;
	return 1;
}

/*
 * An indented "---" opens a YAML block, up to "..." at the same
 * indentation; after a test line it is that case's detail, without the
 * indentation. Returns 1 when the line belongs to such a block.
 */
static int yaml_line(struct tap *t, const char *s, const char *le)
{
	const char *p = s;

	if (t->yaml_end) {
		if ((size_t)(le - s) < t->yaml_indent || memcmp(s, t->yaml_end, t->yaml_indent)) {
			/* TAP::Parser gives up on the whole stream there. */
			if (t->version >= 13)
				cases_broken(t->c, "a YAML block in the TAP output does not end with \"...\"");
			t->yaml_end = NULL;
			return 0;
		}
		p = s + t->yaml_indent;
		if (skip_space(p, le) == p && le - p >= 3 && !memcmp(p, "...", 3) && skip_space(p + 3, le) == le) {
			t->yaml_end = NULL;
			return 1;
		}
		if (t->yaml_detail)
			cases_detail(t->c, p, le - p);
		return 1;
	}
	/* TAP 13 reads a block anywhere (a subtest's too); before, only ours after a test. */
	if (!is_space(*s) || (!t->after && t->version < 13))
		return 0;
	p = skip_space(s, le);
	if (le - p < 3 || memcmp(p, "---", 3))
		return 0;
	t->yaml_end = s;
	t->yaml_indent = p - s;
	t->yaml_detail = t->after != 0;
	return 1;
}

static void line(struct tap *t, const char *s, const char *le)
{
	struct cases *c = t->c;
	const char *p;

	while (le > s && le[-1] == '\r')
		le--;
	if (s < le && yaml_line(t, s, le))
		return;
	p = skip_space(s, le);
	if (le - p >= 9 && !memcmp(p, "Bail out!", 9)) {
		c->bailed = 1;
		p = skip_space(p + 9, le);
		cases_broken(c, "Bail out!%s%.*s", p < le ? " " : "", (int)(le - p > 200 ? 200 : le - p), p);
		return;
	}
	if (s < le && *s == '#') {
		if (t->after == 2) {
			p = s + 1 + (s + 1 < le && s[1] == ' ');
			cases_detail(c, p, le - p);
		}
		return;
	}
	t->after = 0;
	if (le - s >= 2 && !memcmp(s, "ok", 2) && (le - s == 2 || !is_word(s[2]))) {
		test_line(t, 1, s + 2, le);
		t->lines++;
	} else if (le - s >= 6 && !memcmp(s, "not ok", 6) && (le - s == 6 || !is_word(s[6]))) {
		test_line(t, 0, s + 6, le);
		t->lines++;
	} else if (plan_line(t, s, le)) {
		t->lines++;
	} else if (version_line(t, s, le)) {
		t->lines++;
	}
}

/* What prove checks once the output has ended: a plan, and that it was kept. */
static void finish(struct tap *t)
{
	struct cases *c = t->c;

	if (c->bailed || c->over)
		return;
	if (c->planned < 0)
		cases_broken(c, "no plan in the TAP output");
	else if (c->planned != c->nr)
		cases_broken(c, "planned %d tests but ran %d", c->planned, c->nr);
}

void cases_parse_tap(struct cases *c, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	struct tap t;

	memset(&t, 0, sizeof(t));
	t.c = c;
	t.version = 12;
	c->planned = -1;
	while (p < end && !c->bailed && !c->over) {
		const char *nl = memchr(p, '\n', end - p);
		const char *le = nl ? nl : end;

		line(&t, p, le);
		p = le + 1;
	}
	if (t.yaml_end && t.version >= 13)
		cases_broken(c, "a YAML block in the TAP output does not end with \"...\"");
	finish(&t);
}
