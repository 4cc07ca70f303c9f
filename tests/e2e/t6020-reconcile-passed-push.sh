#!/bin/sh
test_description='a push whose hook was killed, passed by a newer push before the reconciler ran, still gets its submission, and supersedes nothing'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

REPO=$LIFEBELT_HOME/repos/cs101/hw1/alice.git

test_expect_success 'setup' '
	hooks_setup cs101 hw1 "$(iso_in 86400)" "" alice &&
	clone_for alice
'

# Git accepts a push and updates the branch before post-receive runs: a
# post-receive killed then (here: none at all) leaves the push without its row.
test_expect_success 'a push accepted while its post-receive was away, then one recorded' '
	mkdir nohooks &&
	commit_in alice one &&
	git --git-dir="$REPO" config core.hooksPath "$TRASH_DIRECTORY/nohooks" &&
	git -C alice push -q origin main &&
	git -C alice rev-parse HEAD >lost &&
	git --git-dir="$REPO" config --unset core.hooksPath &&
	git --git-dir="$REPO" config core.hooksPath "$LIFEBELT_HOME/hooks" &&
	commit_in alice two &&
	git -C alice push -q origin main 2>/dev/null &&
	test "$(db "SELECT count(*) FROM submissions")" = 1
'

test_expect_success 'the reconciler records the passed push, with its receive time' '
	lifebelt reconcile --grace 0 >out &&
	test_grep "recorded 0 spooled and 1 missing pushes" out &&
	test "$(db "SELECT via FROM submissions WHERE commit_id = '"'$(cat lost)'"'")" = reconciled &&
	test "$(db "SELECT count(*) FROM submissions")" = 2
'

test_expect_success 'the newer push keeps its queued job; the older one, passed, is superseded' '
	test "$(db "SELECT j.state FROM jobs j JOIN submissions s ON s.id = j.submission_id
		WHERE s.via = '"'reconciled'"'")" = superseded &&
	test "$(db "SELECT j.state FROM jobs j JOIN submissions s ON s.id = j.submission_id
		WHERE s.via != '"'reconciled'"'")" = queued
'

test_expect_success 'a second pass records nothing more' '
	lifebelt reconcile --grace 0 >out &&
	test_grep "recorded 0 spooled and 0 missing pushes" out
'

test_done
