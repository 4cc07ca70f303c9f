#!/bin/sh
test_description='a cmocka suite is graded case by case as prove (TAP) and cmocka (XML) judge it'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-frameworks.sh"

# cmocka 1.1 writes case names into its XML unescaped: with ODD defined the
# suite has names holding < and & and its XML report is not well-formed.
# Its TAP writes a skipped test as "not ok 6 # SKIP", which prove fails.
test_expect_success 'set up a course, a cmocka suite and a submission' '
	test -f /usr/include/cmocka.h &&
	fw_setup &&
	mkdir tests-tap tests-xml tests-odd sub &&
	cat >tests-tap/lifebelt.json <<-\EOF &&
	{ "build": "cc -DODD -o test_calc test_calc.c calc.c -lcmocka",
	  "files": ["test_calc.c"],
	  "tests": [ { "name": "cmocka", "format": "tap", "run": "CMOCKA_MESSAGE_OUTPUT=TAP ./test_calc" } ] }
	EOF
	cat >tests-xml/lifebelt.json <<-\EOF &&
	{ "build": "cc -o test_calc test_calc.c calc.c -lcmocka",
	  "files": ["test_calc.c"],
	  "tests": [ { "name": "cmocka", "format": "junit", "report": "report.xml",
	      "run": "CMOCKA_MESSAGE_OUTPUT=XML CMOCKA_XML_FILE=report.xml ./test_calc" } ] }
	EOF
	sed "s/-o test_calc/-DODD -o test_calc/" tests-xml/lifebelt.json >tests-odd/lifebelt.json &&
	cat >test_calc.c <<-\EOF &&
	#include <stdarg.h>
	#include <stddef.h>
	#include <setjmp.h>
	#include <stdint.h>
	#include <stdio.h>
	#include <cmocka.h>
	int add(int a, int b);
	static void adds(void **state) { (void)state; assert_int_equal(add(2, 3), 5); }
	static void prints_markup(void **state)
	{
		(void)state;
		printf("<failure message=\"no\">]]></failure> & <error/> <skipped/>\n");
		assert_int_equal(add(1, 1), 2);
	}
	static void wrong(void **state) { (void)state; assert_int_equal(add(2, 2), 5); }
	static void wrong_msg(void **state) { (void)state; if (add(2, 2) != 5) fail_msg("why: add(2, 2) is not 5"); }
	static void crash(void **state) { (void)state; volatile int *p = NULL; *p = add(1, 1); }
	static void skipped(void **state) { (void)state; skip(); }
	static int broken_setup(void **state) { (void)state; return -1; }
	static void never(void **state) { (void)state; }
	int main(void)
	{
		const struct CMUnitTest tests[] = {
			cmocka_unit_test(adds),
			cmocka_unit_test(prints_markup),
			cmocka_unit_test(wrong),
			cmocka_unit_test(wrong_msg),
			cmocka_unit_test(crash),
			cmocka_unit_test(skipped),
			cmocka_unit_test_setup(never, broken_setup),
	#ifdef ODD
			{ "a > b & c < d # e", adds, NULL, NULL, NULL },
			{ "x<y]]>&# fails", wrong, NULL, NULL, NULL },
	#endif
		};
		return cmocka_run_group_tests_name("calc", tests, NULL, NULL);
	}
	EOF
	cp test_calc.c tests-tap/ && cp test_calc.c tests-xml/ && cp test_calc.c tests-odd/ &&
	echo "int add(int a, int b) { return a + b; }" >sub/calc.c
'

test_expect_success 'cmocka'"'"'s own verdicts, and prove'"'"'s on its TAP' '
	mkdir own && cp test_calc.c sub/calc.c own/ &&
	(cd own && cc -o plain test_calc.c calc.c -lcmocka && cc -DODD -o odd test_calc.c calc.c -lcmocka &&
	 { ./plain >../own.out 2>&1; test $? = 4; } &&
	 { CMOCKA_MESSAGE_OUTPUT=TAP ./odd >../own.tap 2>/dev/null; test $? = 5; } &&
	 { CMOCKA_MESSAGE_OUTPUT=XML CMOCKA_XML_FILE=odd.xml ./odd >/dev/null 2>&1; test $? = 5; }) &&
	fw_oracle cmocka oracle own.out &&
	test_grep " 4 FAILED TEST(S)" own.out &&
	test $(wc -l <oracle) = 7 &&
	fw_oracle tap oracle.tap own.tap &&
	test $(wc -l <oracle.tap) = 9 &&
	test_must_fail python3 -c "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])" own/odd.xml 2>err &&
	test_grep "not well-formed" err
'

fw_expect_agree 'Lifebelt grades each case as prove does (TAP)' \
	cmtap tests-tap sub oracle.tap cmocka order

fw_expect_agree 'Lifebelt grades each case as cmocka does (XML)' \
	cmxml tests-xml sub oracle cmocka name

test_expect_success 'an XML report that is not well-formed earns nothing' '
	fw_grade cmodd tests-odd sub &&
	test "$(cat cmodd.score)" = 0.0 &&
	test "$(fw_db "SELECT count(*) FROM results WHERE job_id = $fw_job AND verdict != '"'"'fail'"'"'")" = 0
'

test_done
