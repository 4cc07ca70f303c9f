/* junit.c: JUnit XML reports (and CUnit's own XML report), read with expat. */
#include <string.h>
#include <expat.h>

#include "cases.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/banned.h"

/* Deeper nesting is no report a framework writes: refused, not walked. */
#define JUNIT_DEPTH_MAX 64

enum junit_root {
	ROOT_NONE,              /* no element yet */
	ROOT_JUNIT,             /* <testsuites> or <testsuite> */
	ROOT_CUNIT,             /* <CUNIT_TEST_RUN_REPORT> */
	ROOT_OTHER
};

struct junit {
	XML_Parser parser;
	struct cases *c;
	enum junit_root root;
	int depth;
	int case_depth;         /* depth of the open <testcase>, 0 outside one */
	int case_index;         /* its index in c->v, -1 when over the cap */
	int result_depth;       /* depth of the open <failure>/<error>/<skipped>, or 0 */
	struct buf text;        /* character data of that element, or of a CUnit field */
	/* CUnit: the open field, the suite and the test record being read */
	struct buf suite, test, file, line, cond;
	struct buf *field;
	int record;             /* 0 none, 1 a success, 2 a failure */
};

static const char *attr(const char **atts, const char *name)
{
	for (; atts[0]; atts += 2)
		if (!strcmp(atts[0], name))
			return atts[1];
	return NULL;
}

static void stop(struct junit *j)
{
	XML_StopParser(j->parser, XML_FALSE);
}

static void set_state(struct junit *j, enum case_state state)
{
	struct test_case *t;

	if (j->case_index < 0)
		return;
	t = &j->c->v[j->case_index];
	/*
	 * A skip outweighs a failure: node's test runner reports a failing
	 * "todo" test with both, and counts it as a todo, not as failed.
	 */
	if (t->state != CASE_SKIP)
		t->state = state;
}

static void add_detail(struct junit *j, const char *s, size_t n)
{
	/* The detail goes to the last case: the open one, if it is kept. */
	if (j->case_index >= 0 && j->case_index == j->c->nr - 1 && n)
		cases_detail(j->c, s, n);
}

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_blank(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_blank((*s)[*n - 1]))
		(*n)--;
}

static void add_trimmed(struct junit *j, const char *s, size_t n)
{
	trim(&s, &n);
	add_detail(j, s, n);
}

static void testcase_start(struct junit *j, const char **atts)
{
	const char *cls = attr(atts, "classname"), *name = attr(atts, "name");
	const char *result = attr(atts, "result"), *status = attr(atts, "status");
	struct buf b = BUF_INIT;

	if (cls && *cls && name && *name)
		buf_addf(&b, "%s.%s", cls, name);
	else
		buf_adds(&b, name && *name ? name : cls ? cls : "");
	cases_add(j->c, b.buf, b.len, CASE_PASS);
	buf_release(&b);
	if (j->c->over) {
		stop(j);
		return;
	}
	j->case_depth = j->depth;
	j->case_index = j->c->nr - 1;
	/* GoogleTest: a skipped test, or a DISABLED_ one it did not run. */
	if ((result && (!strcmp(result, "skipped") || !strcmp(result, "suppressed"))) ||
	    (status && !strcmp(status, "notrun")))
		set_state(j, CASE_SKIP);
}

static void result_start(struct junit *j, const char *el, const char **atts)
{
	const char *msg = attr(atts, "message");

	set_state(j, strcmp(el, "skipped") ? CASE_FAIL : CASE_SKIP);
	if (msg)
		add_trimmed(j, msg, strlen(msg));
	j->result_depth = j->depth;
	buf_reset(&j->text);
}

static void result_end(struct junit *j)
{
	const char *s = j->text.buf;
	size_t n = j->text.len;
	struct test_case *t = j->case_index >= 0 ? &j->c->v[j->case_index] : NULL;

	trim(&s, &n);
	/* GoogleTest writes the message again as the text: once is enough. */
	if (t && t->detail && n && strlen(t->detail) >= n &&
	    !memcmp(t->detail + strlen(t->detail) - n, s, n))
		n = 0;
	add_detail(j, s, n);
	j->result_depth = 0;
	buf_reset(&j->text);
}

