#!/bin/bash
test_description='web: a submission mirrored from GitHub says "via GitHub" and links to its commit there; one after the close says it is not graded'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"
. "$TEST_DIRECTORY/lib-github-git.sh"

web_home &&
lifebelt assignment add c1 hw2 --tests tests-hw1 --due 2020-01-01T00:00:00Z \
	--close 2020-01-02T00:00:00Z >/dev/null &&
gh_start && lifebelt github token "$TRASH_DIRECTORY/gh-token" >/dev/null &&
lifebelt github link c1 hw1 alice octo/hw1-alice >/dev/null &&
lifebelt github link c1 hw2 alice octo/hw2-alice >/dev/null ||
	{ echo "Bail out! cannot set up a course and the GitHub stand-in"; exit 1; }

test_expect_success 'setup: a push mirrored from GitHub, one after the close, and a direct push' '
	gh_git_push octo/hw1-alice "int main(void) { return 0; }" && echo $GH_COMMIT >c1 &&
	lifebelt github sync c1 hw1 >out && test_grep "on time" out &&
	gh_git_push octo/hw2-alice "int main(void) { return 1; }" && echo $GH_COMMIT >c2 &&
	lifebelt github sync c1 hw2 >out && test_grep "after the close: kept, not graded" out &&
	sub=$(db "SELECT id FROM submissions WHERE commit_id = '\''$(cat c1)'\''") && echo $sub >s1 &&
	web_finish $sub passed 1 1 "'\''runs'\'', '\''pass'\'', 1, 1, 0, '\'''\'', '\'''\''" &&
	web_push bob "b1" &&
	# GitHub Enterprise Server: commits link to its own address (escaped on the page).
	lifebelt config set github.git_url "https://gh.example.org/x&y" >/dev/null &&
	web_start
'

test_expect_success 'the student'"'"'s page: via GitHub, the repository, the commit linked on GitHub' '
	test "$(web_get "$alice_link")" = 200 &&
	c=$(cat c1) &&
	test_grep "<a href=\"https://gh.example.org/x&amp;y/octo/hw1-alice/commit/$c\"><code>$(echo $c | cut -c1-10)</code></a> via GitHub <code>octo/hw1-alice</code>" out.html &&
	! grep -F "x&y" out.html
'

test_expect_success 'a push mirrored after the close: "after close, not graded", linked too' '
	c=$(cat c2) &&
	test_grep "<span class=\"st st-closed\">after close, not graded</span>" out.html &&
	test_grep "octo/hw2-alice/commit/$c\"><code>$(echo $c | cut -c1-10)</code></a> via GitHub" out.html
'

test_expect_success 'the submission'"'"'s page says via GitHub and links the whole commit' '
	c=$(cat c1) &&
	test "$(web_get "$alice_link/s/$(cat s1)")" = 200 &&
	test_grep "(via GitHub)" out.html &&
	test_grep "<a href=\"https://gh.example.org/x&amp;y/octo/hw1-alice/commit/$c\"><code>$c</code></a> via GitHub <code>octo/hw1-alice</code>" out.html &&
	sub2=$(db "SELECT id FROM submissions WHERE commit_id = '\''$(cat c2)'\''") &&
	test "$(web_get "$alice_link/s/$sub2")" = 200 &&
	test_grep "after close, not graded" out.html
'

test_expect_success 'a direct push shows neither GitHub nor a link' '
	test "$(web_get "$bob_link")" = 200 &&
	! grep "via GitHub" out.html &&
	! grep "/commit/" out.html &&
	! grep "after close" out.html &&
	sub=$(db "SELECT max(id) FROM submissions") &&
	test "$(web_get "$bob_link/s/$sub")" = 200 &&
	test_grep "(via ssh)\|(via http)\|(via local)\|(via push)" out.html
'

test_expect_success 'the teacher sees the same on the student'"'"'s submissions' '
	cookie=$(curl -s -D - -o /dev/null -d "login=tom&token=$tom_token" "$WEB/login" |
		sed -n "s/^Set-Cookie: \([^;]*\);.*/\1/p" | tr -d "\r") &&
	test -n "$cookie" &&
	test "$(web_get /t/c1/hw1/u/alice -b "$cookie")" = 200 &&
	test_grep "octo/hw1-alice/commit/$(cat c1)\"><code>" out.html &&
	test_grep "via GitHub <code>octo/hw1-alice</code>" out.html &&
	test "$(web_get /t/c1/hw2/u/alice -b "$cookie")" = 200 &&
	test_grep "after close, not graded" out.html
'

test_done
