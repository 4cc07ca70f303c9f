#!/bin/sh
test_description='commit statuses on GitHub through a GitHub App: JWT, installation token, pending then the verdict'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"
. "$TEST_DIRECTORY/lib-github-api.sh"

# A course, a GitHub App, the stand-in for GitHub that knows the App's
# public key, and the server (grading only when the test runs the runner).
gh_home
openssl genrsa -traditional -out app.pem 2048 2>/dev/null
openssl rsa -in app.pem -pubout -out app.pub 2>/dev/null
lifebelt github app 31337 app.pem >/dev/null
gh_api_start --app-id 31337 --app-public-key "$TRASH_DIRECTORY/app.pub" \
	--repos octo-org/hw1-alice,octo-org/hw1-bob
web_start

test_expect_success 'set up' '
	test -n "$alice_link" && test -s "$LIFEBELT_HOME/github/app-id" &&
	curl -sf "$GH_API/_standin/received" >/dev/null
'

test_expect_success 'a mirrored submission is pending on GitHub once queued, by the App' '
	gh_mirror_push alice "good work" main.c good &&
	sha=$(cat alice.sha) &&
	gh_wait_status $sha pending &&
	gh_requests >req &&
	test_grep "^GET /repos/octo-org/hw1-alice/installation|jwt|200|" req &&
	test_grep "^POST /app/installations/4242/access_tokens|jwt|201|" req &&
	test_grep "^POST /repos/octo-org/hw1-alice/statuses/$sha|app token|201|pending|grading|$WEB$alice_link/s/1|lifebelt$" req &&
	test "$(sqlite3 "$DB" "SELECT state FROM jobs")" = queued
'

test_expect_success 'every request says what GitHub asks of clients' '
	curl -sf "$GH_API/_standin/received" | python3 -c "
import json, sys
rs = json.load(sys.stdin)
assert rs
for r in rs:
    assert r[\"accept\"] == \"application/vnd.github+json\", r
    assert r[\"api_version\"] == \"2022-11-28\", r
    assert r[\"user_agent\"], r
"
'

test_expect_success 'graded: success with the score and a link that opens the student'"'"'s page' '
	sha=$(cat alice.sha) &&
	sub=$(sqlite3 "$DB" "SELECT id FROM submissions WHERE commit_id = '"'"'$sha'"'"'") &&
	lifebelt runner --drain 2>runner.log &&
	gh_wait_status $sha success &&
	gh_statuses | grep "^$sha|success|" >got &&
	echo "$sha|success|score 2/2|$WEB$alice_link/s/$sub" >expect &&
	test_cmp expect got &&
	url=$(cut -d"|" -f4 got) &&
	test "$(curl -s -o page.html -w "%{http_code}" "$url")" = 200 &&
	test_grep "2 / 2" page.html &&
	test_grep "$sha" page.html
'

test_expect_success 'a failing submission: failure with its score; the token was fetched once' '
	gh_mirror_push alice "half done" main.c nearly &&
	sha=$(cat alice.sha) &&
	gh_wait_status $sha pending &&
	lifebelt runner --drain 2>runner.log &&
	gh_wait_status $sha failure &&
	gh_statuses | grep "^$sha|failure|score 1/2|$WEB$alice_link/s/" &&
	gh_requests >req &&
	test $(grep -c "access_tokens" req) = 1 &&
	test $(grep -c "/installation|" req) = 1
'

test_expect_success 'another repository of the installation: its token is shared' '
	gh_mirror_push bob "good" main.c good &&
	gh_wait_status $(cat bob.sha) pending &&
	gh_requests >req &&
	test_grep "^GET /repos/octo-org/hw1-bob/installation|jwt|200|" req &&
	test $(grep -c "access_tokens" req) = 1
'

test_expect_success 'a superseded submission shows the outcome of the one that replaced it' '
	gh_mirror_push bob "first try" main.c nope &&
	first=$(cat bob.sha) &&
	gh_mirror_push bob "second try" main.c good &&
	second=$(cat bob.sha) &&
	lifebelt runner --drain 2>runner.log &&
	test "$(sqlite3 "$DB" "SELECT state FROM jobs j JOIN submissions s ON s.id = j.submission_id
		WHERE s.commit_id = '"'"'$first'"'"'")" = superseded &&
	gh_wait_status $second success &&
	gh_wait_status $first success &&
	sub=$(sqlite3 "$DB" "SELECT id FROM submissions WHERE commit_id = '"'"'$second'"'"'") &&
	gh_statuses | grep "^$first|success|" >got &&
	short=$(echo $second | cut -c1-7) &&
	echo "$first|success|superseded by $short: score 2/2|$WEB$bob_link/s/$sub" >expect &&
	test_cmp expect got
'

test_expect_success 'a direct push, or a repository not on GitHub, gets no status' '
	web_push alice "pushed here" main.c good &&
	direct=$(git -C work-alice rev-parse HEAD) &&
	lifebelt runner --drain 2>runner.log &&
	sleep 2 &&
	! gh_statuses | grep "^$direct|"
'

test_expect_success 'a job that ends in infra_error: error, never a score' '
	gh_mirror_push alice "unlucky" main.c "good luck" &&
	sha=$(cat alice.sha) &&
	gh_wait_status $sha pending &&
	# as the runner leaves a job that the host failed three times
	sqlite3 "$DB" "UPDATE jobs SET state = '"'"'infra_error'"'"', error = '"'"'sandbox: /srv/secret/path gone'"'"'
		WHERE submission_id = (SELECT id FROM submissions WHERE commit_id = '"'"'$sha'"'"')" &&
	gh_wait_status $sha error &&
	gh_statuses | grep "^$sha|error|" >got &&
	test_grep "not graded: the grading server failed" got &&
	! grep -e score -e /srv got
'

test_expect_success 'the App key and the tokens are nowhere but in their file' '
	curl -sf "$GH_API/_standin/tokens" | python3 -c "import json,sys; print(\"\n\".join(json.load(sys.stdin)))" >tokens &&
	test $(wc -l <tokens) = 1 &&
	gh_secrets_absent $(cat tokens) "$(sed -n 2p app.pem)" "$(sed -n 10p app.pem)" &&
	test_grep "github: success score 2/2 on octo-org/hw1-alice" serve.log
'

test_done
