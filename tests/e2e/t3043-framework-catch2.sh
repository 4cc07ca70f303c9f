#!/bin/sh
test_description='a Catch2 suite is graded case by case as Catch2 (JUnit reporter) and prove (TAP reporter) judge it'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-frameworks.sh"

# Catch2 2.x (Debian 12): the main comes from Debian's libCatch2WithMain.a;
# the TAP reporter, a header of its own, is compiled once by the teacher.
test_expect_success 'set up a course, a Catch2 suite and a submission' '
	test -f /usr/include/catch2/catch.hpp &&
	fw_setup &&
	mkdir tests sub &&
	for f in junit tap; do
		mkdir tests-$f &&
		cat >tests-$f/lifebelt.json <<-EOF || return 1
		{ "build": "g++ -o calc_test catch_tap.o calc_test.o calc.cpp /usr/lib/libCatch2WithMain.a",
		  "files": ["catch_tap.o", "calc_test.o"],
		  "limits": { "cpu_seconds": 20, "wall_seconds": 30 },
		  "tests": [
		    { "name": "catch2", "format": "$f", "report": "report.xml",
		      "run": "./calc_test --reporter $f --out report.xml" }
		  ] }
		EOF
	done &&
	sed -i "s/\"report\": \"report.xml\",//; s/ --out report.xml//" tests-tap/lifebelt.json &&
	cat >catch_tap.cpp <<-\EOF &&
	#define CATCH_CONFIG_EXTERNAL_INTERFACES
	#include <catch2/catch.hpp>
	#include <catch2/catch_reporter_tap.hpp>
	Catch::TAPReporter::~TAPReporter() {}
	EOF
	cat >calc_test.cpp <<-\EOF &&
	#include <catch2/catch.hpp>
	#include <iostream>
	#include <stdexcept>
	int add(int a, int b);
	TEST_CASE("adds") { REQUIRE(add(2, 3) == 5); }
	TEST_CASE("prints markup") {
		std::cout << "<failure message=\"no\">]]></failure> & <error/> <skipped/>" << std::endl;
		REQUIRE(add(1, 1) == 2);
	}
	TEST_CASE("wrong") { INFO("why: add(2, 2) is not 5 <&>"); CHECK(add(2, 2) == 5); }
	TEST_CASE("throws") { throw std::runtime_error("why: the code blew up"); }
	TEST_CASE("a > b & c < d # e") { REQUIRE(add(1, 2) == 3); }
	TEST_CASE("x<y]]>&# fails") { FAIL("why: ]]> <&> in the message"); }
	TEST_CASE("may fail and does", "[!mayfail]") { FAIL("why: known bug"); }
	TEST_CASE("may fail but passes", "[!mayfail]") { REQUIRE(add(1, 2) == 3); }
	TEST_CASE("should fail and does", "[!shouldfail]") { REQUIRE(add(1, 2) == 4); }
	TEST_CASE("hidden from a plain run", "[.]") { REQUIRE(false); }
	EOF
	g++ -c -o catch_tap.o catch_tap.cpp &&
	g++ -c -o calc_test.o calc_test.cpp &&
	cp catch_tap.o calc_test.o tests-junit/ &&
	cp catch_tap.o calc_test.o tests-tap/ &&
	echo "int add(int a, int b) { return a + b; }" >sub/calc.cpp
'

test_expect_success 'Catch2'"'"'s own verdicts, and prove'"'"'s on its TAP' '
	mkdir own && cp catch_tap.o calc_test.o sub/calc.cpp own/ &&
	(cd own && g++ -o calc_test catch_tap.o calc_test.o calc.cpp /usr/lib/libCatch2WithMain.a &&
	 { ./calc_test >../own.out 2>&1; test $? = 3; } &&
	 { ./calc_test -r xml >../own.xml; test $? = 3; } &&
	 { ./calc_test -r tap >../own.tap; test $? = 3; }) &&
	fw_oracle catch2xml oracle own.xml &&
	test_grep "test cases: 9 | 4 passed | 3 failed | 2 failed as expected" own.out &&
	test $(wc -l <oracle) = 9 &&
	fw_oracle tap oracle.tap own.tap
'

fw_expect_agree 'Lifebelt grades each case as Catch2 does (JUnit reporter)' \
	c2junit tests-junit sub oracle catch2 name

fw_expect_agree 'Lifebelt grades each TAP line as prove does (TAP reporter)' \
	c2tap tests-tap sub oracle.tap catch2 order

test_done
