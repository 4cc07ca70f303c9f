/* t-cases.c: TAP and JUnit parsing. */
#include <string.h>

#include "tap.h"
#include "../../runner/cases.h"
#include "../../lib/buf.h"
#include "../../lib/banned.h"

/* Parse JUnit XML text into c (released first); returns what the parser returns. */
static int junit(struct cases *c, const char *x)
{
	cases_release(c);
	return cases_parse_junit(c, x, strlen(x));
}

static void tap(struct cases *c, const char *t)
{
	cases_release(c);
	cases_parse_tap(c, t, strlen(t));
}

static void junit_markup(void)
{
	struct cases c;

	memset(&c, 0, sizeof(c));
	junit(&c, "<testsuite><testcase name=\"a > b\" classname='x>y'><failure message=\"1 > 0\"/></testcase>"
		  "<testcase name=\"c\"/></testsuite>");
	is_int(c.nr, 2, "a \">\" inside an attribute ends no tag");
	is_str(c.v[0].name, "x>y.a > b", "and stays in the name");
	is_int(c.v[0].state, CASE_FAIL, "the case with it still fails");
	is_str(c.v[0].detail, "1 > 0", "with its message");
	is_int(c.v[1].state, CASE_PASS, "the next case is its own");

	junit(&c, "<testsuite><!-- <testcase name=\"ghost\"><failure/></testcase> -->"
		  "<testcase name=\"real\"/></testsuite>");
	is_int(c.nr, 1, "a commented-out case is no case");
	is_str(c.v[0].name, "real", "only the real one is");

	junit(&c, "<testsuite><testcase name=\"p\"><system-out><![CDATA[<failure>x</failure>]]></system-out>"
		  "<system-err>&lt;error/&gt;</system-err></testcase></testsuite>");
	is_int(c.nr, 1, "markup in CDATA in the output is text");
	is_int(c.v[0].state, CASE_PASS, "and fails nothing");
	ok(!c.broken, "and breaks nothing");

	junit(&c, "<testsuite><testcase name=\"a&#10;b&#x41;&#233;\"><error message=\"&#x3c;x&#62;\">"
		  "<![CDATA[trace <here>]]> &amp; more</error></testcase></testsuite>");
	is_str(c.v[0].name, "a\nbA\xc3\xa9", "character references are decoded, to UTF-8");
	is_str(c.v[0].detail, "<x>\ntrace <here> & more", "the message, then the text, CDATA and all");
	cases_release(&c);
}

