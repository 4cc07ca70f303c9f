#!/bin/sh
test_description='every fuzz target runs each input kept in its corpus once, without a crash or a sanitizer report'
. "$(dirname "$0")/test-lib.sh"

corpus=$SRC_ROOT/tests/fuzz/corpus

test_expect_success 'every parser of outside bytes has a target, and every target a corpus' '
	for t in csv junit node-proto receipt repo-path spec ssh-command sshkey tap webhook \
		workflow push-options http-auth
	do
		test -f "$SRC_ROOT/tests/fuzz/fuzz-$t.c" || { echo "no target: fuzz-$t" >&2; return 1; }
	done &&
	ls "$SRC_ROOT"/tests/fuzz/fuzz-*.c >targets &&
	for t in $(sed "s|.*/||; s|\.c$||" targets); do
		test -x "$LIFEBELT_BUILD/tests/fuzz/$t" || { echo "not built: $t" >&2; return 1; }
		test -n "$(ls "$corpus/$t" 2>/dev/null)" || { echo "no corpus: $t" >&2; return 1; }
	done
'

for t in $(cd "$SRC_ROOT/tests/fuzz" && ls fuzz-*.c | sed 's/\.c$//'); do
	test_expect_success "$t: its corpus" '
		"$LIFEBELT_BUILD/tests/fuzz/'"$t"'" "$corpus/'"$t"'" >out 2>err &&
		! grep "^not ok" out &&
		tail -1 out | grep "^1\.\.[1-9]"
	'
done

test_expect_success 'tests/fuzz/run refuses a number of runs or seconds that is none, and an endless run' '
	run=$SRC_ROOT/tests/fuzz/run &&
	test_must_fail "$run" -r 1e6 "$LIFEBELT_BUILD/tests/fuzz" 60 fuzz-csv 2>err &&
	test_grep "RUNS (FUZZ_RUNS) is a number of executions, 1 or more, not .1e6." err &&
	test_must_fail "$run" -r 0 "$LIFEBELT_BUILD/tests/fuzz" 60 fuzz-csv 2>err &&
	test_grep "not .0." err &&
	test_must_fail "$run" "$LIFEBELT_BUILD/tests/fuzz" 1m fuzz-csv 2>err &&
	test_grep "SECONDS (FUZZ_SECONDS) is a whole number of seconds, not .1m." err &&
	test_must_fail "$run" "$LIFEBELT_BUILD/tests/fuzz" 0 fuzz-csv 2>err &&
	test_grep "SECONDS 0 runs without end: give RUNS too" err &&
	test_must_fail "$run" -r 5 2>err &&
	test_grep "^usage: tests/fuzz/run \[-r RUNS\] DIR SECONDS" err
'

test_done
