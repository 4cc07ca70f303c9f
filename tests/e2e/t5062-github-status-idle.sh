#!/bin/bash
test_description='serve: with nothing to report, the GitHub status reporter does not read the jobs again and again'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

# ticks PID: the CPU time the process used so far, in clock ticks.
ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# 100 000 submissions of alice's by ssh, each graded with a build log, as the
# runner stores them.
many_jobs() {
	sqlite3 "$DB" <<-\SQL
	BEGIN;
	WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 100000)
	INSERT INTO submissions (repo_id, ref, commit_id, received, via, late_seconds)
	SELECT 1, 'refs/heads/main', printf('%040x', j), 1700000000 + j, 'ssh', 0 FROM k;
	INSERT INTO jobs (submission_id, assignment_id, person_id, state, attempts, queued,
	                  started, finished, status, score, max_score, build_log)
	SELECT id, 1, 1, 'done', 1, received, received, received + 1, 'passed', 1, 1,
	       printf('%.300c', 'x')
	FROM submissions;
	COMMIT;
	SELECT count(*) FROM jobs WHERE state = 'done';
	SQL
}

web_home || { echo "Bail out! cannot set up"; exit 1; }

test_expect_success 'setup: 100 000 graded jobs, none of them mirrored from GitHub' '
	test "$(many_jobs)" = 100000
'

test_expect_success 'an idle server spends next to no CPU time' '
	web_start &&
	pid=$(tail -n 1 "$TRASH_DIRECTORY/.bg-pids") &&
	sleep 2 &&
	t0=$(ticks $pid) && sleep 5 && t1=$(ticks $pid) &&
	say "serve used $((t1 - t0)) ticks of $(getconf CLK_TCK) a second in 5 s" &&
	test $((t1 - t0)) -le $(( $(getconf CLK_TCK) / 20 ))
'

test_done
