#!/bin/sh
test_description='the reconciler: a push whose hook died gets exactly one submission'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

DB=$LIFEBELT_HOME/lifebelt.db

test_expect_success 'setup' '
	hooks_setup cs101 hw1 "$(iso_in -60)" "" alice bob &&
	clone_for alice && clone_for bob
'

test_expect_success 'a post-receive hook killed mid-insert records nothing' '
	mkfifo release &&
	commit_in alice work || return 1
	{ echo "BEGIN IMMEDIATE; INSERT INTO settings VALUES ('"'lock'"', '"'x'"');";
	  read x <release; echo "ROLLBACK;"; } | sqlite3 "$DB" &
	lock=$!
	sleep 0.3
	git -C alice push origin main >push.out 2>&1 &
	pusher=$!
	i=0 &&
	while ! hook=$(pgrep -f "^$LIFEBELT_HOME/hooks/post-receive"); do
		i=$((i + 1)) && test $i -lt 100 && sleep 0.05 || break
	done &&
	test -n "$hook" &&
	kill -9 $hook &&
	echo go >release && wait $lock &&
	wait $pusher &&
	test "$(git -C "$LIFEBELT_HOME/repos/cs101/hw1/alice.git" rev-parse main)" = "$(git -C alice rev-parse HEAD)" &&
	test "$(db "SELECT count(*) FROM submissions")" = 0 &&
	! ls "$LIFEBELT_HOME/spool/"*.push 2>/dev/null
'

test_expect_success 'a push younger than the grace period is left to its hook' '
	lifebelt reconcile >out &&
	test_grep "recorded 0 spooled and 0 missing pushes" out &&
	test "$(db "SELECT count(*) FROM submissions")" = 0
'

test_expect_success 'the reconciler records it once, with the reflog'"'"'s time' '
	lifebelt reconcile --grace 0 >out 2>log &&
	test_grep "recorded 0 spooled and 1 missing pushes" out &&
	test_grep "reconcile: cs101/hw1/alice.git refs/heads/main" log &&
	pushed=$(tail -n 1 "$LIFEBELT_HOME/repos/cs101/hw1/alice.git/logs/refs/heads/main" |
		sed "s/.*> \([0-9]*\) .*/\1/") &&
	test "$(db "SELECT commit_id, via, received, late_seconds > 0 FROM submissions")" = \
		"$(git -C alice rev-parse HEAD)|reconciled|$pushed|1" &&
	test "$(db "SELECT count(*) FROM jobs WHERE state = '"'queued'"'")" = 1
'

test_expect_success 'and only once' '
	lifebelt reconcile --grace 0 >out &&
	test_grep "recorded 0 spooled and 0 missing pushes" out &&
	test "$(db "SELECT count(*) FROM submissions")" = 1 &&
	test "$(db "SELECT count(*) FROM jobs")" = 1
'

test_expect_success 'a later push of the same student is recorded by its hook as usual' '
	commit_in alice more &&
	git -C alice push origin main 2>err &&
	test_grep "submission 2 for cs101/hw1" err &&
	lifebelt reconcile --grace 0 >out &&
	test_grep "recorded 0 spooled and 0 missing pushes" out
'

test_expect_success 'bad --grace is refused' '
	test_must_fail lifebelt reconcile --grace soon 2>err &&
	test_grep "bad value for --grace" err
'

test_done
