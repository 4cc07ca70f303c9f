#!/bin/sh
test_description='git push -o wait: the verdict in the push output'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

DB=$LIFEBELT_HOME/lifebelt.db

# Grade the next queued job. With a `lifebelt runner` command the real runner
# does it; without one (it is built separately), this stand-in does what the
# runner does to the database through sqlite3: claim, then finish with one
# result row, the way the runner grades the one test of test_make_tests_dir.
grade_next_job() {
	if lifebelt help runner >/dev/null 2>&1; then
		"$LIFEBELT_BIN" runner >runner.log 2>&1 &
		echo $! >runner.pid
		return
	fi
	i=0
	until job=$(db "SELECT id FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1") &&
		test -n "$job"; do
		i=$((i + 1)); test $i -lt 200 || return 1; sleep 0.05
	done
	db "UPDATE jobs SET state = 'running', attempts = attempts + 1, started = strftime('%s') WHERE id = $job" &&
	sleep 0.5 &&
	db "BEGIN IMMEDIATE;
	    INSERT INTO results (job_id, seq, name, verdict, points, max_points) VALUES ($job, 0, 'runs', 'pass', 1, 1);
	    UPDATE jobs SET state = 'done', status = 'passed', score = 1, max_score = 1, finished = strftime('%s') WHERE id = $job;
	    COMMIT;"
}

# Wait until file $1 contains $2 (10 s at most).
wait_for_line() {
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1)); test $i -lt 200 || { cat "$1"; return 1; }; sleep 0.05
	done
}

test_expect_success 'setup' '
	hooks_setup cs101 hw1 "$(iso_in 86400)" "" alice bob &&
	clone_for alice && clone_for bob
'

test_expect_success 'git push -o wait prints each verdict and the score' '
	commit_in alice one &&
	git -C alice push -o wait origin main >out 2>err &
	pusher=$!
	grade_next_job &&
	wait $pusher &&
	if test -f runner.pid; then kill $(cat runner.pid); wait $(cat runner.pid); fi;
	test_grep "submission 1 for cs101/hw1 received" err &&
	test_grep "remote: waiting for the verdict (at most [0-9]* seconds" err &&
	test_grep "remote:   pass  *runs  1/1" err &&
	test_grep "remote: verdict: passed, score 1/1" err
'

test_expect_success 'a plain push does not wait' '
	commit_in alice two &&
	git -C alice push origin main 2>err &&
	! grep "waiting for the verdict" err &&
	test "$(db "SELECT state FROM jobs ORDER BY id DESC LIMIT 1")" = queued
'

test_expect_success 'interrupting the wait (Ctrl-C) leaves the submission queued' '
	commit_in bob one &&
	setsid git -C bob push -o wait origin main >out 2>err.int &
	pusher=$!
	wait_for_line err.int "waiting for the verdict" &&
	kill -INT -$pusher &&
	{ wait $pusher; true; } &&
	sub=$(db "SELECT s.id FROM submissions s JOIN repos r ON r.id = s.repo_id WHERE r.path = '"'cs101/hw1/bob.git'"'") &&
	test -n "$sub" &&
	test "$(db "SELECT state FROM jobs WHERE submission_id = $sub")" = queued &&
	test "$(git -C "$LIFEBELT_HOME/repos/cs101/hw1/bob.git" rev-parse main)" = "$(git -C bob rev-parse HEAD)" &&
	i=0 && while pgrep -f "^$LIFEBELT_HOME/hooks/post-receive" >/dev/null; do
		i=$((i + 1)); test $i -lt 50 || return 1; sleep 0.1; done
'

test_expect_success 'a newer push ends the wait of the one it replaced' '
	commit_in alice three &&
	git -C alice push -o wait origin main >out 2>err.replaced &
	pusher=$!
	wait_for_line err.replaced "queued at position" &&
	git clone -q "$LIFEBELT_HOME/repos/cs101/hw1/alice.git" alice2 &&
	commit_in alice2 four &&
	git -C alice2 push origin main 2>err2 &&
	wait $pusher &&
	test_grep "a newer push replaced this one in the queue; its verdict is the one that counts" err.replaced
'

test_expect_success 'an infrastructure fault is reported as such, not as a score' '
	git -C alice pull -q --ff-only &&
	commit_in alice five &&
	git -C alice push -o wait origin main >out 2>err.infra &
	pusher=$!
	wait_for_line err.infra "queued at position" &&
	job=$(db "SELECT max(id) FROM jobs") &&
	db "UPDATE jobs SET state = '"'infra_error'"', attempts = 3, error = '"'sandbox could not start'"' WHERE id = $job" &&
	wait $pusher &&
	test_grep "grading failed for a reason outside your code (sandbox could not start); it is not a score" err.infra &&
	! grep "verdict:" err.infra
'

test_expect_success 'the wait ends after the job time limit and a margin, the job untouched' '
	lifebelt config set limits.job_seconds 1 >/dev/null &&
	commit_in bob two &&
	git -C bob push -o wait origin main 2>err &&
	test_grep "waiting for the verdict (at most 11 seconds" err &&
	test_grep "queued at position" err &&
	test_grep "stopped waiting after 11 seconds; the submission is queued and will be graded" err &&
	test "$(db "SELECT state FROM jobs ORDER BY id DESC LIMIT 1")" = queued
'

test_done
