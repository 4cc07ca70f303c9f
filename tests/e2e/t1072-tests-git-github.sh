#!/bin/bash
test_description='an assignment'"'"'s tests mirrored from GitHub: a signed push is fetched, checked and installed, or refused'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"
. "$TEST_DIRECTORY/lib-github.sh"
. "$TEST_DIRECTORY/lib-github-git.sh"

GH_SECRET="the course's webhook secret, $$"

web_home &&
printf '%s\n' "$GH_SECRET" | lifebelt github secret - >/dev/null &&
gh_start && echo "$GH_TOKEN" >token.txt && lifebelt github token token.txt >/dev/null &&
git init -q --bare -b main "$GH_ROOT/octo/hw1-tests.git" &&
git init -q -b main gh-tests &&
test_bg lifebelt serve --workers 1 --listen "127.0.0.1:$WEB_PORT" 2>"$TRASH_DIRECTORY/serve.log" &&
test_wait_port "$WEB_PORT" ||
	{ echo "Bail out! cannot set up the course, the GitHub stand-in and lifebelt serve"; exit 1; }

# tests_on_github BRANCH JSON: the teacher's lifebelt.json pushed to GitHub; its commit in GH_COMMIT.
tests_on_github() {
	printf '%s\n' "$2" >gh-tests/lifebelt.json &&
	git -C gh-tests add lifebelt.json &&
	git -C gh-tests -c user.name=T -c user.email=t@example.org commit -q -m "$2" &&
	git -C gh-tests push -q -f "$GH_ROOT/octo/hw1-tests.git" HEAD:$1 &&
	GH_COMMIT=$(git -C gh-tests rev-parse HEAD)
}

# deliver GUID BRANCH: GitHub's signed push delivery of GH_COMMIT; answered 202.
deliver() {
	gh_push payload.json octo/hw1-tests refs/heads/$2 $GH_COMMIT $(date +%s) &&
	test "$(gh_send push $1 payload.json)" = 202
}

test_expect_success 'lifebelt github tests maps a GitHub repository as the tests; bad ones are refused' '
	test_must_fail lifebelt github tests c1 hw1 "not a name" 2>err &&
	test_grep "is not OWNER/REPO" err &&
	test_must_fail lifebelt github tests c1 nope octo/x 2>err &&
	test_grep "no assignment c1/nope" err &&
	lifebelt github link c1 hw1 alice octo/hw1-alice >/dev/null &&
	test_must_fail lifebelt github tests c1 hw1 octo/hw1-alice 2>err &&
	test_grep "already mapped" err &&
	lifebelt github tests c1 hw1 octo/hw1-tests >out &&
	test_grep "the tests of c1/hw1 mirror GitHub.s octo/hw1-tests" out
'

test_expect_success 'a push of good tests on GitHub is fetched, checked and installed' '
	tests_on_github main "{ \"tests\": [ { \"name\": \"from github\", \"run\": \"true\" } ] }" &&
	deliver 7e570000-0000-4000-8000-000000000001 main &&
	gh_wait_status 7e570000-0000-4000-8000-000000000001 done &&
	test_grep "tests version $GH_COMMIT installed for c1/hw1" \
		<(db "SELECT detail FROM deliveries WHERE guid = '\''7e570000-0000-4000-8000-000000000001'\''") &&
	test "$(db "SELECT tests_version FROM assignments")" = $GH_COMMIT &&
	test "$(db "SELECT via, by FROM tests_versions")" = "webhook|octo/hw1-tests" &&
	test "$(git --git-dir="$LIFEBELT_HOME/repos/c1/hw1/.tests.git" rev-parse main)" = $GH_COMMIT &&
	echo $GH_COMMIT >good
'

test_expect_success 'the next submission is graded with them' '
	GH_COMMIT=$(cat good) &&
	git clone -q "$LIFEBELT_HOME/repos/c1/hw1/bob.git" bob 2>/dev/null &&
	(cd bob && git commit -q --allow-empty -m mine && git push -q origin HEAD:main) 2>/dev/null &&
	test_wait_until eval "test \"\$(db \"SELECT state FROM jobs ORDER BY id DESC LIMIT 1\")\" = done" &&
	test "$(db "SELECT json_extract(provenance, '\''$.tests_version'\'') FROM jobs")" = $GH_COMMIT &&
	test "$(db "SELECT name FROM results")" = "from github" &&
	cookie=$(curl -s -D - -o /dev/null -d "login=tom&token=$tom_token" "$WEB/login" |
		sed -n "s/^Set-Cookie: \([^;]*\);.*/\1/p" | tr -d "\r") &&
	test "$(web_get /t/s/$(db "SELECT max(id) FROM submissions") -b "$cookie")" = 200 &&
	test_grep "<th>Tests</th><td><code>$GH_COMMIT</code>" out.html
'

test_expect_success 'bad tests on GitHub are refused: the delivery names the field, nothing installed' '
	good=$(cat good) &&
	tests_on_github main "{ \"tests\": [ { \"name\": \"x\", \"run\": \"true\", \"outptu\": \"1\" } ] }" &&
	deliver 7e570000-0000-4000-8000-000000000002 main &&
	gh_wait_status 7e570000-0000-4000-8000-000000000002 done &&
	lifebelt github deliveries >out &&
	test_grep "octo/hw1-tests.*the tests are not valid: lifebelt.json: tests\[0\]: unknown field .outptu.; nothing installed" out &&
	test "$(db "SELECT tests_version FROM assignments")" = $good &&
	test "$(db "SELECT count(*) FROM tests_versions")" = 1 &&
	test "$(git --git-dir="$LIFEBELT_HOME/repos/c1/hw1/.tests.git" rev-parse main)" = $good
'

test_expect_success 'a push to another branch of the tests repository is ignored' '
	tests_on_github draft "{ \"tests\": [ { \"name\": \"draft\", \"run\": \"true\" } ] }" &&
	deliver 7e570000-0000-4000-8000-000000000003 draft &&
	test "$(db "SELECT status FROM deliveries WHERE guid = '\''7e570000-0000-4000-8000-000000000003'\''")" = ignored &&
	test_grep "refs/heads/draft is not main, the branch of octo/hw1-tests that holds the tests" \
		<(db "SELECT detail FROM deliveries WHERE guid = '\''7e570000-0000-4000-8000-000000000003'\''")
'

test_done
