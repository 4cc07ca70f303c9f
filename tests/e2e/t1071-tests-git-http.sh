#!/bin/bash
test_description='an assignment'"'"'s tests in git over HTTP in lifebelt serve: push, check, install, regrade'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

gitd_course && start_serve && token alice && token carol ||
	{ echo "Bail out! cannot set up a course and lifebelt serve"; exit 1; }
GIT_TERMINAL_PROMPT=0
export GIT_TERMINAL_PROMPT
A=http://alice:$TOKEN_alice@127.0.0.1:$HTTP_PORT/git
C=http://carol:$TOKEN_carol@127.0.0.1:$HTTP_PORT/git

# No job waits or runs: serve's worker has graded everything queued.
all_graded() {
	test "$(db "SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')")" = 0
}

test_expect_success 'a student submission is graded with the first tests' '
	git clone -q $A/cs101/hw1.git hw1 &&
	(cd hw1 && echo "// mine" >>main.c && git commit -qam work && git push -q origin main) &&
	test_wait_until all_graded &&
	test "$(db "SELECT count(*) FROM jobs WHERE state = '\''done'\''")" = 1
'

test_expect_success 'the teacher clones the tests over HTTP' '
	git clone -q $C/cs101/hw1/tests.git tests &&
	test_cmp tests-hw1/lifebelt.json tests/lifebelt.json
'

test_expect_success 'students cannot clone, fetch or push the tests repository' '
	test_must_fail git clone -q $A/cs101/hw1/tests.git x 2>err &&
	test_grep "access denied" err &&
	test_must_fail git ls-remote $A/cs101/hw1/tests 2>err &&
	test_grep "access denied" err &&
	head=$(server_ref cs101/hw1/.tests.git main) &&
	(cd tests && git commit -q --allow-empty -m sneaky &&
	 test_must_fail git push -q $A/cs101/hw1/tests.git main) 2>err &&
	test_grep "access denied" err &&
	test "$(server_ref cs101/hw1/.tests.git main)" = "$head" &&
	git -C tests reset -q --hard HEAD~1
'

test_expect_success 'a bad spec is refused over HTTP with the field named' '
	head=$(server_ref cs101/hw1/.tests.git main) &&
	echo "{ \"tests\": [ { \"name\": \"a\", \"run\": \"true\", \"points\": \"two\" } ] }" >tests/lifebelt.json &&
	git -C tests commit -qam broken &&
	(cd tests && test_must_fail git push origin main) >out 2>&1 &&
	test_grep "refusing the push: the tests are not valid: lifebelt.json: tests\[0\]: .*points" out &&
	test "$(server_ref cs101/hw1/.tests.git main)" = "$head" &&
	test "$(db "SELECT count(*) FROM tests_versions")" = 0 &&
	git -C tests reset -q --hard HEAD~1
'

test_expect_success 'push -o regrade installs the tests and serve regrades with them' '
	cat >tests/lifebelt.json <<-\JSON &&
	{ "build": "true",
	  "tests": [ { "name": "runs", "run": "true" },
	             { "name": "says hi", "run": "echo hi", "output": "hi" } ] }
	JSON
	git -C tests commit -qam "one more" &&
	(cd tests && git push -o regrade origin main) >out 2>&1 &&
	v=$(git -C tests rev-parse HEAD) &&
	test_grep "tests version $v installed for cs101/hw1" out &&
	test_grep "requeued 1 submission of cs101/hw1" out &&
	test "$(db "SELECT via, by FROM tests_versions")" = "http|carol" &&
	test_wait_until all_graded &&
	test "$(db "SELECT json_extract(provenance, '\''$.tests_version'\'') FROM jobs
	          ORDER BY id DESC LIMIT 1")" = "$v" &&
	db "SELECT name, verdict FROM results WHERE job_id = (SELECT max(id) FROM jobs) ORDER BY seq" >actual &&
	printf "runs|pass\nsays hi|pass\n" >expect &&
	test_cmp expect actual
'

test_done
