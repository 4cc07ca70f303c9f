#!/bin/bash
test_description='sshd asks lifebelt keys-command for each key (AuthorizedKeysCommand)'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"

# sshd runs an AuthorizedKeysCommand only from a path whose every directory is
# root's and writable by no one else: not the build tree under /tmp. A copy
# in a directory of its own under /run, with lifebelt-shell beside it.
keys_dir=$(mktemp -d /run/lifebelt-test-keys.XXXXXX) && chmod 755 "$keys_dir" &&
test_cleanup_path "$keys_dir" &&
cp "$LIFEBELT_BIN" "$LIFEBELT_BUILD/lifebelt-shell" "$keys_dir/" ||
	{ echo "Bail out! cannot copy lifebelt to $keys_dir"; exit 1; }

gitd_course &&
start_sshd "AuthorizedKeysFile none
AuthorizedKeysCommand $keys_dir/lifebelt keys-command --home $LIFEBELT_HOME %u %t %k
AuthorizedKeysCommandUser $SSH_USER" ||
	{ echo "Bail out! cannot set up a course and sshd"; exit 1; }

test_expect_success 'keys-command prints the forced-command line of a registered key' '
	read type blob comment <alice.key.pub &&
	lifebelt keys-command $SSH_USER $type $blob >out &&
	grep "^command=" "$LIFEBELT_HOME/ssh/authorized_keys" | grep " alice\"" >expect &&
	test_cmp expect out
'

test_expect_success 'keys-command prints nothing for other accounts or unknown keys' '
	read type blob comment <alice.key.pub &&
	lifebelt keys-command someone-else $type $blob >out && ! test -s out &&
	read type blob comment <mallory.key.pub &&
	lifebelt keys-command $SSH_USER $type $blob >out && ! test -s out &&
	lifebelt keys-command $SSH_USER ssh-rsa $blob >out && ! test -s out
'

test_expect_success 'clone and push with no authorized_keys file at all' '
	rm -f "$LIFEBELT_HOME/ssh/authorized_keys" &&
	git_as alice clone -q $SSH_USER@127.0.0.1:cs101/hw1 hw1 &&
	(cd hw1 && echo "// done" >>main.c && git commit -qam work && git_as alice push -q) &&
	test "$(server_ref cs101/hw1/alice.git main)" = "$(git -C hw1 rev-parse HEAD)"
'

test_expect_success 'other students stay out' '
	test_must_fail git_as alice ls-remote $SSH_USER@127.0.0.1:cs101/hw1/bob 2>err &&
	test_grep "access denied" err
'

test_expect_success 'an unregistered key is refused, and works once added' '
	test_must_fail ssh_as mallory $SSH_USER@127.0.0.1 >out 2>&1 &&
	test_grep "Permission denied" out &&
	lifebelt student add cs101 mallory --key mallory.key.pub >/dev/null &&
	ssh_as mallory $SSH_USER@127.0.0.1 >out 2>&1 &&
	test_grep "hello mallory" out
'

test_done
