#!/bin/sh
test_description='a runner that died leaves no cgroup behind; a live runner'"'"'s are left alone'
. "$(dirname "$0")/test-lib.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }
# job JOB: JOB's state, status and attempts.
job() { db "SELECT state, status, attempts FROM jobs WHERE id = $1"; }
running() { test "$(job $1)" = "running||1"; }

# push LOGIN: LOGIN pushes a submission whose test takes a few seconds.
push() {
	rm -rf "w-$1" &&
	git clone -q "$LIFEBELT_HOME/repos/c1/a1/$1.git" "w-$1" 2>/dev/null &&
	echo "sleep 3; echo ok # $(date +%s%N)" >"w-$1/run.sh" &&
	(cd "w-$1" && git add -A && git commit -q -m work && git push -q origin HEAD:main 2>/dev/null)
}

# cgroup_of PID: the runner cgroup named after PID (pids hierarchy or unified), if any.
cgroup_of() {
	for d in /sys/fs/cgroup/pids /sys/fs/cgroup; do
		test -d "$d" && ls "$d" | grep -x "lifebelt-w[0-9]*-$1" | sed "s|^|$d/|"
	done | head -n 1
}
has_cgroup() { test -n "$(cgroup_of $1)"; }

# runner_as PID: a runner that is process PID of a PID namespace of its own: its
# cgroup names a pid that, on the host, belongs to another living process (the
# runner in a container, or a pid used again after the runner died).
runner_as() {
	test_bg unshare --pid --fork --mount-proc sh -c \
		'echo $(($1 - 1)) >/proc/sys/kernel/ns_last_pid && lifebelt runner --lease 2; exit $?' sh "$1"
}

test_expect_success 'set up' '
	lifebelt init &&
	lifebelt course add c1 &&
	printf "login\nanna\nben\n" >roster.csv &&
	lifebelt roster import c1 roster.csv &&
	mkdir tests &&
	echo "{ \"tests\": [ { \"name\": \"t\", \"run\": \"sh run.sh\", \"output\": \"ok\" } ] }" \
		>tests/lifebelt.json &&
	lifebelt assignment add c1 a1 --tests tests --due 2030-01-01T00:00:00Z
'

test_expect_success LOCAL_EXECUTOR 'a runner killed mid-job: the next one removes its cgroup and what runs there, and retries the job' '
	test_bg sleep 1000 &&
	other=${test_bg_pids##* } &&
	echo $other >other.pid &&
	push anna &&
	dead_job=$(db "SELECT max(id) FROM jobs") &&
	runner_as $other &&
	dead=${test_bg_pids##* } &&
	test_wait_until running $dead_job &&
	test_wait_until has_cgroup $other &&
	stale=$(cgroup_of $other) &&
	echo "$stale" &&
	kill -KILL -$dead &&
	test_wait_until test ! -d /proc/$dead &&
	# Something still runs in the dead runner'"'"'s cgroup.
	test_bg sh -c "echo \$\$ >$stale/cgroup.procs && exec sleep 1000" &&
	stray=${test_bg_pids##* } &&
	test_wait_until grep -qx "$stray" "$stale/cgroup.procs" &&
	# Another runner, alive, mid-job: its cgroup also names a living pid (ours).
	push ben &&
	live_job=$(db "SELECT max(id) FROM jobs") &&
	runner_as $$ &&
	live=${test_bg_pids##* } &&
	test_wait_until running $live_job &&
	test_wait_until has_cgroup $$ &&
	lifebelt runner --drain --lease 2 2>log &&
	cat log &&
	{ ! test -d "$stale" || { echo "$stale is still there"; return 1; }; } &&
	state=$(cat /proc/$stray/stat 2>/dev/null | awk "{ print \$3 }") &&
	{ test -z "$state" || test "$state" = Z || { echo "what ran in it still runs"; return 1; }; } &&
	job $dead_job && test "$(job $dead_job)" = "done|passed|2" &&
	job $live_job && test "$(job $live_job)" = "done|passed|1" &&
	{ has_cgroup $$ || { echo "the live runner'"'"'s cgroup is gone"; return 1; }; } &&
	# (The runner is the child of the namespace'"'"'s first process, a child of unshare.)
	kill -TERM $(pgrep -P $(pgrep -P $live)) &&
	wait $live &&
	! has_cgroup $$
'

test_done
