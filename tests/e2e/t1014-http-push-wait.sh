#!/bin/bash
test_description='over HTTP: git push -o wait holds no page, and pushes meanwhile are stamped when they arrive'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"
. "$TEST_DIRECTORY/lib-httpgit.sh"

GIT_HTTP_LOW_SPEED_LIMIT=1 GIT_HTTP_LOW_SPEED_TIME=60
export GIT_HTTP_LOW_SPEED_LIMIT GIT_HTTP_LOW_SPEED_TIME
STUDENTS="alice bob dave erin frank"

# No grading workers: each `-o wait` waits its whole budget (4 + 10 + 1 seconds).
gitd_course &&
for s in dave erin frank; do lifebelt student add cs101 $s >/dev/null || exit 1; done &&
lifebelt config set limits.job_seconds 4 >/dev/null &&
for s in $STUDENTS; do token $s || exit 1; done &&
HTTP_PORT=$(test_free_port) &&
test_bg "$LIFEBELT_BIN" serve --workers 0 --listen 127.0.0.1:$HTTP_PORT 2>"$TRASH_DIRECTORY/serve.log" &&
SERVE_PID=$(tail -n 1 "$TRASH_DIRECTORY/.bg-pids") &&
test_wait_port "$HTTP_PORT" &&
HTTP_URL=http://127.0.0.1:$HTTP_PORT ||
	{ echo "Bail out! cannot set up a course and lifebelt serve"; exit 1; }

url() {
	eval "t=\$TOKEN_$1"
	echo "http://$1:$t@127.0.0.1:$HTTP_PORT/git/cs101/hw1"
}

test_expect_success 'setup: a clone with a new commit for each student' '
	for s in $STUDENTS; do
		git clone -q $(url $s) $s &&
		(cd $s && echo $s >>main.c && git commit -qam "work of $s") || return 1
	done
'

test_expect_success 'four pushes waiting for their verdict do not hold up the pages' '
	for s in alice bob dave erin; do
		git -C $s push -o wait origin main >$s.out 2>$s.err &
	done &&
	i=0 &&
	until test $(cat alice.err bob.err dave.err erin.err | grep -c "waiting for the verdict") = 4; do
		i=$((i + 1)); test $i -lt 300 || { cat *.err; return 1; }; sleep 0.1
	done &&
	for i in 1 2 3 4 5; do
		timed_get $HTTP_URL/healthz 2 && timed_get $HTTP_URL/ 2 || return 1
	done
'

test_expect_success 'a push made meanwhile is stamped when it arrived' '
	start=$(date +%s) &&
	git -C frank push origin main 2>frank.err &&
	at=$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT s.received FROM submissions s
		JOIN repos r ON r.id = s.repo_id WHERE r.path = '\''cs101/hw1/frank.git'\''") &&
	test -n "$at" && test "$at" -le $((start + 2))
'

test_expect_success 'the waiting pushes end with their budget and succeed' '
	i=0 &&
	while test $(cat alice.err bob.err dave.err erin.err | grep -c "not graded yet\|see the results link") -lt 4; do
		i=$((i + 1)); test $i -lt 600 || { cat *.err; return 1; }; sleep 0.1
	done &&
	for s in alice bob dave erin; do
		test "$(server_ref cs101/hw1/$s.git main)" = "$(git -C $s rev-parse HEAD)" || return 1
	done
'

test_expect_success 'clean up' '
	kill -KILL -$SERVE_PID 2>/dev/null
	for p in $(cgi_procs); do kill -KILL ${p#/proc/} 2>/dev/null; done
	true
'

test_done
