#!/bin/sh
test_description='a GoogleTest suite (--gtest_output=xml) is graded case by case as GoogleTest judges it'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-frameworks.sh"

test_expect_success 'set up a course, a GoogleTest suite and a submission' '
	test -f /usr/include/gtest/gtest.h &&
	fw_setup &&
	mkdir tests sub &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "build": "g++ -o calc_test calc_test.o calc.cc -lgtest_main -lgtest -pthread",
	  "files": ["calc_test.o"],
	  "limits": { "cpu_seconds": 20, "wall_seconds": 30 },
	  "tests": [
	    { "name": "gtest", "format": "junit", "report": "report.xml",
	      "run": "./calc_test --gtest_output=xml:report.xml" }
	  ] }
	JSON
	cat >calc_test.cc <<-\EOF &&
	#include <gtest/gtest.h>
	#include <iostream>
	#include <stdexcept>
	int add(int a, int b);
	TEST(Calc, Adds) { EXPECT_EQ(add(2, 3), 5); }
	TEST(Calc, PrintsMarkup) {
		std::cout << "<failure message=\"no\">]]></failure> & <error/> <skipped/>" << std::endl;
		RecordProperty("note", "<failure>]]>&#");
		EXPECT_EQ(add(1, 1), 2);
	}
	TEST(Calc, Wrong) { EXPECT_EQ(add(2, 2), 5) << "why: add(2, 2) is not 5 <&>"; }
	TEST(Calc, Throws) { throw std::runtime_error("why: the code blew up"); }
	TEST(Calc, Skipped) { GTEST_SKIP() << "not graded"; }
	TEST(Calc, DISABLED_Later) { EXPECT_EQ(add(1, 1), 3) << "why: never run"; }
	class Named : public ::testing::TestWithParam<std::string> {};
	TEST_P(Named, Param) { EXPECT_EQ(GetParam().size() % 2, 1u) << "why: ]]> <&> " << GetParam(); }
	INSTANTIATE_TEST_SUITE_P(Odd, Named, ::testing::Values(std::string("a > b & c < d # e"),
		std::string("x<y]]>&#")));
	EOF
	g++ -c -o tests/calc_test.o calc_test.cc &&
	echo "int add(int a, int b) { return a + b; }" >sub/calc.cc
'

test_expect_success 'GoogleTest'"'"'s own verdicts' '
	mkdir own && cp tests/calc_test.o sub/calc.cc own/ &&
	(cd own && g++ -o calc_test calc_test.o calc.cc -lgtest_main -lgtest -pthread &&
	 ./calc_test >../own.out 2>&1; test $? = 1) &&
	fw_oracle gtest oracle own.out &&
	test_grep "YOU HAVE 1 DISABLED TEST" own.out &&
	test $(wc -l <oracle) = 8
'

fw_expect_agree 'Lifebelt grades each case as GoogleTest does' \
	gt tests sub oracle gtest name

test_done
