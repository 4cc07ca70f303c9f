#!/bin/sh
test_description='backup while pushes go on over HTTPS-style git; restore finds every push acknowledged before it began'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"
. "$TEST_DIRECTORY/lib-httpgit.sh"

STUDENTS="alice bob dave erin"
HOME2=$TRASH_DIRECTORY/home2

db2() { sqlite3 -cmd ".timeout 10000" "$HOME2/lifebelt.db" "$@"; }

gitd_course &&
for s in dave erin; do lifebelt student add cs101 $s >/dev/null || exit 1; done &&
for s in $STUDENTS; do token $s || exit 1; done &&
echo s3cret-s3cret-s3cret | lifebelt github secret - >/dev/null &&
chmod 640 "$LIFEBELT_HOME/lifebelt.db" &&
start_serve ||
	{ echo "Bail out! cannot set up a course and lifebelt serve"; exit 1; }

url() {
	eval "t=\$TOKEN_$1"
	echo "http://$1:$t@127.0.0.1:$HTTP_PORT/git/cs101/hw1"
}

# rush WHO: commit and push until the file stop appears (or 300 pushes);
# each push git acknowledged goes to acks as "WHO COMMIT" once the push
# has returned.
rush() {
	n=0
	while ! test -f stop && test $n -lt 300; do
		n=$((n + 1))
		echo "$1 $n" >>"$1/main.c" && git -C "$1" commit -qam "push $n" &&
		if git -C "$1" push -q origin main 2>>"$1.err"; then
			echo "$1 $(git -C "$1" rev-parse HEAD)" >>acks
		fi
	done
}

# acked N: at least N pushes acknowledged.
acked() {
	test "$(wc -l <acks)" -ge "$1"
}

test_expect_success 'setup: a clone for each student' '
	for s in $STUDENTS; do
		git clone -q $(url $s) $s || return 1
	done
'

test_expect_success 'a backup made while four students push' '
	: >acks &&
	for s in $STUDENTS; do rush $s & done &&
	test_wait_until acked 8 &&
	cp acks acked-before &&
	lifebelt backup "$TRASH_DIRECTORY/bk" >out &&
	test_wait_until acked $(($(wc -l <acked-before) + 8)); touch stop; wait &&
	test_grep "^backed up $LIFEBELT_HOME to $TRASH_DIRECTORY/bk: 5 repositories" out &&
	test $(wc -l <acks) -gt $(wc -l <acked-before) &&
	stop_serve 20
'

test_expect_success 'the backup has a manifest and keeps the secrets private' '
	python3 - "$TRASH_DIRECTORY/bk/manifest.json" <<-\PY &&
	import json, sys
	m = json.load(open(sys.argv[1]))
	assert m["format"] == 1, m
	assert m["counts"]["repos"] == 4 and m["counts"]["submissions"] >= 8, m
	assert m["lifebelt"] and m["created"].endswith("Z"), m
	PY
	test "$(stat -c %a "$TRASH_DIRECTORY/bk/server.key")" = 600 &&
	test "$(stat -c %a "$TRASH_DIRECTORY/bk/manifest.json")" = 600 &&
	test "$(stat -c %a "$TRASH_DIRECTORY/bk")" = 700 &&
	! test -e "$TRASH_DIRECTORY/bk/work" &&
	cmp "$LIFEBELT_HOME/server.key" "$TRASH_DIRECTORY/bk/server.key"
'

