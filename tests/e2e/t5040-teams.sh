#!/bin/bash
test_description='a team pushes to one repository over SSH and HTTPS; every member gets its grade'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"

db() { sqlite3 "$LIFEBELT_HOME/lifebelt.db" "$@"; }

gitd_course && lifebelt student add cs101 dave --key mallory.key.pub >/dev/null &&
	start_sshd && start_serve && token alice && token bob && token dave ||
	{ echo "Bail out! cannot set up a course, sshd and lifebelt serve"; exit 1; }
GIT_TERMINAL_PROMPT=0
export GIT_TERMINAL_PROMPT
S=$SSH_USER@127.0.0.1
H=http://127.0.0.1:$HTTP_PORT/git
denied="access denied: you may push to and fetch only your own repositories"

test_expect_success 'team add makes one repository for alice and bob and removes theirs' '
	lifebelt team add cs101 hw1 red alice bob >out &&
	test_grep "team red of cs101/hw1: 2 members, repository cs101/hw1/red" out &&
	test -d "$LIFEBELT_HOME/repos/cs101/hw1/red.git" &&
	! test -e "$LIFEBELT_HOME/repos/cs101/hw1/alice.git" &&
	! test -e "$LIFEBELT_HOME/repos/cs101/hw1/bob.git" &&
	test -d "$LIFEBELT_HOME/repos/cs101/hw1/dave.git" &&
	lifebelt team list cs101 hw1 >out &&
	test_grep "^red  *alice bob  *0 submissions" out
'

test_expect_success 'alice clones the team repository over SSH and pushes' '
	git_as alice clone -q $S:cs101/hw1/red a-red &&
	test -f a-red/main.c &&
	(cd a-red && echo "// alice" >>main.c && git commit -qam alice &&
	 git_as alice push origin main 2>../push-alice.err) &&
	test "$(server_ref cs101/hw1/red.git main)" = "$(git -C a-red rev-parse HEAD)"
'

test_expect_success 'bob fetches her work over HTTPS and pushes on top' '
	git clone -q http://bob:$TOKEN_bob@127.0.0.1:$HTTP_PORT/git/cs101/hw1/red.git b-red &&
	test "$(git -C b-red rev-parse HEAD)" = "$(git -C a-red rev-parse HEAD)" &&
	(cd b-red && echo "// bob" >>main.c && git commit -qam bob && git push -q origin main) &&
	test "$(server_ref cs101/hw1/red.git main)" = "$(git -C b-red rev-parse HEAD)"
'

test_expect_success 'each submission records who pushed it' '
	db "SELECT s.pusher || \" \" || s.via FROM submissions s JOIN repos r ON r.id = s.repo_id
	    WHERE r.path = \"cs101/hw1/red.git\" ORDER BY s.id" >actual &&
	printf "alice ssh\nbob http\n" >expect &&
	test_cmp expect actual &&
	lifebelt submissions cs101 hw1 bob >out &&
	test $(wc -l <out) -eq 2 &&
	test_grep "red .* pushed by bob" out &&
	test_grep "red .* pushed by alice" out
'

test_expect_success 'both members get the team grade' '
	lifebelt runner --drain 2>runner.log &&
	lifebelt grades cs101 hw1 >out &&
	test_grep "^alice  *.* 2  1/1" out &&
	test_grep "^bob  *.* 2  1/1" out &&
	test_grep "^dave  *.* 0  -" out &&
	lifebelt grades cs101 hw1 --csv >grades.csv &&
	python3 -c "
import csv, sys
rows = {r[\"login\"]: r for r in csv.DictReader(open(\"grades.csv\", newline=\"\"))}
assert rows[\"alice\"][\"score\"] == \"1\" and rows[\"bob\"][\"score\"] == \"1\", rows
assert rows[\"alice\"][\"submissions\"] == \"2\" and rows[\"dave\"][\"score\"] == \"\", rows
"
'

test_expect_success 'bob sees the team and who pushed each submission on his page; dave does not' '
	lifebelt token bob >tok &&
	bob=$(sed -n "s|^web: *http://[^/]*\(/me/.*\)|\1|p" tok) && test -n "$bob" &&
	curl -sf "$HTTP_URL$bob" >page.html &&
	test_grep "team <code>red</code>" page.html &&
	test_grep "by alice" page.html && test_grep "by bob" page.html &&
	curl -sf "$HTTP_URL$bob/s/1" >s1.html &&
	test_grep "<th>Pushed by</th><td>alice</td>" s1.html &&
	lifebelt token dave >tok &&
	dave=$(sed -n "s|^web: *http://[^/]*\(/me/.*\)|\1|p" tok) && test -n "$dave" &&
	test "$(curl -s -o /dev/null -w "%{http_code}" "$HTTP_URL$dave/s/1")" = 404
'

test_expect_success 'a student outside the team is refused with the usual line, over SSH and HTTPS' '
	token dave &&
	all_refs >before &&
	test_must_fail git_as mallory clone $S:cs101/hw1/red dave-red 2>err &&
	test_grep "$denied" err &&
	test_must_fail git clone http://dave:$TOKEN_dave@127.0.0.1:$HTTP_PORT/git/cs101/hw1/red.git dave-h 2>err &&
	test_grep "403\|$denied" err &&
	(cd a-red && git remote add dave http://dave:$TOKEN_dave@127.0.0.1:$HTTP_PORT/git/cs101/hw1/red.git &&
	 test_must_fail git push dave main 2>../err) &&
	all_refs >after &&
	test_cmp before after
'

test_expect_success 'a member no longer reaches a repository of their own for hw1' '
	test_must_fail git_as alice ls-remote $S:cs101/hw1 2>err &&
	test_grep "$denied" err
'

test_done
