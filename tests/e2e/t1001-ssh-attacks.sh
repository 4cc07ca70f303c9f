#!/bin/bash
test_description='over SSH, escapes from the forced command and reaches into others repositories are refused'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"

gitd_course && start_sshd || { echo "Bail out! cannot set up a course and sshd"; exit 1; }
git_as alice clone -q $SSH_USER@127.0.0.1:cs101/hw1 hw1 || { echo "Bail out! clone"; exit 1; }
all_refs >refs.before

test_expect_success 'the keys run the lean lifebelt-shell, which the attacks below go through' '
	test $(grep -c "^command=\"$LIFEBELT_BIN-shell --home $LIFEBELT_HOME [a-z]*\",restrict " \
		"$LIFEBELT_HOME/ssh/authorized_keys") = 3
'

denied="lifebelt: access denied: you may push to and fetch only your own repositories"

# refused_cmd NAME COMMAND PATTERN: running COMMAND through the forced command is refused.
refused_cmd() {
	cmd=$2 pattern=$3
	test_expect_success "forced command refuses $1" '
		test_must_fail ssh_as alice $SSH_USER@127.0.0.1 "$cmd" >out 2>&1 &&
		test_grep "$pattern" out &&
		! grep -q "uid=" out && ! test -e pwned
	'
}

shell_only="this account serves only git clone, fetch and push"
refused_cmd "a shell" "bash" "$shell_only"
refused_cmd "id" "id" "$shell_only"
refused_cmd "; after a git command" "git-upload-pack 'cs101/hw1'; id" "lifebelt: "
refused_cmd "\$(...) in the path" "git-upload-pack '\$(touch pwned)'" "quotes, spaces"
refused_cmd "\$(...) without spaces" "git-upload-pack 'cs101/\$(id)'" "$denied"
refused_cmd "\$(...) outside quotes" "git-upload-pack \$(touch pwned)" "one quoted path"
refused_cmd "backticks" "git-upload-pack '\`id\`'" "$denied"
refused_cmd "a newline" "git-upload-pack 'cs101/hw1'
id" "control characters"
refused_cmd "../ in the path" "git-upload-pack '../../../etc'" "$denied"
refused_cmd "../ inside a repository path" "git-upload-pack 'cs101/hw1/../hw1/bob'" "$denied"
refused_cmd "an absolute path outside" "git-upload-pack '/etc/passwd'" "$denied"
refused_cmd "a leading - (an option to git)" "git-upload-pack '--help'" "start with '-'"
refused_cmd "an option before the path" "git-upload-pack --strict 'cs101/hw1'" "one quoted path"
refused_cmd "two paths" "git-upload-pack 'cs101/hw1' 'cs101/hw1'" "quotes, spaces"
refused_cmd "a quote escape" "git-upload-pack 'cs101/hw1'\\''x'" "quotes, spaces"
refused_cmd "a verb without a path" "git-receive-pack" "one quoted path"
refused_cmd "git upload-archive" "git-upload-archive 'cs101/hw1'" "git archive --remote is not served"
refused_cmd "git with a space" "git upload-pack 'cs101/hw1'" "$shell_only"
refused_cmd "git-shell commands" "git-shell -c ls" "$shell_only"

test_expect_success 'git archive --remote is refused' '
	test_must_fail git_as alice archive --remote=$SSH_USER@127.0.0.1:cs101/hw1 main >out 2>err &&
	test_grep "git archive --remote is not served" err
'

test_expect_success 'ssh -t (a pty) gives no shell' '
	test_must_fail ssh_as alice -tt $SSH_USER@127.0.0.1 id </dev/null >out 2>&1 &&
	test_grep "PTY allocation request failed" out &&
	! grep -q "uid=" out
'

test_expect_success 'port forwarding is refused (-W and -R)' '
	test_must_fail ssh_as alice -W 127.0.0.1:$SSHD_PORT $SSH_USER@127.0.0.1 </dev/null >out 2>&1 &&
	! grep -q "^SSH-" out &&
	port=$(test_free_port) &&
	test_must_fail ssh_as alice -N -o ExitOnForwardFailure=yes -R $port:127.0.0.1:$SSHD_PORT \
		$SSH_USER@127.0.0.1 </dev/null >out 2>&1 &&
	test_grep "forwarding failed" out
'

for alias in cs101/hw1/bob cs101/hw1/bob.git /cs101/hw1/bob/ /cs101/hw1/bob.git cs101/hw1/BOB \
	CS101/HW1/bob cs101/hw1/./bob cs101/hw1//bob cs101/hw1/bob%2Egit cs101/hw1/%62ob; do
	test_expect_success "another student's repository as $alias: no fetch, no push" '
		test_must_fail git_as alice ls-remote $SSH_USER@127.0.0.1:$alias >out 2>err &&
		test_grep "$denied" err &&
		! test -s out &&
		test_must_fail git_as alice -C hw1 push $SSH_USER@127.0.0.1:$alias main 2>err &&
		test_grep "$denied" err
	'
done

