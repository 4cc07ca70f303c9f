#!/bin/bash
test_description='an assignment without starter files: clients that make "master" are told how to hand in'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"
jgit_or_skip

gitd_course && start_serve && token alice && token bob ||
	{ echo "Bail out! cannot set up a course and lifebelt serve"; exit 1; }
lifebelt assignment add cs101 bare --tests tests-hw1 --due 2030-01-01T00:00:00Z >/dev/null ||
	{ echo "Bail out! cannot add an assignment without starter files"; exit 1; }
javac -nowarn -cp "$JGIT_CP" -d java "$SRC_ROOT/tests/fixtures/jgit/JGitPush.java" ||
	{ echo "Bail out! cannot compile the JGit client"; exit 1; }
GIT_TERMINAL_PROMPT=0
export GIT_TERMINAL_PROMPT
# git as installed, where nobody set init.defaultBranch.
git config --global --unset init.defaultBranch
A=http://alice:$TOKEN_alice@127.0.0.1:$HTTP_PORT/git
submissions() { sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT count(*) FROM submissions s JOIN repos r ON r.id = s.repo_id JOIN people p ON p.id = r.person_id WHERE p.login = '$1'"; }

test_expect_success 'git speaking the protocol of old clones the empty repository onto master' '
	git -c protocol.version=0 clone -q $A/cs101/bare.git old 2>/dev/null &&
	test "$(git -C old symbolic-ref HEAD)" = refs/heads/master
'

test_expect_success 'git speaking protocol v2 learns main from the server, whatever its own default' '
	git -c protocol.version=2 clone -q $A/cs101/bare.git new 2>/dev/null &&
	test "$(git -C new symbolic-ref HEAD)" = refs/heads/main
'

test_expect_success 'its push to master is kept, with the line that hands it in' '
	(cd old && echo work >work.c && git add work.c && git commit -qm work &&
	 git push origin master 2>../err) &&
	test_grep "remote: refs/heads/master: kept, not graded (only the .main. branch is graded); to hand this work in: git push origin master:main" err &&
	test "$(submissions alice)" = 0
'

test_expect_success 'the line, as it says, gets it graded' '
	git -C old push origin master:main 2>err &&
	test_grep "remote: submission [0-9]* for cs101/bare received" err &&
	test "$(submissions alice)" = 1
'

test_expect_success 'JGit clones the empty repository onto master; its push gets the same line' '
	java -cp "java:$JGIT_CP" JGitPush "$HTTP_URL/git/cs101/bare" bob "$TOKEN_bob" jgit \
		>jgit.out 2>jgit.err &&
	test_grep "ref: refs/heads/master OK" jgit.out &&
	test_grep "^branch: master" jgit.out &&
	test_grep "refs/heads/master: kept, not graded (only the .main. branch is graded); to hand this work in: git push origin master:main" jgit.out &&
	test "$(submissions bob)" = 0
'

test_expect_success 'JGit pushing master:main is graded' '
	java -cp "java:$JGIT_CP" JGitPush "$HTTP_URL/git/cs101/bare" bob "$TOKEN_bob" jgit master:main >jgit.out 2>jgit.err &&
	test_grep "ref: refs/heads/main OK" jgit.out &&
	test_grep "submission [0-9]* for cs101/bare received" jgit.out &&
	test "$(submissions bob)" = 1
'

test_done
