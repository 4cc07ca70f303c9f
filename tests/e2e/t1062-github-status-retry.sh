#!/bin/sh
test_description='commit statuses with a fine-grained token; GitHub failing: retried with backoff, grading never held up'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"
. "$TEST_DIRECTORY/lib-github-api.sh"

db() { sqlite3 -cmd ".timeout 10000" "$DB" "$@"; }

# The reporter waits 10 s, then 20 s... before trying again; the test moves
# the clock on by making the retry due now, as waiting would.
due_now() {
	db "UPDATE github_statuses SET next_attempt = 0 WHERE next_attempt IS NOT NULL"
}

row() {
	db "SELECT coalesce(g.state, '-'), g.attempts, g.next_attempt IS NULL, g.error
		FROM github_statuses g JOIN jobs j ON j.id = g.job_id
		JOIN submissions s ON s.id = j.submission_id WHERE s.commit_id = '$1'"
}

# A course, a fine-grained token and the stand-in for GitHub that knows it,
# and the server (grading only when the test runs the runner).
gh_home
echo "github_pat_11AAAAAA0test0fine0grained0token0xyz" >fine-token
gh_api_start --fine-token-file "$TRASH_DIRECTORY/fine-token"
# `lifebelt github token FILE` keeps the token here, 0600.
mkdir -m 700 "$LIFEBELT_HOME/github"
(umask 077 && cp fine-token "$LIFEBELT_HOME/github/token")
web_start

test_expect_success 'set up' '
	test -n "$alice_link" && curl -sf "$GH_API/_standin/received" >/dev/null
'

test_expect_success 'no credentials for a while: the status waits, and is sent once they are there' '
	mv "$LIFEBELT_HOME/github/token" token.away &&
	gh_mirror_push alice "first" main.c good &&
	sha=$(cat alice.sha) &&
	test_wait_until eval "row $sha | grep -q \"^-|1|0|no GitHub credentials: set a GitHub App\"" &&
	mv token.away "$LIFEBELT_HOME/github/token" &&
	due_now &&
	gh_wait_status $sha pending &&
	gh_requests | grep "^POST /repos/octo-org/hw1-alice/statuses/$sha|fine-grained token|201|pending|"
'

test_expect_success 'GitHub failing: grading goes on, the status waits 10 s, then 20 s' '
	sha=$(cat alice.sha) &&
	gh_fail 2 500 &&
	lifebelt runner --drain 2>runner.log &&
	test "$(db "SELECT state, status FROM jobs")" = "done|passed" &&
	test_wait_until eval "row $sha | grep -q \"^pending|1|0|POST /repos/octo-org/hw1-alice/statuses/$sha: HTTP 500: the stand-in was told to fail\"" &&
	wait=$(db "SELECT next_attempt - strftime('"'"'%s'"'"', '"'"'now'"'"') FROM github_statuses WHERE attempts = 1") &&
	test $wait -ge 8 && test $wait -le 10 &&
	due_now &&
	test_wait_until eval "row $sha | grep -q \"^pending|2|0|\"" &&
	wait=$(db "SELECT next_attempt - strftime('"'"'%s'"'"', '"'"'now'"'"') FROM github_statuses WHERE attempts = 2") &&
	test $wait -ge 18 && test $wait -le 20 &&
	test_grep "the status of job 1 on octo-org/hw1-alice@$(echo $sha | cut -c1-12) failed (try 1, next in 10 s): POST .*: HTTP 500" serve.log &&
	test_grep "(try 2, next in 20 s)" serve.log &&
	! gh_has_status $sha success
'

test_expect_success 'then delivered, once, and nothing more is due' '
	sha=$(cat alice.sha) &&
	due_now &&
	gh_wait_status $sha success &&
	test_wait_until eval "row $sha | grep -q \"^success|0|1|\$\"" &&
	sleep 2 &&
	test $(gh_statuses | grep -c "^$sha|success|score 2/2|") = 1 &&
	test $(gh_requests | grep -c "|500|") = 2
'

test_expect_success 'a refused token (401) is retried too' '
	gh_mirror_push alice "second" main.c "good 2" &&
	sha=$(cat alice.sha) &&
	gh_fail 1 401 &&
	test_wait_until eval "row $sha | grep -q \"^-|1|0|.*HTTP 401\"" &&
	due_now &&
	gh_wait_status $sha pending
'

test_expect_success 'a status GitHub will never take (422) is given up at once' '
	gh_fail 1 422 &&
	lifebelt runner --drain 2>runner.log &&
	sha=$(cat alice.sha) &&
	test_wait_until eval "row $sha | grep -q \"^pending|1|1|.*HTTP 422\"" &&
	test_grep "gave up the status of job .* after 1 tries" serve.log
'

test_expect_success 'a token with a line break never reaches a request header' '
	printf "abc\r\nX-Injected: yes\n" >"$LIFEBELT_HOME/github/token" &&
	gh_requests >before &&
	gh_mirror_push alice "third" main.c "good again" &&
	sha=$(cat alice.sha) &&
	test_wait_until eval "row $sha | grep -q \"^-|1|0|the GitHub credential holds spaces or control characters\"" &&
	gh_requests >after &&
	test_cmp before after &&
	cp fine-token "$LIFEBELT_HOME/github/token" &&
	due_now &&
	gh_wait_status $sha pending
'

test_expect_success 'the token is nowhere but in its file' '
	gh_secrets_absent "$(cat fine-token)"
'

test_done
