#!/bin/sh
test_description='jobs sent to Slurm follow the partition'"'"'s free CPUs; a full partition sends a job back without using an attempt'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/slurm/lib-slurm.sh"

# The node's CPUs.
cpus() {
	sinfo --noheader --format=%c | head -1
}

test_expect_success 'setup: a cluster and jobs that take a second' '
	slurm_up &&
	slurm_course &&
	for s in bob carol dave erin frank; do lifebelt student add c1 $s || return 1; done &&
	echo "{ \"limits\": { \"wall_seconds\": 30 }, \"tests\": [ { \"name\": \"t\", \"run\": \"sleep 1; echo ok\", \"output\": \"ok\", \"points\": 1 } ] }" >tests/lifebelt.json &&
	lifebelt assignment add c1 hw --tests tests --due 2030-01-01T00:00:00Z &&
	echo x >sub/x &&
	lifebelt config set slurm.immediate_seconds 1 &&
	test "$(cpus)" -ge 2
'

# take N: another user'"'"'s Slurm job holds N of the node'"'"'s CPUs until `scancel --name=other`.
take() {
	{ setsid srun --quiet --job-name=other --cpus-per-task=$1 --mem=64M sleep 300 & } &&
	echo $! >>"$TRASH_DIRECTORY/.bg-pids" &&
	test_wait_until eval "squeue --noheader --states=RUNNING --name=other | grep -q other"
}

test_expect_success 'a full partition: the job goes back to the queue, its attempt not used, and runs once a CPU is free' '
	take $(cpus) &&
	push alice &&
	{ setsid lifebelt runner --drain >runner.log 2>&1 & } &&
	runner=$! && echo $runner >>"$TRASH_DIRECTORY/.bg-pids" &&
	test_wait_until eval "test \$(grep -c \"given back to the queue (no free CPU on the cluster)\" runner.log) -ge 2" &&
	test "$(db "SELECT error IS NULL, attempts <= 1 FROM jobs")" = "1|1" &&
	scancel --name=other &&
	wait $runner &&
	test "$(db "SELECT state, status, attempts, error IS NULL FROM jobs")" = "done|passed|1|1" &&
	! grep "infrastructure fault" runner.log &&
	test -z "$(slurm_jobs)"
'

# Sample the number of Lifebelt'"'"'s Slurm jobs (running or waiting) into counts until the file stop exists.
sample() {
	while ! test -e stop; do
		squeue --noheader --format=%j | grep -c "^lb-" >>counts
		sleep 0.05
	done
}

test_expect_success 'one CPU free, four workers: at most that CPU and the margin of one are asked of Slurm' '
	take $(($(cpus) - 1)) &&
	for s in bob carol dave erin frank; do push $s || return 1; done &&
	rm -f stop counts &&
	{ sample & } &&
	sampler=$! &&
	lifebelt runner --drain --workers 4 >runner2.log 2>&1 &&
	touch stop && wait $sampler &&
	scancel --name=other &&
	test "$(db "SELECT count(*) FROM jobs WHERE status = '"'passed'"'")" = 6 &&
	max=$(sort -n counts | tail -1) &&
	echo "at most $max of Lifebelt'"'"'s Slurm jobs at once" &&
	test "$max" -ge 1 && test "$max" -le 2
'

test_done
