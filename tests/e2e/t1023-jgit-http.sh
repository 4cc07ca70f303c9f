#!/bin/bash
test_description='over HTTP: JGit, which sends the password "null" first, never locks itself out'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"
jgit_or_skip

gitd_course && start_serve && token alice ||
	{ echo "Bail out! cannot set up a course and lifebelt serve"; exit 1; }
javac -nowarn -cp "$JGIT_CP" -d java "$SRC_ROOT/tests/fixtures/jgit/JGitClones.java" ||
	{ echo "Bail out! cannot compile the JGit client"; exit 1; }

test_expect_success 'JGit clones 12 times, each after its "null" try, from one address' '
	java -cp "java:$JGIT_CP" JGitClones "$HTTP_URL/git/cs101/hw1" alice "$TOKEN_alice" 12 clones \
		>jgit.out 2>jgit.err &&
	test "$(grep -c ": cloned$" jgit.out)" = 12 &&
	test "$(grep -c "without a password: .*not authorized" jgit.out)" = 12 &&
	test -f clones/clone-12/main.c
'

test_done
