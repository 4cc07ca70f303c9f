#!/bin/sh
test_description='a run that failed as a whole earns nothing: a broken report, or a TAP program that failed although no case did'
. "$(dirname "$0")/test-lib.sh"

# try FORMAT SCRIPT: grade sub/ whose t.sh is SCRIPT with one test of FORMAT; output in out.
try() {
	if test "$1" = tap; then
		echo "{ \"tests\": [ { \"name\": \"t\", \"format\": \"tap\", \"run\": \"sh t.sh\" } ] }"
	else
		echo "{ \"tests\": [ { \"name\": \"t\", \"format\": \"junit\", \"report\": \"r.xml\", \"run\": \"sh t.sh\" } ] }"
	fi >tests/lifebelt.json &&
	printf "%s\n" "$2" >sub/t.sh &&
	lifebelt try tests sub >out
}

test_expect_success 'set up' '
	lifebelt init >/dev/null &&
	mkdir tests sub
'

test_expect_success 'tap: a non-zero exit although every case passed fails every case' '
	try tap "printf \"1..2\nok 1 - a\nok 2 - b\n\"; exit 255" &&
	test_grep "^fail  *t: a  0/1" out &&
	test_grep "^fail  *t: b  0/1" out &&
	test $(grep -c "the run failed: exit status 255 although every case passed" out) = 2 &&
	test_grep "^failed: 0/2" out
'

test_expect_success 'tap: killed by a signal after every case passed, the run fails' '
	try tap "printf \"1..2\nok 1 - a\nok 2 - b\n\"; kill -KILL \$\$" &&
	test_grep "^crashed  *t: a  0/1" out &&
	test_grep "^crashed  *t: b  0/1" out &&
	test_grep "the run failed: killed by signal 9 (SIGKILL)" out &&
	test_grep "^failed: 0/2" out
'

test_expect_success 'tap: a non-zero exit with a failed case is normal: cases keep their verdicts' '
	try tap "printf \"1..2\nok 1 - a\nnot ok 2 - b\n\"; exit 1" &&
	test_grep "^pass  *t: a  1/1" out &&
	test_grep "^fail  *t: b  0/1" out &&
	! grep "the run failed" out &&
	test_grep "^failed: 1/2" out
'

# The rest needs a parser that tells a broken report (cases_broken).
test_expect_success 'tap: no plan fails the run, every case keeps its name' '
	try tap "printf \"ok 1 - a\nok 2 - b\n\"" &&
	test_grep "^fail  *t: a  0/1" out &&
	test_grep "^fail  *t: b  0/1" out &&
	test $(grep -c "the run failed: .*plan" out) = 2 &&
	test_grep "^failed: 0/2" out
'

test_expect_success 'tap: a plan of more cases than ran fails the run; the missing ones fail too' '
	try tap "printf \"1..3\nok 1 - a\nok 2 - b\n\"" &&
	test_grep "^fail  *t: a  0/1" out &&
	test_grep "^fail  *t: (not run)  0/1" out &&
	test $(grep -c "the run failed: " out) = 3 &&
	test_grep "^failed: 0/3" out
'

test_expect_success 'tap: cases out of sequence fail the run' '
	try tap "printf \"1..2\nok 2 - b\nok 1 - a\n\"" &&
	test $(grep -c "^fail  *t: [ab]  0/1" out) = 2 &&
	test $(grep -c "the run failed: " out) = 2 &&
	test_grep "^failed: 0/2" out
'

test_expect_success 'tap: Bail out! fails the run, the cases it announced too' '
	try tap "printf \"1..3\nok 1 - a\nBail out! the database is gone\nok 2 - b\n\"" &&
	test_grep "^fail  *t: a  0/1" out &&
	test $(grep -c "^fail  *t: " out) = 3 &&
	test $(grep -c "the run failed: " out) = 3 &&
	test_grep "^failed: 0/3" out
'

test_expect_success 'junit: a report that is not well-formed fails the run' '
	try junit "printf \"<testsuite name=\\\"s\\\"><testcase name=\\\"a\\\"/><testcase name=\\\"b\\\"/>\" >r.xml" &&
	! grep "^pass" out &&
	test_grep "^fail  *t: a  0/1" out &&
	test_grep "the run failed: " out &&
	test_grep "^failed: 0/" out
'

test_expect_success 'junit: a report that declares an entity earns nothing and says why' '
	try junit "printf \"<!DOCTYPE t [<!ENTITY a \\\"x\\\">]><testsuite><testcase name=\\\"a\\\"/></testsuite>\" >r.xml" &&
	test_grep "^fail  *t  0/1" out &&
	test_grep "declares an entity" out
'

test_done
