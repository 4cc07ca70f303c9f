#!/bin/sh
test_description='a runner told to stop under Slurm stops as promptly as a local one: its step stops on the node, the job goes back to the queue, no Slurm job is left'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/slurm/lib-slurm.sh"

test_expect_success 'setup: a cluster and a job that would run for a long while' '
	slurm_up &&
	slurm_course &&
	lifebelt student add c1 bob &&
	echo "{ \"limits\": { \"wall_seconds\": 60 }, \"tests\": [ { \"name\": \"slow\", \"run\": \"sleep 47.25; cat x\", \"output\": \"x\", \"points\": 1 } ] }" >tests/lifebelt.json &&
	lifebelt assignment add c1 hw --tests tests --due 2030-01-01T00:00:00Z &&
	echo x >sub/x
'

# The step, wherever it runs (the node is this machine).
step_running() {
	pgrep -f "^sleep 47[.]25" >/dev/null
}

# stops_within SECONDS PID: PID ends within SECONDS.
stops_within() {
	_n=$(($1 * 20)) &&
	while kill -0 "$2" 2>/dev/null && test $_n -gt 0; do sleep 0.05; _n=$((_n - 1)); done &&
	! kill -0 "$2" 2>/dev/null
}

# Nothing of the job is left on the cluster or the node.
none_left() {
	test -z "$(slurm_jobs)" && ! step_running && test -z "$(node_leftovers)" && test -z "$(node_mounts)"
}

# What is left, if anything.
show_left() {
	slurm_jobs; pgrep -fa "sleep 47[.]25"; node_leftovers; node_mounts; false
}

test_expect_success 'SIGTERM mid-step: the runner exits within 2 s, the job is queued again with no attempt used' '
	push alice &&
	test_bg lifebelt runner &&
	pid=${test_bg_pids##* } &&
	test_wait_until eval "test \"\$(db \"SELECT state FROM jobs\")\" = running" &&
	test_wait_until step_running &&
	kill -TERM $pid &&
	stops_within 2 $pid &&
	test "$(db "SELECT state, attempts FROM jobs")" = "queued|0" &&
	test_wait_until none_left || show_left
'

test_expect_success 'two workers, a step each: both stop within 2 s, both jobs queued again' '
	push bob &&
	test_bg lifebelt runner --workers 2 &&
	pid=${test_bg_pids##* } &&
	test_wait_until eval "test \"\$(db \"SELECT group_concat(state) FROM jobs\")\" = running,running" &&
	test_wait_until eval "test \$(pgrep -fc \"^sleep 47[.]25\") = 2" &&
	kill -TERM $pid &&
	stops_within 2 $pid &&
	test "$(db "SELECT group_concat(state || \"|\" || attempts) FROM jobs")" = "queued|0,queued|0" &&
	test_wait_until none_left || show_left
'

test_expect_success 'the jobs given back are graded in full by the next runner' '
	# (The teacher makes the test quick: the jobs read the tests when they are graded.)
	echo "{ \"tests\": [ { \"name\": \"quick\", \"run\": \"cat x\", \"output\": \"x\", \"points\": 1 } ] }" \
		>"$(db "SELECT tests_dir FROM assignments")/lifebelt.json" &&
	lifebelt runner --drain --workers 2 >runner.log 2>&1 &&
	test "$(db "SELECT group_concat(state || \"|\" || status || \"|\" || attempts) FROM jobs")" = "done|passed|1,done|passed|1" &&
	test_wait_until none_left || show_left
'

test_done
