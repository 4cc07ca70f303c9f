#!/bin/sh
test_description='TAP and JUnit reports are read as the frameworks and prove read them'
. "$(dirname "$0")/test-lib.sh"

FIXTURES=$SRC_ROOT/tests/fixtures/reports
dump() { "$LIFEBELT_BUILD/tests/unit/cases-dump" "$@"; }
oracle() { perl "$TEST_DIRECTORY/lib-tap-oracle.pl" "$1"; }
# The reason a report is broken is said in our words: only that it is counts here.
verdicts() { sed 's/^broken: .*/broken/' "$@"; }

# agree FILE: cases-dump and TAP::Parser read the same cases from FILE.
agree() {
	dump tap "$1" >dump.out || return 1
	oracle "$1" >oracle.out || return 1
	verdicts oracle.out >expect && verdicts dump.out >actual &&
	test_cmp expect actual
}

test_expect_success 'reports from the real frameworks: TAP as TAP::Parser reads it' '
	for f in "$FIXTURES"/*.tap; do
		test -f "$f.expected" && continue
		echo "$f" && agree "$f" || return 1
	done
'

test_expect_success 'reports from the real frameworks: each case as the framework counts it' '
	for f in "$FIXTURES"/*.expected; do
		r=${f%.expected} &&
		echo "$r" &&
		case $r in *.tap) dump tap "$r" >actual ;; *) dump junit "$r" >actual ;; esac &&
		test_cmp "$f" actual || return 1
	done
'

# tap NAME TEXT: TEXT (printf escapes) as a TAP stream in NAME.tap, read by both.
tap() {
	printf "$2" >"$1.tap" && agree "$1.tap"
}

test_expect_success 'TAP: directives after the first unescaped "#" only, as TAP::Parser finds them' '
	tap escaped "1..4\nok 1 - a \\\\# b # SKIP why\nok 2 - c \\\\\\\\# TODO later\nok 3 - d # skipped is no directive\nnot ok 4 - e #todo lower\n" &&
	test_grep "^skip a # b$" dump.out &&
	test_grep "^skip c \\\\$" dump.out &&
	test_grep "^pass d # skipped is no directive$" dump.out &&
	tap colon "1..2\nok 1 # SKIP: colon\nnot ok 2 # SKIP a failure all the same\n" &&
	test_grep "^fail case 2$" dump.out &&
	tap words "1..2\nokay 1\nok1\nnot  ok\nok 1 - real\nok 2\n"
'

test_expect_success 'TAP: a missing, second, misplaced or unkept plan makes the report broken' '
	tap noplan "ok 1\nok 2\n" &&
	test_grep "^broken: no plan in the TAP output$" dump.out &&
	tap fewer "1..5\nok 1\nok 2\n" &&
	test_grep "^broken: planned 5 tests but ran 2$" dump.out &&
	tap more "1..2\nok 1\nok 2\nok 3\n" &&
	test_grep "^fail case 3$" dump.out &&
	test_grep "^broken: planned 2 tests but ran 3$" dump.out &&
	tap middle "ok 1\n1..3\nok 2\nok 3\n" &&
	test_grep "^broken: the plan 1..3 must be at the beginning or the end" dump.out &&
	tap twice "1..2\nok 1\nok 2\n1..2\n" &&
	test_grep "^broken: more than one plan" dump.out &&
	tap junkplan "TAP version 13\n1..2 foo\nok 1\nok 2\n" &&
	test_grep "^broken: no plan" dump.out
'

test_expect_success 'TAP: plans that are fine' '
	tap last "ok 1\nok 2 - b\n1..2\n" &&
	! grep broken dump.out &&
	tap skipall "1..0 # SKIP no database\n" &&
	! test -s dump.out &&
	tap crlf "1..2\r\nok 1 - a\r\nnot ok 2 - b # TODO x\r\n" &&
	test_grep "^skip b$" dump.out &&
	tap bare "1..2\nok\nnot ok\n" &&
	test_grep "^fail case 2$" dump.out
'

test_expect_success 'TAP: numbers out of sequence or repeated make the report broken' '
	tap sequence "1..3\nok 1\nok 3\nok 2\n" &&
	test_grep "^broken: tests out of sequence: found 3 but expected 2$" dump.out &&
	tap repeated "1..2\nok 1\nok 1\n" &&
	test_grep "^broken: tests out of sequence" dump.out
'

test_expect_success 'TAP: Bail out! ends the report and breaks it' '
	tap bail "1..3\nok 1\nBail out! database down\nok 2\nok 3\n" &&
	test_grep "^broken: Bail out! database down$" dump.out &&
	test "$(wc -l <dump.out)" = 2
'

test_expect_success 'TAP: the version line comes first; subtests and YAML belong to their test' '
	tap late "1..1\nTAP version 13\nok 1\n" &&
	test_grep "^broken: the TAP version line" dump.out &&
	tap old "TAP version 12\n1..1\nok 1\n" &&
	test_grep "^broken: an explicit TAP version must be at least 13" dump.out &&
	tap subtests "TAP version 13\n1..2\n# Subtest: s\n    ok 1 - inner\n    not ok 2 - inner fails\n    1..2\nnot ok 1 - s\nnot ok 2 - y\n  ---\n  message: boom\n  ...\n# Failed test y\n" &&
	dump -v tap subtests.tap >verbose &&
	cat >expect <<-\EOF &&
	fail s
	fail y
	  | message: boom
	  | Failed test y
	EOF
	test_cmp expect verbose
'

test_expect_success 'TAP 14: the version prove does not know yet reads as 13' '
	printf "TAP version 14\n1..2\nok 1 - a # SKIP why\nnot ok 2 - b # TODO later\n" >v14.tap &&
	dump -v tap v14.tap >actual &&
	cat >expect <<-\EOF &&
	skip a
	  | why
	skip b
	  | later
	EOF
	test_cmp expect actual &&
	agree v14.tap
'

test_done
