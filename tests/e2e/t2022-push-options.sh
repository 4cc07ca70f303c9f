#!/bin/sh
test_description='push options: -o wait=SECONDS waits that long at most; others are named, not dropped in silence'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

submissions() { db "SELECT count(*) FROM submissions"; }

test_expect_success 'setup (no runner: every job stays queued)' '
	hooks_setup cs101 hw1 "$(iso_in 86400)" "" alice &&
	clone_for alice
'

test_expect_success '-o wait=1 waits one second, not the job time limit' '
	commit_in alice one &&
	start=$(date +%s) &&
	git -C alice push -o wait=1 origin main 2>err &&
	test $(( $(date +%s) - start )) -lt 10 &&
	test_grep "remote: waiting for the verdict (at most 1 seconds;" err &&
	test_grep "remote: stopped waiting after 1 seconds; the submission is queued and will be graded" err &&
	test "$(submissions)" = 1
'

test_expect_success 'a bad wait=SECONDS is named with what it takes; the push is taken, nobody waits' '
	for v in wait=0 wait=abc wait=-5 wait=3601 wait= ; do
		commit_in alice "bad$v" &&
		git -C alice push -o "$v" origin main 2>err &&
		test_grep "remote: push option .$v. ignored: wait=SECONDS takes a whole number of seconds from 1 to 3600" err &&
		! grep -q "waiting for the verdict" err || return 1
	done &&
	test "$(submissions)" = 6
'

test_expect_success 'an unknown push option is named with the known ones; the push is taken' '
	commit_in alice two &&
	git -C alice push -o wiat -o ci.skip origin main 2>err &&
	test_grep "remote: push option .wiat. ignored: it is not known here; the known ones are wait, wait=SECONDS and submit" err &&
	test_grep "remote: push option .ci.skip. ignored" err &&
	test_grep "remote: submission 7 " err
'

test_done
