#!/bin/sh
test_description='a test decided by a checker program is never scored on a Slurm node, where its files are not: an infrastructure fault that says so'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/slurm/lib-slurm.sh"

test_expect_success 'setup' '
	slurm_up &&
	slurm_course &&
	printf "#!/bin/sh\ngrep -qx 7 \"\$3\"\n" >tests/check.sh &&
	chmod +x tests/check.sh &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "tests": [
	    { "name": "plain", "run": "echo 7", "output": "7" },
	    { "name": "checked", "run": "echo 7", "input": "3 4", "checker": "check.sh" }
	  ] }
	JSON
	lifebelt assignment add c1 hw --tests tests --due 2030-01-01T00:00:00Z
'

test_expect_success 'a right answer is not failed: the job ends infra_error, with no score and the reason' '
	echo hello >sub/f &&
	push alice &&
	job=$(db "SELECT max(id) FROM jobs") &&
	lifebelt runner --drain 2>log &&
	test "$(db "SELECT state, attempts, score IS NULL, status IS NULL FROM jobs WHERE id = $job")" = \
		"infra_error|3|1|1" &&
	db "SELECT error FROM jobs WHERE id = $job" >err &&
	test_grep "a checker program cannot run on a Slurm node" err &&
	test "$(db "SELECT count(*) FROM results WHERE job_id = $job")" = 0 &&
	test -z "$(slurm_jobs)"
'

test_expect_success 'with the bwrap executor the same submission passes, the checker deciding' '
	lifebelt config set runner.executor bwrap &&
	lifebelt regrade c1 hw --no-wait >/dev/null &&
	lifebelt runner --drain &&
	test "$(db "SELECT state, status, score FROM jobs ORDER BY id DESC LIMIT 1")" = "done|passed|2.0"
'

test_done
