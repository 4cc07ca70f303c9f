#!/bin/bash
test_description='Git LFS: the real git-lfs client is told Lifebelt keeps no LFS files, and how to commit them, over HTTP and SSH'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"

if ! git lfs version >/dev/null 2>&1; then
	echo "1..0 # SKIP no git-lfs (tests/deps.sh installs it)"
	exit 0
fi

gitd_course && start_serve && start_sshd && token alice && token bob ||
	{ echo "Bail out! cannot set up a course, sshd and lifebelt serve"; exit 1; }
GIT_TERMINAL_PROMPT=0
export GIT_TERMINAL_PROMPT
A=http://alice:$TOKEN_alice@127.0.0.1:$HTTP_PORT/git
MSG="Lifebelt does not store Git LFS files; commit the files themselves: git lfs migrate export --include=PATTERN (each PATTERN you gave git lfs track, as in .gitattributes), then push again"

# lfs_commit DIR: track *.bin with git-lfs in DIR and commit one such file.
lfs_commit() {
	(cd "$1" && git lfs install --local >/dev/null && git lfs track "*.bin" >/dev/null &&
	 head -c 5000 /dev/urandom >data.bin && git add .gitattributes data.bin &&
	 git commit -qm "data with LFS" && git show HEAD:data.bin | grep -q "^version https://git-lfs")
}

test_expect_success 'over HTTP, git-lfs prints why the push stops and what to do' '
	git clone -q $A/cs101/hw1.git hw1 &&
	lfs_commit hw1 &&
	before=$(server_ref cs101/hw1/alice.git main) &&
	test_must_fail git -C hw1 push origin main >out 2>err &&
	cat out err >all &&
	test_grep "batch response: $MSG" all &&
	test "$(server_ref cs101/hw1/alice.git main)" = "$before"
'

test_expect_success 'the token in the remote URL is echoed nowhere' '
	! grep -F "$TOKEN_alice" all &&
	! grep -F "$TOKEN_alice" serve.log
'

test_expect_success 'the LFS API answers git-lfs JSON, the same to anyone' '
	curl -s -o body -w "%{http_code} %{content_type}\n" -X POST \
		-H "Content-Type: application/vnd.git-lfs+json" -d "{\"operation\":\"upload\",\"objects\":[]}" \
		$HTTP_URL/git/cs101/hw1.git/info/lfs/objects/batch >status &&
	echo "501 application/vnd.git-lfs+json" >expect &&
	test_cmp expect status &&
	python3 -c "import json,sys; print(json.load(open(\"body\"))[\"message\"])" >msg &&
	echo "$MSG" >expect && test_cmp expect msg
'

test_expect_success 'doing what it says gets the push through with the real file' '
	(cd hw1 && git lfs migrate export --include="*.bin" >/dev/null 2>&1 &&
	 git push origin main 2>../err) &&
	test_grep "remote: submission [0-9]* for cs101/hw1 received" err &&
	git --git-dir="$LIFEBELT_HOME/repos/cs101/hw1/alice.git" show main:data.bin >server.bin &&
	cmp server.bin hw1/data.bin
'

test_expect_success 'over SSH, git-lfs prints the same line' '
	git_as bob clone -q $SSH_USER@127.0.0.1:cs101/hw1 bobs &&
	lfs_commit bobs &&
	before=$(server_ref cs101/hw1/bob.git main) &&
	(cd bobs && test_must_fail git_as bob push origin main >../out 2>../err) &&
	cat out err >all &&
	test_grep "$MSG" all &&
	test "$(server_ref cs101/hw1/bob.git main)" = "$before"
'

test_expect_success 'lifebelt shell answers git-lfs-authenticate and git-lfs-transfer with it' '
	for c in "git-lfs-authenticate cs101/hw1 upload" "git-lfs-transfer cs101/hw1 upload"; do
		test_must_fail env SSH_ORIGINAL_COMMAND="$c" "$LIFEBELT_BIN" shell alice >out 2>err &&
		echo "lifebelt: $MSG" >expect && test_cmp expect err && ! test -s out || return 1
	done
'

test_done
