#!/bin/bash
test_description='an assignment'"'"'s tests in git over SSH: clone, push, check, install, regrade'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

gitd_course && start_sshd || { echo "Bail out! cannot set up a course and sshd"; exit 1; }

# The provenance's tests version of the newest job.
last_version() {
	db "SELECT json_extract(provenance, '$.tests_version') FROM jobs ORDER BY id DESC LIMIT 1"
}

test_expect_success 'ssh with no command shows teachers the tests repository, students not' '
	ssh_as carol $SSH_USER@127.0.0.1 >info 2>&1 &&
	test_grep " R W  $SSH_USER@localhost:cs101/hw1/tests$" info &&
	ssh_as alice $SSH_USER@127.0.0.1 >info 2>&1 &&
	! grep tests info
'

test_expect_success 'the teacher clones the tests repository and gets the tests' '
	git_as carol clone $SSH_USER@127.0.0.1:cs101/hw1/tests tests &&
	test_cmp tests-hw1/lifebelt.json tests/lifebelt.json &&
	test "$(git -C tests rev-parse --abbrev-ref HEAD)" = main
'

test_expect_success 'an edited test is pushed, checked and installed as a new version' '
	cat >tests/lifebelt.json <<-\JSON &&
	{ "build": "true",
	  "tests": [ { "name": "runs", "run": "true" },
	             { "name": "has main", "run": "test -f main.c", "points": 2 } ] }
	JSON
	git -C tests commit -qam "a second test" &&
	(cd tests && git_as carol push origin main) >out 2>&1 &&
	v=$(git -C tests rev-parse HEAD) &&
	test_grep "tests version $v installed for cs101/hw1" out &&
	test "$(db "SELECT tests_version FROM assignments")" = "$v" &&
	test "$(db "SELECT via, by FROM tests_versions WHERE version = '\''$v'\''")" = "ssh|carol" &&
	test_cmp tests/lifebelt.json "$(db "SELECT tests_dir FROM assignments")/lifebelt.json"
'

test_expect_success 'the next submission is graded with it, and its provenance says so' '
	git_as alice clone -q $SSH_USER@127.0.0.1:cs101/hw1 hw1 &&
	(cd hw1 && echo "// mine" >>main.c && git commit -qam work && git_as alice push -q origin main) &&
	lifebelt runner --drain &&
	test "$(last_version)" = "$(git -C tests rev-parse HEAD)" &&
	db "SELECT r.name, r.verdict FROM results r WHERE r.job_id = (SELECT max(id) FROM jobs) ORDER BY seq" >actual &&
	printf "runs|pass\nhas main|pass\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a bad lifebelt.json is refused with the field named; the old tests stay' '
	before=$(db "SELECT tests_version, tests_dir FROM assignments") &&
	head=$(server_ref cs101/hw1/.tests.git main) &&
	sed "s/\"points\": 2/\"points\": 2, \"outptu\": \"x\"/" tests/lifebelt.json >t &&
	mv t tests/lifebelt.json &&
	git -C tests commit -qam "a typo" &&
	(cd tests && test_must_fail git_as carol push origin main) >out 2>&1 &&
	test_grep "refusing the push: the tests are not valid: lifebelt.json: tests\[1\]: unknown field .outptu." out &&
	test "$(server_ref cs101/hw1/.tests.git main)" = "$head" &&
	test "$(db "SELECT tests_version, tests_dir FROM assignments")" = "$before" &&
	(cd hw1 && git commit -q --allow-empty -m again && git_as alice push -q origin main) &&
	lifebelt runner --drain &&
	test "$(last_version)" = "$head" &&
	git -C tests reset -q --hard HEAD~1
'

test_expect_success 'a push without lifebelt.json is refused too' '
	git -C tests rm -q lifebelt.json &&
	git -C tests commit -qm "no spec" &&
	(cd tests && test_must_fail git_as carol push origin main) >out 2>&1 &&
	test_grep "refusing the push: the tests are not valid: no lifebelt.json" out &&
	git -C tests reset -q --hard HEAD~1
'

test_expect_success 'a lifebelt.json that is a symbolic link is refused, never read' '
	git -C tests rm -q lifebelt.json &&
	ln -s "$LIFEBELT_HOME/server.key" tests/lifebelt.json &&
	git -C tests add lifebelt.json &&
	git -C tests commit -qm "a link" &&
	(cd tests && test_must_fail git_as carol push origin main) >out 2>&1 &&
	test_grep "refusing the push: the tests are not valid: lifebelt.json is a symbolic link" out &&
	git -C tests reset -q --hard HEAD~1
