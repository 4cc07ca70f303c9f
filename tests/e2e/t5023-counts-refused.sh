#!/bin/sh
test_description='counting, grace days and overrides: every bad value is refused in one line naming it, and nothing changes'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

# refused EXPECTED-LINE COMMAND...: fails, one line on stderr matching it, nothing stored changed.
refused() {
	want=$1
	shift
	test_snapshot before &&
	test_must_fail lifebelt "$@" >out 2>err &&
	test $(wc -l <err) = 1 &&
	test_grep "$want" err &&
	test_snapshot after &&
	test_cmp before after
}

test_expect_success 'setup: alice has a graded submission; tom teaches; zoe is in another course' '
	hooks_setup c1 hw1 "$(iso_in 86400)" "" alice bob &&
	lifebelt teacher add c1 tom >/dev/null &&
	lifebelt course add c2 >/dev/null && lifebelt student add c2 zoe >/dev/null &&
	lifebelt assignment add c1 empty --tests tests-dir --due "$(iso_in 86400)" >/dev/null &&
	clone_for alice && commit_in alice one && git -C alice push -q origin main 2>/dev/null &&
	lifebelt runner --drain 2>runner.err &&
	lifebelt override c1 hw1 alice --waive-penalty --reason "kept" >/dev/null
'

test_expect_success 'an override of someone not a student of the course is refused' '
	refused "error: zoe is not a student of c1" override c1 hw1 zoe --score 1 --reason r &&
	refused "error: tom is not a student of c1" override c1 hw1 tom --score 1 --reason r &&
	refused "error: nobody is not a student of c1" override c1 hw1 nobody --waive-penalty --reason r &&
	refused "error: no assignment c1/hw9" override c1 hw9 alice --score 1 --reason r
'

test_expect_success 'a score outside 0 to the maximum, or not a number, is refused' '
	for v in -1 1.5 abc "" nan 1e999; do
		refused "error: bad value for --score: .$v. (a number from 0 to 1, the assignment.s maximum)" \
			override c1 hw1 alice --score "$v" --reason r || return 1
	done
'

test_expect_success 'an override without a reason, or with a bad one, is refused' '
	refused "error: missing --reason TEXT" override c1 hw1 alice --score 1 &&
	refused "error: missing --reason TEXT" override c1 hw1 alice --waive-penalty --reason "" &&
	refused "error: --reason has control characters" override c1 hw1 alice --score 1 --reason "$(printf "a\nb")" &&
	refused "error: --reason is longer than 500 characters" override c1 hw1 alice --score 1 \
		--reason "$(printf "%0600d" 0)"
'

test_expect_success 'undo with a change, or with nothing standing, is refused' '
	refused "error: --undo undoes the override standing; give it alone" override c1 hw1 alice --undo --score 1 &&
	refused "error: bob has no override standing for c1/hw1: nothing to undo" override c1 hw1 bob --undo
'

test_expect_success 'a score before anything of the assignment is graded is refused' '
	refused "error: c1/empty has no graded submission yet, so its maximum score is unknown" \
		override c1 empty alice --score 1 --reason r
'

test_expect_success 'bad grace days are refused by course edit and course add' '
	for v in -1 366 abc ""; do
		refused "error: bad value for --grace-days" course edit c1 --grace-days "$v" &&
		refused "error: bad value for --grace-days" course add c3 --grace-days "$v" || return 1
	done &&
	refused "error: nothing to change: give --grace-days N" course edit c1 &&
	refused "error: no course .c9." course edit c9 --grace-days 2
'

test_expect_success 'an unknown counting rule is refused and no assignment is made' '
	refused "error: bad value for --counts: .worst. (latest, best, best-after-penalty or chosen)" \
		assignment add c1 hw2 --tests tests-dir --due "$(iso_in 86400)" --counts worst &&
	refused "error: no assignment c1/hw9" recount c1 hw9
'

test_done
