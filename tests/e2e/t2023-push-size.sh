#!/bin/sh
test_description='pre-receive: a push over the assignment size cap is told its size, the cap and what to do'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

test_expect_success 'setup: a 1 MiB cap per push' '
	hooks_setup cs101 hw1 "$(iso_in 86400)" "" &&
	db "UPDATE assignments SET max_input_size = 1048576" &&
	lifebelt student add cs101 alice >/dev/null &&
	clone_for alice
'

test_expect_success 'git itself stops only a push four times the cap' '
	test "$(git --git-dir="$LIFEBELT_HOME/repos/cs101/hw1/alice.git" config receive.maxInputSize)" = 4194304
'

test_expect_success 'a 2.5 MiB push is refused with both sizes in MiB and what to do; nothing stored' '
	before=$(git -C alice rev-parse HEAD) &&
	for i in 1 2 3; do head -c 900000 /dev/urandom >alice/data$i.bin || return 1; done &&
	git -C alice add data1.bin data2.bin data3.bin && git -C alice commit -qm data &&
	test_must_fail git -C alice push origin main 2>err &&
	test_grep "remote: refusing the push: it carries 2.[56] MiB, more than the 1.0 MiB one push may; take large or generated files out of the commits you push, or push fewer commits at a time (git push origin HEAD~2:main, then the rest)" err &&
	test "$(git --git-dir="$LIFEBELT_HOME/repos/cs101/hw1/alice.git" rev-parse main)" = "$before" &&
	test "$(db "SELECT count(*) FROM submissions")" = 0
'

test_expect_success 'the same work in smaller pushes is taken' '
	git -C alice reset -q --soft HEAD~1 &&
	git -C alice commit -qm d1 -- data1.bin && git -C alice commit -qm d2 -- data2.bin &&
	git -C alice commit -qm d3 -- data3.bin &&
	git -C alice push -q origin HEAD~2:main 2>/dev/null &&
	git -C alice push -q origin HEAD~1:main 2>/dev/null &&
	git -C alice push -q origin main 2>/dev/null &&
	test "$(db "SELECT count(*) FROM submissions")" = 3
'

test_done