static void junit_hostile(void)
{
	struct cases c;
	struct buf deep = BUF_INIT;
	int i;

	memset(&c, 0, sizeof(c));
	is_int(junit(&c, "<!DOCTYPE testsuite [<!ENTITY e \"boom\">]><testsuite><testcase name=\"&e;\"/></testsuite>"), -1,
	       "a report declaring an entity is refused");
	is_int(c.nr, 0, "nothing in it is read");
	is_str(c.broken, "the JUnit XML report declares an entity; reports must not declare any", "and the reason is given");

	junit(&c, "<!DOCTYPE t [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
		  "<testsuite><testcase name=\"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"/></testsuite>");
	ok(c.broken && !c.nr, "so are nested entities (a billion laughs)");

	junit(&c, "<!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><testsuite><testcase name=\"&x;\"/></testsuite>");
	ok(c.broken && !c.nr, "and an external entity is never read");

	is_int(junit(&c, "<?xml version=\"1.0\"?><!DOCTYPE testsuite SYSTEM \"/etc/passwd\">"
			 "<testsuite><testcase name=\"a\"/></testsuite>"), 0, "a DOCTYPE naming an external DTD is accepted");
	ok(c.nr == 1 && !c.broken, "unread");

	for (i = 0; i < 70; i++)
		buf_adds(&deep, "<testsuite>");
	buf_adds(&deep, "<testcase name=\"deep\"/>");
	for (i = 0; i < 70; i++)
		buf_adds(&deep, "</testsuite>");
	junit(&c, deep.buf);
	is_str(c.broken, "the JUnit XML report nests elements deeper than 64", "nesting deeper than 64 is refused");
	is_int(c.nr, 0, "before the case in it");
	buf_release(&deep);

	junit(&c, "<testsuite><testcase name=\"a\"/><testcase name=\"b\"><failure>x</failure>\n<testcase");
	is_int(c.nr, 2, "a truncated report keeps the cases read");
	is_str(c.broken, "the JUnit XML report is not well-formed (line 2: unclosed token)", "and says where it broke");

	is_int(junit(&c, "<html><testsuite><testcase name=\"a\"/></testsuite></html>"), -1,
	       "a document whose root is not a test suite is no report");
	is_str(c.broken, "the report's root element is <html>, not <testsuites> or <testsuite>", "which is said");
	is_int(junit(&c, ""), -1, "nor is nothing");
	cases_release(&c);
}

static void junit_frameworks(void)
{
	struct cases c;

	memset(&c, 0, sizeof(c));
	junit(&c, "make: compiling\n<?xml version=\"1.0\"?>\n<testsuites><testsuite name=\"outer\"><testsuite name=\"inner\">"
		  "<testcase classname=\"K\" name=\"nested\"/></testsuite>"
		  "<testcase name=\"off\" status=\"notrun\" result=\"suppressed\"/>"
		  "<testcase name=\"skipped\" status=\"run\" result=\"skipped\"/>"
		  "<testcase name=\"xfail\"><skipped type=\"pytest.xfail\" message=\"known\"/></testcase>"
		  "<testcase name=\"todo\"><skipped type=\"todo\"/><failure message=\"not yet\"/></testcase>"
		  "</testsuite></testsuites>\n3 tests run\n");
	is_int(c.nr, 5, "output around the report on stdout is passed over");
	ok(!c.broken, "and breaks nothing");
	is_str(c.v[0].name, "K.nested", "cases in nested suites count");
	is_int(c.v[1].state, CASE_SKIP, "GoogleTest: a disabled test is skipped");
	is_int(c.v[2].state, CASE_SKIP, "and so is a skipped one");
	is_int(c.v[3].state, CASE_SKIP, "pytest: xfail is skipped");
	is_str(c.v[3].detail, "known", "with its reason");
	is_int(c.v[4].state, CASE_SKIP, "node: a failing todo test is skipped");

	junit(&c, "<CUNIT_TEST_RUN_REPORT><CUNIT_RESULT_LISTING><CUNIT_RUN_SUITE><CUNIT_RUN_SUITE_SUCCESS>"
		  "<SUITE_NAME> s </SUITE_NAME>"
		  "<CUNIT_RUN_TEST_RECORD><CUNIT_RUN_TEST_FAILURE><TEST_NAME> t </TEST_NAME><FILE_NAME> f.c </FILE_NAME>"
		  "<LINE_NUMBER> 3 </LINE_NUMBER><CONDITION> a &lt; b </CONDITION></CUNIT_RUN_TEST_FAILURE></CUNIT_RUN_TEST_RECORD>"
		  "<CUNIT_RUN_TEST_RECORD><CUNIT_RUN_TEST_FAILURE><TEST_NAME> t </TEST_NAME><FILE_NAME> f.c </FILE_NAME>"
		  "<LINE_NUMBER> 4 </LINE_NUMBER><CONDITION> c </CONDITION></CUNIT_RUN_TEST_FAILURE></CUNIT_RUN_TEST_RECORD>"
		  "<CUNIT_RUN_TEST_RECORD><CUNIT_RUN_TEST_SUCCESS><TEST_NAME> u </TEST_NAME></CUNIT_RUN_TEST_SUCCESS>"
		  "</CUNIT_RUN_TEST_RECORD></CUNIT_RUN_SUITE_SUCCESS></CUNIT_RUN_SUITE></CUNIT_RESULT_LISTING>"
		  "</CUNIT_TEST_RUN_REPORT>");
	is_int(c.nr, 2, "CUnit: the records of one test are one case");
	is_str(c.v[0].name, "s.t", "named suite.test");
	is_int(c.v[0].state, CASE_FAIL, "failed");
	is_str(c.v[0].detail, "f.c:3: a < b\nf.c:4: c", "with each failed condition");
	is_int(c.v[1].state, CASE_PASS, "CUnit: a success passes");
	cases_release(&c);
}

static void tap_directives(void)
{
	struct cases c;

	memset(&c, 0, sizeof(c));
	tap(&c, "1..4\nok 1 - a \\# b\nok 2 - c \\\\# SKIP no db\nnot ok 3 # skipped is no directive\n"
		"ok 4 - d # todo: later\n");
	is_int(c.v[0].state, CASE_PASS, "an escaped \"#\" starts no directive");
	is_str(c.v[0].name, "a # b", "and is a \"#\" in the name");
	is_int(c.v[1].state, CASE_SKIP, "after an escaped backslash, \"#\" does");
	is_str(c.v[1].name, "c \\", "and the name has one backslash");
	is_str(c.v[1].detail, "no db", "the reason is the detail");
	is_int(c.v[2].state, CASE_FAIL, "\"skipped\" is no SKIP (TAP::Parser: SKIP\\b)");
	is_int(c.v[3].state, CASE_SKIP, "directives are case-insensitive");
	ok(!c.broken, "nothing is broken");

	tap(&c, "1..2\nnot ok 1 - a\n# got 1\n#   want 2\nok 2 - b\n# not mine\n");
	is_str(c.v[0].detail, "got 1\n  want 2", "comments after a failure are its detail");
	ok(!c.v[1].detail, "after a pass they are not");
	cases_release(&c);
}

static void tap_plans(void)
{
	struct cases c;

	memset(&c, 0, sizeof(c));
	tap(&c, "ok 1\nok 2\n");
	is_str(c.broken, "no plan in the TAP output", "no plan is broken");
	tap(&c, "1..5\nok 1\nok 2\nok 3\nok 4\nok 5\nok 6\nok 7\n");
	is_str(c.broken, "planned 5 tests but ran 7", "more tests than planned");
	is_int(c.v[6].state, CASE_FAIL, "a test beyond the plan fails, as in prove");
	tap(&c, "1..3\nok 1\nok 3\nok 2\n");
	is_str(c.broken, "tests out of sequence: found 3 but expected 2", "out of sequence");
	tap(&c, "ok 1\n1..2\nok 2\n");
	is_str(c.broken, "the plan 1..2 must be at the beginning or the end of the TAP output", "a plan in the middle");
	tap(&c, "1..1\nok 1\n1..1\n");
	is_str(c.broken, "more than one plan in the TAP output", "two plans");
	tap(&c, "1..2\nok 1\nBail out!   disk full  \nok 2\n");
	is_str(c.broken, "Bail out! disk full  ", "Bail out! breaks it, with the reason");
	is_int(c.nr, 1, "and ends it");
	tap(&c, "ok 1\nok 2\n1..2\n");
	ok(!c.broken, "a plan at the end is fine");
	tap(&c, "1..0 # SKIP no db\n");
	ok(!c.broken && c.planned == 0 && !c.nr, "so is skipping all");
	tap(&c, "TAP version 13\n1..2\nok 1\n  ---\n  a: 1\nok 2\n");
	is_str(c.broken, "a YAML block in the TAP output does not end with \"...\"", "a YAML block left open");
	tap(&c, "1..2\nnot ok 1\n  ---\n  a: 1\n  ...\nok 2\n  ---\n  b: 2\n  ...\n");
	ok(!c.broken, "YAML blocks closed are fine");
	is_str(c.v[0].detail, "a: 1", "and are the detail of the case above");
	cases_release(&c);
}

int main(void)
{
	struct cases c;
	const char *t = "TAP version 13\n1..5\nok 1 - first\nnot ok 2 second\n    ok 1 - nested\n"
			"ok 3 # SKIP no db\nnot ok 4 - later # TODO soon\nnotok 5\nok\n";
	const char *x = "<?xml version=\"1.0\"?><testsuites><testsuite name=\"s\">"
			"<testcase name=\"a &lt;b&gt;\" classname=\"K\"/>"
			"<testcase classname='K' name='fails'><failure>no</failure></testcase>"
			"<testcase name=\"errs\"><error/></testcase>"
			"<testcase name=\"skip\"><skipped/></testcase></testsuite></testsuites>";

	memset(&c, 0, sizeof(c));
	cases_parse_tap(&c, t, strlen(t));
	is_int(c.planned, 5, "the plan is read");
	is_int(c.nr, 5, "five case lines, the nested one and a malformed one skipped");
	is_str(c.v[0].name, "first", "the description without its dash");
	is_int(c.v[1].state, CASE_FAIL, "not ok fails");
	is_int(c.v[2].state, CASE_SKIP, "SKIP skips");
	is_int(c.v[3].state, CASE_SKIP, "TODO skips");
	is_str(c.v[4].name, "case 5", "an unnamed case gets a number");
	cases_release(&c);

	cases_parse_tap(&c, "ok 1\nBail out! broken\nok 2\n", 23);
	is_int(c.bailed, 1, "Bail out! is seen");
	is_int(c.nr, 1, "nothing after it counts");
	cases_release(&c);

	c.max = 3;
	cases_parse_tap(&c, "1..20000000000\nok 1\n", 20);
	is_int(c.over, 1, "a plan above the cap is over it, however large");
	is_int(c.nr, 0, "and nothing after it is kept");
	cases_release(&c);
	c.max = 3;
	cases_parse_tap(&c, "ok\nok\nok\n", 9);
	is_int(c.over, 0, "as many cases as the cap are fine");
	is_int(c.nr, 3, "and all kept");
	cases_release(&c);
	c.max = 3;
	cases_parse_tap(&c, "ok\nok\nok\nnot ok\nok\n", 19);
	is_int(c.over, 1, "one more case is over the cap");
	is_int(c.nr, 3, "the cap is all that is kept");
	cases_release(&c);
	c.max = 3;
	is_int(cases_parse_junit(&c, x, strlen(x)), 0, "junit over the cap parses");
	is_int(c.over, 1, "and is over it");
	cases_release(&c);

	is_int(cases_parse_junit(&c, x, strlen(x)), 0, "junit parses");
	is_int(c.nr, 4, "four test cases");
	is_str(c.v[0].name, "K.a <b>", "classname.name with entities decoded");
	is_int(c.v[0].state, CASE_PASS, "a self-closing case passes");
	is_str(c.v[1].name, "K.fails", "single-quoted attributes");
	is_int(c.v[1].state, CASE_FAIL, "a failure fails");
	is_int(c.v[2].state, CASE_FAIL, "an error fails");
	is_int(c.v[3].state, CASE_SKIP, "skipped skips");
	cases_release(&c);
	is_int(cases_parse_junit(&c, "score: 100", 10), -1, "text without a testsuite is refused");
	cases_release(&c);
	junit_markup();
	junit_hostile();
	junit_frameworks();
	tap_directives();
	tap_plans();
	return done_testing();
}
