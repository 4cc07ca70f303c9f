#!/bin/sh
test_description='a full disk: the data directory on a small tmpfs filled to the last block; pushes are refused with a line that says the server is out of space, grading that cannot write is retried, pages serve, and all resumes once there is room'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/e2e/lib-gitd.sh"
. "$SRC_ROOT/tests/faults/lib-faults.sh"

if test "$(id -u)" != 0; then
	echo "1..0 # SKIP mounting a small file system takes root"
	exit 0
fi

: "${FAULT_DISK_CYCLES:=3}"

# The daemons' ports are needed by every test: started here, not in a test's subshell.
tmpfs_home 16m &&
faults_course 2 && start_sshd && HTTP_PORT=$(test_free_port) && serve_supervised --workers 1 ||
	{ echo "Bail out! cannot set up the data directory on a tmpfs, sshd and serve"; exit 1; }

test_expect_success 'setup: the data directory on a 16 MiB tmpfs, sshd, serve' '
	for s in s1 s2; do
		git clone -q "http://$s:$(cat tokens/$s)@127.0.0.1:$HTTP_PORT/git/c1/a1.git" w-$s || return 1
	done &&
	push_as s1 http && push_as s2 ssh &&
	wait_graded 30
'

cycle=0
while test $cycle -lt $FAULT_DISK_CYCLES; do
	cycle=$((cycle + 1))

	# A push recorded while serve is down: its job meets the full disk.
	test_expect_success "cycle $cycle: setup: a job queued, the disk full, serve started" '
		serve_stop && rm serve.stop &&
		push_as s2 ssh &&
		git -C w-s2 rev-parse HEAD >queued.commit &&
		fill_up &&
		serve_supervised --workers 1
	'

	test_expect_success "cycle $cycle: the disk full, pushes are refused saying so, over SSH and HTTPS" '
		before=$(pushed_refs | wc -l) &&
		for via in ssh http; do
			test_must_fail push_as s1 $via && echo $via >>"$TRASH_DIRECTORY/refused.count" &&
			cat push.out &&
			test_grep "out of disk space" push.out || return 1
		done &&
		test "$(pushed_refs | wc -l)" = "$before"
	'

	test_expect_success "cycle $cycle: pages still serve" '
		curl -sf -o page.html "http://127.0.0.1:$HTTP_PORT/" &&
		curl -sf -o /dev/null -u "s2:$(cat tokens/s2)" "http://127.0.0.1:$HTTP_PORT/"
	'

	test_expect_success "cycle $cycle: grading that cannot write is not a score: the job waits, retried" '
		sleep 3 &&
		test "$(db "SELECT j.state FROM jobs j JOIN submissions s ON s.id = j.submission_id
			WHERE s.commit_id = '"'"'$(cat queued.commit)'"'"'")" != done
	'

	test_expect_success "cycle $cycle: once there is room, pushes and grading resume, nothing lost" '
		make_room &&
		wait_graded 120 &&
		test "$(db "SELECT j.status FROM jobs j JOIN submissions s ON s.id = j.submission_id
			WHERE s.commit_id = '"'"'$(cat queued.commit)'"'"'")" = passed &&
		push_as s1 ssh && push_as s2 http &&
		lifebelt reconcile --grace 0 >/dev/null &&
		wait_graded 120 &&
		check_submissions && check_graded_once && check_integrity && check_fsck
	'
done

test_expect_success 'stopped: nothing left over' '
	serve_stop && check_leftovers
'
say "disk-full cycles: $cycle"
echo "faults: disk-full cycles: $cycle, pushes refused on a full disk: $(grep -c . refused.count 2>/dev/null || echo 0)" >&2
test_done
