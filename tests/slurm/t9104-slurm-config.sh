#!/bin/sh
test_description='the Slurm executor chosen and placed by settings and lifebelt.json; lifebelt status shows its jobs'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/slurm/lib-slurm.sh"

test_expect_success 'setup' '
	slurm_up &&
	slurm_course
'

test_expect_success 'settings: slurm is an executor; the slurm.* values are checked' '
	lifebelt config get runner.executor >out &&
	test_grep "slurm" out &&
	test_must_fail lifebelt config set runner.executor pbs 2>err &&
	test_grep "runner.executor must be bwrap, docker or slurm, not .pbs." err &&
	test_must_fail lifebelt config set slurm.partition "a b" 2>err &&
	test_grep "slurm.partition must be a Slurm name" err &&
	test_must_fail lifebelt config set slurm.account "x;y" 2>err &&
	test_grep "slurm.account must be a Slurm name" err &&
	lifebelt config set slurm.reservation "" &&
	test_must_fail lifebelt config set slurm.immediate_seconds 0 2>err &&
	test_grep "slurm.immediate_seconds must be a whole number" err
'

test_expect_success 'lifebelt.json: "slurm" is checked, field by field' '
	echo "{ \"executor\": \"slurm\", \"slurm\": { \"queue\": \"x\" }, \"tests\": [ { \"name\": \"t\", \"run\": \"true\" } ] }" >tests/lifebelt.json &&
	test_must_fail lifebelt assignment add c1 bad --tests tests --due 2030-01-01T00:00:00Z 2>err &&
	test_grep "field .slurm.queue. is unknown (partition, account, reservation)" err &&
	echo "{ \"slurm\": { \"partition\": 3 }, \"tests\": [ { \"name\": \"t\", \"run\": \"true\" } ] }" >tests/lifebelt.json &&
	test_must_fail lifebelt assignment add c1 bad --tests tests --due 2030-01-01T00:00:00Z 2>err &&
	test_grep "field .slurm.partition. must be a Slurm name" err &&
	echo "{ \"executor\": \"pbs\", \"tests\": [ { \"name\": \"t\", \"run\": \"true\" } ] }" >tests/lifebelt.json &&
	test_must_fail lifebelt assignment add c1 bad --tests tests --due 2030-01-01T00:00:00Z 2>err &&
	test_grep "field .executor. must be \"bwrap\", \"docker\" or \"slurm\"" err
'

test_expect_success 'an assignment names its partition: the server-wide one is not used; status lists the Slurm job' '
	lifebelt config set slurm.partition nosuch &&
	echo "{ \"slurm\": { \"partition\": \"grading\" }, \"limits\": { \"wall_seconds\": 60 }, \"tests\": [ { \"name\": \"t\", \"run\": \"sleep 4; echo ok\", \"output\": \"ok\", \"points\": 1 } ] }" >tests/lifebelt.json &&
	lifebelt assignment add c1 hw --tests tests --due 2030-01-01T00:00:00Z &&
	echo x >sub/x &&
	push alice &&
	{ lifebelt runner --drain >runner.log 2>&1 & } &&
	test_wait_until slurm_running &&
	lifebelt status >status &&
	test_grep "^slurm: *ID NAME STATE TIME NODE" status &&
	# The Slurm job is named after the runner worker grading the job.
	worker=$(sed -n "s/^ *job 1: .* running .* on [^:]*:\([0-9]*\):.*/\1/p" status) &&
	test -n "$worker" &&
	test_grep "^$slurm_id lb-runner-$worker RUNNING" status &&
	wait &&
	test "$(db "SELECT status FROM jobs")" = passed &&
	db "SELECT provenance FROM jobs" >prov &&
	test_grep "\"partition\":\"grading\"" prov &&
	lifebelt status >status &&
	test_grep "^slurm: *no jobs" status
'

test_done
