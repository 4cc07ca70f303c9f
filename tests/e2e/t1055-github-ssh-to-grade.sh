#!/bin/bash
test_description='github: a push on GitHub and its signed webhook, fetched over SSH with a deploy key, become a graded submission on the student'"'"'s page and a commit status, with a token or a GitHub App'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"
. "$TEST_DIRECTORY/lib-github.sh"
. "$TEST_DIRECTORY/lib-github-git.sh"
. "$TEST_DIRECTORY/lib-github-api.sh"

GH_SECRET="the course's webhook secret, $$"
db() { sqlite3 -cmd ".timeout 10000" "$DB" "$@"; }
gh_ssh_side

# deliver LOGIN GUID: GitHub's signed push delivery of GH_COMMIT, answered 202.
deliver() {
	gh_push "payload-$2.json" "octo/hw1-$1" refs/heads/main $GH_COMMIT $(( $(date +%s) - 5 )) &&
	test "$(gh_send push "$2" "payload-$2.json")" = 202 &&
	test_grep "^queued: refs/heads/main $GH_COMMIT of octo/hw1-$1" resp.txt
}

graded() {
	test "$(db "SELECT j.state FROM jobs j JOIN submissions s ON s.id = j.submission_id
		WHERE s.commit_id = '$1' ORDER BY j.id DESC LIMIT 1")" = done
}

gh_home &&
printf '%s\n' "$GH_SECRET" | lifebelt github secret - >/dev/null &&
lifebelt github link c1 hw1 alice octo/hw1-alice >/dev/null &&
lifebelt github link c1 hw1 bob octo/hw1-bob >/dev/null &&
ssh-keygen -q -t ed25519 -N "" -f deploy-alice </dev/null &&
ssh-keygen -q -t ed25519 -N "" -f deploy-bob </dev/null &&
for k in deploy-alice deploy-bob; do
	echo "command=\"$TRASH_DIRECTORY/gh-ssh/serve\",no-pty,no-port-forwarding $(cat $k.pub)"
done >gh-ssh/authorized_keys &&
start_sshd "AuthorizedKeysFile $TRASH_DIRECTORY/gh-ssh/authorized_keys" &&
lifebelt config set github.ssh_url "ssh://$SSH_USER@127.0.0.1:$SSHD_PORT" >/dev/null &&
ssh-keyscan -p $SSHD_PORT 127.0.0.1 >known_hosts 2>/dev/null &&
lifebelt github known-hosts known_hosts >/dev/null &&
lifebelt github key c1 hw1 alice deploy-alice >/dev/null &&
lifebelt github key c1 hw1 bob deploy-bob >/dev/null &&
# Nothing answers HTTPS for git: a fetch that took that way would fail.
lifebelt config set github.git_url "http://127.0.0.1:$(test_free_port)" >/dev/null &&
echo "github_pat_11AAAAAA0ssh0chain0fine0grained0token" >fine-token &&
lifebelt github token fine-token >/dev/null &&
openssl genrsa -out app.pem 2048 2>/dev/null && openssl rsa -in app.pem -pubout -out app.pub 2>/dev/null &&
gh_api_start --fine-token-file "$TRASH_DIRECTORY/fine-token" --app-id 31337 \
	--app-public-key app.pub --repos octo/hw1-bob &&
test_bg lifebelt serve --workers 1 --listen "127.0.0.1:$WEB_PORT" 2>"$TRASH_DIRECTORY/serve.log" &&
test_wait_port "$WEB_PORT" ||
	{ echo "Bail out! cannot set up the course, GitHub's stand-ins, sshd and lifebelt serve"; exit 1; }

test_expect_success 'a push to GitHub and its webhook: fetched over SSH with the deploy key, graded' '
	gh_git_push octo/hw1-alice "int main(void) { return 0; } /* good */" && echo $GH_COMMIT >alice.commit &&
	deliver alice 5a1c0a1e-0000-4000-8000-000000000001 &&
	test_wait_until graded $GH_COMMIT &&
	sid=$(db "SELECT id FROM submissions WHERE commit_id = '\''$GH_COMMIT'\''") &&
	test "$(db "SELECT status, detail FROM deliveries WHERE guid = '\''5a1c0a1e-0000-4000-8000-000000000001'\''")" = "done|submission $sid, on time" &&
	test "$(db "SELECT s.via, j.status, j.score FROM submissions s JOIN jobs j ON j.submission_id = s.id
		WHERE s.commit_id = '\''$GH_COMMIT'\''")" = "webhook|passed|2.0" &&
	fp=$(ssh-keygen -lf deploy-alice.pub | cut -d" " -f2) &&
	test_grep "Accepted publickey for $SSH_USER .* ED25519 $fp" sshd/log
'

test_expect_success 'the student sees it on their page, via GitHub' '
	test "$(web_get "$alice_link")" = 200 &&
	test_grep "octo/hw1-alice/commit/$(cat alice.commit)\"><code>$(cut -c1-10 alice.commit)</code></a> via GitHub" out.html &&
	test_grep "st-passed" out.html
'

test_expect_success 'GitHub gets the verdict as a commit status, with the fine-grained token' '
	test_wait_until gh_has_status $(cat alice.commit) success &&
	gh_requests >requests &&
	test_grep "^POST /repos/octo/hw1-alice/statuses/$(cat alice.commit)|fine-grained token|201|success|score 2/2|$WEB/me/alice/" requests
'

test_expect_success 'with a GitHub App too: fetched over SSH, the status sent through the App' '
	lifebelt github app 31337 app.pem >/dev/null &&
	rm "$LIFEBELT_HOME/github/token" &&
	accepted=$(grep -c "Accepted publickey" sshd/log) &&
	gh_git_push octo/hw1-bob "int main(void) { return 1; }" && echo $GH_COMMIT >bob.commit &&
	deliver bob 5a1c0a1e-0000-4000-8000-000000000002 &&
	test_wait_until graded $GH_COMMIT &&
	test "$(db "SELECT s.via, j.status, j.score FROM submissions s JOIN jobs j ON j.submission_id = s.id
		WHERE s.commit_id = '\''$GH_COMMIT'\''")" = "webhook|failed|1.0" &&
	test $(grep -c "Accepted publickey" sshd/log) -gt $accepted &&
	test_wait_until gh_has_status $GH_COMMIT failure &&
	gh_requests >requests &&
	test_grep "^POST /repos/octo/hw1-bob/statuses/$GH_COMMIT|app token|201|failure|score 1/2" requests &&
	test_grep "^GET /repos/octo/hw1-bob/installation|jwt|200" requests &&
	test "$(web_get "$bob_link")" = 200 &&
	test_grep "octo/hw1-bob/commit/$GH_COMMIT\"><code>" out.html
'

test_expect_success 'the deploy keys, the App key and the tokens are nowhere but in their files' '
	tokens=$(curl -sf "$GH_API/_standin/tokens" | python3 -c "import json, sys; print(\" \".join(json.load(sys.stdin)))") &&
	test -n "$tokens" &&
	gh_secrets_absent $tokens "$(cat fine-token)" "$(sed -n 2p deploy-alice)" "$(sed -n 2p app.pem)" &&
	! grep -E "Sanitizer|runtime error" serve.log
'

test_done
