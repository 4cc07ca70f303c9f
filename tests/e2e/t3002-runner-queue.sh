#!/bin/sh
test_description='the queue: leases, requeue after a crash, infra_error after 3 attempts with a backoff, fairness, stopping'
. "$(dirname "$0")/test-lib.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }
# eq GOT WANT: a comparison that says what it got.
eq() { test "$1" = "$2" || { echo "expected '$2', got '$1'" >&2; return 1; }; }

# wait_for SQL VALUE: poll the database until SQL yields VALUE (10 s at most).
wait_for() {
	i=0
	while test "$(db "$1")" != "$2"; do
		i=$((i + 1))
		test $i -gt 200 && { echo "timed out waiting for $1 = $2 (is $(db "$1"))"; return 1; }
		sleep 0.05
	done
}

# push LOGIN ASSIGNMENT SCRIPT
push() {
	rm -rf "w-$1-$2" &&
	git clone -q "$LIFEBELT_HOME/repos/c1/$2/$1.git" "w-$1-$2" 2>/dev/null &&
	printf "%s\n" "$3" >"w-$1-$2/run.sh" &&
	(cd "w-$1-$2" && git add -A && git commit -q -m work && git push -q origin HEAD:main 2>/dev/null)
}

test_expect_success 'set up' '
	lifebelt init &&
	lifebelt course add c1 &&
	lifebelt student add c1 anna &&
	lifebelt student add c1 ben &&
	mkdir tests &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "tests": [ { "name": "t", "run": "sh run.sh", "output": "ok" } ],
	  "limits": { "wall_seconds": 5 } }
	JSON
	for a in a1 a2 a3 broken; do
		lifebelt assignment add c1 $a --tests tests --due 2030-01-01T00:00:00Z || return 1
	done
'

