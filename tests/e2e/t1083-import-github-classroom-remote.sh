#!/bin/bash
test_description='after a GitHub Classroom import, a student'"'"'s old clone pushes to Lifebelt once its origin is changed'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"
. "$TEST_DIRECTORY/lib-github-git.sh"

EXPORT=$SRC_ROOT/tests/fixtures/github-classroom-export
C1=programming-elixir

# score COMMIT: "status score/max" of the job that graded COMMIT.
score() {
	db "SELECT j.status || ' ' || j.score || '/' || j.max_score FROM jobs j
	    JOIN submissions s ON s.id = j.submission_id WHERE s.commit_id = '$1'"
}

lifebelt init >/dev/null && lifebelt config set ssh.user "$SSH_USER" >/dev/null &&
	gh_start 2>gh.err && echo "$GH_TOKEN" >token.txt &&
	lifebelt github token token.txt >/dev/null &&
	gh_export_repos &&
	GH=http://x-access-token:$GH_TOKEN@127.0.0.1:$GH_PORT &&
	start_sshd && HTTP_PORT=$(test_free_port) &&
	test_bg "$LIFEBELT_BIN" serve --workers 0 --listen 127.0.0.1:$HTTP_PORT 2>serve.log &&
	test_wait_port $HTTP_PORT ||
	{ echo "Bail out! cannot set up the GitHub stand-in, sshd and lifebelt serve"; exit 1; }

test_expect_success 'students clone their repositories from GitHub, and work on' '
	git clone -q $GH/octo-org/intro-to-binaries-bob.git bob &&
	git clone -q $GH/octo-org/intro-to-binaries-Alice-Smith.git alice &&
	for who in bob alice; do
		(cd $who && echo "echo ok" >binaries.sh &&
		 git -c user.name=$who -c user.email=$who@example.edu commit -qam "it works") || return 1
	done
'

test_expect_success 'the course comes home from GitHub Classroom' '
	lifebelt import github-classroom "$EXPORT" --teacher tina >import 2>import.err &&
	test_grep "$C1/intro-to-binaries/bob (octo-org/intro-to-binaries-bob): history mirrored" import &&
	test_make_key bob && lifebelt key add bob bob.key.pub >/dev/null &&
	lifebelt token alice-smith | sed -n "s/^token: *//p" >alice.token &&
	test -s alice.token
'

test_expect_success 'over SSH: git remote set-url origin, then a plain git push, graded' '
	(cd bob &&
	 git remote set-url origin ssh://$SSH_USER@127.0.0.1:$SSHD_PORT/$C1/intro-to-binaries &&
	 git_as bob push origin main) 2>push &&
	cat push &&
	test_grep "^remote: submission [0-9]* for $C1/intro-to-binaries received" push &&
	test "$(server_ref $C1/intro-to-binaries/bob.git main)" = "$(git -C bob rev-parse HEAD)" &&
	test "$(git -C bob rev-parse HEAD~1)" = \
		"$(git --git-dir="$GH_ROOT/octo-org/intro-to-binaries-bob.git" rev-parse main)" &&
	lifebelt runner --drain 2>runner.err &&
	test "$(score $(git -C bob rev-parse HEAD))" = "passed 10.0/10.0"
'

test_expect_success 'over HTTPS: the same one command, the login and token as the password' '
	(cd alice &&
	 git remote set-url origin http://alice-smith:$(cat ../alice.token)@127.0.0.1:$HTTP_PORT/git/$C1/intro-to-binaries.git &&
	 git push origin main) 2>push &&
	cat push &&
	test_grep "^remote: submission [0-9]* for $C1/intro-to-binaries received" push &&
	! grep -i "force" push &&
	lifebelt runner --drain 2>runner.err &&
	test "$(score $(git -C alice rev-parse HEAD))" = "passed 10.0/10.0" &&
	: only the new commits are submissions, not the imported history &&
	test "$(db "SELECT count(*) FROM submissions")" = 2
'

test_expect_success 'the clone fetches back what it pushed: it follows Lifebelt now' '
	git -C alice fetch -q origin &&
	test "$(git -C alice rev-parse origin/main)" = "$(git -C alice rev-parse HEAD)" &&
	git -C alice status -sb | head -n 1 >status &&
	test_grep "^## main\.\.\.origin/main$" status
'

test_done
