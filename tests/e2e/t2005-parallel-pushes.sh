#!/bin/sh
test_description='50 students push at once: 50 submissions, 50 jobs, no hook error'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

N=50

test_expect_success 'setup: 50 students with a clone and a commit each' '
	hooks_setup cs101 hw1 "$(iso_in 86400)" "" &&
	echo login >roster.csv &&
	for i in $(seq 1 $N); do echo "s$i" >>roster.csv; done &&
	lifebelt roster import cs101 roster.csv >/dev/null &&
	lifebelt assignment add cs101 rush --tests tests-dir --starter starter \
		--due "$(iso_in 3600)" >/dev/null &&
	name=rush &&
	for i in $(seq 1 $N); do
		clone_for s$i && commit_in s$i work || return 1
	done
'

test_expect_success '50 parallel pushes' '
	for i in $(seq 1 $N); do
		git -C s$i push origin main >s$i.out 2>&1 &
	done
	wait &&
	for i in $(seq 1 $N); do
		test_grep "submission [0-9]* for cs101/rush received" s$i.out &&
		test_grep "receipt: lb1 cs101/rush s$i " s$i.out || return 1
	done &&
	! grep -l "lifebelt:\|error\|busy\|graded shortly" s*.out
'

test_expect_success '... give 50 submissions and 50 queued jobs' '
	test "$(db "SELECT count(*) FROM submissions")" = $N &&
	test "$(db "SELECT count(DISTINCT repo_id) FROM submissions")" = $N &&
	test "$(db "SELECT count(*) FROM jobs WHERE state = '"'queued'"'")" = $N &&
	! ls "$LIFEBELT_HOME/spool/"*.push 2>/dev/null &&
	for i in $(seq 1 $N); do
		test "$(git -C "$LIFEBELT_HOME/repos/cs101/rush/s$i.git" rev-parse main)" = \
			"$(git -C s$i rev-parse HEAD)" || return 1
	done
'

test_expect_success 'and the reconciler finds nothing missing' '
	lifebelt reconcile --grace 0 >out &&
	test_grep "recorded 0 spooled and 0 missing pushes" out
'

test_done
