#!/bin/sh
test_description='submissions, grades and status from real pushes'
. "$(dirname "$0")/test-lib.sh"

db() { sqlite3 "$LIFEBELT_HOME/lifebelt.db" "$@"; }

test_expect_success 'setup: two students push to a past-due assignment' '
	lifebelt init >/dev/null && lifebelt course add cs101 >/dev/null &&
	lifebelt student add cs101 alice --name "Alice, A." --email a@example.com >/dev/null &&
	lifebelt student add cs101 bob --name "=cmd()" >/dev/null &&
	lifebelt student add cs101 carol >/dev/null &&
	test_make_tests_dir tests &&
	lifebelt assignment add cs101 hw1 --tests tests --due 2020-01-01T00:00:00Z --late-penalty 10 >/dev/null &&
	git clone -q "$LIFEBELT_HOME/repos/cs101/hw1/alice.git" alice &&
	(cd alice && echo a >a && git add a && git commit -qm a && git push -q origin main 2>../push.err) &&
	git clone -q "$LIFEBELT_HOME/repos/cs101/hw1/bob.git" bob &&
	(cd bob && echo b >b && git add b && git commit -qm b && git push -q origin main 2>/dev/null &&
	 echo c >c && git add c && git commit -qm c && git push -q origin main 2>/dev/null)
'

test_expect_success 'the push output names the submission, its lateness and its link' '
	test_grep "submission 1 for cs101/hw1 received .* UTC, LATE by " push.err &&
	test_grep "results: http://127.0.0.1:8080/me/alice/[0-9a-f]*/s/1" push.err
'

test_expect_success 'submissions lists them newest first' '
	lifebelt submissions cs101 hw1 >out &&
	test $(wc -l <out) -eq 3 &&
	head -n 1 out | grep "^3  *bob" &&
	lifebelt submissions cs101 hw1 alice >out &&
	test $(wc -l <out) -eq 1 && test_grep "alice .* late " out
'

test_expect_success 'the newer push superseded the older queued job' '
	test "$(db "SELECT group_concat(state) FROM (SELECT state FROM jobs ORDER BY id)")" = "queued,superseded,queued"
'

test_expect_success 'status counts jobs by state' '
	lifebelt status >out &&
	test_grep "^queued: *2" out &&
	test_grep "^superseded: *1" out
'

cat >claim.sql <<\SQL
UPDATE jobs SET state = 'running', lease_owner = 'host:1', started = strftime('%s', 'now') - 90,
	attempts = 1 WHERE id = 3;
SQL
cat >unclaim.sql <<\SQL
UPDATE jobs SET state = 'queued', lease_owner = NULL, started = NULL, attempts = 0 WHERE id = 3;
SQL
test_expect_success 'status lists the running jobs' '
	db <claim.sql &&
	lifebelt status >out &&
	test_grep "^running: *1" out &&
	test_grep "job 3: submission 3 of bob for cs101/hw1, running for 1 minute on host:1 (attempt 1)" out &&
	db <unclaim.sql
'

# Finish the queued jobs through the database, as the runner would, to check the gradebook arithmetic.
cat >finish.sql <<\SQL
UPDATE jobs SET state = 'done', status = 'passed', score = 8, max_score = 10 WHERE state = 'queued';
UPDATE submissions SET late_seconds = 86400 + 1 WHERE id = 1;
UPDATE submissions SET late_seconds = 3600 WHERE id = 3;
SQL
test_expect_success 'grades apply the late policy to the latest graded submission' '
	db <finish.sql &&
	lifebelt recount cs101 hw1 >/dev/null &&
	lifebelt grades cs101 hw1 >out &&
	test_grep "^alice .* 1  6.4/10  (8 before late penalty, 2 days late)  \[passed\]" out &&
	test_grep "^bob .* 2  7.2/10  (8 before late penalty, 1 day late)" out &&
	test_grep "^carol .* 0  -" out
'

test_expect_success 'grades --csv is RFC 4180 and safe in a spreadsheet' '
	lifebelt grades cs101 hw1 --csv >out.csv &&
	printf "login,name,email,score,raw_score,max_score,late_days,submissions,status,github_score,github_max_score,counted_submission,grace_days,override_score,penalty_waived,override_reason,override_by,override_at\r\n" >expect &&
	printf "alice,\"Alice, A.\",a@example.com,6.4,8,10,2,1,passed,,,1,0,,,,,\r\n" >>expect &&
	printf "bob,\"%s=cmd()\",,7.2,8,10,1,2,passed,,,3,0,,,,,\r\n" "'"'"'" >>expect &&
	printf "carol,,,,,,0,0,,,,,0,,,,,\r\n" >>expect &&
	test_cmp expect out.csv
'

test_expect_success 'reports refuse unknown assignments' '
	test_must_fail lifebelt grades cs101 hw9 2>err &&
	test_grep "no assignment cs101/hw9" err &&
	test_must_fail lifebelt submissions cs101 hw1 Bad 2>err &&
	test_grep "login .Bad. is not valid" err
'

test_done
