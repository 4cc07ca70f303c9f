#!/bin/bash
test_description='the GitHub mirror fetches a student repository over HTTPS with the token and grades its tip like a push'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-github-git.sh"

gh_course && gh_start && echo "$GH_TOKEN" >token.txt && lifebelt github token token.txt >/dev/null &&
	gh_map cs101/hw1/alice.git octo/hw1-alice && gh_start_serve ||
	{ echo "Bail out! cannot set up a course, the GitHub stand-in and lifebelt serve"; exit 1; }

test_expect_success 'a push on GitHub and its delivery: a graded submission via webhook at pushed_at' '
	gh_git_push octo/hw1-alice "int main(void) { return 0; }" &&
	echo $GH_COMMIT >c1 &&
	now=$(date +%s) &&
	gh_deliver d1 cs101/hw1/alice.git $((now - 30)) $now &&
	gh_wait_status d1 done &&
	test "$(db "SELECT commit_id FROM deliveries WHERE guid = '\''d1'\''")" = $GH_COMMIT &&
	db "SELECT via, received, ref FROM submissions WHERE commit_id = '\''$GH_COMMIT'\''" >sub &&
	echo "webhook|$((now - 30))|refs/heads/main" >expect &&
	test_cmp expect sub &&
	gh_wait_graded $GH_COMMIT &&
	test "$(db "SELECT j.score FROM jobs j JOIN submissions s ON s.id = j.submission_id
		WHERE s.commit_id = '\''$GH_COMMIT'\''")" = 1.0 &&
	test "$(git --git-dir="$LIFEBELT_HOME/repos/cs101/hw1/alice.git" rev-parse main)" = $GH_COMMIT &&
	lifebelt submissions cs101 hw1 alice >list &&
	test_grep webhook list
'

test_expect_success 'a pushed_at later than the arrival (GitHub clock ahead): the arrival counts' '
	gh_git_push octo/hw1-alice "int main(void) { return 1; }" &&
	now=$(date +%s) &&
	gh_deliver d2 cs101/hw1/alice.git $((now + 600)) $now &&
	gh_wait_status d2 done &&
	test "$(db "SELECT received FROM submissions WHERE commit_id = '\''$GH_COMMIT'\''")" = $now
'

test_expect_success 'a wrong token: retried with backoff, nothing recorded, nothing lost; then fetched' '
	echo ghp_wrong_token_for_the_standin >bad.txt &&
	lifebelt github token bad.txt >/dev/null &&
	gh_git_push octo/hw1-alice "int main(void) { return 2; }" &&
	now=$(date +%s) &&
	gh_deliver d3 cs101/hw1/alice.git $((now - 5)) $now &&
	gh_wait_status d3 retry &&
	db "SELECT attempts, next_attempt - $now >= 9, detail FROM deliveries WHERE guid = '\''d3'\''" >row &&
	test_grep "^1|1|.*token was refused" row &&
	test "$(db "SELECT count(*) FROM submissions WHERE commit_id = '\''$GH_COMMIT'\''")" = 0 &&
	lifebelt github token token.txt >/dev/null &&
	db "UPDATE deliveries SET next_attempt = 0 WHERE guid = '\''d3'\''" &&
	gh_wait_status d3 done &&
	test "$(db "SELECT received FROM submissions WHERE commit_id = '\''$GH_COMMIT'\''")" = $((now - 5)) &&
	gh_wait_graded $GH_COMMIT
'

test_expect_success 'an unreachable GitHub: retried, never a score, fetched once it answers again' '
	dead=$(test_free_port) &&
	lifebelt config set github.git_url http://127.0.0.1:$dead >/dev/null &&
	gh_git_push octo/hw1-alice "int main(void) { return 3; }" &&
	gh_deliver d4 cs101/hw1/alice.git $(date +%s) &&
	gh_wait_status d4 retry &&
	test_grep "cannot fetch octo/hw1-alice" <(db "SELECT detail FROM deliveries WHERE guid = '\''d4'\''") &&
	test "$(db "SELECT count(*) FROM submissions WHERE commit_id = '\''$GH_COMMIT'\''")" = 0 &&
	lifebelt config set github.git_url http://127.0.0.1:$GH_PORT >/dev/null &&
	db "UPDATE deliveries SET next_attempt = 0 WHERE guid = '\''d4'\''" &&
	gh_wait_status d4 done &&
	gh_wait_graded $GH_COMMIT
'

