#!/bin/sh
test_description='every fuzz target runs each input kept in its corpus once, without a crash or a sanitizer report'
. "$(dirname "$0")/test-lib.sh"

corpus=$SRC_ROOT/tests/fuzz/corpus

test_expect_success 'every parser of outside bytes has a target, and every target a corpus' '
	ls "$SRC_ROOT"/tests/fuzz/fuzz-*.c >targets &&
	test $(wc -l <targets) -ge 10 &&
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

test_done
