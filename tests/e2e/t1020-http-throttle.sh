#!/bin/bash
test_description='over HTTP: token guessing is slowed per address and login, never the owner or the neighbours'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"

gitd_course && start_serve && token alice && token bob ||
	{ echo "Bail out! cannot set up a course and lifebelt serve"; exit 1; }
GIT_TERMINAL_PROMPT=0
export GIT_TERMINAL_PROMPT
refs="info/refs?service=git-upload-pack"

# wrong N: a wrong token of the right form, so that it counts as a guess.
wrong() {
	printf 'lbt_%040d' "$1"
}

# ask NAME IP [CURL ARGS]: info/refs of alice's repository as from address IP;
# status into NAME.code, headers into NAME.hdr, body into NAME.body.
ask() {
	name=$1 ip=$2
	shift 2
	curl -s -D $name.hdr -o $name.body -w "%{http_code}\n" -H "X-Real-IP: $ip" "$@" \
		"$HTTP_URL/git/cs101/hw1/alice/$refs" >$name.code
}

# git_ls IP LOGIN TOKEN: real git's ls-remote of cs101/hw1 as LOGIN from address IP.
git_ls() {
	git -c http.extraHeader="X-Real-IP: $1" ls-remote \
		"http://$2:$3@127.0.0.1:$HTTP_PORT/git/cs101/hw1" >ls.out 2>ls.err
}

# guess_until_429 IP LOGIN: guess until the answer is 429 (at most 6 tries); prints the 401s seen.
guess_until_429() {
	n=0
	for i in 1 2 3 4 5 6; do
		curl -s -D g.hdr -o g.body -w "%{http_code}\n" -H "X-Real-IP: $1" -u "$2:$(wrong 9$i)" \
			"$HTTP_URL/git/cs101/hw1/$refs" >g.code
		test "$(cat g.code)" = 429 && break
		n=$((n + 1))
	done
	echo $n
}

test_expect_success 'twenty wrong tokens for mallory do not lock alice out of the same address' '
	for i in $(seq 20); do
		curl -s -o /dev/null -w "%{http_code}\n" -H "X-Real-IP: 198.51.100.20" \
			-u mallory:$(wrong $i) "$HTTP_URL/git/cs101/hw1/$refs" >>mallory.codes || return 1
	done &&
	! grep -v "^401$\|^429$" mallory.codes &&
	grep -q "^429$" mallory.codes &&
	git_ls 198.51.100.20 alice $TOKEN_alice &&
	test_grep "refs/heads/main" ls.out &&
	git_ls 198.51.100.20 bob $TOKEN_bob
'

test_expect_success 'requests that offer no password never count' '
	ip=198.51.100.21 &&
	for i in $(seq 15); do
		ask none $ip && ask empty $ip -u alice: && ask null $ip -u alice:null &&
		ask short $ip -u alice:lbt_guess$i &&
		for f in none empty null short; do
			echo 401 >expect && test_cmp expect $f.code || return 1
		done || return 1
	done &&
	test_must_fail git -c http.extraHeader="X-Real-IP: $ip" \
		ls-remote "$HTTP_URL/git/cs101/hw1/alice" 2>err &&
	git_ls $ip alice $TOKEN_alice &&
	test_grep "refs/heads/main" ls.out &&
	ask free $ip -u alice:$(wrong 1) && echo 401 >expect && test_cmp expect free.code
'

test_expect_success 'after 10 wrong tokens for alice: 429, Retry-After and a line saying why' '
	ip=198.51.100.22 &&
	for i in $(seq 10); do
		ask g $ip -u alice:$(wrong $i) && echo 401 >expect && test_cmp expect g.code || return 1
	done &&
	checked=$(guess_until_429 $ip alice) &&
	test "$(cat g.code)" = 429 &&
	test "$checked" -le 2 &&
	test_grep "^Retry-After: [1-9]" g.hdr &&
	test_grep "too many wrong tokens for alice from your address: wait [0-9]* s" g.body
'

test_expect_success 'git shows why' '
	ip=198.51.100.22 &&
	for i in 1 2 3 4 5 6; do
		test_must_fail git_ls $ip alice $(wrong 7$i) &&
		grep -q "too many wrong tokens for alice" ls.err && break
	done &&
	test_grep "remote: too many wrong tokens for alice from your address: wait" ls.err &&
	test_grep "429" ls.err
'

test_expect_success 'meanwhile alice from another address is not slowed down' '
	ask other 198.51.100.99 -u alice:$TOKEN_alice && echo 200 >expect && test_cmp expect other.code &&
	git_ls 198.51.100.99 alice $TOKEN_alice && test_grep "refs/heads/main" ls.out
'

test_expect_success 'and from the same address her token works once the wait is over, and clears it' '
	ip=198.51.100.22 &&
	ask w $ip -u alice:$TOKEN_alice &&
	grep -q "^429$\|^200$" w.code &&
	wait=$(sed -n "s/^Retry-After: \([0-9]*\).*/\1/p" w.hdr | tr -d "\r") &&
	sleep $((${wait:-0} + 1)) &&
	git_ls $ip alice $TOKEN_alice &&
	test_grep "refs/heads/main" ls.out &&
	ask after $ip -u alice:$(wrong 2) && echo 401 >expect && test_cmp expect after.code
'

test_done