test_expect_success 'the refusal is the same whether the repository exists or not' '
	test_must_fail git_as alice ls-remote $SSH_USER@127.0.0.1:cs101/hw1/bob 2>exists &&
	test_must_fail git_as alice ls-remote $SSH_USER@127.0.0.1:cs101/hw1/nobody 2>missing &&
	test_must_fail git_as alice ls-remote $SSH_USER@127.0.0.1:cs101/nohw 2>missing2 &&
	test_must_fail git_as alice ls-remote $SSH_USER@127.0.0.1:nocourse/hw1 2>missing3 &&
	test_cmp exists missing && test_cmp exists missing2 && test_cmp exists missing3
'

test_expect_success 'force push is refused and the branch is kept' '
	before=$(server_ref cs101/hw1/alice.git main) &&
	(cd hw1 && git commit -q --amend -m rewritten &&
	 test_must_fail git_as alice push --force origin main 2>../err) &&
	test_grep "non-fast-forward\|denyNonFastForwards\|rejected" err &&
	test "$(server_ref cs101/hw1/alice.git main)" = "$before"
'

test_expect_success 'deleting a branch is refused' '
	(cd hw1 && test_must_fail git_as alice push origin :main 2>../err) &&
	test_grep "cannot be deleted\|deletion prohibited" err &&
	test "$(server_ref cs101/hw1/alice.git main)" != none
'

test_expect_success 'a tree with a .. entry is refused by fsck and not stored' '
	(cd hw1 && git reset -q --hard origin/main &&
	 blob=$(echo evil | git hash-object -w --stdin) &&
	 tree=$(printf "100644 blob %s\t..\n" $blob | git mktree) &&
	 commit=$(git commit-tree -p HEAD -m dotdot $tree) &&
	 test_must_fail git_as alice push origin $commit:refs/heads/main 2>../err &&
	 ! git --git-dir="$LIFEBELT_HOME/repos/cs101/hw1/alice.git" cat-file -e $commit) &&
	test_grep "hasDotdot\|fsck" err
'

test_expect_success 'a tree with a .git entry is refused by fsck' '
	(cd hw1 &&
	 blob=$(echo "[core]" | git hash-object -w --stdin) &&
	 sub=$(printf "100644 blob %s\tconfig\n" $blob | git mktree) &&
	 tree=$(printf "040000 tree %s\t.git\n" $sub | git mktree) &&
	 commit=$(git commit-tree -p HEAD -m dotgit $tree) &&
	 test_must_fail git_as alice push origin $commit:refs/heads/main 2>../err) &&
	test_grep "hasDotgit\|fsck" err
'

test_expect_success 'a pack over the assignment size cap is refused' '
	sqlite3 "$LIFEBELT_HOME/lifebelt.db" \
		"UPDATE assignments SET max_input_size = 100000 WHERE name = '\''hw1'\''" &&
	lifebelt student add cs101 zed --key mallory.key.pub >/dev/null &&
	test "$(git --git-dir="$LIFEBELT_HOME/repos/cs101/hw1/zed.git" config receive.maxInputSize)" = 400000 &&
	git_as mallory clone -q $SSH_USER@127.0.0.1:cs101/hw1 zed &&
	(cd zed && head -c 300000 /dev/urandom >big.bin && git add big.bin && git commit -qm big &&
	 test_must_fail git_as mallory push origin main 2>../err) &&
	test_grep "remote: refusing the push: it carries 29[0-9].[0-9] KiB, more than the 97.7 KiB one push may" err &&
	(cd zed && head -c 500000 /dev/urandom >big.bin && git add big.bin && git commit -qm bigger &&
	 test_must_fail git_as mallory push origin main 2>../err) &&
	test_grep "pack exceeds maximum allowed size" err &&
	test "$(server_ref cs101/hw1/zed.git main)" != "$(git -C zed rev-parse HEAD)"
'

test_expect_success 'lifebelt shell, the subcommand, refuses the same commands' '
	for c in "bash" "git-upload-pack '\''cs101/hw1'\''; id" "git-upload-pack '\''\$(touch pwned)'\''" \
		"git-upload-pack '\''../../../etc'\''" "git-upload-pack '\''--help'\''" \
		"git-upload-archive '\''cs101/hw1'\''" "git-upload-pack '\''cs101/hw1/bob'\''"
	do
		test_must_fail env SSH_ORIGINAL_COMMAND="$c" "$LIFEBELT_BIN" shell alice >out 2>err &&
		test_grep "^lifebelt: " err && ! test -s out && ! test -e pwned || return 1
	done &&
	test_must_fail env SSH_ORIGINAL_COMMAND="git-upload-pack '\''cs101/hw1/bob'\''" \
		"$LIFEBELT_BIN" shell --home "$LIFEBELT_HOME" alice 2>err &&
	test_grep "$denied" err
'

test_expect_success 'no attack changed any repository' '
	all_refs | grep -v zed >refs.after &&
	grep -v zed refs.before >refs.want &&
	test_cmp refs.want refs.after
'

test_done
