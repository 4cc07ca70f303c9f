#!/bin/sh
test_description='assignment add --max-push-mb: the cap one push may carry, over SSH'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"

db() {
	sqlite3 -cmd ".timeout 5000" "$LIFEBELT_HOME/lifebelt.db" "$@"
}
repo_cap() {
	git --git-dir="$LIFEBELT_HOME/repos/cs101/$1.git" config receive.maxInputSize
}

lifebelt init >/dev/null &&
lifebelt config set ssh.user "$SSH_USER" >/dev/null &&
lifebelt course add cs101 >/dev/null &&
test_make_tests_dir tests &&
mkdir -p starter && echo "int main(void) { return 0; }" >starter/main.c &&
test_make_key alice && test_make_key bob &&
lifebelt student add cs101 alice --key alice.key.pub >/dev/null &&
start_sshd ||
	{ echo "Bail out! cannot set up a course and sshd"; exit 1; }

test_expect_success 'a bad --max-push-mb is refused with one line and leaves no trace' '
	test_snapshot before &&
	for v in 0 4097 -5 1.5 20MB "" " 5" 0x10 99999999999999999999; do
		test_must_fail lifebelt assignment add cs101 hw1 --tests tests --starter starter \
			--due 2030-12-01T00:00:00Z --max-push-mb "$v" >out 2>err || return 1
		echo "error: bad value for --max-push-mb: '\''$v'\'' (a whole number from 1 to 4096)" >expect &&
		test_cmp expect err && test ! -s out || return 1
	done &&
	test_must_fail lifebelt assignment add cs101 hw1 --tests tests --due 2030-12-01T00:00:00Z \
		--max-push-mb 2>err &&
	test_grep "max-push-mb" err &&
	test_snapshot after &&
	test_cmp before after
'

test_expect_success 'the cap is stored, said, and git stops only four times it' '
	lifebelt assignment add cs101 hw1 --tests tests --starter starter \
		--due 2030-12-01T00:00:00Z --max-push-mb 2 >out &&
	test_grep "assignment cs101/hw1 created: due 2030-12-01 00:00:00 UTC, never closes; 1 student repository; a push may carry 2 MiB" out &&
	test "$(db "SELECT max_input_size FROM assignments WHERE name = '\''hw1'\''")" = 2097152 &&
	test "$(repo_cap hw1/alice)" = 8388608
'

test_expect_success 'a student enrolled later gets the same cap' '
	lifebelt student add cs101 bob --key bob.key.pub >/dev/null &&
	test "$(repo_cap hw1/bob)" = 8388608
'

test_expect_success 'without --max-push-mb a push may carry 50 MiB' '
	lifebelt assignment add cs101 hw2 --tests tests --starter starter --due 2030-12-01T00:00:00Z >out &&
	test_grep "; a push may carry 50 MiB$" out &&
	test "$(db "SELECT max_input_size FROM assignments WHERE name = '\''hw2'\''")" = 52428800 &&
	test "$(repo_cap hw2/alice)" = 209715200
'

test_expect_success 'a 3 MiB push over SSH is refused with both sizes; nothing stored' '
	git_as alice clone -q $SSH_USER@127.0.0.1:cs101/hw1 hw1 &&
	before=$(server_ref cs101/hw1/alice.git main) &&
	head -c 3145728 /dev/urandom >hw1/big.bin &&
	git -C hw1 add big.bin && git -C hw1 commit -qm big &&
	test_must_fail git_as alice -C hw1 push origin main 2>err &&
	test_grep "remote: refusing the push: it carries 3.0 MiB, more than the 2.0 MiB one push may" err &&
	test "$(server_ref cs101/hw1/alice.git main)" = "$before" &&
	test "$(db "SELECT count(*) FROM submissions")" = 0
'

test_expect_success 'a 1.5 MiB push over SSH is taken and recorded' '
	git -C hw1 reset -q --hard HEAD~1 &&
	head -c 1572864 /dev/urandom >hw1/data.bin &&
	git -C hw1 add data.bin && git -C hw1 commit -qm data &&
	git_as alice -C hw1 push origin main 2>err &&
	test_grep "submission 1 for cs101/hw1" err &&
	test "$(server_ref cs101/hw1/alice.git main)" = "$(git -C hw1 rev-parse HEAD)" &&
	test "$(db "SELECT count(*) FROM submissions")" = 1
'

test_expect_success 'the same 3 MiB goes to the assignment with the default cap' '
	git_as alice clone -q $SSH_USER@127.0.0.1:cs101/hw2 hw2 &&
	cp hw1/data.bin hw2/ && head -c 1572864 /dev/urandom >hw2/more.bin &&
	git -C hw2 add data.bin more.bin && git -C hw2 commit -qm big &&
	git_as alice -C hw2 push origin main 2>err &&
	test "$(server_ref cs101/hw2/alice.git main)" = "$(git -C hw2 rev-parse HEAD)"
'

test_expect_success 'push.check_seconds may be a day, not more' '
	test_must_fail lifebelt config set push.check_seconds 86401 2>err &&
	echo "error: push.check_seconds must be a whole number from 1 to 86400, not '\''86401'\''" >expect &&
	test_cmp expect err &&
	test "$(lifebelt config get push.check_seconds)" = 60 &&
	lifebelt config set push.check_seconds 86400 >/dev/null &&
	test "$(lifebelt config get push.check_seconds)" = 86400
'

test_done
