/* t-cases.c: TAP and JUnit parsing. */
#include <string.h>

#include "tap.h"
#include "../../runner/cases.h"
#include "../../lib/banned.h"

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
	return done_testing();
}
