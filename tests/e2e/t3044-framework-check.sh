#!/bin/sh
test_description='a Check suite writing TAP (CK_TAP_LOG_FILE_NAME) is graded case by case as prove judges it'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-frameworks.sh"

test_expect_success 'set up a course, a Check suite and a submission' '
	pkg-config --exists check &&
	fw_setup &&
	mkdir tests tests-nofork sub &&
	cat >tests/lifebelt.json <<-EOF &&
	{ "build": "cc -o check_calc check_calc.c calc.c $(pkg-config --cflags --libs check)",
	  "files": ["check_calc.c"],
	  "tests": [
	    { "name": "check", "format": "tap", "run": "CK_TAP_LOG_FILE_NAME=- ./check_calc" }
	  ] }
	EOF
	cat >tests/check_calc.c <<-\EOF &&
	#include <check.h>
	#include <stdio.h>
	#include <stdlib.h>
	int add(int a, int b);
	START_TEST(adds) { ck_assert_int_eq(add(2, 3), 5); }
	END_TEST
	START_TEST(prints_markup)
	{
		printf("<failure message=\"no\">]]></failure> & <error/> # SKIP\n");
		fflush(stdout);
		ck_assert_int_eq(add(1, 1), 2);
	}
	END_TEST
	START_TEST(wrong) { ck_assert_msg(add(2, 2) == 5, "why: add(2, 2) is not 5 <&>"); }
	END_TEST
	START_TEST(crash) { volatile int *p = NULL; *p = add(1, 1); }
	END_TEST
	START_TEST(exits) { exit(3); }
	END_TEST
	int main(void)
	{
		Suite *s = suite_create("calc");
		TCase *tc = tcase_create("core");
		TCase *odd = tcase_create("a > b & c < d # e");
		TCase *odd2 = tcase_create("x<y]]>&#");
		SRunner *sr;
		int failed;

		tcase_add_test(tc, adds);
		tcase_add_test(tc, prints_markup);
		tcase_add_test(tc, wrong);
		tcase_add_test(tc, crash);
		tcase_add_test(tc, exits);
		tcase_add_test(odd, adds);
		tcase_add_test(odd2, wrong);
		suite_add_tcase(s, tc);
		suite_add_tcase(s, odd);
		suite_add_tcase(s, odd2);
		sr = srunner_create(s);
		srunner_run_all(sr, CK_NORMAL);
		failed = srunner_ntests_failed(sr);
		srunner_free(sr);
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;
	}
	EOF
	sed "s/CK_TAP_LOG_FILE_NAME=-/CK_FORK=no &/" tests/lifebelt.json >tests-nofork/lifebelt.json &&
	cp tests/check_calc.c tests-nofork/ &&
	echo "int add(int a, int b) { return a + b; }" >sub/calc.c
'

test_expect_success 'prove'"'"'s verdicts on Check'"'"'s TAP' '
	mkdir own && cp tests/check_calc.c sub/calc.c own/ &&
	(cd own && cc -o check_calc check_calc.c calc.c $(pkg-config --cflags --libs check) &&
	 { CK_TAP_LOG_FILE_NAME=- ./check_calc >../own.tap 2>/dev/null; test $? = 1; }) &&
	fw_oracle tap oracle own.tap &&
	test_grep "Checks: 7, Failures: 2, Errors: 2" own.tap &&
	test $(wc -l <oracle) = 7
'

fw_expect_agree 'Lifebelt grades each case as prove does' \
	ck tests sub oracle check order

# Without a fork per test (as under gdb or valgrind), the crash ends the
# whole program before Check prints its plan, which it prints last.
test_expect_success 'with CK_FORK=no, prove fails the run cut short by the crash' '
	(cd own && { CK_FORK=no CK_TAP_LOG_FILE_NAME=- ./check_calc >../nofork.tap 2>/dev/null; test $? = 139; }) &&
	test_grep "^ok 2 " nofork.tap &&
	{ prove -e cat nofork.tap >prove.out 2>&1; test $? = 1; } &&
	test_grep "No plan found in TAP output" prove.out &&
	test_grep "Result: FAIL" prove.out
'

test_expect_success 'and Lifebelt gives none of its cases a point' '
	fw_grade cknofork tests-nofork sub &&
	test "$(cat cknofork.score)" = 0.0 &&
	test "$(fw_db "SELECT count(*) FROM results WHERE job_id = $fw_job AND verdict = '"'"'pass'"'"'")" = 0
'

test_done
