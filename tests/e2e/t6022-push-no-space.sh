#!/bin/sh
test_description='a push to a data directory with no room left is refused before git writes anything, with a line that says the server is out of space, over SSH and HTTPS'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"

if test "$(id -u)" != 0; then
	echo "1..0 # SKIP mounting a small file system takes root"
	exit 0
fi

GIT_TERMINAL_PROMPT=0
export GIT_TERMINAL_PROMPT
REPO=$LIFEBELT_HOME/repos/cs101/hw1/alice.git

mkdir -p "$LIFEBELT_HOME" && mount -t tmpfs -o size=8m tmpfs "$LIFEBELT_HOME" &&
gitd_course && start_sshd && start_serve && token alice ||
	{ echo "Bail out! cannot set up a course, sshd and serve on a tmpfs"; exit 1; }
A=http://alice:$TOKEN_alice@127.0.0.1:$HTTP_PORT/git/cs101/hw1.git

fill_up() {
	{ dd if=/dev/zero of="$LIFEBELT_HOME/filler" bs=4096 2>/dev/null; true; } &&
	test_must_fail sh -c "echo x >'$LIFEBELT_HOME/more'"
}

test_expect_success 'setup: a clone, the disk full' '
	git clone -q $A hw1 &&
	echo "// work" >>hw1/main.c && git -C hw1 commit -qam work &&
	server_ref cs101/hw1/alice.git main >before &&
	fill_up
'

test_expect_success 'over SSH: refused, saying the server is out of space' '
	test_must_fail git_as alice -C hw1 push ssh://$SSH_USER@127.0.0.1:$SSHD_PORT/cs101/hw1 main 2>err &&
	test_grep "the server is out of disk space, so this push was not stored; tell your teacher" err &&
	! grep "unpacker error" err
'

test_expect_success 'over HTTPS: the same' '
	test_must_fail git -C hw1 push $A main 2>err &&
	test_grep "the server is out of disk space, so this push was not stored; tell your teacher" err
'

test_expect_success 'nothing was written: the branch, the objects, the submissions as they were' '
	server_ref cs101/hw1/alice.git main >after &&
	test_cmp before after &&
	test -z "$(ls -d "$REPO"/objects/tmp_objdir-* 2>/dev/null)" &&
	git --git-dir="$REPO" fsck --no-progress &&
	test "$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT count(*) FROM submissions")" = 0
'

test_expect_success 'once there is room, the same push goes through' '
	rm "$LIFEBELT_HOME/filler" &&
	git -C hw1 push $A main 2>err &&
	test "$(server_ref cs101/hw1/alice.git main)" = "$(git -C hw1 rev-parse HEAD)"
'

test_cleanup
umount "$LIFEBELT_HOME" 2>/dev/null || umount -l "$LIFEBELT_HOME"
test_done
