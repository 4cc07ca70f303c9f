#!/bin/sh
test_description='SIGTERM to lifebelt serve: running jobs are given back, every work directory is unmounted before it exits, and the next start finds nothing left over'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"
. "$TEST_DIRECTORY/lib-httpgit.sh"

if test "$(id -u)" != 0; then
	echo "1..0 # SKIP only a root runner mounts work directories"
	exit 0
fi

work_mounts() { grep " $LIFEBELT_HOME/work" /proc/mounts; }
running() { test "$(db "SELECT count(*) FROM jobs WHERE state = 'running'")" = "$1"; }
in_sandbox() { test -e "$TRASH_DIRECTORY/started.$1"; }

test_expect_success 'setup: jobs that take a while, two workers busy' '
	lifebelt init >/dev/null &&
	lifebelt course add cs101 >/dev/null &&
	lifebelt student add cs101 alice >/dev/null &&
	lifebelt student add cs101 bob >/dev/null &&
	mkdir tests-dir &&
	echo "{ \"limits\": { \"wall_seconds\": 60 }, \"tests\": [ { \"name\": \"slow\", \"run\": \"sh run.sh\", \"output\": \"ok\", \"points\": 1 } ] }" \
		>tests-dir/lifebelt.json &&
	lifebelt assignment add cs101 hw1 --tests tests-dir --due "$(iso_in 86400)" >/dev/null &&
	course=cs101 name=hw1 &&
	for who in alice bob; do
		clone_for $who &&
		printf "sleep 30\necho ok\n" >$who/run.sh &&
		git -C $who add run.sh && git -C $who commit -qm slow && git -C $who push -q origin main 2>/dev/null ||
		return 1
	done &&
	port=$(test_free_port) &&
	test_bg lifebelt serve --listen 127.0.0.1:$port --workers 2 2>serve.log &&
	tail -n 1 .bg-pids >serve.pid &&
	test_wait_port $port &&
	test_wait_until running 2 &&
	sleep 1 &&
	work_mounts >mounts && test -s mounts
'

test_expect_success 'SIGTERM: serve exits soon, with no work directory mounted' '
	SERVE_PID=$(cat serve.pid) &&
	stop_serve 10 &&
	! work_mounts &&
	! grep " /run/lifebelt/[^ ]*-job-" /proc/mounts | grep -F "$(cat mounts | cut -d" " -f2 | sed "s|.*/||")"
'

test_expect_success 'the running jobs were given back to the queue, not left to their lease' '
	test "$(db "SELECT count(*) FROM jobs WHERE state = '"'queued'"' AND lease_owner IS NULL")" = 2 &&
	grep -c "given back to the queue (runner stopping)" serve.log >given && test "$(cat given)" = 2
'

# A sandbox's holder keeps its work directory mounted in its own namespace.
holders() {
	for q in $(pgrep -x lifebelt-holder) $(pgrep -x bwrap); do
		grep -q "$LIFEBELT_HOME" /proc/$q/mountinfo 2>/dev/null && echo $q
	done
	return 0
}

test_expect_success 'nothing of theirs is left: no sandbox, no work directory' '
	test -z "$(holders)" &&
	test -z "$(ls "$LIFEBELT_HOME/work/jobs")"
'

test_expect_success 'the next start finds nothing left over and runs both again' '
	port=$(test_free_port) &&
	test_bg lifebelt serve --listen 127.0.0.1:$port --workers 2 2>serve2.log &&
	tail -n 1 .bg-pids >serve.pid &&
	test_wait_port $port &&
	test_wait_until test "$(db "SELECT count(*) FROM jobs WHERE state = '"'running'"'")" = 2 &&
	SERVE_PID=$(cat serve.pid) &&
	stop_serve 10 &&
	! grep -i "requeued\|stale\|removed\|left" serve2.log
'

test_done
