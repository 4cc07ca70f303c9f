#!/bin/bash
test_description='github: the mirror fetches deliveries of different repositories at once, those of one repository one after the other'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-github.sh"
. "$TEST_DIRECTORY/lib-github-git.sh"

GH_SECRET="the course's webhook secret, $$"

# deliver OWNER/NAME GUID: GitHub's signed push delivery of GH_COMMIT to a running serve, 202.
deliver() {
	gh_push "p-$2.json" "$1" refs/heads/main $GH_COMMIT $(date +%s) &&
	test "$(gh_send push "$2" "p-$2.json")" = 202
}

gh_course &&
lifebelt student add cs101 carol >/dev/null && lifebelt student add cs101 dave >/dev/null &&
printf '%s\n' "$GH_SECRET" | lifebelt github secret - >/dev/null &&
gh_start && lifebelt github token "$TRASH_DIRECTORY/gh-token" >/dev/null &&
for s in alice bob carol dave; do
	gh_map cs101/hw1/$s.git octo/hw1-$s &&
	gh_git_push octo/hw1-$s "int main(void) { return 0; } /* $s */" || break
done &&
gh_start_serve && WEB=http://127.0.0.1:$HTTP_PORT ||
	{ echo "Bail out! cannot set up a course, the GitHub stand-in and lifebelt serve"; exit 1; }

test_expect_success 'the setting: 1 to 16 fetches at once, 4 by default' '
	lifebelt config list >list &&
	test_grep "^github.mirror_threads  *4  *fetches from GitHub" list &&
	test_must_fail lifebelt config set github.mirror_threads 17 2>err &&
	test_grep "from 1 to 16" err &&
	test_must_fail lifebelt config set github.mirror_threads 0 2>err
'

test_expect_success 'four repositories, GitHub slow to answer: fetched at once' '
	: every request to the stand-in now takes a second more: a fetch two &&
	touch "$GH_ROOT/slow" &&
	t0=$(date +%s%N) &&
	for s in alice bob carol dave; do
		GH_COMMIT=$(git --git-dir="$GH_ROOT/octo/hw1-$s.git" rev-parse main) &&
		deliver octo/hw1-$s p-$s || return 1
	done &&
	for s in alice bob carol dave; do gh_wait_status p-$s done || return 1; done &&
	t1=$(date +%s%N) &&
	ms=$(( (t1 - t0) / 1000000 )) &&
	echo "four fetches of two requests of a second each took $ms ms" &&
	: one after the other they take 8 s at least &&
	test $ms -lt 6000 &&
	test "$(db "SELECT count(*) FROM submissions WHERE via = '\''webhook'\''")" = 4
'

test_expect_success 'two deliveries of one repository: fetched one after the other, both done' '
	grep -c "octo/hw1-alice" gh.log >before &&
	gh_git_push octo/hw1-alice "int main(void) { return 1; }" && deliver octo/hw1-alice a1 &&
	gh_git_push octo/hw1-alice "int main(void) { return 2; }" && deliver octo/hw1-alice a2 &&
	gh_wait_status a1 done && gh_wait_status a2 done &&
	rm "$GH_ROOT/slow" &&
	: a fetch is a GET of the refs refused for want of the token, the same GET with it, &&
	: then a POST for the pack if it lacks any: two fetches at once make a pair of lines alike &&
	grep "octo/hw1-alice" gh.log | tail -n +$(( $(cat before) + 1 )) | cut -d" " -f1,3 >order &&
	cat order &&
	test $(grep -c "^GET 200" order) = 2 &&
	test -z "$(uniq -d order)" &&
	test "$(db "SELECT count(*) FROM submissions WHERE commit_id = '\''$GH_COMMIT'\''")" = 1 &&
	test "$(git --git-dir="$LIFEBELT_HOME/repos/cs101/hw1/alice.git" rev-parse main)" = $GH_COMMIT
'

test_expect_success 'the mirror'"'"'s threads all stop with lifebelt serve, at once' '
	t0=$(date +%s%N) &&
	kill -TERM $SERVE_PID &&
	test_wait_until eval "! kill -0 $SERVE_PID 2>/dev/null" &&
	t1=$(date +%s%N) &&
	test $(( (t1 - t0) / 1000000 )) -lt 1500 &&
	! grep -E "Sanitizer|runtime error" serve.log
'

test_done