test_expect_success 'restored into a new data directory' '
	LIFEBELT_HOME=$HOME2 lifebelt restore "$TRASH_DIRECTORY/bk" >out &&
	test_grep "^restored the backup of $LIFEBELT_HOME made .* into $HOME2: " out &&
	test "$(stat -c %a "$HOME2/server.key")" = 600 &&
	test "$(stat -c %a "$HOME2/github")" = 700 &&
	test "$(stat -c %a "$HOME2/github/webhook-secret")" = 600 &&
	cmp "$LIFEBELT_HOME/github/webhook-secret" "$HOME2/github/webhook-secret" &&
	test "$(stat -c %a "$HOME2/lifebelt.db")" = 640 &&
	test "$(git --git-dir="$HOME2/repos/cs101/hw1/alice.git" config core.hooksPath)" = "$HOME2/hooks" &&
	test "$(git --git-dir="$HOME2/repos/cs101/hw1/.tests.git" config core.hooksPath)" = \
		"$HOME2/hooks/tests" &&
	test_grep "home $HOME2 alice" "$HOME2/ssh/authorized_keys" &&
	! grep "$LIFEBELT_HOME " "$HOME2/ssh/authorized_keys" &&
	test -z "$(db2 "SELECT tests_dir FROM assignments WHERE tests_dir NOT LIKE '\''$HOME2/%'\''")"
'

test_expect_success 'every push acknowledged before the backup began has its commit and submission' '
	while read -r who commit; do
		git --git-dir="$HOME2/repos/cs101/hw1/$who.git" cat-file -e "$commit^{commit}" &&
		test "$(db2 "SELECT count(*) FROM submissions s JOIN repos r ON r.id = s.repo_id
			WHERE r.path = '\''cs101/hw1/$who.git'\'' AND s.commit_id = '\''$commit'\''")" = 1 ||
		{ echo "lost: $who $commit"; return 1; }
	done <acked-before
'

test_expect_success '... and every branch tip in the copy has its submission, each once' '
	for s in $STUDENTS; do
		tip=$(git --git-dir="$HOME2/repos/cs101/hw1/$s.git" rev-parse main) &&
		test "$(db2 "SELECT count(*) FROM submissions WHERE commit_id = '\''$tip'\''")" = 1 ||
		return 1
	done &&
	test -z "$(db2 "SELECT commit_id FROM submissions GROUP BY repo_id, ref, commit_id HAVING count(*) > 1")" &&
	test -z "$(db2 "SELECT id FROM jobs WHERE state = '\''running'\''")"
'

test_expect_success 'fsck finds the restored data directory sound' '
	LIFEBELT_HOME=$HOME2 lifebelt fsck >out &&
	test_grep "no problems" out
'

test_expect_success 'the restored server grades, takes pushes and serves pages' '
	LIFEBELT_HOME=$HOME2 lifebelt runner --drain &&
	test -z "$(db2 "SELECT id FROM jobs WHERE state NOT IN ('\''done'\'', '\''superseded'\'')")" &&
	while read -r who commit; do
		test -n "$(db2 "SELECT j.status FROM jobs j JOIN submissions s ON s.id = j.submission_id
			WHERE s.commit_id = '\''$commit'\'' AND j.state = '\''done'\'' AND j.status = '\''passed'\''")" ||
		test -n "$(db2 "SELECT j.id FROM jobs j JOIN submissions s ON s.id = j.submission_id
			WHERE s.commit_id = '\''$commit'\'' AND j.state = '\''superseded'\''")" ||
		{ echo "no verdict: $who $commit"; return 1; }
	done <acked-before &&
	LIFEBELT_HOME=$HOME2 &&
	start_serve &&
	git -C alice remote set-url origin $(url alice) &&
	git -C alice pull -q --no-rebase origin main &&
	echo after >>alice/main.c && git -C alice commit -qam after &&
	git -C alice push origin main 2>push.err &&
	test_grep "submission [0-9]* for cs101/hw1 received" push.err &&
	tip=$(git -C alice rev-parse HEAD) &&
	test "$(db2 "SELECT via FROM submissions WHERE commit_id = '\''$tip'\''")" = http &&
	link=$(sed -n "s/^remote: results: \(http[^ ]*\).*/\1/p" push.err) &&
	curl -sf "$HTTP_URL/${link#http://*/}" >page.html &&
	test_grep "cs101" page.html &&
	stop_serve 20 &&
	LIFEBELT_HOME=$HOME2 lifebelt runner --drain &&
	test "$(db2 "SELECT j.status FROM jobs j JOIN submissions s ON s.id = j.submission_id
		WHERE s.commit_id = '\''$tip'\''")" = passed
'

test_done
