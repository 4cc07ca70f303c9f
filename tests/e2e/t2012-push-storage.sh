#!/bin/sh
test_description='pre-receive: a cap on a repository'"'"'s size; stale push quarantines removed'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

objects=$TRASH_DIRECTORY/home/repos/cs101/hw1/alice.git/objects
bob_objects=$TRASH_DIRECTORY/home/repos/cs101/hw1/bob.git/objects

# quarantine DIR AGE: a push quarantine with a pack, as a killed push leaves
# it, last written AGE ago (a date(1) phrase).
quarantine() {
	mkdir -p "$1/pack" && echo junk >"$1/pack/tmp_pack_x" &&
	touch -d "$2" "$1/pack/tmp_pack_x" "$1/pack" "$1"
}

test_expect_success 'setup' '
	hooks_setup cs101 hw1 "$(iso_in 86400)" "" alice bob &&
	clone_for alice
'

test_expect_success 'a push removes the quarantines killed pushes left an hour ago, not fresher ones' '
	quarantine "$objects/tmp_objdir-incoming-old1" "2 hours ago" &&
	quarantine "$objects/tmp_objdir-incoming-old2" "1 day ago" &&
	quarantine "$objects/tmp_objdir-incoming-busy" "2 hours ago" &&
	echo fresh >"$objects/tmp_objdir-incoming-busy/pack/tmp_pack_y" &&
	quarantine "$objects/tmp_objdir-incoming-new" "10 minutes ago" &&
	commit_in alice a &&
	git -C alice push -q origin main 2>/dev/null &&
	test ! -e "$objects/tmp_objdir-incoming-old1" &&
	test ! -e "$objects/tmp_objdir-incoming-old2" &&
	test -d "$objects/tmp_objdir-incoming-busy" &&
	test -d "$objects/tmp_objdir-incoming-new"
'

test_expect_success 'lifebelt reconcile removes them in repositories nobody pushes to' '
	quarantine "$bob_objects/tmp_objdir-incoming-old3" "3 hours ago" &&
	quarantine "$bob_objects/tmp_objdir-incoming-new2" "5 minutes ago" &&
	lifebelt reconcile >out 2>&1 &&
	test ! -e "$bob_objects/tmp_objdir-incoming-old3" &&
	test -d "$bob_objects/tmp_objdir-incoming-new2" &&
	git -C "$bob_objects/.." fsck --no-progress 2>/dev/null
'

test_expect_success 'a push that would take a repository past push.repo_mb is refused' '
	rm -rf "$objects"/tmp_objdir-incoming-* &&
	lifebelt config set push.repo_mb 3 >/dev/null &&
	head -c 2097152 /dev/urandom >alice/r1 &&
	git -C alice add r1 && git -C alice commit -q -m r1 &&
	git -C alice push -q origin main 2>/dev/null &&
	head -c 2097152 /dev/urandom >alice/r2 &&
	git -C alice add r2 && git -C alice commit -q -m r2 &&
	test_must_fail git -C alice push origin main 2>err &&
	test_grep "refusing the push: the repository would hold 4.0 MiB, more than the 3 MiB allowed; leave large and generated files out of your commits, or ask your teacher for more room" err &&
	test "$(git -C "$objects/.." rev-parse main)" = "$(git -C alice rev-parse HEAD^)"
'

test_expect_success 'with more room the same push goes through' '
	lifebelt config set push.repo_mb 5 >/dev/null &&
	git -C alice push -q origin main 2>/dev/null &&
	test "$(git -C "$objects/.." rev-parse main)" = "$(git -C alice rev-parse HEAD)"
'

test_done
