#!/bin/sh
test_description='a CUnit suite'"'"'s automated XML report is graded case by case as CUnit judges it'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-frameworks.sh"

# CUnit 2.1-3 (Debian 12), automated interface: its own report
# (NAME-Results.xml) writes test names unescaped, so a suite with a name
# holding < or & makes a report that is not XML (ODD below); its JUnit
# report (CU_automated_enable_junit_xml, JUNIT below) leaves names unescaped
# and elements unclosed, and aborts in CU_translate_special_characters at
# the first failed case. Its verdicts come from its basic interface.
test_expect_success 'set up a course, a CUnit suite and a submission' '
	test -f /usr/include/CUnit/Automated.h &&
	fw_setup &&
	mkdir tests tests-odd tests-junit sub &&
	cat >tests/lifebelt.json <<-\EOF &&
	{ "build": "cc -o test_calc test_calc.c calc.c -lcunit",
	  "files": ["test_calc.c"],
	  "tests": [ { "name": "cunit", "format": "junit", "report": "calc-Results.xml", "run": "./test_calc" } ] }
	EOF
	sed "s/-o test_calc/-DODD -o test_calc/" tests/lifebelt.json >tests-odd/lifebelt.json &&
	sed "s/-o test_calc/-DODD -DJUNIT -o test_calc/" tests/lifebelt.json >tests-junit/lifebelt.json &&
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
	static void wrong(void) { CU_ASSERT_EQUAL_FATAL(add(2, 2), 5); }
	static void wrong_twice(void) { CU_ASSERT_EQUAL(add(2, 2), 5); CU_ASSERT_EQUAL(add(1, 1), 3); }
	static void wrong_msg(void) { CU_FAIL("why: add(2, 2) is not 5 <&>"); }
	int main(int argc, char **argv)
	{
		CU_pSuite s;

		CU_initialize_registry();
		s = CU_add_suite("calc", NULL, NULL);
		CU_add_test(s, "adds", adds);
		CU_add_test(s, "prints markup", prints_markup);
		CU_add_test(s, "wrong", wrong);
		CU_add_test(s, "wrong twice", wrong_twice);
		CU_add_test(s, "wrong msg", wrong_msg);
	#ifdef ODD
		CU_add_test(s, "a > b & c < d # e", adds);
		CU_add_test(s, "x<y]]>&# fails", wrong_msg);
	#endif
		CU_set_test_active(CU_add_test(s, "inactive", wrong), CU_FALSE);
		if (argc > 1 && !strcmp(argv[1], "basic")) {
			CU_basic_set_mode(CU_BRM_VERBOSE);
			CU_basic_run_tests();
		} else {
			CU_set_output_filename("calc");
	#ifdef JUNIT
			CU_automated_enable_junit_xml(CU_TRUE);
	#endif
			CU_automated_run_tests();
		}
		CU_cleanup_registry();
		return 0;
	}
	EOF
	cp test_calc.c tests/ && cp test_calc.c tests-odd/ && cp test_calc.c tests-junit/ &&
	echo "int add(int a, int b) { return a + b; }" >sub/calc.c
'

test_expect_success 'CUnit'"'"'s own verdicts; its reports with odd names are not XML' '
	mkdir own && cp test_calc.c sub/calc.c own/ &&
	(cd own && cc -o plain test_calc.c calc.c -lcunit && cc -DODD -o odd test_calc.c calc.c -lcunit &&
	 cc -DODD -DJUNIT -o junit test_calc.c calc.c -lcunit &&
	 ./plain basic >../own.out && ./plain >/dev/null && mv calc-Results.xml plain.xml &&
	 ./odd >/dev/null && mv calc-Results.xml odd.xml &&
	 { ./junit >/dev/null 2>../abort.err; test $? != 0; } && mv calc-Results.xml junit.xml) &&
	test_grep "tests      6      5      2      3        1" own.out &&
	fw_oracle cunit oracle own.out &&
	test $(wc -l <oracle) = 5 &&
	python3 -c "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])" own/plain.xml &&
	test_grep "CU_translate_special_characters" abort.err &&
	for f in odd junit; do
		test_must_fail python3 -c "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])" own/$f.xml 2>err &&
		test_grep "mismatched tag\|not well-formed\|no element found" err || return 1
	done
'

fw_expect_agree 'Lifebelt grades each case as CUnit does' \
	cu tests sub oracle cunit name

test_expect_success 'a report that is not well-formed (names unescaped) earns nothing' '
	fw_grade cuodd tests-odd sub &&
	test "$(cat cuodd.score)" = 0.0 &&
	test "$(fw_db "SELECT count(*) FROM results WHERE job_id = $fw_job AND verdict = '"'"'pass'"'"'")" = 0
'

test_expect_success 'a JUnit report cut short by CUnit'"'"'s abort earns nothing' '
	fw_grade cujunit tests-junit sub &&
	test "$(cat cujunit.score)" = 0.0 &&
	test "$(fw_db "SELECT count(*) FROM results WHERE job_id = $fw_job AND verdict = '"'"'pass'"'"'")" = 0
'

test_done
