#!/bin/bash
test_description='over HTTP: anonymous, wrong-token, guessed and cross-student access are refused'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"

gitd_course && start_serve && token alice && token bob ||
	{ echo "Bail out! cannot set up a course and lifebelt serve"; exit 1; }
GIT_TERMINAL_PROMPT=0
export GIT_TERMINAL_PROMPT
A=http://alice:$TOKEN_alice@127.0.0.1:$HTTP_PORT/git
git clone -q $A/cs101/hw1 hw1 || { echo "Bail out! clone"; exit 1; }
all_refs >refs.before
denied="access denied: you may push to and fetch only your own repositories"
refs="info/refs?service=git-upload-pack"

# get NAME URL [CURL ARGS]: status line and body of a GET into NAME.{code,body}
get() {
	name=$1 url=$2
	shift 2
	curl -s -o $name.body -w "%{http_code}\n" "$@" "$url" >$name.code
}

test_expect_success 'anonymous clone and push get 401' '
	test_must_fail git clone $HTTP_URL/git/cs101/hw1/alice anon 2>err &&
	test_grep "Authentication failed\|401\|could not read Username" err &&
	test_must_fail git -C hw1 push $HTTP_URL/git/cs101/hw1/alice main 2>err &&
	test_grep "Authentication failed\|401\|could not read Username" err
'

test_expect_success 'every authentication failure looks the same' '
	h="X-Real-IP: 198.51.100.1" &&
	get none $HTTP_URL/git/cs101/hw1/alice/$refs -H "$h" &&
	get wrong $HTTP_URL/git/cs101/hw1/alice/$refs -u alice:lbt_0000 -H "$h" &&
	get unknown $HTTP_URL/git/cs101/hw1/alice/$refs -u nobody:$TOKEN_alice -H "$h" &&
	get other $HTTP_URL/git/cs101/hw1/alice/$refs -u bob:$TOKEN_alice -H "$h" &&
	get notoken $HTTP_URL/git/cs101/hw1/alice/$refs -u carol:x -H "$h" &&
	get badname $HTTP_URL/git/cs101/hw1/alice/$refs -u "../x:y" -H "$h" &&
	get missing $HTTP_URL/git/cs101/nohw/alice/$refs -u alice:lbt_0000 -H "$h" &&
	echo 401 >expect &&
	for f in none wrong unknown other notoken badname missing; do
		test_cmp expect $f.code && test_cmp none.body $f.body || return 1
	done &&
	test_grep "token" none.body
'

