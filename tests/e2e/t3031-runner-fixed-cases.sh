#!/bin/sh
test_description='a tap or junit test whose number of cases the teacher fixed is worth that many whatever is reported'
. "$(dirname "$0")/test-lib.sh"

# try SCRIPT: grade sub/ whose t.sh is SCRIPT with the spec in tests/, output in out.
try() {
	printf "%s\n" "$1" >sub/t.sh &&
	lifebelt try tests sub >out
}

test_expect_success 'set up a tap and a junit test of fixed size' '
	lifebelt init >/dev/null &&
	mkdir tests sub &&
	cat >tests/lifebelt.json <<-\JSON
	{ "tests": [ { "name": "tap", "format": "tap", "points": 2, "cases": 3, "run": "sh t.sh tap" },
	             { "name": "xml", "format": "junit", "cases": 4, "report": "r.xml", "run": "sh t.sh xml" } ] }
	JSON
'

# A script printing TAP for "tap" and writing r.xml of the cases XML names for "xml".
script() {
	cat <<-EOF
	if [ "\$1" = tap ]; then printf "$1"; exit 0; fi
	{ echo "<testsuite name=\"s\">"; for c in $2; do echo "<testcase name=\"\$c\"/>"; done; echo "</testsuite>"; } >r.xml
	EOF
}

test_expect_success 'cases not reported are failed rows, and the maximum is the fixed one' '
	try "$(script "1..3\nok 1 - a\nok 2 - b\nok 3 - c\n" "one two")" &&
	test_grep "^pass  *tap: c  2/2" out &&
	test_grep "^pass  *xml: two  1/1" out &&
	test $(grep -c "^fail  *xml: (not run)  0/1" out) = 2 &&
	test_grep "not reported" out &&
	test_grep "^failed: 8/10" out
'

test_expect_success 'a plan that differs from the fixed number fails the run' '
	try "$(script "1..1\nok 1 - a\n" "one two three four")" &&
	test_grep "^fail  *tap: a  0/2" out &&
	test $(grep -c "^fail  *tap: (not run)  0/2" out) = 2 &&
	test_grep "the run failed: the plan announces 1 case; the test has 3" out &&
	test_grep "^failed: 4/10" out &&
	try "$(script "1..5\nok 1 - a\nok 2 - b\nok 3 - c\nok 4 - d\nok 5 - e\n" "one two three four")" &&
	test_grep "the run failed: the plan announces 5 cases; the test has 3" out &&
	test $(grep -c "^fail  *tap: " out) = 3 &&
	test_grep "^failed: 4/10" out
'

test_expect_success 'more cases than the fixed number fail the run' '
	try "$(script "1..3\nok 1 - a\nok 2 - b\nok 3 - c\n" "one two three four five")" &&
	test $(grep -c "^fail  *xml: " out) = 4 &&
	test_grep "the run failed: reported more than 4 cases; the test has 4" out &&
	test_grep "^failed: 6/10" out
'

test_expect_success 'no report at all, or no build, is still worth the fixed maximum' '
	try "exit 0" &&
	test_grep "^fail  *tap  0/6" out &&
	test_grep "^fail  *xml  0/4" out &&
	test_grep "^failed: 0/10" out &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "build": "false",
	  "tests": [ { "name": "tap", "format": "tap", "points": 2, "cases": 3, "run": "sh t.sh tap" } ] }
	JSON
	try "exit 0" &&
	test_grep "^build_failed  *tap  0/6" out &&
	test_grep "^build_failed: 0/6" out
'

test_expect_success 'a number of cases that is not a whole number from 1 is refused' '
	cat >tests/lifebelt.json <<-\JSON &&
	{ "tests": [ { "name": "tap", "format": "tap", "cases": 0, "run": "true" } ] }
	JSON
	test_must_fail lifebelt try tests sub 2>err &&
	test_grep "tests\[0\]: field .cases. must be a whole number from 1 to 100000" err
'

test_done
