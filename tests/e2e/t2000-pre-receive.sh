#!/bin/sh
test_description='pre-receive: the course rules, checked before anything is stored'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

test_expect_success 'setup: an open assignment and a closed one' '
	hooks_setup cs101 hw1 "$(iso_in 86400)" "" alice bob &&
	lifebelt assignment add cs101 old --tests tests-dir --starter starter \
		--due "$(iso_in -7200)" --close "$(iso_in -3600)" >/dev/null &&
	clone_for alice &&
	git clone -q "$LIFEBELT_HOME/repos/cs101/old/alice.git" old &&
	git clone -q "$LIFEBELT_HOME/repos/cs101/old/bob.git" oldbob
'

test_expect_success 'a ref that is neither a branch nor a tag is refused' '
	test_must_fail git -C alice push origin HEAD:refs/notes/x 2>err &&
	test_grep "refusing refs/notes/x: only branches (refs/heads/...) and tags" err &&
	test_must_fail git -C "$LIFEBELT_HOME/repos/cs101/hw1/alice.git" rev-parse -q --verify refs/notes/x
'

test_expect_success 'deleting a branch is refused' '
	commit_in alice a && git -C alice push -q origin main:side 2>/dev/null &&
	test_must_fail git -C alice push origin :side 2>err &&
	test_grep "refusing to delete refs/heads/side" err &&
	git -C "$LIFEBELT_HOME/repos/cs101/hw1/alice.git" rev-parse -q --verify refs/heads/side
'

test_expect_success 'a force push is refused and history stays' '
	git -C alice push -q origin main 2>/dev/null &&
	before=$(git -C alice rev-parse main) &&
	git -C alice commit -q --amend -m rewritten &&
	test_must_fail git -C alice push -f origin main 2>err &&
	test_grep "refusing refs/heads/main: a force push (non-fast-forward)" err &&
	test "$(git -C "$LIFEBELT_HOME/repos/cs101/hw1/alice.git" rev-parse main)" = "$before" &&
	git -C alice reset -q --hard origin/main
'

test_expect_success 'a 6 MiB file is refused, naming the file and the cap' '
	head -c 6291456 /dev/zero | tr "\0" x >alice/big.bin &&
	git -C alice add big.bin && git -C alice commit -q -m big &&
	test_must_fail git -C alice push origin main 2>err &&
	test_grep "refusing refs/heads/main: file big.bin is 6.0 MiB, more than the 5.0 MiB allowed per file" err &&
	test "$(db "SELECT count(*) FROM submissions")" = 1 &&
	git -C alice reset -q --hard origin/main
'

test_expect_success 'a big file in an earlier commit of the push is refused too' '
	mkdir -p alice/d && head -c 6291456 /dev/zero | tr "\0" y >alice/d/big2 &&
	git -C alice add d && git -C alice commit -q -m big2 &&
	git -C alice rm -q d/big2 && git -C alice commit -q -m gone &&
	test_must_fail git -C alice push origin main 2>err &&
	test_grep "file d/big2 is 6.0 MiB" err &&
	git -C alice reset -q --hard origin/main
'

test_expect_success 'the file cap is the assignment'"'"'s' '
	db "UPDATE assignments SET max_file_size = 100, max_files = 5 WHERE name = '"'hw1'"'" &&
	head -c 200 /dev/zero | tr "\0" z >alice/mid &&
	git -C alice add mid && git -C alice commit -q -m mid &&
	test_must_fail git -C alice push origin main 2>err &&
	test_grep "file mid is 0.2 KiB, more than the 0.1 KiB allowed" err &&
	git -C alice reset -q --hard origin/main
'

test_expect_success 'a push holding more files than the cap is refused' '
	for i in 1 2 3 4 5 6; do echo $i >alice/f$i; done &&
	git -C alice add . && git -C alice commit -q -m many &&
	test_must_fail git -C alice push origin main 2>err &&
	test_grep "refusing refs/heads/main: its commit holds more than 5 files" err &&
	git -C alice reset -q --hard HEAD^ &&
	for i in 1 2; do echo $i >alice/f$i; done &&
	git -C alice add . && git -C alice commit -q -m few &&
	git -C alice push -q origin main 2>/dev/null
'

test_expect_success 'a push after the close time is refused with the due and close times' '
	commit_in old late &&
	test_must_fail git -C old push origin main 2>err &&
	due=$(db "SELECT strftime('"'%Y-%m-%d %H:%M:%S'"', due, '"'unixepoch'"') FROM assignments WHERE name = '"'old'"'") &&
	close=$(db "SELECT strftime('"'%Y-%m-%d %H:%M:%S'"', close, '"'unixepoch'"') FROM assignments WHERE name = '"'old'"'") &&
	test_grep "refusing the push: cs101/old closed at $close UTC (it was due $due UTC)" err &&
	test "$(db "SELECT count(*) FROM submissions s JOIN repos r ON r.id = s.repo_id WHERE r.path LIKE '"'cs101/old/%'"'")" = 0
'

test_expect_success 'with an extension the same push is accepted, on time' '
	lifebelt extend cs101 old alice --until "$(iso_in 3600)" >/dev/null &&
	git -C old push origin main 2>err &&
	test_grep "submission [0-9]* for cs101/old received .*, on time (due in" err &&
	commit_in oldbob late &&
	test_must_fail git -C oldbob push origin main 2>err &&
	test_grep "closed at" err
'

test_expect_success 'pushing to someone else'"'"'s repository is refused' '
	commit_in alice other &&
	LIFEBELT_LOGIN=bob test_must_fail git -C alice push origin main 2>err &&
	test_grep "refusing the push: this repository belongs to alice, not bob" err &&
	LIFEBELT_LOGIN=alice git -C alice push -q origin main 2>/dev/null
'

test_expect_success 'the hooks are their own programs; lifebelt runs them too' '
	test "$(readlink "$LIFEBELT_HOME/hooks/pre-receive")" = "$LIFEBELT_BUILD/lifebelt-pre-receive" &&
	test "$(readlink "$LIFEBELT_HOME/hooks/post-receive")" = "$LIFEBELT_BUILD/lifebelt-post-receive" &&
	repo="$LIFEBELT_HOME/repos/cs101/hw1/alice.git" &&
	tip=$(git -C "$repo" rev-parse main) &&
	(cd "$repo" && echo "$tip 0000000000000000000000000000000000000000 refs/heads/main" |
		GIT_DIR=. test_must_fail lifebelt hook pre-receive) 2>err &&
	test_grep "refusing to delete refs/heads/main" err
'

test_done
