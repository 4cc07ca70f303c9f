#!/bin/bash
test_description='the GitHub mirror after the close, and bad input to its commands: one line, nothing stored'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-github-git.sh"

gh_course && gh_start && echo "$GH_TOKEN" | lifebelt github token - >/dev/null &&
	lifebelt assignment add cs101 hw2 --tests tests-hw1 --due 2020-01-01T00:00:00Z \
		--close 2020-01-02T00:00:00Z >/dev/null &&
	lifebelt assignment add cs101 hw3 --tests tests-hw1 --due 2030-01-01T00:00:00Z >/dev/null ||
	{ echo "Bail out! cannot set up a course and the GitHub stand-in"; exit 1; }

test_expect_success 'the token read from stdin is kept 0600, and only there' '
	test "$(cat "$LIFEBELT_HOME/github/token")" = "$GH_TOKEN" &&
	test "$(stat -c %a "$LIFEBELT_HOME/github/token")" = 600
'

test_expect_success 'after the close a push on GitHub is recorded, and not graded' '
	gh_git_push octo/hw2-alice "int main(void) { return 0; }" &&
	gh_map cs101/hw2/alice.git octo/hw2-alice &&
	lifebelt github sync cs101 hw2 >out &&
	test_grep "alice (octo/hw2-alice): submission [0-9]*, after the close: kept, not graded" out &&
	test "$(db "SELECT via FROM submissions WHERE commit_id = '\''$GH_COMMIT'\''")" = webhook &&
	test "$(db "SELECT count(*) FROM jobs j JOIN submissions s ON s.id = j.submission_id
		WHERE s.commit_id = '\''$GH_COMMIT'\''")" = 0 &&
	lifebelt submissions cs101 hw2 >list &&
	test_grep "$(echo $GH_COMMIT | cut -c1-7)" list &&
	lifebelt github sync cs101 hw2 >again &&
	test_grep "already recorded" again &&
	test "$(db "SELECT count(*) FROM jobs")" = 0 &&
	# A regrade grades what counts: a submission after the close never does.
	lifebelt regrade cs101 hw2 --no-wait >out 2>&1 &&
	test "$(db "SELECT count(*) FROM jobs")" = 0
'

# bad NAME ARGS...: the command fails with one line on stderr and stores nothing.
bad() {
	name=$1
	shift
	test_snapshot before.$name &&
	test_must_fail lifebelt "$@" >out.$name 2>err.$name &&
	cat err.$name &&
	test $(wc -l <err.$name) = 1 &&
	test_snapshot after.$name &&
	test_cmp before.$name after.$name
}

test_expect_success 'github token: no file, an empty one, a token with a space, no argument' '
	bad missing github token nowhere.txt && test_grep "cannot read the token from nowhere.txt" err.missing &&
	: >empty.txt && bad empty github token empty.txt && test_grep "token is empty" err.empty &&
	echo "ghp_abc def" >space.txt && bad space github token space.txt &&
	test_grep "holds a space" err.space &&
	bad none github token && test_grep "usage: lifebelt github token" err.none &&
	test "$(cat "$LIFEBELT_HOME/github/token")" = "$GH_TOKEN"
'

test_expect_success 'github key: a public key, no key, a key with a passphrase, no such student or assignment' '
	ssh-keygen -q -t ed25519 -N "" -f deploy </dev/null &&
	ssh-keygen -q -t ed25519 -N "a passphrase" -f locked </dev/null &&
	bad public github key cs101 hw1 alice deploy.pub && test_grep "holds a public key" err.public &&
	echo hello >junk && bad junk github key cs101 hw1 alice junk && test_grep "is not a private key" err.junk &&
	bad locked github key cs101 hw1 alice locked && test_grep "passphrase" err.locked &&
	bad nobody github key cs101 hw1 zed deploy && test_grep "zed has no repository for cs101/hw1" err.nobody &&
	bad nohw github key cs101 hw9 alice deploy && test_grep "no assignment cs101/hw9" err.nohw &&
	bad badname github key cs101 hw1 "a b" deploy &&
	! ls "$LIFEBELT_HOME"/github/deploy-key-* 2>/dev/null
'

test_expect_success 'github known-hosts: hashed names, markers, junk, nothing' '
	key=$(cut -d" " -f1,2 deploy.pub) &&
	echo "|1|c2FsdA==|aGFzaA== $key" >hashed && bad hashed github known-hosts hashed &&
	test_grep "line 1: hashed host names" err.hashed &&
	echo "@revoked * $key" >marker && bad marker github known-hosts marker &&
	test_grep "markers" err.marker &&
	printf "# comment\ngithub.com ssh-ed25519 AAAAnotakey\n" >junk && bad junkhosts github known-hosts junk &&
	test_grep "line 2" err.junkhosts &&
	echo "# only a comment" >nothing && bad nothing github known-hosts nothing &&
	test_grep "no host key" err.nothing &&
	! test -e "$LIFEBELT_HOME/github/known_hosts" &&
	echo "github.com $key" >good && lifebelt github known-hosts good >out &&
	test_grep "known hosts kept" out
'

test_expect_success 'github sync: no such assignment, nothing mapped, a wrong argument count' '
	bad nosuch github sync cs101 hw9 && test_grep "no assignment cs101/hw9" err.nosuch &&
	bad unmapped github sync cs101 hw3 && test_grep "no repository of cs101/hw3 is mapped" err.unmapped &&
	bad args github sync cs101 && test_grep "usage: lifebelt github sync COURSE NAME" err.args
'

test_expect_success 'github sync of an unreachable GitHub: a line per repository, non-zero, nothing recorded' '
	# Content of its own: made in the same second as the one for hw2, it would share its id.
	gh_git_push octo/hw3-alice "int main(void) { return 3; }" &&
	gh_map cs101/hw3/alice.git octo/hw3-alice &&
	lifebelt config set github.git_url http://127.0.0.1:$(test_free_port) >/dev/null &&
	test_must_fail lifebelt github sync cs101 hw3 >out 2>err &&
	test_grep "alice (octo/hw3-alice): not fetched: cannot fetch octo/hw3-alice" out &&
	test_grep "1 of 1 repositories were not fetched" err &&
	test "$(db "SELECT count(*) FROM submissions WHERE commit_id = '\''$GH_COMMIT'\''")" = 0 &&
	lifebelt config set github.git_url http://127.0.0.1:$GH_PORT >/dev/null &&
	lifebelt github sync cs101 hw3 >out &&
	test "$(db "SELECT count(*) FROM submissions WHERE commit_id = '\''$GH_COMMIT'\''")" = 1
'

test_expect_success 'the settings: github.git_url and github.ssh_url are URLs without secrets' '
	bad scheme config set github.git_url ftp://github.com && test_grep "must start with http" err.scheme &&
	bad userinfo config set github.git_url https://me:pw@github.com &&
	test_grep "must not hold a user or password" err.userinfo &&
	bad slash config set github.git_url https://github.com/ && test_grep "must not end with" err.slash &&
	bad ssh config set github.ssh_url https://github.com && test_grep "must start with ssh://" err.ssh &&
	lifebelt config list >list && test_grep github.ssh_url list && test_grep github.git_url list
'

test_done
