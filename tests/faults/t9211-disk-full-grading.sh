#!/bin/sh
test_description='grading and a full disk: a job due while the disk is full waits unclaimed and says so (status, the web page, push -o wait), one whose disk fills while it is graded keeps its result; both are graded once there is room, on their first attempt, never as a verdict the full disk made'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/e2e/lib-gitd.sh"
. "$SRC_ROOT/tests/faults/lib-faults.sh"

if test "$(id -u)" != 0; then
	echo "1..0 # SKIP mounting a small file system takes root"
	exit 0
fi

# job_of COMMIT COLUMN: the column of the job of COMMIT's submission.
job_of() {
	db "SELECT j.$2 FROM jobs j JOIN submissions s ON s.id = j.submission_id WHERE s.commit_id = '$1'"
}

# passed_first_time COMMIT: its job passed on its first attempt, with no
# fault recorded and its one result a pass.
passed_first_time() {
	test "$(job_of $1 status)" = passed &&
	test "$(job_of $1 attempts)" = 1 &&
	test -z "$(job_of $1 error)" &&
	test "$(db "SELECT group_concat(r.verdict) FROM results r JOIN jobs j ON j.id = r.job_id
		JOIN submissions s ON s.id = j.submission_id WHERE s.commit_id = '$1'")" = pass
}

# Every daemon's port is needed by every test: started here, not in a test's subshell.
tmpfs_home 16m &&
faults_course 1 && start_sshd && HTTP_PORT=$(test_free_port) && serve_supervised --workers 1 ||
	{ echo "Bail out! cannot set up the data directory on a tmpfs, sshd and serve"; exit 1; }

test_expect_success 'setup: the data directory on a 16 MiB tmpfs, a student whose test takes 4 s' '
	git clone -q "http://s1:$(cat tokens/s1)@127.0.0.1:$HTTP_PORT/git/c1/a1.git" w-s1 &&
	printf "sleep 4\necho ok\n" >w-s1/run.sh &&
	push_as s1 http &&
	wait_graded 60
'

test_expect_success 'a job due on a full disk: push -o wait is told grading waits for room' '
	serve_stop && rm serve.stop &&
	rm -f push.out &&
	{ push_as s1 ssh -o wait & } &&
	test_wait_until grep -q "waiting for the verdict" push.out &&
	git -C w-s1 rev-parse HEAD >due.commit &&
	fill_up &&
	test_wait_until grep -q "out of disk space; grading waits until there is room" push.out
'

test_expect_success 'a job due on a full disk: status and the web page say why it waits' '
	serve_supervised --workers 1 &&
	sleep 2 &&
	test "$(job_of $(cat due.commit) state)" = queued &&
	test "$(job_of $(cat due.commit) attempts)" = 0 &&
	lifebelt status >status.out &&
	test_grep "^disk: .*out of disk space; grading waits until there is room" status.out &&
	page=$(sed -n "s|.*results: http://[^/]*\(/me/[^ ]*\).*|\1|p" push.out) &&
	curl -sf -o page.html "http://127.0.0.1:$HTTP_PORT$page" &&
	test_grep "out of disk space; grading waits until there is room" page.html
'

test_expect_success 'a job due on a full disk: graded once there is room, on its first attempt' '
	make_room &&
	wait_graded 30 &&
	passed_first_time $(cat due.commit) &&
	test_wait_until grep -q "^remote: verdict: passed" push.out &&
	lifebelt status >status.out &&
	! grep "^disk:" status.out
'

# The write the disk refuses is the result's: the runner's work directory
# is a tmpfs of its own. An empty write-ahead log makes sure a write needs
# new blocks, as it would on a disk filled for a while.
test_expect_success 'the disk fills while a job is graded: its result is kept, not a verdict of the full disk' '
	push_as s1 http &&
	git -C w-s1 rev-parse HEAD >mid.commit &&
	test_wait_until test "$(job_of $(cat mid.commit) state)" = running &&
	db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null &&
	fill_up &&
	test_wait_until grep -q "the disk is full; its result is kept" serve.log &&
	sleep 2 &&
	test "$(job_of $(cat mid.commit) state)" = running &&
	lifebelt status >status.out &&
	test_grep "^disk: " status.out
'

test_expect_success 'the disk fills while a job is graded: once there is room, its own result is stored at once' '
	make_room &&
	wait_graded 10 &&
	passed_first_time $(cat mid.commit)
'

test_expect_success 'nothing lost: every push one submission, each graded once; database and repositories clean' '
	check_submissions && check_graded_once && check_integrity && check_fsck
'

test_expect_success 'stopped: nothing left over' '
	serve_stop && check_leftovers
'
test_done
