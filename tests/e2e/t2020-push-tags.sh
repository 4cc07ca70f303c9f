#!/bin/sh
test_description='pre-receive: a tag pushed with a branch costs the branch nothing'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

R=cs101/hw1/alice.git
submissions() { db "SELECT count(*) FROM submissions"; }

test_expect_success 'setup' '
	hooks_setup cs101 hw1 "$(iso_in 86400)" "" alice &&
	clone_for alice
'

test_expect_success 'main and a tag in one push: main is graded, the tag kept' '
	commit_in alice one &&
	git -C alice tag -a -m "first version" v1 &&
	git -C alice push origin main v1 2>err &&
	test "$(git --git-dir="$LIFEBELT_HOME/repos/$R" rev-parse main)" = "$(git -C alice rev-parse main)" &&
	test "$(git --git-dir="$LIFEBELT_HOME/repos/$R" rev-parse v1)" = "$(git -C alice rev-parse v1)" &&
	test "$(submissions)" = 1 &&
	test_grep "remote: submission 1 for cs101/hw1 received" err &&
	test_grep "remote: refs/tags/v1: kept, not graded (only the .main. branch is graded) *$" err &&
	! grep -q "refusing" err
'

test_expect_success 'git push --follow-tags: the same' '
	commit_in alice two &&
	git -C alice tag -a -m "second" v2 &&
	git -C alice push --follow-tags origin main 2>err &&
	test "$(submissions)" = 2 &&
	test_grep "refs/tags/v2: kept, not graded" err
'

test_expect_success 'a light tag alone is kept and graded for nothing' '
	git -C alice tag light HEAD~1 &&
	git -C alice push origin light 2>err &&
	test "$(submissions)" = 2 &&
	test_grep "refs/tags/light: kept, not graded" err
'

test_expect_success 'a tag cannot be moved or deleted' '
	git -C alice tag -f light HEAD &&
	test_must_fail git -C alice push -f origin light 2>err &&
	test_grep "remote: refusing refs/tags/light: tags cannot be moved here; tag again under a new name" err &&
	test_must_fail git -C alice push origin :refs/tags/v1 2>err &&
	test_grep "remote: refusing to delete refs/tags/v1: tags cannot be deleted here" err &&
	test "$(git --git-dir="$LIFEBELT_HOME/repos/$R" rev-parse v1)" = "$(git -C alice rev-parse v1)"
'

test_expect_success 'a tag of a tree is refused with what to tag' '
	git -C alice tag tree-tag "HEAD^{tree}" &&
	test_must_fail git -C alice push origin tree-tag 2>err &&
	test_grep "remote: refusing refs/tags/tree-tag: it does not point at a commit; tag a commit" err
'

test_expect_success 'other refs with main: each named, main was not taken, how to push it alone' '
	commit_in alice three &&
	git -C alice notes add -m note HEAD &&
	test_must_fail git -C alice push origin main refs/notes/commits HEAD:refs/for/main 2>err &&
	test "$(grep -c "^remote: refusing" err)" = 2 &&
	test_grep "remote: refusing refs/notes/commits: only branches (refs/heads/...) and tags can be pushed here" err &&
	test_grep "remote: refusing refs/for/main: only branches" err &&
	test_grep "remote: so nothing of this push was taken, its branches and tags neither; push them alone: git push origin main" err &&
	test "$(submissions)" = 2 &&
	git -C alice push origin main 2>err &&
	test "$(submissions)" = 3
'

test_expect_success 'tags count with branches against push.branches' '
	lifebelt config set push.branches 4 >/dev/null &&
	git -C alice tag t3 && git -C alice tag t4 &&
	test_must_fail git -C alice push origin t3 t4 2>err &&
	test_grep "would hold 6 branches and tags, more than the 4 allowed" err
'

test_done
