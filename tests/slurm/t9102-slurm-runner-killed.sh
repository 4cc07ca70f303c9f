#!/bin/sh
test_description='a runner killed mid-job: its Slurm job ends, the lease runs out, the job is graded again'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/slurm/lib-slurm.sh"

test_expect_success 'setup: a cluster and a job that takes a while' '
	slurm_up &&
	slurm_course &&
	echo "{ \"limits\": { \"wall_seconds\": 60 }, \"tests\": [ { \"name\": \"slow\", \"run\": \"sleep 6; echo done\", \"output\": \"done\", \"points\": 1 } ] }" >tests/lifebelt.json &&
	lifebelt assignment add c1 hw --tests tests --due 2030-01-01T00:00:00Z &&
	echo x >sub/x &&
	push alice
'

none_left() {
	test -z "$(slurm_jobs)" && test -z "$(node_leftovers)"
}

test_expect_success 'kill -9 of the runner: its srun sees the end of its input, node-exec stops the step, Slurm ends the job; the lease ends; graded again' '
	setsid lifebelt runner --lease 3 >runner1.log 2>&1 &
	pid=$! && echo $pid >>"$TRASH_DIRECTORY/.bg-pids" &&
	test_wait_until slurm_running &&
	sleep 1 &&
	kill -KILL $pid &&
	test "$(db "SELECT state FROM jobs")" = running &&
	# Nothing is left on the cluster: node-exec stops the step once its stdin is gone.
	test_wait_until none_left &&
	sleep 3 &&
	lifebelt runner --drain --lease 3 &&
	test "$(db "SELECT state, status, attempts FROM jobs")" = "done|passed|2" &&
	test -z "$(slurm_jobs)"
'

test_done