test_expect_success LOCAL_EXECUTOR 'a runner killed mid-job: the job is requeued when its lease ends and graded' '
	push anna a1 "sleep 1; echo ok" &&
	job=$(db "SELECT max(id) FROM jobs") &&
	test_bg lifebelt runner --lease 2 &&
	wait_for "SELECT state FROM jobs WHERE id = $job" running &&
	dead=${test_bg_pids##* } &&
	i=0 &&
	# (Any runner starting on this host sweeps what a dead one left, so look before the kill.)
	until ls /sys/fs/cgroup/pids | grep -q "^lifebelt-w[0-9]*-$dead\$" &&
	      ls "$LIFEBELT_HOME/work/jobs" | grep -q "^job-$job-$dead\$"; do
		i=$((i + 1)) && test $i -lt 100 && sleep 0.05 || { echo "no sandbox for job $job"; return 1; }
	done &&
	kill -KILL -$dead &&
	sleep 0.1 &&
	eq "$(db "SELECT state, attempts FROM jobs WHERE id = $job")" "running|1" &&
	lifebelt runner --drain --lease 2 2>log &&
	test_grep "requeued 1 job" log &&
	eq "$(db "SELECT state, status, attempts FROM jobs WHERE id = $job")" "done|passed|2" &&
	eq "$(ls "$LIFEBELT_HOME/work/jobs")" "" &&
	! ls /sys/fs/cgroup/pids | grep "^lifebelt-w[0-9]*-$dead\$" &&
	! grep -q "$LIFEBELT_HOME/work\|/run/lifebelt/.*-$dead " /proc/mounts
'

test_expect_success 'the heartbeat keeps a long job'"'"'s lease: another runner does not take it' '
	push anna a3 "sleep 3.5; echo ok" &&
	job=$(db "SELECT max(id) FROM jobs") &&
	test_bg lifebelt runner --lease 2 &&
	wait_for "SELECT state FROM jobs WHERE id = $job" running &&
	test_bg sh -c "exec lifebelt runner --lease 2 2>other.log" &&
	wait_for "SELECT state FROM jobs WHERE id = $job" done &&
	test_cleanup &&
	test "$(db "SELECT status, attempts FROM jobs WHERE id = $job")" = "passed|1" &&
	! grep requeued other.log
'

test_expect_success 'an infrastructure fault is retried, then infra_error after 3 attempts, never a score' '
	rm -rf "$LIFEBELT_HOME/tests/c1/broken" &&
	push anna broken "echo ok" &&
	job=$(db "SELECT max(id) FROM jobs") &&
	lifebelt runner --drain 2>log &&
	test "$(db "SELECT state, attempts, score IS NULL, status IS NULL FROM jobs WHERE id = $job")" = "infra_error|3|1|1" &&
	db "SELECT error FROM jobs WHERE id = $job" >err &&
	test_grep "tests" err &&
	test "$(db "SELECT count(*) FROM results WHERE job_id = $job")" = 0 &&
	test $(grep -c "infrastructure fault" log) = 3
'

# anna was served last (above), so ben's single job, queued after her three, goes first.
test_expect_success 'fair dispatch: one student with many queued jobs does not delay another' '
	push anna a1 "echo ok; echo a1" &&
	push anna a2 "echo ok" &&
	push anna a3 "echo ok" &&
	push ben a1 "echo ok" &&
	first=$(db "SELECT min(id) FROM jobs WHERE state = '"'"'queued'"'"'") &&
	lifebelt runner --drain &&
	db "SELECT p.login || '"'"' '"'"'|| a.name FROM jobs j JOIN people p ON p.id = j.person_id
	    JOIN assignments a ON a.id = j.assignment_id WHERE j.id >= $first
	    ORDER BY (SELECT min(r.id) FROM results r WHERE r.job_id = j.id)" >actual &&
	cat >expect <<-\EOF &&
	ben a1
	anna a1
	anna a2
	anna a3
	EOF
	test_cmp expect actual
'

test_expect_success 'a newer push supersedes the same student'"'"'s queued one' '
	push ben a2 "echo one" &&
	old=$(db "SELECT max(id) FROM jobs") &&
	push ben a2 "echo ok" &&
	lifebelt runner --drain &&
	test "$(db "SELECT state FROM jobs WHERE id = $old")" = superseded &&
	test "$(db "SELECT state, status FROM jobs WHERE id = $((old + 1))")" = "done|passed"
'

test_expect_success 'SIGTERM gives the running job back without counting an attempt' '
	push anna a2 "sleep 4; echo ok" &&
	job=$(db "SELECT max(id) FROM jobs") &&
	test_bg lifebelt runner &&
	wait_for "SELECT state FROM jobs WHERE id = $job" running &&
	pid=${test_bg_pids##* } &&
	kill -TERM $pid &&
	i=0 && while kill -0 $pid 2>/dev/null && test $i -lt 40; do sleep 0.05; i=$((i + 1)); done &&
	! kill -0 $pid 2>/dev/null &&
	test "$(db "SELECT state, attempts FROM jobs WHERE id = $job")" = "queued|0" &&
	test_cleanup &&
	test -z "$(ls "$LIFEBELT_HOME/work/jobs")" &&
	push anna a2 "echo ok" &&
	test "$(db "SELECT state FROM jobs WHERE id = $job")" = superseded
'

test_expect_success 'two workers grade two jobs at the same time' '
	push anna a3 "date +%s%N; sleep 1; date +%s%N; echo ok" &&
	push ben a3 "date +%s%N; sleep 1; date +%s%N; echo ok" &&
	lifebelt runner --drain --workers 2 &&
	ja=$(db "SELECT max(j.id) FROM jobs j JOIN people p ON p.id = j.person_id WHERE p.login = '"'"'anna'"'"' AND j.state = '"'"'done'"'"'") &&
	jb=$(db "SELECT max(j.id) FROM jobs j JOIN people p ON p.id = j.person_id WHERE p.login = '"'"'ben'"'"' AND j.state = '"'"'done'"'"'") &&
	db "SELECT output FROM results WHERE job_id = $ja" >a.out &&
	db "SELECT output FROM results WHERE job_id = $jb" >b.out &&
	test "$(db "SELECT count(*) FROM jobs WHERE state = '"'"'queued'"'"'")" = 0 &&
	a_start=$(sed -n 1p a.out) && a_end=$(sed -n 2p a.out) &&
	b_start=$(sed -n 1p b.out) && b_end=$(sed -n 2p b.out) &&
	test "$a_start" -lt "$b_end" && test "$b_start" -lt "$a_end"
'

test_expect_success LOCAL_EXECUTOR 'each worker and its sandboxes keep to their own share of the CPUs' '
	all=$(nproc) &&
	probe="sed -n \"s/^Cpus_allowed_list:[[:space:]]*//p\" /proc/self/status; nproc; echo ok" &&
	push anna a3 "$probe" &&
	push ben a3 "$probe" &&
	lifebelt runner --drain --workers 2 &&
	ja=$(db "SELECT max(j.id) FROM jobs j JOIN people p ON p.id = j.person_id WHERE p.login = '"'"'anna'"'"'") &&
	jb=$(db "SELECT max(j.id) FROM jobs j JOIN people p ON p.id = j.person_id WHERE p.login = '"'"'ben'"'"'") &&
	db "SELECT output FROM results WHERE job_id = $ja" >a.out &&
	db "SELECT output FROM results WHERE job_id = $jb" >b.out &&
	cat a.out b.out &&
	na=$(sed -n 2p a.out) && nb=$(sed -n 2p b.out) &&
	if test $all -ge 2
	then
		eq $((na + nb <= all)) 1 &&
		eq $((na >= all / 2 && nb >= all / 2)) 1 &&
		if test "$(sed -n 1p a.out)" = "$(sed -n 1p b.out)"
		then
			echo "both jobs ran on the same CPUs" && false
		fi
	else
		eq "$na$nb" 11
	fi &&
	db "SELECT provenance FROM jobs WHERE id = $ja" >prov &&
	test_grep "\"cpus\":$na[,}]" prov &&
	push anna a3 "$probe # one worker" &&
	lifebelt runner --drain &&
	j=$(db "SELECT max(id) FROM jobs") &&
	eq "$(db "SELECT output FROM results WHERE job_id = $j" | sed -n 2p)" $all
'

test_expect_success LOCAL_EXECUTOR 'a worker whose step spawner died still grades, in its cgroup' '
	test_bg lifebelt runner &&
	runner=${test_bg_pids##* } &&
	push ben a2 "echo ok; : first" &&
	job=$(db "SELECT max(id) FROM jobs") &&
	wait_for "SELECT status FROM jobs WHERE id = $job" passed &&
	spawner=$(cat /sys/fs/cgroup/pids/lifebelt-w*-$runner/cgroup.procs) &&
	test -n "$spawner" &&
	kill -KILL $spawner &&
	push ben a2 "sleep 3; echo ok" &&
	job=$(db "SELECT max(id) FROM jobs") &&
	wait_for "SELECT state FROM jobs WHERE id = $job" running &&
	# (The step sees its cgroup as "/": look from outside.)
	i=0 &&
	until test -n "$(cat /sys/fs/cgroup/pids/lifebelt-w*-$runner/cgroup.procs)"; do
		i=$((i + 1)) && test $i -lt 100 && sleep 0.05 || { echo "no step in the cgroup"; return 1; }
	done &&
	wait_for "SELECT state FROM jobs WHERE id = $job" done &&
	eq "$(db "SELECT status FROM jobs WHERE id = $job")" passed &&
	test_cleanup
'

# A process of session $1 still runs (a zombie has ended: the host's init
# reaps what is left to it, such as srun's own children, when it will).
session_alive() { ps -o stat= -s "$1" | grep -qv "^Z"; }

test_expect_success 'lifebelt serve runs a worker and stops it with itself' '
	port=$(test_free_port) &&
	test_bg lifebelt serve --listen 127.0.0.1:$port &&
	push ben a1 "echo ok; : served" &&
	job=$(db "SELECT max(id) FROM jobs") &&
	wait_for "SELECT state FROM jobs WHERE id = $job" done &&
	pid=${test_bg_pids##* } &&
	kill -TERM $pid &&
	i=0 && while session_alive $pid && test $i -lt 60; do sleep 0.05; i=$((i + 1)); done &&
	! session_alive $pid
'

test_expect_success 'bad runner options are named' '
	test_must_fail lifebelt runner --workers 0 2>err &&
	test_grep "bad value for --workers" err &&
	test_must_fail lifebelt runner --lease x 2>err &&
	test_grep "bad value for --lease" err &&
	test_must_fail lifebelt serve --workers many 2>err &&
	test_grep "bad value for --workers" err
'

test_expect_success 'a fault after the work directory is made: retried in a fresh one, nothing left behind' '
	push ben a3 "echo ok" &&
	job=$(db "SELECT max(id) FROM jobs") &&
	commit=$(git -C w-ben-a3 rev-parse HEAD) &&
	obj="$LIFEBELT_HOME/repos/c1/a3/ben.git/objects/$(echo $commit | cut -c1-2)/$(echo $commit | cut -c3-)" &&
	test -f "$obj" &&
	mv "$obj" lost-object &&
	lifebelt runner --drain 2>log &&
	mv lost-object "$obj" &&
	eq "$(db "SELECT state, attempts FROM jobs WHERE id = $job")" "infra_error|3" &&
	test $(grep -c "infrastructure fault" log) = 3 &&
	eq "$(ls "$LIFEBELT_HOME/work/jobs")" "" &&
	! grep -q "$LIFEBELT_HOME/work" /proc/mounts
'

# (The local sandbox's holders. On a Slurm cluster, each srun leaves
# Slurm's own shepherd process to the runner's parent: see docs/admin.md.)
test_expect_success LOCAL_EXECUTOR 'the runner leaves no orphans for its parent to reap (a container'"'"'s first process may not)' '
	cat >adopter.py <<-\PY &&
	import ctypes, os, subprocess, sys, time
	ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)   # PR_SET_CHILD_SUBREAPER: orphans come to us
	subprocess.run(sys.argv[1:], check=True)
	time.sleep(0.3)
	adopted = 0
	for d in os.listdir("/proc"):
	    try:
	        if d.isdigit() and int(open("/proc/%s/stat" % d).read().rsplit(") ", 1)[1].split()[1]) == os.getpid():
	            adopted += 1
	    except (OSError, IndexError, ValueError):
	        pass
	print("adopted", adopted)
	PY
	push anna a1 "echo ok" &&
	push ben a1 "echo ok" &&
	python3 adopter.py lifebelt runner --drain >out 2>log &&
	eq "$(cat out)" "adopted 0"
'

test_expect_success 'a running job mounts nothing on the host but its work directory' '
	push anna a2 "sleep 2; echo ok" &&
	job=$(db "SELECT max(id) FROM jobs") &&
	test_bg lifebelt runner &&
	runner=${test_bg_pids##* } &&
	wait_for "SELECT state FROM jobs WHERE id = $job" running &&
	i=0 &&
	until pgrep -f "^/usr/bin/bwrap .*lifebelt-holder" >/dev/null; do
		i=$((i + 1)) && test $i -lt 100 && sleep 0.05 || { echo "no sandbox for job $job"; return 1; }
	done &&
	grep " $LIFEBELT_HOME/work/jobs/job-$job-" /proc/mounts &&
	! grep " /run/lifebelt/" /proc/mounts &&
	wait_for "SELECT state FROM jobs WHERE id = $job" done &&
	eq "$(db "SELECT status FROM jobs WHERE id = $job")" passed &&
	kill $runner && wait $runner;
	! grep " $LIFEBELT_HOME/work" /proc/mounts
'

test_expect_success 'the default backoff is 10 s (1 s in the tests), and a bad value is refused with one line' '
	eq "$(lifebelt config get runner.retry_seconds)" 1 &&
	HOME2=$TRASH_DIRECTORY/fresh &&
	LIFEBELT_HOME=$HOME2 "$LIFEBELT_BIN" init >/dev/null &&
	eq "$(LIFEBELT_HOME=$HOME2 "$LIFEBELT_BIN" config get runner.retry_seconds)" 10 &&
	test_must_fail lifebelt config set runner.retry_seconds soon 2>err &&
	test $(wc -l <err) = 1 &&
	test_grep "runner.retry_seconds" err &&
	test_must_fail lifebelt config set runner.retry_seconds 100000 2>err &&
	test_grep "runner.retry_seconds" err &&
	eq "$(lifebelt config get runner.retry_seconds)" 1
'

test_expect_success 'three faults in a row: 2 s, then 4 s apart, then infra_error, never a score' '
	lifebelt assignment add c1 hw1 --tests tests --due 2030-01-01T00:00:00Z &&
	lifebelt assignment add c1 hw2 --tests tests --due 2030-01-01T00:00:00Z &&
	lifebelt config set runner.retry_seconds 2 &&
	mv "$LIFEBELT_HOME/tests/c1/hw1" hw1-tests &&
	push anna hw1 "echo ok" &&
	job=$(db "SELECT max(id) FROM jobs") &&
	start=$(date +%s) &&
	lifebelt runner --drain 2>log &&
	end=$(date +%s) &&
	mv hw1-tests "$LIFEBELT_HOME/tests/c1/hw1" &&
	eq "$(db "SELECT state, attempts, score IS NULL, status IS NULL FROM jobs WHERE id = $job")" "infra_error|3|1|1" &&
	eq $(grep -c "infrastructure fault" log) 3 &&
	echo "drained in $((end - start)) s" &&
	test $((end - start)) -ge 6
'

test_expect_success 'a fault that lasts less than the backoff costs one attempt; the job is then graded' '
	lifebelt config set runner.retry_seconds 4 &&
	mv "$LIFEBELT_HOME/tests/c1/hw2" hw2-tests &&
	push anna hw2 "echo ok" &&
	job=$(db "SELECT max(id) FROM jobs") &&
	test_bg lifebelt runner &&
	wait_for "SELECT state, attempts FROM jobs WHERE id = $job" "queued|1" &&
	# Not claimed again before its time: it waits at least 3 of its 4 s.
	eq "$(db "SELECT not_before - strftime('"'"'%s'"'"', '"'"'now'"'"') >= 3 FROM jobs WHERE id = $job")" 1 &&
	db "SELECT error FROM jobs WHERE id = $job" >err &&
	test_grep "tests" err &&
	sleep 1 &&
	eq "$(db "SELECT state, attempts FROM jobs WHERE id = $job")" "queued|1" &&
	mv hw2-tests "$LIFEBELT_HOME/tests/c1/hw2" &&
	wait_for "SELECT state FROM jobs WHERE id = $job" done &&
	test_cleanup &&
	eq "$(db "SELECT status, attempts, score FROM jobs WHERE id = $job")" "passed|2|1.0"
'

test_done
