#!/bin/sh
test_description='CUnit'"'"'s automated JUnit report is not well-formed: Lifebelt trusts none of it'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-frameworks.sh"

# CUnit 2.1-3 (Debian 12) writes its JUnit XML (CU_automated_enable_junit_xml)
# with names unescaped and elements never closed, and aborts in
# CU_translate_special_characters at the first failed case, leaving the
# report cut short. Its verdicts come from its basic interface instead.
test_expect_success 'set up a course, a CUnit suite and a submission' '
	test -f /usr/include/CUnit/Automated.h &&
	fw_setup &&
	mkdir tests-pass tests-fail sub &&
	cat >tests-fail/lifebelt.json <<-\EOF &&
	{ "build": "cc -o test_calc test_calc.c calc.c -lcunit",
	  "files": ["test_calc.c"],
	  "tests": [ { "name": "cunit", "format": "junit", "report": "calc-Results.xml", "run": "./test_calc" } ] }
	EOF
	sed "s/-o test_calc/-DPASSING -o test_calc/" tests-fail/lifebelt.json >tests-pass/lifebelt.json &&
	cat >test_calc.c <<-\EOF &&
	#include <CUnit/Basic.h>
	#include <CUnit/Automated.h>
	#include <stdio.h>
	#include <string.h>
	int add(int a, int b);
	static void adds(void) { CU_ASSERT_EQUAL(add(2, 3), 5); }
	static void prints_markup(void)
	{
		printf("<failure message=\"no\">]]></failure> & <error/> <skipped/>\n");
		CU_ASSERT_EQUAL(add(1, 1), 2);
	}
	static void wrong(void) { CU_ASSERT_EQUAL(add(2, 2), 5); }
	static void wrong_msg(void) { CU_FAIL("why: add(2, 2) is not 5"); }
	int main(int argc, char **argv)
	{
		CU_pSuite s;

		CU_initialize_registry();
		s = CU_add_suite("calc", NULL, NULL);
		CU_add_test(s, "adds", adds);
		CU_add_test(s, "prints markup", prints_markup);
	#ifndef PASSING
		CU_add_test(s, "wrong", wrong);
		CU_add_test(s, "wrong msg", wrong_msg);
		CU_add_test(s, "x<y]]>&# fails", wrong_msg);
	#endif
		CU_add_test(s, "a > b & c < d # e", adds);
		CU_set_test_active(CU_add_test(s, "inactive", wrong), CU_FALSE);
		if (argc > 1 && !strcmp(argv[1], "basic")) {
			CU_basic_set_mode(CU_BRM_VERBOSE);
			CU_basic_run_tests();
		} else {
			CU_set_output_filename("calc");
			CU_automated_enable_junit_xml(CU_TRUE);
			CU_automated_run_tests();
		}
		CU_cleanup_registry();
		return 0;
	}
	EOF
	cp test_calc.c tests-pass/ && cp test_calc.c tests-fail/ &&
	echo "int add(int a, int b) { return a + b; }" >sub/calc.c
'

test_expect_success 'CUnit'"'"'s own verdicts; its JUnit reports are not XML' '
	mkdir own && cp test_calc.c sub/calc.c own/ &&
	(cd own && cc -o fail test_calc.c calc.c -lcunit && cc -DPASSING -o pass test_calc.c calc.c -lcunit &&
	 ./fail basic >../own.out && ./pass basic >../own-pass.out &&
	 { ./fail >/dev/null 2>../abort.err; test $? != 0; } && mv calc-Results.xml fail.xml &&
	 ./pass >/dev/null && mv calc-Results.xml pass.xml) &&
	test_grep "CU_translate_special_characters" abort.err &&
	fw_oracle cunit oracle own.out &&
	test $(grep -c "^pass" oracle) = 3 && test $(grep -c "^fail" oracle) = 3 &&
	fw_oracle cunit oracle-pass own-pass.out &&
	test $(grep -c "^pass" oracle-pass) = 3 &&
	for f in pass fail; do
		test_must_fail python3 -c "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])" own/$f.xml 2>err &&
		test_grep "mismatched tag\|not well-formed\|no element found" err || return 1
	done
'

test_expect_success 'a CUnit report of passed cases earns nothing: it is not well-formed' '
	fw_grade cupass tests-pass sub &&
	test "$(cat cupass.score)" = 0.0 &&
	test "$(fw_db "SELECT count(*) FROM results WHERE job_id = $fw_job AND verdict = '"'"'pass'"'"'")" = 0
'

test_expect_success 'a report cut short by CUnit'"'"'s abort earns nothing' '
	fw_grade cufail tests-fail sub &&
	test "$(cat cufail.score)" = 0.0 &&
	test "$(fw_db "SELECT count(*) FROM results WHERE job_id = $fw_job AND verdict = '"'"'pass'"'"'")" = 0
'

test_done
