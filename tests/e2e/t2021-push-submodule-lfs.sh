#!/bin/sh
test_description='pre-receive: a submodule or a Git LFS pointer in the graded commit is named at push time'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

if ! git lfs version >/dev/null 2>&1; then
	echo "1..0 # SKIP no git-lfs (tests/deps.sh installs it)"
	exit 0
fi

test_expect_success 'setup' '
	hooks_setup cs101 hw1 "$(iso_in 86400)" "" alice &&
	clone_for alice &&
	git init -q lib && commit_in lib lib.c
'

test_expect_success 'a submodule in the pushed commit gets a warning naming it; the push is taken' '
	git -C alice -c protocol.file.allow=always submodule -q add "$TRASH_DIRECTORY/lib" vendor/lib &&
	git -C alice commit -qm "add lib" &&
	git -C alice push origin main 2>err &&
	test_grep "remote: submodule vendor/lib is not graded: its files are not in this repository; commit them instead" err &&
	test_grep "remote: submission 1 for cs101/hw1 received" err
'

test_expect_success 'the warning comes again while the submodule stays' '
	commit_in alice more &&
	git -C alice push origin main 2>err &&
	test_grep "remote: submodule vendor/lib is not graded" err
'

test_expect_success 'another branch gets no such warning' '
	git -C alice push origin main:wip 2>err &&
	! grep -q "remote: submodule" err
'

test_expect_success 'once its files are committed, no warning' '
	git -C alice rm -q --cached vendor/lib &&
	git -C alice rm -q --cached .gitmodules &&
	rm -rf alice/vendor/lib/.git alice/.gitmodules &&
	git -C alice add vendor &&
	git -C alice commit -qm "lib as files" &&
	git -C alice push origin main 2>err &&
	! grep -q "remote: submodule" err &&
	test_grep "remote: submission 3 " err
'

test_expect_success 'Git LFS pointers pushed without the LFS upload are named, one line each' '
	(cd alice && git lfs install --local >/dev/null && git lfs track "*.bin" >/dev/null &&
	 mkdir -p data && head -c 3000 /dev/urandom >data/a.bin && head -c 3000 /dev/urandom >b.bin &&
	 git add .gitattributes data/a.bin b.bin && git commit -qm "large files" &&
	 git show HEAD:data/a.bin | grep -q "^version https://git-lfs.github.com/spec/v1" &&
	 git push --no-verify origin main 2>../err) &&
	test_grep "remote: file data/a.bin is a Git LFS pointer, not the file: Lifebelt does not store Git LFS files and grades the pointer; git lfs untrack the pattern that covers it, then git rm --cached data/a.bin, git add it again, commit and push" err &&
	test_grep "remote: file b.bin is a Git LFS pointer" err &&
	test_grep "remote: submission 4 " err
'

test_expect_success 'a file that only mentions the pointer format is not one' '
	(cd alice && git lfs untrack "*.bin" >/dev/null && git rm -q --cached data/a.bin b.bin &&
	 git add data/a.bin b.bin .gitattributes &&
	 printf "version https://git-lfs.github.com/spec/v1 is the header\n" >notes.txt &&
	 git add notes.txt && git commit -qm "real files" && git push origin main 2>../err) &&
	! grep -q "remote: .*LFS" err &&
	test_grep "remote: submission 5 " err
'

test_done
