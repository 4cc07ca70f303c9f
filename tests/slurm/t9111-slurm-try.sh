#!/bin/sh
test_description='lifebelt try on the server grades where its jobs are graded: through Slurm under runner.executor slurm'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/slurm/lib-slurm.sh"

test_expect_success 'setup: a one-node cluster, a server whose runner.executor is slurm' '
	slurm_up &&
	slurm_course &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "tests": [ { "name": "greets", "run": "cat hello", "output": "hello", "points": 1 } ] }
	JSON
	echo hello >sub/hello
'

test_expect_success 'try grades through Slurm, as the runner would, with the same verdict' '
	lifebelt try tests sub >out 2>&1 &&
	cat out &&
	test_grep "^sandbox: {\"kind\":\"slurm\",\"job_id\":\"[0-9]" out &&
	test_grep "^pass  *greets" out &&
	test_grep "^passed: 1/1" out &&
	test_wait_until test -z "$(slurm_jobs)"
'

test_expect_success 'try takes the slurm.* settings: a partition the cluster lacks is named' '
	lifebelt config set slurm.partition nosuch &&
	test_must_fail lifebelt try tests sub >out 2>err &&
	cat err &&
	test_grep "[Ii]nvalid partition" err &&
	lifebelt config set slurm.partition "" &&
	test_wait_until test -z "$(slurm_jobs)"
'

test_expect_success 'with no data directory (a teacher'"'"'s own machine), try grades here' '
	LIFEBELT_HOME=$TRASH_DIRECTORY/nowhere lifebelt try tests sub >out 2>&1 &&
	test_grep "^sandbox: {\"kind\":\"bwrap\"" out &&
	test_grep "^passed: 1/1" out
'

test_done
