#!/bin/sh
test_description='the next job'"'"'s sandbox, started ahead, mounts nothing on the host: a worker killed between jobs leaves no mount behind'
. "$(dirname "$0")/test-lib.sh"

if test "$(id -u)" != 0; then
	echo "1..0 # SKIP only a root runner mounts work directories"
	exit 0
fi

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }
eq() { test "$1" = "$2" || { echo "expected '$2', got '$1'" >&2; return 1; }; }

# until_true CMD...: run CMD until it succeeds (10 s at most).
until_true() {
	i=0
	until "$@"; do
		i=$((i + 1)) && test $i -lt 200 && sleep 0.05 || { echo "timed out: $*"; return 1; }
	done
}

# push LOGIN: a new commit of LOGIN's that passes.
push() {
	test -d "w-$1" || git clone -q "$LIFEBELT_HOME/repos/c1/a1/$1.git" "w-$1" 2>/dev/null &&
	echo "echo ok # $(date +%s%N)" >"w-$1/run.sh" &&
	(cd "w-$1" && git add -A && git commit -q -m work && git push -q origin HEAD:main 2>/dev/null)
}

# The mounts on the host below the data directory's work directories.
work_mounts() { grep " $LIFEBELT_HOME/work" /proc/mounts; }
no_job_mount() { ! grep -q " $LIFEBELT_HOME/work/jobs/job-" /proc/mounts; }
spare_holder() { pgrep -P "$runner" -f "^/usr/bin/bwrap .*lifebelt-holder" >/dev/null; }
passed() { test "$(db "SELECT state, status FROM jobs WHERE id = $1")" = "done|passed"; }
gone() { ! kill -0 "$1" 2>/dev/null; }

test_expect_success 'set up' '
	lifebelt init &&
	lifebelt course add c1 &&
	lifebelt student add c1 anna &&
	lifebelt student add c1 ben &&
	mkdir tests &&
	echo "{ \"tests\": [ { \"name\": \"t\", \"run\": \"sh run.sh\", \"output\": \"ok\" } ] }" \
		>tests/lifebelt.json &&
	lifebelt assignment add c1 a1 --tests tests --due 2030-01-01T00:00:00Z
'

test_expect_success 'a runner grades a job, then waits for the next' '
	push anna &&
	job=$(db "SELECT max(id) FROM jobs") &&
	test_bg lifebelt runner &&
	runner=${test_bg_pids##* } &&
	echo $runner >runner.pid &&
	until_true passed $job
'

test_expect_success LOCAL_EXECUTOR 'between jobs, the sandbox started ahead has no mount on the host' '
	runner=$(cat runner.pid) &&
	until_true no_job_mount &&
	until_true spare_holder &&
	ls "$LIFEBELT_HOME/work/jobs" >dirs &&
	! work_mounts
'

test_expect_success 'a worker killed between jobs leaves nothing mounted on the host' '
	runner=$(cat runner.pid) &&
	kill -KILL -$runner &&
	until_true gone $runner &&
	! work_mounts &&
	! grep " /run/lifebelt/.*-$runner " /proc/mounts
'

test_expect_success 'the next runner grades on, the second job in the sandbox the first started ahead' '
	push anna &&
	push ben &&
	lifebelt runner --drain 2>log &&
	eq "$(db "SELECT count(*) FROM jobs WHERE state = '"'"'done'"'"' AND status = '"'"'passed'"'"'")" 3 &&
	eq "$(ls "$LIFEBELT_HOME/work/jobs")" "" &&
	! work_mounts
'

test_done