test_expect_success 'a wrong-token push is refused and stores nothing' '
	(cd hw1 && echo x >>main.c && git commit -qam x &&
	 test_must_fail git -c http.extraHeader="X-Real-IP: 198.51.100.2" \
		push http://alice:lbt_guess@127.0.0.1:$HTTP_PORT/git/cs101/hw1 main 2>../err) &&
	test_grep "Authentication failed" err &&
	all_refs >refs.now && test_cmp refs.before refs.now
'

for alias in cs101/hw1/bob cs101/hw1/bob.git cs101/hw1/bob/ /cs101/hw1/bob cs101/hw1/BOB \
	CS101/hw1/bob cs101/hw1/%62ob cs101%2Fhw1%2Fbob cs101/hw1/%2e%2e/hw1/bob \
	cs101/hw1/alice/../bob cs101/hw1/bob%2Egit cs101/hw1/./bob; do
	test_expect_success "another student's repository as /git/$alias: no fetch, no push" '
		test_must_fail git ls-remote "http://alice:$TOKEN_alice@127.0.0.1:$HTTP_PORT/git/$alias" >out 2>err &&
		! test -s out &&
		test_must_fail git -C hw1 push "http://alice:$TOKEN_alice@127.0.0.1:$HTTP_PORT/git/$alias" HEAD:main 2>err &&
		test_grep "$denied\|403\|404" err
	'
done

test_expect_success 'the refusal is the same whether the repository exists or not' '
	get exists $HTTP_URL/git/cs101/hw1/bob/$refs -u alice:$TOKEN_alice &&
	get nobody $HTTP_URL/git/cs101/hw1/nobody/$refs -u alice:$TOKEN_alice &&
	get nohw $HTTP_URL/git/cs101/nohw/$refs -u alice:$TOKEN_alice &&
	echo 403 >expect && test_cmp expect exists.code &&
	test_cmp exists.code nobody.code && test_cmp exists.code nohw.code &&
	test_cmp exists.body nobody.body && test_cmp exists.body nohw.body &&
	test_grep "$denied" exists.body
'

test_expect_success 'no dumb HTTP: objects, HEAD and info/refs without a service are not served' '
	for path in cs101/hw1/alice.git/HEAD cs101/hw1/alice.git/info/refs \
		cs101/hw1/alice.git/objects/info/packs cs101/hw1/alice.git/config \
		"cs101/hw1/alice.git/info/refs?service=git-upload-archive"; do
		get dumb "$HTTP_URL/git/$path" -u alice:$TOKEN_alice &&
		echo 404 >expect && test_cmp expect dumb.code || return 1
	done &&
	test_must_fail git -c http.extraHeader="X-Real-IP: 198.51.100.3" \
		clone "$HTTP_URL/git/../repos/cs101/hw1/alice.git" dumb 2>err
'

test_expect_success 'wrong methods are refused' '
	get m $HTTP_URL/git/cs101/hw1/alice/git-upload-pack -u alice:$TOKEN_alice &&
	echo 405 >expect && test_cmp expect m.code &&
	get m $HTTP_URL/git/cs101/hw1/alice/$refs -u alice:$TOKEN_alice -X DELETE &&
	test_cmp expect m.code
'

test_expect_success 'force push and branch deletion are refused' '
	before=$(server_ref cs101/hw1/alice.git main) &&
	(cd hw1 && git reset -q --hard origin/main && git commit -q --amend -m rewritten &&
	 test_must_fail git push --force origin main 2>../err) &&
	test_grep "rejected\|non-fast-forward" err &&
	(cd hw1 && test_must_fail git push origin :main 2>../err) &&
	test_grep "cannot be deleted\|deletion prohibited" err &&
	test "$(server_ref cs101/hw1/alice.git main)" = "$before"
'

test_expect_success 'a tree with a .. entry is refused over HTTP too' '
	(cd hw1 && git reset -q --hard origin/main &&
	 blob=$(echo evil | git hash-object -w --stdin) &&
	 tree=$(printf "100644 blob %s\t..\n" $blob | git mktree) &&
	 commit=$(git commit-tree -p HEAD -m dotdot $tree) &&
	 test_must_fail git push origin $commit:refs/heads/main 2>../err &&
	 ! git --git-dir="$LIFEBELT_HOME/repos/cs101/hw1/alice.git" cat-file -e $commit) &&
	test_grep "hasDotdot\|fsck" err
'

test_expect_success 'a streamed pack over the size cap is refused, the server keeps serving' '
	sqlite3 "$LIFEBELT_HOME/lifebelt.db" \
		"UPDATE assignments SET max_input_size = 1000000 WHERE name = '\''hw1'\''" &&
	lifebelt student add cs101 zed >/dev/null && token zed &&
	git clone -q http://zed:$TOKEN_zed@127.0.0.1:$HTTP_PORT/git/cs101/hw1 zed &&
	(cd zed && head -c 3000000 /dev/urandom >big.bin && git add big.bin && git commit -qm big &&
	 test_must_fail git -c http.postBuffer=65536 push origin main 2>../err) &&
	test_grep "too large\|maxInputSize\|exceeds\|unpack\|failed" err &&
	test "$(server_ref cs101/hw1/zed.git main)" != "$(git -C zed rev-parse HEAD)" &&
	git ls-remote $A/cs101/hw1 >out && test_grep refs/heads/main out
'

test_expect_success 'token guessing from one address is slowed down, other addresses are not' '
	h="X-Real-IP: 203.0.113.9" &&
	for i in 1 2 3 4 5 6 7 8 9 10; do
		get g $HTTP_URL/git/cs101/hw1/alice/$refs -u alice:$(printf "lbt_%040d" $i) -H "$h" &&
		echo 401 >expect && test_cmp expect g.code || return 1
	done &&
	get g $HTTP_URL/git/cs101/hw1/alice/$refs -u alice:$TOKEN_alice -H "$h" &&
	echo 429 >expect && test_cmp expect g.code &&
	get g $HTTP_URL/git/cs101/hw1/alice/$refs -u alice:$TOKEN_alice -H "X-Real-IP: 203.0.113.10" &&
	echo 200 >expect && test_cmp expect g.code &&
	sleep 1.2 &&
	get g $HTTP_URL/git/cs101/hw1/alice/$refs -u alice:$TOKEN_alice -H "$h" &&
	test_cmp expect g.code
'

test_expect_success 'the failures of other addresses do not slow down this one' '
	get g $HTTP_URL/git/cs101/hw1/alice/$refs -u alice:$TOKEN_alice &&
	echo 200 >expect && test_cmp expect g.code
'

test_expect_success 'no attack changed any repository' '
	all_refs | grep -v zed >refs.after &&
	grep -v zed refs.before >refs.want &&
	test_cmp refs.want refs.after
'

test_done
