#!/bin/bash
test_description='github: a push on GitHub and its signed webhook become a graded submission on the student'"'"'s page and a commit status on GitHub, with a GitHub App'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"
. "$TEST_DIRECTORY/lib-github.sh"
. "$TEST_DIRECTORY/lib-github-git.sh"

GH_SECRET="the course's webhook secret, $$"

web_home &&
lifebelt student add c1 alice --github alice-gh >/dev/null &&
lifebelt github link c1 hw1 alice octo/hw1-alice >/dev/null &&
printf '%s\n' "$GH_SECRET" | lifebelt github secret - >/dev/null &&
gh_start &&
# A GitHub App: its key, and GitHub's API stand-in, which issues installation
# tokens the git stand-in then takes (no fine-grained token is set).
openssl genrsa -out app.pem 2048 2>/dev/null && openssl rsa -in app.pem -pubout -out app.pub 2>/dev/null &&
lifebelt github app 31337 app.pem >/dev/null &&
test_bg python3 "$TEST_DIRECTORY/lib-github-api.py" --port-file "$TRASH_DIRECTORY/api.port" \
	--app-id 31337 --app-public-key app.pub --repos octo/hw1-alice \
	--issued-file "$TRASH_DIRECTORY/gh-token" 2>"$TRASH_DIRECTORY/api.log" &&
test_wait_until test -s api.port &&
API=http://127.0.0.1:$(cat api.port) &&
lifebelt config set github.api_url "$API" >/dev/null &&
test_bg lifebelt serve --workers 1 --listen "127.0.0.1:$WEB_PORT" 2>"$TRASH_DIRECTORY/serve.log" &&
test_wait_port "$WEB_PORT" ||
	{ echo "Bail out! cannot set up the course, the GitHub stand-in and lifebelt serve"; exit 1; }

test_expect_success 'a push to GitHub and its delivery: graded, via webhook, at GitHub'"'"'s time' '
	gh_git_push octo/hw1-alice "int main(void) { return 0; }" &&
	echo $GH_COMMIT >commit &&
	pushed=$(( $(date +%s) - 20 )) &&
	gh_push payload.json octo/hw1-alice refs/heads/main $GH_COMMIT $pushed &&
	t0=$(date +%s%N) &&
	test "$(gh_send push 9d1c0a1e-0000-4000-8000-000000000001 payload.json)" = 202 &&
	t1=$(date +%s%N) &&
	echo "answered in $(( (t1 - t0) / 1000000 )) ms" &&
	gh_wait_status 9d1c0a1e-0000-4000-8000-000000000001 done &&
	gh_wait_graded $GH_COMMIT &&
	test "$(db "SELECT via, received FROM submissions WHERE commit_id = '\''$GH_COMMIT'\''")" = "webhook|$pushed" &&
	test "$(git --git-dir="$LIFEBELT_HOME/repos/c1/hw1/alice.git" rev-parse main)" = $GH_COMMIT
'

# statuses SHA: the commit statuses the API stand-in took for SHA, "state|description" a line.
statuses() {
	curl -sf "$API/_standin/received" | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    b = r.get("body") if isinstance(r.get("body"), dict) else {}
    if r["method"] == "POST" and r["path"].endswith("/statuses/" + sys.argv[1]) and r["status"] == 201:
        print(b.get("state", "") + "|" + b.get("description", ""))
' "$1"
}

test_expect_success 'GitHub gets the verdict as a commit status, through the App' '
	commit=$(cat commit) &&
	test_wait_until eval "statuses $commit | grep -q ^success" &&
	statuses $commit >got &&
	test_grep "^success|score 1/1" got &&
	# The fetch went with the App'"'"'s installation token too: no fine-grained token is set.
	test ! -e "$LIFEBELT_HOME/github/token"
'

test_expect_success 'the student sees the graded submission on their page' '
	web_token alice &&
	test "$(web_get "$alice_link")" = 200 &&
	short=$(cut -c1-10 commit) && test ${#short} = 10 &&
	test_grep "$short" out.html
'

test_expect_success 'a redelivery of the same push is the same submission' '
	test "$(gh_send push 9d1c0a1e-0000-4000-8000-000000000001 payload.json)" = 202 &&
	test_grep "^already recorded" resp.txt &&
	test "$(db "SELECT count(*) FROM submissions WHERE commit_id = '\''$(cat commit)'\''")" = 1
'

test_expect_success 'a delivery signed with another secret fetches nothing' '
	gh_git_push octo/hw1-alice "int main(void) { return 1; }" &&
	gh_push forged.json octo/hw1-alice refs/heads/main $GH_COMMIT $(date +%s) &&
	code=$(curl -s -o resp.txt -w "%{http_code}" -H "X-GitHub-Event: push" \
		-H "X-GitHub-Delivery: forged-0001" -H "X-Hub-Signature-256: $(gh_sign forged.json other-secret)" \
		-H "Content-Type: application/json" --data-binary @forged.json "$WEB/hooks/github") &&
	test "$code" = 401 &&
	sleep 1 &&
	test "$(db "SELECT count(*) FROM deliveries WHERE guid = '\''forged-0001'\''")" = 0 &&
	test "$(db "SELECT count(*) FROM submissions WHERE commit_id = '\''$GH_COMMIT'\''")" = 0
'

test_done
