#!/bin/sh
test_description='a grading worker of lifebelt serve killed with kill -9 is started again: the next push is graded without a restart'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"
. "$TEST_DIRECTORY/lib-httpgit.sh"

# workers: the grading processes below serve (those with no serve process of their own below them).
workers() {
	ps -eo pid=,ppid=,args= | awk -v root="$SERVE_PID" '
		$3 ~ /lifebelt$/ && $4 == "serve" { parent[$1] = $2; serve[$1] = 1 }
		END {
			for (p in serve) if (parent[p] in serve) has_child[parent[p]] = 1
			for (p in serve) {
				q = p
				for (n = 0; n < 5 && q != root && q in parent; n++) q = parent[q]
				if (q == root && p != root && !(p in has_child)) print p
			}
		}'
}
graded() { test "$(db "SELECT count(*) FROM jobs WHERE state = 'done'")" = "$1"; }
push() { commit_in alice "$1" && git -C alice push -q origin main 2>/dev/null; }

test_expect_success 'setup: serve with its one worker grades a push' '
	hooks_setup cs101 hw1 "$(iso_in 86400)" "" alice &&
	clone_for alice &&
	start_serve &&
	echo $SERVE_PID >serve.pid &&
	push one &&
	test_wait_until graded 1
'

test_expect_success 'the worker killed, the next push is graded all the same' '
	SERVE_PID=$(cat serve.pid) &&
	workers >killed && test -s killed &&
	kill -KILL $(cat killed) &&
	push two &&
	test_wait_until graded 2 &&
	workers >now && test -s now &&
	! grep -x -F -f killed now
'

test_expect_success 'serve stops cleanly afterwards, its workers with it' '
	SERVE_PID=$(cat serve.pid) &&
	workers >last &&
	stop_serve 10 &&
	for p in $(cat last); do ! kill -0 $p 2>/dev/null || return 1; done
'

test_done
