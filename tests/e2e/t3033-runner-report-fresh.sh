#!/bin/sh
test_description='a junit report counts only if the test wrote it: never a committed one, never an earlier test'"'"'s'
. "$(dirname "$0")/test-lib.sh"

# report CASE...: a JUnit report of passing cases on stdout.
report() {
	echo "<?xml version=\"1.0\"?>"
	echo "<testsuite name=\"s\">"
	for c in "$@"; do
		echo "<testcase classname=\"calc\" name=\"$c\"/>"
	done
	echo "</testsuite>"
}

test_expect_success 'set up' '
	lifebelt init >/dev/null &&
	mkdir tests sub
'

test_expect_success 'a committed report scores nothing when the test writes none' '
	echo "{ \"tests\": [ { \"name\": \"t\", \"format\": \"junit\", \"report\": \"results.xml\", \"run\": \"true\" } ] }" \
		>tests/lifebelt.json &&
	report a b c d >sub/results.xml &&
	lifebelt try tests sub >out &&
	test_grep "^fail  *t  0/1" out &&
	test_grep "no report results.xml" out &&
	test_grep "^failed: 0/1" out
'

test_expect_success 'a test stopped by the wall limit does not score the previous test'"'"'s report' '
	cat >tests/lifebelt.json <<-\JSON &&
	{ "tests": [
	    { "name": "first", "format": "junit", "report": "out/r.xml", "run": "sh first.sh" },
	    { "name": "second", "format": "junit", "report": "out/r.xml", "run": "sleep 30", "timeout": 1 } ] }
	JSON
	rm sub/results.xml &&
	{ echo "mkdir -p out" && echo "cat >out/r.xml <<XML" && report a b && echo XML; } >sub/first.sh &&
	lifebelt try tests sub >out &&
	test_grep "^pass  *first: calc.a  1/1" out &&
	test_grep "^pass  *first: calc.b  1/1" out &&
	test_grep "^wall_limit  *second  0/1" out &&
	! grep "^pass  *second" out &&
	test_grep "^failed: 2/3" out
'

test_expect_success 'a committed symlink at the report, or at its directory, is removed or refused, never followed' '
	rm sub/first.sh &&
	mkdir sub/elsewhere &&
	report a b >sub/elsewhere/r.xml &&
	ln -s elsewhere sub/out &&
	echo "{ \"tests\": [ { \"name\": \"t\", \"format\": \"junit\", \"report\": \"out/r.xml\", \"run\": \"true\" } ] }" \
		>tests/lifebelt.json &&
	lifebelt try tests sub >out &&
	test_grep "^fail  *t  0/1" out &&
	test_grep "it is a symlink" out &&
	rm sub/out && mkdir sub/out && ln -s ../elsewhere/r.xml sub/out/r.xml &&
	lifebelt try tests sub >out &&
	test_grep "^fail  *t  0/1" out &&
	test_grep "no report out/r.xml" out &&
	test -f sub/elsewhere/r.xml
'

test_expect_success 'a directory where the report goes is refused with a clear reason' '
	rm sub/out/r.xml && mkdir sub/out/r.xml && report a >sub/out/r.xml/x.xml &&
	lifebelt try tests sub >out &&
	test_grep "^fail  *t  0/1" out &&
	test_grep "not run: the report out/r.xml is a directory in the work directory" out
'

test_done
