#!/bin/sh
test_description='runner: a tree too deep to check out is the submission'"'"'s fault, not the server'"'"'s'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

test_expect_success 'setup: a deep tree that reached a repository without the hook (a mirror, an old push)' '
	hooks_setup cs101 hw1 "$(iso_in 86400)" "" alice &&
	clone_for alice &&
	rm "$LIFEBELT_HOME/hooks/pre-receive" &&
	tree=$(cd alice && python3 "$TEST_DIRECTORY/lib-trees.py" deep 2000) &&
	c=$(git -C alice commit-tree "$tree" -p HEAD -m deep) &&
	git -C alice push -q origin "$c:refs/heads/main" 2>/dev/null &&
	test "$(db "SELECT count(*) FROM jobs")" = 1
'

test_expect_success 'the runner refuses it as a build failure with one line, not an infrastructure error' '
	lifebelt runner --drain &&
	test "$(db "SELECT state, status, attempts FROM jobs")" = "done|build_failed|1" &&
	db "SELECT detail FROM results" >out &&
	test_grep "the submission'"'"'s tree is deeper than 256 levels" out
'

test_done
