#!/bin/sh
test_description='a bats suite is graded case by case as prove judges its TAP (--tap, --formatter junit)'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-frameworks.sh"

test_expect_success 'set up a course, a bats suite and a submission' '
	command -v bats &&
	fw_setup &&
	mkdir tests-tap tests-junit sub &&
	cat >tests-tap/lifebelt.json <<-\EOF &&
	{ "files": ["calc.bats"],
	  "tests": [ { "name": "bats", "format": "tap", "run": "bats --tap calc.bats" } ] }
	EOF
	cat >tests-junit/lifebelt.json <<-\EOF &&
	{ "files": ["calc.bats"],
	  "tests": [ { "name": "bats", "format": "junit", "report": "report.xml",
	      "run": "bats --formatter junit --show-output-of-passing-tests calc.bats >report.xml" } ] }
	EOF
	cat >calc.bats <<-\EOF &&
	@test "adds" { [ "$(sh ./calc.sh 2 3)" = 5 ]; }
	@test "prints markup" {
		echo "<failure message=\"no\">]]></failure> & <error/> <skipped/>"
		[ "$(sh ./calc.sh 1 1)" = 2 ]
	}
	@test "wrong" { echo "why: add 2 2 is not 5 <&>"; [ "$(sh ./calc.sh 2 2)" = 5 ]; }
	@test "exits" { echo "why: calc.sh stopped"; sh ./calc.sh; }
	@test "skipped" { skip "not graded"; }
	@test "a > b & c < d # e" { [ "$(sh ./calc.sh 1 2)" = 3 ]; }
	@test "x<y]]>&# fails" { echo "why: ]]> <&>" >&2; false; }
	EOF
	cp calc.bats tests-tap/ && cp calc.bats tests-junit/ &&
	printf "test \$# = 2 || exit 2\necho \$((\$1 + \$2))\n" >sub/calc.sh
'

test_expect_success 'prove'"'"'s verdicts on bats'"'"'s TAP' '
	mkdir own && cp calc.bats sub/calc.sh own/ &&
	(cd own && { bats --tap calc.bats >../own.tap; test $? = 1; }) &&
	fw_oracle tap oracle own.tap &&
	test $(wc -l <oracle) = 7
'

fw_expect_agree 'Lifebelt grades each case as prove does (--tap)' \
	btap tests-tap sub oracle bats order

fw_expect_agree 'Lifebelt grades each case as prove does (--formatter junit)' \
	bjunit tests-junit sub oracle bats name

test_done