/*
 * CUnit writes a record per failed assertion: the records of one test
 * follow one another and make one case.
 */
static void cunit_record_end(struct junit *j)
{
	struct cases *c = j->c;
	struct buf name = BUF_INIT;

	buf_trim(&j->test);
	buf_addf(&name, "%s%s%s", j->suite.buf, j->suite.len ? "." : "", j->test.buf);
	if (j->case_index < 0 || j->case_index != c->nr - 1 || strcmp(c->v[c->nr - 1].name, name.buf)) {
		cases_add(c, name.buf, name.len, CASE_PASS);
		j->case_index = c->over ? -1 : c->nr - 1;
		if (c->over)
			stop(j);
	}
	if (j->record == 2) {
		buf_reset(&name);
		buf_trim(&j->file);
		buf_trim(&j->line);
		buf_trim(&j->cond);
		buf_addf(&name, "%s:%s: %s", j->file.buf, j->line.buf, j->cond.buf);
		set_state(j, CASE_FAIL);
		add_detail(j, name.buf, name.len);
	}
	buf_release(&name);
}

static void cunit_start(struct junit *j, const char *el)
{
	if (!strcmp(el, "CUNIT_RUN_TEST_SUCCESS") || !strcmp(el, "CUNIT_RUN_TEST_FAILURE")) {
		j->record = strcmp(el, "CUNIT_RUN_TEST_SUCCESS") ? 2 : 1;
		buf_reset(&j->test);
		buf_reset(&j->file);
		buf_reset(&j->line);
		buf_reset(&j->cond);
		return;
	}
	if (!strcmp(el, "SUITE_NAME"))
		j->field = &j->suite;
	else if (j->record && !strcmp(el, "TEST_NAME"))
		j->field = &j->test;
	else if (j->record && !strcmp(el, "FILE_NAME"))
		j->field = &j->file;
	else if (j->record && !strcmp(el, "LINE_NUMBER"))
		j->field = &j->line;
	else if (j->record && !strcmp(el, "CONDITION"))
		j->field = &j->cond;
	else
		return;
	buf_reset(j->field);
}

static void cunit_end(struct junit *j, const char *el)
{
	if (j->field == &j->suite)
		buf_trim(&j->suite);
	j->field = NULL;
	if (j->record && (!strcmp(el, "CUNIT_RUN_TEST_SUCCESS") || !strcmp(el, "CUNIT_RUN_TEST_FAILURE"))) {
		cunit_record_end(j);
		j->record = 0;
	}
}

static void XMLCALL on_start(void *data, const char *el, const char **atts)
{
	struct junit *j = data;

	if (++j->depth > JUNIT_DEPTH_MAX) {
		cases_broken(j->c, "the JUnit XML report nests elements deeper than %d", JUNIT_DEPTH_MAX);
		stop(j);
		return;
	}
	if (j->root == ROOT_NONE) {
		if (!strcmp(el, "testsuites") || !strcmp(el, "testsuite"))
			j->root = ROOT_JUNIT;
		else if (!strcmp(el, "CUNIT_TEST_RUN_REPORT"))
			j->root = ROOT_CUNIT;
		else {
			j->root = ROOT_OTHER;
			cases_broken(j->c, "the report's root element is <%.64s>, not <testsuites> or <testsuite>", el);
			stop(j);
		}
		return;
	}
	if (j->root == ROOT_CUNIT) {
		cunit_start(j, el);
	} else if (!strcmp(el, "testcase")) {
		testcase_start(j, atts);
	} else if (j->case_depth && j->depth == j->case_depth + 1 &&
		   (!strcmp(el, "failure") || !strcmp(el, "error") || !strcmp(el, "skipped"))) {
		result_start(j, el, atts);
	}
}

