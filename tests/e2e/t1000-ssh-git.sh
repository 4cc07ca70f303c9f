#!/bin/bash
test_description='git clone, push and fetch over SSH through lifebelt shell'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"

gitd_course && start_sshd || { echo "Bail out! cannot set up a course and sshd"; exit 1; }

test_expect_success 'every key has its forced command in authorized_keys' '
	test_grep "^command=\"$LIFEBELT_BIN-shell --home $LIFEBELT_HOME alice\",restrict ssh-ed25519 " \
		"$LIFEBELT_HOME/ssh/authorized_keys" &&
	test $(grep -c "^command=" "$LIFEBELT_HOME/ssh/authorized_keys") = 3
'

test_expect_success 'no command: who you are and what you can reach' '
	ssh_as alice $SSH_USER@127.0.0.1 >info 2>&1 &&
	test_grep "hello alice" info &&
	test_grep " R W  $SSH_USER@localhost:cs101/hw1$" info &&
	! grep bob info &&
	ssh_as carol -T $SSH_USER@127.0.0.1 >info 2>&1 &&
	test_grep " R    $SSH_USER@localhost:cs101/hw1/alice$" info &&
	test_grep " R    $SSH_USER@localhost:cs101/hw1/bob$" info &&
	lifebelt config set ssh.port $SSHD_PORT &&
	lifebelt config set ssh.host 127.0.0.1 &&
	ssh_as alice $SSH_USER@127.0.0.1 >info 2>&1 &&
	lifebelt config set ssh.port 22 && lifebelt config set ssh.host localhost &&
	test_grep " R W  ssh://$SSH_USER@127.0.0.1:$SSHD_PORT/cs101/hw1$" info &&
	git_as alice ls-remote ssh://$SSH_USER@127.0.0.1:$SSHD_PORT/cs101/hw1 >out &&
	test_grep refs/heads/main out
'

test_expect_success 'a student clones their repository by its short name and pushes' '
	git_as alice clone $SSH_USER@127.0.0.1:cs101/hw1 hw1 &&
	test -f hw1/main.c &&
	(cd hw1 && echo "// done" >>main.c && git commit -qam "my work" &&
	 git_as alice push origin main) &&
	test "$(server_ref cs101/hw1/alice.git main)" = "$(git -C hw1 rev-parse HEAD)"
'

test_expect_success 'the same repository by ssh:// URL, full path and .git; fetch' '
	git_as alice clone ssh://$SSH_USER@127.0.0.1:$SSHD_PORT/cs101/hw1/alice.git full &&
	test "$(git -C full rev-parse HEAD)" = "$(git -C hw1 rev-parse HEAD)" &&
	(cd hw1 && echo "// more" >>main.c && git commit -qam more && git_as alice push -q) &&
	(cd full && git_as alice fetch -q origin && git merge -q --ff-only origin/main) &&
	test "$(git -C full rev-parse HEAD)" = "$(git -C hw1 rev-parse HEAD)"
'

test_expect_success 'git runs with LIFEBELT_VIA=ssh and the login in its environment' '
	spy_hooks cs101/hw1/alice.git &&
	(cd hw1 && echo "// spy" >>main.c && git commit -qam spy && git_as alice push -q) &&
	echo "ssh alice" >expect &&
	test_cmp expect spy/seen &&
	git --git-dir="$LIFEBELT_HOME/repos/cs101/hw1/alice.git" config --unset core.hooksPath &&
	(cd full && git_as alice pull -q --ff-only)
'

test_expect_success 'fetches over protocol v2 and v0' '
	(cd full && git_as alice -c protocol.version=0 fetch -q origin &&
	 git_as alice -c protocol.version=2 fetch -q origin)
'

test_expect_success 'a teacher clones any student repository of their course' '
	git_as carol clone $SSH_USER@127.0.0.1:cs101/hw1/alice carol-alice &&
	test "$(git -C carol-alice rev-parse HEAD)" = "$(git -C hw1 rev-parse HEAD)" &&
	git_as carol clone $SSH_USER@127.0.0.1:/cs101/hw1/bob.git carol-bob
'

test_expect_success 'a teacher may not push to a student repository' '
	before=$(server_ref cs101/hw1/alice.git main) &&
	(cd carol-alice && echo x >>main.c && git commit -qam teacher &&
	 test_must_fail git_as carol push origin main 2>../err) &&
	test_grep "lifebelt: access denied" err &&
	test "$(server_ref cs101/hw1/alice.git main)" = "$before"
'