test_expect_success 'a force-push on GitHub: the old submission stays in the mirror and regrades' '
	old=$(cat c1) &&
	w=work-octo-hw1-alice &&
	git -C $w checkout -q --orphan rewritten &&
	echo "int main(void) { return 0; } /* rewritten */" >$w/main.c &&
	git -C $w add main.c &&
	git -C $w -c user.name=S -c user.email=s@example.org commit -q -m rewritten &&
	git -C $w push -q -f "$GH_ROOT/octo/hw1-alice.git" HEAD:main &&
	GH_COMMIT=$(git -C $w rev-parse HEAD) &&
	git --git-dir="$GH_ROOT/octo/hw1-alice.git" gc -q --prune=now &&
	test_must_fail git --git-dir="$GH_ROOT/octo/hw1-alice.git" cat-file -e $old &&
	gh_deliver d5 cs101/hw1/alice.git $(date +%s) &&
	gh_wait_status d5 done &&
	mirror="$LIFEBELT_HOME/repos/cs101/hw1/alice.git" &&
	test "$(git --git-dir="$mirror" rev-parse main)" = $GH_COMMIT &&
	git --git-dir="$mirror" reflog expire --expire=now --all &&
	git --git-dir="$mirror" gc -q --prune=now &&
	git --git-dir="$mirror" cat-file -e $old &&
	sid=$(db "SELECT id FROM submissions WHERE commit_id = '\''$old'\''") &&
	test "$(git --git-dir="$mirror" rev-parse refs/lifebelt/submissions/$sid)" = $old &&
	: make the old submission the latest, which is the one regrade takes &&
	db "UPDATE submissions SET received = received + 100000 WHERE id = $sid" &&
	lifebelt regrade cs101 hw1 alice >regrade 2>&1 &&
	test "$(db "SELECT state, score FROM jobs WHERE submission_id = $sid ORDER BY id DESC LIMIT 1")" = "done|1.0" &&
	db "UPDATE submissions SET received = received - 100000 WHERE id = $sid"
'

test_expect_success 'the token is in no process list while fetching, no log and nowhere but its file' '
	touch "$GH_ROOT/slow" &&
	gh_git_push octo/hw1-alice "int main(void) { return 5; }" &&
	gh_deliver d6 cs101/hw1/alice.git $(date +%s) &&
	for i in 1 2 3 4 5 6 7 8 9 10; do ps -eo args >>ps.txt; sleep 0.2; done &&
	gh_wait_status d6 done &&
	rm "$GH_ROOT/slow" &&
	test_grep "GET /octo/hw1-alice.git/info/refs" gh.log &&
	! grep -F "$GH_TOKEN" ps.txt &&
	! grep -F "$GH_TOKEN" serve.log &&
	! db .dump | grep -F "$GH_TOKEN" &&
	test "$(grep -rlF "$GH_TOKEN" "$LIFEBELT_HOME")" = "$LIFEBELT_HOME/github/token" &&
	test "$(stat -c %a "$LIFEBELT_HOME/github/token")" = 600
'

test_expect_success 'github sync imports every mapped repository, and again changes nothing' '
	gh_git_push octo/hw1-bob "int main(void) { return 0; } /* bob */" &&
	gh_map cs101/hw1/bob.git octo/hw1-bob &&
	lifebelt github sync cs101 hw1 >out &&
	test_grep "^\[1/2\] alice (octo/hw1-alice): .*already recorded" out &&
	test_grep "^\[2/2\] bob (octo/hw1-bob): submission [0-9]*, on time" out &&
	test "$(db "SELECT via FROM submissions WHERE commit_id = '\''$GH_COMMIT'\''")" = webhook &&
	gh_wait_graded $GH_COMMIT &&
	db "SELECT count(*) FROM submissions; SELECT count(*) FROM jobs" >before &&
	lifebelt github sync cs101 hw1 >again &&
	test $(grep -c "already recorded" again) = 2 &&
	db "SELECT count(*) FROM submissions; SELECT count(*) FROM jobs" >after &&
	test_cmp before after
'

test_expect_success 'github sync fetches a delivery that failed for good, at its own time' '
	gh_git_push octo/hw1-bob "int main(void) { return 9; }" &&
	then=$(( $(date +%s) - 3 * 86400 )) &&
	GH_STATUS=failed gh_deliver d7 cs101/hw1/bob.git $then $then &&
	lifebelt github sync cs101 hw1 >out &&
	test "$(db "SELECT status FROM deliveries WHERE guid = '\''d7'\''")" = done &&
	test "$(db "SELECT received FROM submissions WHERE commit_id = '\''$GH_COMMIT'\''")" = $then
'

test_expect_success 'the mirror stops with lifebelt serve, cleanly' '
	kill -TERM $SERVE_PID &&
	test_wait_until eval "! kill -0 $SERVE_PID 2>/dev/null" &&
	! grep -E "Sanitizer|runtime error" serve.log
'

test_done