'

test_expect_success 'students and other teachers cannot clone or push the tests repository' '
	lifebelt course add cs202 >/dev/null &&
	lifebelt teacher add cs202 mallory --key mallory.key.pub >/dev/null &&
	for who in alice bob mallory; do
		test_must_fail git_as $who clone $SSH_USER@127.0.0.1:cs101/hw1/tests x-$who 2>err &&
		test_grep "access denied" err &&
		test ! -d x-$who || return 1
	done &&
	test_must_fail git_as alice ls-remote $SSH_USER@127.0.0.1:cs101/hw1/tests.git 2>err &&
	test_grep "access denied" err &&
	test_must_fail git_as alice ls-remote $SSH_USER@127.0.0.1:cs101/hw1/.tests.git 2>err &&
	test_grep "access denied" err &&
	head=$(server_ref cs101/hw1/.tests.git main) &&
	(cd tests && test_must_fail git_as alice push $SSH_USER@127.0.0.1:cs101/hw1/tests main:main) 2>err &&
	test_grep "access denied" err &&
	test "$(server_ref cs101/hw1/.tests.git main)" = "$head"
'

test_expect_success 'git push -o regrade installs and requeues every counted submission' '
	git_as bob clone -q $SSH_USER@127.0.0.1:cs101/hw1 hw1-bob &&
	(cd hw1-bob && git commit -q --allow-empty -m bob && git_as bob push -q origin main) &&
	lifebelt runner --drain &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "build": "true",
	  "tests": [ { "name": "runs", "run": "true" },
	             { "name": "has notes", "run": "test -f NOTES", "points": 3 } ] }
	JSON
	git -C tests commit -qam "notes wanted" &&
	(cd tests && git_as carol push -o regrade origin main) >out 2>&1 &&
	v=$(git -C tests rev-parse HEAD) &&
	test_grep "tests version $v installed" out &&
	test_grep "requeued 2 submissions of cs101/hw1" out &&
	test "$(db "SELECT count(*) FROM jobs WHERE state = '\''queued'\''")" = 2 &&
	lifebelt runner --drain &&
	db "SELECT p.login, r.name, r.verdict FROM results r JOIN jobs j ON j.id = r.job_id
	    JOIN people p ON p.id = j.person_id
	    WHERE j.id IN (SELECT max(id) FROM jobs GROUP BY person_id) ORDER BY p.login, r.seq" >actual &&
	printf "alice|runs|pass\nalice|has notes|fail\nbob|runs|pass\nbob|has notes|fail\n" >expect &&
	test_cmp expect actual &&
	test "$(last_version)" = "$v"
'

test_expect_success 'another branch is kept and not installed; an unknown option is named' '
	v=$(db "SELECT tests_version FROM assignments") &&
	git -C tests checkout -q -b draft &&
	echo "{" >tests/lifebelt.json &&
	git -C tests commit -qam "half done" &&
	(cd tests && git_as carol push -o wait origin draft) >out 2>&1 &&
	test_grep "refs/heads/draft: kept, not installed (only main holds the tests)" out &&
	test_grep "push option .wait. ignored" out &&
	test "$(db "SELECT tests_version FROM assignments")" = "$v" &&
	git -C tests checkout -q main
'

test_expect_success 'the login "tests" is reserved' '
	test_must_fail lifebelt student add cs101 tests 2>err &&
	test_grep "login .tests. is reserved" err &&
	test -z "$(db "SELECT id FROM people WHERE login = '\''tests'\''")"
'

test_expect_success 'an assignment made before gets its tests repository by command' '
	rm -rf "$LIFEBELT_HOME/repos/cs101/hw1/.tests.git" "$LIFEBELT_HOME/hooks/tests" &&
	lifebelt tests repo cs101 hw1 >out &&
	test_grep "tests repository cs101/hw1/tests created" out &&
	git_as carol clone -q $SSH_USER@127.0.0.1:cs101/hw1/tests again &&
	test_cmp tests/lifebelt.json again/lifebelt.json &&
	(cd again && echo "{" >lifebelt.json && git commit -qam bad &&
	 test_must_fail git_as carol push origin main) >out 2>&1 &&
	test_grep "refusing the push: the tests are not valid" out &&
	lifebelt tests repo cs101 hw1 >out &&
	test_grep "exists; nothing changed" out &&
	test_must_fail lifebelt tests repo cs101 nope 2>err &&
	test_grep "no assignment cs101/nope" err
'

test_done