static void XMLCALL on_end(void *data, const char *el)
{
	struct junit *j = data;

	if (j->root == ROOT_CUNIT)
		cunit_end(j, el);
	else if (j->result_depth == j->depth)
		result_end(j);
	else if (j->case_depth == j->depth)
		j->case_depth = 0;
	/* What follows the root element (a summary printed after it on stdout) is no part of the report. */
	if (!--j->depth)
		stop(j);
}

static void XMLCALL on_text(void *data, const char *s, int n)
{
	struct junit *j = data;
	struct buf *b = j->root == ROOT_CUNIT ? j->field : j->result_depth ? &j->text : NULL;

	if (b && b->len < CASE_DETAIL_MAX)
		buf_add(b, s, (size_t)n < CASE_DETAIL_MAX - b->len ? (size_t)n : CASE_DETAIL_MAX - b->len);
}

/* An entity declared in the report could expand to anything: none is read. */
static void XMLCALL on_entity(void *data, const char *name, int is_param, const char *value,
			      int value_len, const char *base, const char *system_id,
			      const char *public_id, const char *notation)
{
	struct junit *j = data;

	(void)name, (void)is_param, (void)value, (void)value_len, (void)base;
	(void)system_id, (void)public_id, (void)notation;
	cases_broken(j->c, "the JUnit XML report declares an entity; reports must not declare any");
	stop(j);
}

/* Leading text that is no XML (a test program's output before its report on stdout) is passed over. */
static const char *report_start(const char *text, size_t len)
{
	const char *p = text, *end = text + len, *x;

	while (p < end && is_blank(*p))
		p++;
	if (p == end || *p == '<' || (unsigned char)*p == 0xef || !*p)
		return text;
	if ((x = memmem(p, end - p, "<?xml", 5)) || (x = memmem(p, end - p, "<testsuite", 10)))
		return x;
	return text;
}

int cases_parse_junit(struct cases *c, const char *text, size_t len)
{
	struct junit j;
	const char *p = report_start(text, len), *end = text + len;
	enum XML_Status st = XML_STATUS_OK;

	memset(&j, 0, sizeof(j));
	c->planned = -1;
	j.c = c;
	j.case_index = -1;
	buf_init(&j.text, 0);
	buf_init(&j.suite, 0);
	buf_init(&j.test, 0);
	buf_init(&j.file, 0);
	buf_init(&j.line, 0);
	buf_init(&j.cond, 0);
	if (!(j.parser = XML_ParserCreate(NULL)))
		die("out of memory");
	XML_SetUserData(j.parser, &j);
	XML_SetElementHandler(j.parser, on_start, on_end);
	XML_SetCharacterDataHandler(j.parser, on_text);
	XML_SetEntityDeclHandler(j.parser, on_entity);
	XML_SetParamEntityParsing(j.parser, XML_PARAM_ENTITY_PARSING_NEVER);
	/* In pieces: XML_Parse takes an int length. */
	do {
		size_t n = end - p > (1 << 20) ? 1 << 20 : (size_t)(end - p);

		st = XML_Parse(j.parser, p, (int)n, p + n == end);
		p += n;
	} while (st == XML_STATUS_OK && p < end);
	if (st == XML_STATUS_ERROR && XML_GetErrorCode(j.parser) != XML_ERROR_ABORTED &&
	    j.root != ROOT_OTHER)
		cases_broken(c, "the JUnit XML report is not well-formed (line %lu: %s)",
			     (unsigned long)XML_GetCurrentLineNumber(j.parser),
			     XML_ErrorString(XML_GetErrorCode(j.parser)));
	XML_ParserFree(j.parser);
	buf_release(&j.text);
	buf_release(&j.suite);
	buf_release(&j.test);
	buf_release(&j.file);
	buf_release(&j.line);
	buf_release(&j.cond);
	return j.root == ROOT_JUNIT || j.root == ROOT_CUNIT ? 0 : -1;
}