test_expect_success 'a teacher has no repository of their own to clone' '
	test_must_fail git_as carol clone $SSH_USER@127.0.0.1:cs101/hw1 carol-own 2>err &&
	test_grep "lifebelt: access denied" err
'

test_expect_success 'a key nobody registered gets no access at all' '
	test_must_fail ssh_as mallory $SSH_USER@127.0.0.1 >out 2>&1 &&
	test_grep "Permission denied (publickey)" out
'

test_expect_success 'key add: the new key works at once' '
	ssh-keygen -q -t ed25519 -N "" -C laptop -f alice2.key </dev/null &&
	lifebelt key add alice alice2.key.pub &&
	ssh_as alice2 $SSH_USER@127.0.0.1 >info 2>&1 &&
	test_grep "hello alice" info
'

test_expect_success 'roster import and teacher add --key write the file too' '
	test_make_key dora && test_make_key erin &&
	printf "login,ssh_key\ndora,%s\n" "$(cat dora.key.pub)" >roster.csv &&
	lifebelt roster import cs101 roster.csv &&
	ssh_as dora $SSH_USER@127.0.0.1 >info 2>&1 &&
	test_grep " R W  $SSH_USER@localhost:cs101/hw1$" info &&
	lifebelt course add cs202 &&
	lifebelt teacher add cs202 erin --key erin.key.pub &&
	ssh_as erin $SSH_USER@127.0.0.1 >info 2>&1 &&
	test_grep "no repositories yet" info
'

test_expect_success 'lifebelt keys rewrites the file from the database' '
	echo garbage >"$LIFEBELT_HOME/ssh/authorized_keys" &&
	lifebelt keys >out &&
	test_grep "wrote 6 keys to $LIFEBELT_HOME/ssh/authorized_keys" out &&
	ssh_as bob $SSH_USER@127.0.0.1 >info 2>&1 &&
	test_grep "hello bob" info
'

test_expect_success 'an unwritable authorized_keys is reported, the key is still stored' '
	lifebelt config set ssh.authorized_keys /proc/nonexistent/authorized_keys &&
	test_make_key fred &&
	lifebelt student add cs101 fred >/dev/null &&
	test_must_fail lifebelt key add fred fred.key.pub 2>err &&
	test_grep "cannot .*/proc/nonexistent" err &&
	test_grep "keys are stored" err &&
	lifebelt config set ssh.authorized_keys ssh/authorized_keys &&
	lifebelt keys &&
	ssh_as fred $SSH_USER@127.0.0.1 >info 2>&1 &&
	test_grep "hello fred" info
'

test_expect_success 'without lifebelt-shell next to lifebelt, the lines run lifebelt shell' '
	mkdir -p alone &&
	cp "$LIFEBELT_BIN" alone/lifebelt &&
	alone/lifebelt keys >/dev/null &&
	test_grep "^command=\"$TRASH_DIRECTORY/alone/lifebelt shell --home $LIFEBELT_HOME alice\",restrict " \
		"$LIFEBELT_HOME/ssh/authorized_keys" &&
	! grep -q lifebelt-shell "$LIFEBELT_HOME/ssh/authorized_keys" &&
	ssh_as alice $SSH_USER@127.0.0.1 >info 2>&1 &&
	test_grep "hello alice" info &&
	git_as alice ls-remote $SSH_USER@127.0.0.1:cs101/hw1 >out &&
	test_grep refs/heads/main out &&
	lifebelt keys >/dev/null &&
	test_grep "^command=\"$LIFEBELT_BIN-shell --home " "$LIFEBELT_HOME/ssh/authorized_keys"
'

test_expect_success 'lifebelt-shell refuses bad arguments with its usage' '
	test_must_fail "$LIFEBELT_BIN-shell" 2>err &&
	test_grep "^lifebelt: usage: lifebelt-shell \[--home DIR\] LOGIN" err &&
	test_must_fail "$LIFEBELT_BIN-shell" --home 2>err &&
	test_grep "usage:" err &&
	test_must_fail "$LIFEBELT_BIN-shell" alice bob 2>err &&
	test_grep "usage:" err &&
	test_must_fail "$LIFEBELT_BIN-shell" --verbose alice 2>err &&
	test_grep "usage:" err &&
	test_must_fail "$LIFEBELT_BIN-shell" "../alice" 2>err &&
	test_grep "lifebelt: .*login" err &&
	test_must_fail "$LIFEBELT_BIN-shell" --home "$TRASH_DIRECTORY/nowhere" alice 2>err &&
	test_grep "nowhere" err
'

test_done
