#!/bin/sh
test_description='a job being graded when the backup is made comes back queued, and is graded once'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"

HOME2=$TRASH_DIRECTORY/home2

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }
job_is() { test "$(db "SELECT state FROM jobs")" = "$1"; }
db2() { sqlite3 -cmd ".timeout 10000" "$HOME2/lifebelt.db" "$@"; }

test_expect_success 'setup: an assignment whose test takes a while, pushed over SSH' '
	gitd_course &&
	mkdir slow-tests &&
	cat >slow-tests/lifebelt.json <<-\JSON &&
	{ "build": "true", "limits": { "wall_seconds": 30 },
	  "tests": [ { "name": "slow", "run": "sleep 4", "points": 1 },
		     { "name": "quick", "run": "true", "points": 1 } ] }
	JSON
	lifebelt assignment add cs101 slow --tests slow-tests --starter starter \
		--due 2030-01-01T00:00:00Z >/dev/null &&
	start_sshd &&
	git_as alice clone -q "ssh://$SSH_USER@127.0.0.1:$SSHD_PORT/cs101/slow" alice &&
	echo work >>alice/main.c && git -C alice commit -qam work &&
	git_as alice -C alice push -q origin main 2>push.err &&
	test "$(db "SELECT state FROM jobs")" = queued
'

test_expect_success 'a backup while the runner grades it holds it as running' '
	test_bg "$LIFEBELT_BIN" runner 2>runner.log &&
	test_wait_until job_is running &&
	lifebelt backup bk >out &&
	test "$(sqlite3 bk/lifebelt.db "SELECT state FROM jobs")" = running &&
	test_wait_until job_is done
'

test_expect_success 'restored, the job is queued again, with no results and its attempts as they were' '
	LIFEBELT_HOME=$HOME2 lifebelt restore bk >out &&
	test_grep "1 jobs being graded then are queued again" out &&
	test "$(db2 "SELECT state, lease_owner IS NULL, started IS NULL, attempts FROM jobs")" = \
		"queued|1|1|0" &&
	test "$(db2 "SELECT count(*) FROM results")" = 0
'

test_expect_success '... and the restored runner grades it exactly once' '
	LIFEBELT_HOME=$HOME2 lifebelt runner --drain &&
	test "$(db2 "SELECT state, status, score FROM jobs")" = "done|passed|2.0" &&
	test "$(db2 "SELECT count(*) FROM jobs")" = 1 &&
	test "$(db2 "SELECT count(*) FROM results")" = 2 &&
	test "$(db2 "SELECT attempts FROM jobs")" = 1
'

test_done
