#!/bin/sh
test_description='lifebelt try shows a flood of output as its head and tail, with the bytes left out counted'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'set up tests that print 3 MB and a little' '
	mkdir tests sub &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "tests": [
	    { "name": "flood", "run": "seq -f \"line %06g\" 1 250000 >&2; exit 1" },
	    { "name": "short", "run": "echo only line; exit 1" }
	  ] }
	JSON
	echo hi >sub/README
'

test_expect_success 'a flood shows its first and last lines and the exact count left out' '
	lifebelt try tests sub >out &&
	test "$(wc -c <out)" -lt 12000 &&
	test_grep "^      line 000001$" out &&
	test_grep "^      line 000170$" out &&
	! grep "line 000171$" out &&
	test_grep "^      line 249831$" out &&
	test_grep "^      line 250000$" out &&
	! grep "line 249830$" out &&
	test_grep "^      \\[\\.\\.\\. 2995920 bytes elided \\.\\.\\.\\]$" out
'

test_expect_success 'a short output is shown whole' '
	test_grep "^      only line$" out &&
	test "$(grep -c "bytes elided" out)" = 1
'

test_done
