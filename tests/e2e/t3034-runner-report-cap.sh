#!/bin/sh
test_description='a junit report over 4 MiB is refused whole: no case counts, and the maximum stays what it was'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'set up a report of a chosen size: two passing cases, a failing one last' '
	lifebelt init >/dev/null &&
	mkdir tests sub &&
	cat >sub/make.sh <<-\EOF
	pre="<?xml version=\"1.0\"?><testsuite name=\"s\"><testcase name=\"a\"><system-out>"
	post="</system-out></testcase><testcase name=\"b\"/><testcase name=\"c\"><failure message=\"late\">x</failure></testcase></testsuite>"
	n=$(($1 - ${#pre} - ${#post} - 1))
	{ printf "%s" "$pre"; head -c $n /dev/zero | tr "\\0" x; printf "%s\n" "$post"; } >r.xml
	EOF
'

# spec SIZE [CASES]: one junit test whose report is SIZE bytes long.
spec() {
	echo "{ \"tests\": [ { \"name\": \"t\", \"format\": \"junit\", \"report\": \"r.xml\", ${2:+\"cases\": $2, }\"run\": \"sh make.sh $1\" } ] }" \
		>tests/lifebelt.json
}

test_expect_success 'a report of exactly 4 MiB is read whole' '
	spec 4194304 &&
	lifebelt try tests sub >out &&
	test_grep "^pass  *t: a  1/1" out &&
	test_grep "^fail  *t: c  0/1" out &&
	test_grep "^failed: 2/3" out
'

test_expect_success 'one byte more and the report is refused whole, not cut' '
	spec 4194305 &&
	lifebelt try tests sub >out &&
	test_grep "^output_limit  *t  0/1" out &&
	test_grep "the report is larger than 4 MiB" out &&
	! grep "^pass" out &&
	test_grep "^failed: 0/1" out &&
	spec 5000000 &&
	lifebelt try tests sub >out &&
	test_grep "^output_limit  *t  0/1" out &&
	test_grep "^failed: 0/1" out
'

test_expect_success 'with a fixed number of cases, the maximum does not depend on what was read' '
	spec 5000000 3 &&
	lifebelt try tests sub >out &&
	test_grep "^output_limit  *t  0/3" out &&
	test_grep "the report is larger than 4 MiB" out &&
	test_grep "^failed: 0/3" out
'

test_done
