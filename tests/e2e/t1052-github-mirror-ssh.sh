#!/bin/bash
test_description='the GitHub mirror fetches over SSH (libssh2) with a deploy key, and checks the host key'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"
. "$TEST_DIRECTORY/lib-github-git.sh"

gh_ssh_side

gh_course && ssh-keygen -q -t ed25519 -N "" -f deploy </dev/null &&
	ssh-keygen -q -t ed25519 -N "" -f other </dev/null &&
	echo "command=\"$TRASH_DIRECTORY/gh-ssh/serve\",no-pty,no-port-forwarding $(cat deploy.pub)" \
		>gh-ssh/authorized_keys &&
	start_sshd "AuthorizedKeysFile $TRASH_DIRECTORY/gh-ssh/authorized_keys" &&
	lifebelt config set github.ssh_url "ssh://$SSH_USER@127.0.0.1:$SSHD_PORT" >/dev/null &&
	gh_map cs101/hw1/alice.git octo/hw1-alice &&
	gh_git_push octo/hw1-alice "int main(void) { return 0; }" && echo $GH_COMMIT >c1 &&
	lifebelt github key cs101 hw1 alice deploy >/dev/null ||
	{ echo "Bail out! cannot set up a course, sshd and a deploy key"; exit 1; }

test_expect_success 'the deploy key is kept 0600 under the repository' '
	id=$(db "SELECT id FROM repos WHERE path = '\''cs101/hw1/alice.git'\''") &&
	cmp deploy "$LIFEBELT_HOME/github/deploy-key-$id" &&
	test "$(stat -c %a "$LIFEBELT_HOME/github/deploy-key-$id")" = 600
'

test_expect_success 'no known hosts: nothing fetched, the way to set them said' '
	test_must_fail lifebelt github sync cs101 hw1 >out &&
	test_grep "not fetched: no known hosts" out &&
	test "$(db "SELECT count(*) FROM submissions")" = 0
'

test_expect_success 'a server whose key is not the known one is refused, never learnt' '
	echo "[127.0.0.1]:$SSHD_PORT $(cut -d" " -f1,2 other.pub)" >wrong_hosts &&
	lifebelt github known-hosts wrong_hosts >/dev/null &&
	test_must_fail lifebelt github sync cs101 hw1 >out &&
	test_grep "host key is not in the known hosts" out &&
	test "$(db "SELECT count(*) FROM submissions")" = 0 &&
	cmp wrong_hosts "$LIFEBELT_HOME/github/known_hosts"
'

test_expect_success 'a deploy key GitHub does not know is refused' '
	ssh-keyscan -p $SSHD_PORT 127.0.0.1 >known_hosts 2>/dev/null &&
	test_grep "^\[127.0.0.1\]:$SSHD_PORT ssh-ed25519 " known_hosts &&
	lifebelt github known-hosts known_hosts >/dev/null &&
	lifebelt github key cs101 hw1 alice other >/dev/null &&
	test_must_fail lifebelt github sync cs101 hw1 >out &&
	test_grep "deploy key was refused" out &&
	test "$(db "SELECT count(*) FROM submissions")" = 0
'

test_expect_success 'a delivery fetched over SSH with the deploy key: graded via webhook' '
	lifebelt github key cs101 hw1 alice deploy >/dev/null &&
	gh_start_serve &&
	GH_COMMIT=$(cat c1) &&
	now=$(date +%s) &&
	gh_deliver s1 cs101/hw1/alice.git $((now - 7)) $now &&
	gh_wait_status s1 done &&
	test "$(db "SELECT via, received FROM submissions WHERE commit_id = '\''$GH_COMMIT'\''")" = "webhook|$((now - 7))" &&
	gh_wait_graded $GH_COMMIT &&
	test_grep "Accepted publickey" sshd/log
'

test_done
