#!/bin/sh
test_description='pre-receive: caps on branches per push and per repository'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

# make_branches N PREFIX: N branches PREFIX1..PREFIXN in alice's clone, each
# one commit of its own on top of main (fast-import: no process per branch).
make_branches() {
	git -C alice rev-parse main >base &&
	awk -v n="$1" -v p="$2" -v base="$(cat base)" 'BEGIN {
		for (i = 1; i <= n; i++) {
			printf "commit refs/heads/%s%d\ncommitter C <c@example.com> 1700000000 +0000\n", p, i
			printf "data %d\n%s%d\nfrom %s\n", length(p i), p, i, base
			printf "M 100644 inline %s%d\ndata %d\n%s%d\n\n", p, i, length(p i), p, i
		}
	}' | git -C alice fast-import --quiet
}

server_branches() {
	git -C "$LIFEBELT_HOME/repos/cs101/hw1/alice.git" for-each-ref refs/heads | wc -l
}

test_expect_success 'setup' '
	hooks_setup cs101 hw1 "$(iso_in 86400)" "" alice &&
	clone_for alice &&
	commit_in alice a &&
	git -C alice push -q origin main 2>/dev/null
'

test_expect_success 'a push of a few branches is accepted' '
	make_branches 3 few &&
	git -C alice push origin "refs/heads/few*:refs/heads/few*" 2>err &&
	test "$(server_branches)" = 4
'

test_expect_success 'a push of 2,000 branches is refused with the cap, storing nothing' '
	make_branches 2000 b &&
	test_must_fail git -C alice push origin "refs/heads/b*:refs/heads/b*" 2>err &&
	test_grep "refusing the push: it updates 2000 branches, more than the 100 one push may; push fewer branches at a time" err &&
	test "$(server_branches)" = 4
'

test_expect_success 'push.refs and push.branches raise the caps' '
	lifebelt config set push.refs 2500 >/dev/null &&
	lifebelt config set push.branches 2010 >/dev/null &&
	git -C alice push -q origin "refs/heads/b*:refs/heads/b*" 2>err &&
	test "$(server_branches)" = 2004
'

test_expect_success 'over the cap per repository, 2,000 more branches are refused' '
	make_branches 2000 c &&
	test_must_fail git -C alice push origin "refs/heads/c*:refs/heads/c*" 2>err &&
	test_grep "refusing the push: the repository would hold 4004 branches, more than the 2010 allowed" err &&
	test "$(server_branches)" = 2004
'

test_expect_success 'pushes to existing branches and up to the cap still go through' '
	commit_in alice more &&
	git -C alice push -q origin main few1 2>/dev/null &&
	git -C alice push -q origin c1 c2 c3 c4 c5 c6 2>/dev/null &&
	test "$(server_branches)" = 2010 &&
	test_must_fail git -C alice push origin c7 2>err &&
	test_grep "would hold 2011 branches, more than the 2010 allowed" err
'

test_done
