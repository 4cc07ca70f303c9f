#!/bin/sh
test_description='a Test::More script run directly is graded case by case as prove judges it'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-frameworks.sh"

test_expect_success 'set up a course, a Test::More suite and a submission' '
	perl -MTest::More -e 1 &&
	fw_setup &&
	mkdir tests sub &&
	cat >tests/lifebelt.json <<-\EOF &&
	{ "files": ["calc.t"],
	  "tests": [ { "name": "perl", "format": "tap", "run": "perl calc.t" } ] }
	EOF
	cat >tests/calc.t <<-\EOF &&
	use strict;
	use warnings;
	use Test::More tests => 12;
	use lib ".";
	require "./Calc.pm";
	# Diagnostics on stdout, inside the TAP stream, as prove --merge reads them.
	Test::More->builder->failure_output(\*STDOUT);

	is(Calc::add(2, 3), 5, "adds");
	diag("<failure message=\"no\">]]></failure> & <error/> <skipped/>");
	note("ok 99 - a note is not a case");
	ok(Calc::add(1, 1) == 2, "prints markup");
	is(Calc::add(2, 2), 5, "wrong") or diag("why: add(2, 2) is not 5 <&>");
	ok(eval { Calc::boom(); 1 }, "dies") or diag("why: $@");
	SKIP: {
		skip "not graded", 2;
		ok(0, "skipped one");
		ok(0, "skipped two");
	}
	TODO: {
		local $TODO = "later";
		is(Calc::add(1, 2), 4, "todo failing");
		ok(1, "todo passing");
	}
	ok(1, "a > b & c < d # e");
	ok(0, "x<y]]>&# fails") or diag("why: ]]> <&>");
	subtest "a subtest" => sub { plan tests => 2; ok(1, "inner"); ok(0, "inner fails"); };
	ok(1, "the last one");
	EOF
	cat >sub/Calc.pm <<-\EOF
	package Calc;
	sub add { return $_[0] + $_[1]; }
	sub boom { die "the code blew up\n"; }
	1;
	EOF
'

test_expect_success 'prove'"'"'s verdicts' '
	mkdir own && cp tests/calc.t sub/Calc.pm own/ &&
	(cd own && { perl calc.t >../own.tap 2>../own.err; test $? != 0; } &&
	 { prove -v calc.t >../prove.out 2>&1; test $? != 0; }) &&
	test_grep "Failed tests:  3-4, 10-11" prove.out &&
	fw_oracle tap oracle own.tap &&
	test $(wc -l <oracle) = 12
'

fw_expect_agree 'Lifebelt grades each case as prove does' \
	pl tests sub oracle perl order

test_done
