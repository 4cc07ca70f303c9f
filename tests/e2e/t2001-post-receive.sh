#!/bin/sh
test_description='post-receive: submissions by the server clock, with a receipt'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

test_expect_success 'setup: an assignment due an hour ago, closing tomorrow' '
	hooks_setup cs101 hw1 "$(iso_in -3600)" "$(iso_in 86400)" alice bob &&
	clone_for alice && clone_for bob
'

test_expect_success 'a commit dated before the deadline, pushed after it, is late' '
	echo work >alice/work &&
	git -C alice add work &&
	GIT_AUTHOR_DATE="2001-01-01T00:00:00Z" GIT_COMMITTER_DATE="2001-01-01T00:00:00Z" \
		git -C alice commit -q -m "honest, really" &&
	git -C alice push origin main 2>err &&
	test_grep "submission 1 for cs101/hw1 received [0-9-]* [0-9:]* UTC, LATE by 1 hour; queued at position 1" err &&
	late=$(db "SELECT late_seconds FROM submissions WHERE id = 1") &&
	test "$late" -ge 3600 && test "$late" -lt 3700 &&
	test "$(db "SELECT count(*) FROM jobs WHERE submission_id = 1 AND state = '"'queued'"'")" = 1
'

test_expect_success 'the receive time is the server clock' '
	received=$(db "SELECT received FROM submissions WHERE id = 1") &&
	now=$(date +%s) &&
	test $((now - received)) -ge 0 && test $((now - received)) -lt 60
'

test_expect_success 'the push prints the results link' '
	test_grep "results: http://127.0.0.1:8080/me/alice/[0-9a-f]*/s/1" err
'

test_expect_success 'the receipt verifies' '
	sed -n "s/^remote: receipt: \(.*[0-9a-f]\) *$/\1/p" err >receipt &&
	test $(wc -l <receipt) = 1 &&
	test_grep "^lb1 cs101/hw1 alice $(git -C alice rev-parse HEAD) " receipt &&
	lifebelt receipt verify "$(cat receipt)" >out &&
	test_grep "receipt verifies: alice pushed $(git -C alice rev-parse HEAD) to cs101/hw1" out &&
	test_grep "recorded as a submission" out &&
	lifebelt receipt verify "remote: receipt: $(cat receipt)" >out &&
	lifebelt receipt verify $(cat receipt) >out
'

# change_char N: the receipt with its Nth character replaced by a neighbour of the same kind.
change_char() {
	python3 -c '
import sys
s, i = sys.argv[1], int(sys.argv[2])
c = s[i]
n = {"9": "0", "f": "0", "z": "a", "Z": "Y"}.get(c, chr(ord(c) + 1))
print(s[:i] + n + s[i + 1:])' "$(cat receipt)" "$1"
}

test_expect_success 'the same receipt with one character changed does not' '
	r=$(cat receipt) &&
	len=$(printf %s "$r" | wc -c) &&
	for pos in 4 11 16 30 70 84 $((len - 1)); do
		changed=$(change_char $pos) &&
		test "$changed" != "$r" &&
		test_must_fail lifebelt receipt verify "$changed" 2>err2 &&
		if ! grep -q "receipt does NOT verify" err2; then
			test_grep "not a Lifebelt receipt" err2 || return 1
		fi || return 1
	done &&
	lifebelt receipt verify "$r"
'

test_expect_success 'a line that is not a receipt is named as such' '
	test_must_fail lifebelt receipt verify "hello world" 2>err2 &&
	test_grep "not a Lifebelt receipt" err2 &&
	test_must_fail lifebelt receipt verify 2>err2 &&
	test_grep "usage" err2
'

test_expect_success 'pushes to another branch are kept, not graded' '
	commit_in bob x &&
	git -C bob push origin main:wip 2>err &&
	test_grep "refs/heads/wip: kept, not graded (only the .main. branch is graded)" err &&
	! grep "submission" err &&
	test "$(db "SELECT count(*) FROM submissions")" = 1 &&
	git -C "$LIFEBELT_HOME/repos/cs101/hw1/bob.git" rev-parse -q --verify refs/heads/wip
'

test_expect_success 'a newer push supersedes the older queued job' '
	git -C bob push origin main 2>err &&
	test_grep "submission 2 for cs101/hw1" err &&
	commit_in bob y &&
	git -C bob push origin main 2>err &&
	test_grep "submission 3 for cs101/hw1" err &&
	test "$(db "SELECT state FROM jobs WHERE submission_id = 2")" = superseded &&
	test "$(db "SELECT state FROM jobs WHERE submission_id = 3")" = queued
'

test_expect_success 'lifebelt hook runs a hook by name, as git would' '
	repo="$LIFEBELT_HOME/repos/cs101/hw1/bob.git" &&
	commit_in bob z && git -C bob push -q origin main:wip2 2>/dev/null &&
	new=$(git -C bob rev-parse HEAD) && old=$(git -C "$repo" rev-parse main) &&
	(cd "$repo" && echo "$old $new refs/heads/main" | lifebelt hook post-receive) 2>err &&
	test_grep "submission 4 for cs101/hw1" err &&
	(cd "$repo" && echo "$old $new refs/heads/main" | lifebelt hook post-receive) 2>err &&
	test_grep "submission 4 for cs101/hw1 received .*; already recorded" err &&
	test_must_fail lifebelt hook update 2>err &&
	test_grep "no hook named .update." err &&
	(cd "$TRASH_DIRECTORY" && echo "$old $new refs/heads/main" | test_must_fail lifebelt hook post-receive) 2>err &&
	test_grep "hook run outside a Lifebelt repository" err
'

test_expect_success 'with no server running, the hooks keep the WAL small' '
	n0=$(db "SELECT count(*) FROM submissions") &&
	for i in $(seq 40); do
		commit_in bob "f$i" && git -C bob push -q origin main 2>/dev/null || return 1
	done &&
	wal=$(stat -c %s "$LIFEBELT_HOME/lifebelt.db-wal" 2>/dev/null || echo 0) &&
	test "$wal" -lt $((130 * 4120)) &&
	test "$(db "SELECT count(*) FROM submissions")" = $((n0 + 40))
'

test_done
