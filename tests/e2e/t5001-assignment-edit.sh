#!/bin/sh
test_description='lifebelt assignment list, show and edit: lateness and the gradebook follow at once'
. "$(dirname "$0")/test-lib.sh"

db() { sqlite3 "$LIFEBELT_HOME/lifebelt.db" "$@"; }

test_expect_success 'setup: alice hands in late work, graded by the runner' '
	lifebelt init >/dev/null && lifebelt course add cs101 >/dev/null &&
	lifebelt student add cs101 alice >/dev/null &&
	lifebelt student add cs101 bob >/dev/null &&
	test_make_tests_dir tests &&
	lifebelt assignment add cs101 hw1 --tests tests --due 2020-01-01T00:00:00Z \
		--late-penalty 10 >/dev/null &&
	git clone -q "$LIFEBELT_HOME/repos/cs101/hw1/alice.git" alice &&
	(cd alice && echo a >a && git add a && git commit -qm a && git push -q origin main 2>/dev/null) &&
	lifebelt runner --drain 2>/dev/null &&
	lifebelt grades cs101 hw1 >out &&
	test_grep "^alice .* 0/1  (1 before late penalty, [0-9]* days late)  \[passed\]" out
'

test_expect_success 'assignment list: every setting and the number of submissions' '
	lifebelt assignment list cs101 >out &&
	test_grep "^NAME  *DUE  *CLOSE  *PENALTY  *DAYS  *POINTS  *TESTS  *BRANCH  *SUBS$" out &&
	test_grep "^hw1  *2020-01-01 00:00:00 UTC  never  *10%  *0  *tests  [0-9a-f]\{12\}  main  *1$" out
'

test_expect_success 'moving the due date makes late work on time at once, in grades and submissions' '
	USER=admin lifebelt assignment edit cs101 hw1 --due 2099-01-01T00:00:00Z >out &&
	test_grep "^cs101/hw1: due 2020-01-01 00:00:00 UTC -> 2099-01-01 00:00:00 UTC$" out &&
	test_grep "lateness changed for 1 submission;" out &&
	lifebelt grades cs101 hw1 >out &&
	test_grep "^alice .* 1/1  \[passed\]$" out &&
	lifebelt submissions cs101 hw1 >out &&
	test_grep "alice .* on time  done (passed) 1/1" out
'

test_expect_success '--points scales the gradebook, the CSV too' '
	lifebelt assignment edit cs101 hw1 --points 20 >out &&
	test_grep "points the tests. total -> 20" out &&
	lifebelt grades cs101 hw1 >out && test_grep "^alice .* 20/20" out &&
	lifebelt grades cs101 hw1 --csv >out && test_grep "^alice,,,20,20,20,0,1,passed" out &&
	lifebelt assignment edit cs101 hw1 --points tests >/dev/null &&
	lifebelt grades cs101 hw1 >out && test_grep "^alice .* 1/1" out
'

test_expect_success '--late-days sets the close time; it then moves with the due time' '
	lifebelt assignment edit cs101 hw1 --late-days 2 >out &&
	test_grep "close never -> 2099-01-03 00:00:00 UTC" out &&
	lifebelt assignment edit cs101 hw1 --due 2098-01-01T00:00:00Z >out &&
	test_grep "close 2099-01-03 00:00:00 UTC -> 2098-01-03 00:00:00 UTC" out &&
	lifebelt assignment edit cs101 hw1 --close never >out &&
	test_grep "close 2098-01-03 00:00:00 UTC -> never" out
'

test_expect_success 'a close before the due time is refused, and nothing changes' '
	test_snapshot before &&
	test_must_fail lifebelt assignment edit cs101 hw1 --close 2097-01-01T00:00:00Z \
		--late-penalty 50 2>err &&
	test_grep "^error: the close time 2097-01-01 00:00:00 UTC would be before the due time 2098-01-01 00:00:00 UTC; give a later --close (or --close never); nothing changed$" err &&
	lifebelt assignment edit cs101 hw1 --close 2098-02-01T00:00:00Z >/dev/null &&
	test_must_fail lifebelt assignment edit cs101 hw1 --due 2098-03-01T00:00:00Z 2>err &&
	test_grep "would be before the due time 2098-03-01" err &&
	lifebelt assignment edit cs101 hw1 --close never >/dev/null &&
	db "DELETE FROM assignment_edits WHERE id > (SELECT max(id) - 2 FROM assignment_edits)" &&
	test_snapshot after &&
	test_cmp before after
'

test_expect_success 'every bad value is one line naming it, and nothing changes' '
	test_snapshot before &&
	for args in "--late-penalty 101" "--late-penalty x" "--late-days -1" "--late-days 1.5" \
		"--points 0" "--points -3" "--points lots" "--due tomorrow" "--close 2099-13-01T00:00:00Z" \
		"--branch Main" "--branch ../x" "--tests-version zzzzzzz" "--tests-version 0000000" \
		"--tests-version abc" "--colour red" ""
	do
		test_must_fail lifebelt assignment edit cs101 hw1 $args 2>err &&
		test $(wc -l <err) = 1 || { echo "args: $args"; cat err; return 1; }
	done &&
	test_must_fail lifebelt assignment edit cs101 nope --late-days 1 2>err &&
	test_grep "no assignment cs101/nope" err &&
	test_must_fail lifebelt assignment edit cs101 hw1 --late-penalty 101 2>err &&
	test_grep "bad value for --late-penalty: .101." err &&
	test_must_fail lifebelt assignment edit cs101 hw1 --tests-version 0000000 2>err &&
	test_grep "no tests version .0000000. of cs101/hw1" err &&
	test_must_fail lifebelt assignment edit cs101 hw1 2>err &&
	test_grep "nothing to change" err &&
	test_must_fail lifebelt assignment list nope 2>err && test_grep "no course .nope." err &&
	test_must_fail lifebelt assignment show cs101 nope 2>err &&
	test_snapshot after &&
	test_cmp before after
'

test_expect_success 'assignment show: the settings and each change with who and when' '
	SUDO_USER=tina lifebelt assignment edit cs101 hw1 --late-penalty 5 >/dev/null &&
	lifebelt assignment show cs101 hw1 >out &&
	test_grep "^late penalty:  5% per started day$" out &&
	test_grep "^submissions:   1$" out &&
	test_grep "^  20[0-9-]* [0-9:]* UTC  admin on the server: due 2020-01-01 00:00:00 UTC -> 2099-01-01 00:00:00 UTC$" out &&
	test_grep "^  20[0-9-]* [0-9:]* UTC  tina on the server: late_penalty 10 -> 5$" out &&
	test "$(db "SELECT count(*) FROM assignment_edits WHERE who = '\''tina on the server'\''")" = 1
'

test_expect_success 'an extension makes late work on time at once' '
	lifebelt assignment edit cs101 hw1 --due 2021-01-01T00:00:00Z >/dev/null &&
	lifebelt submissions cs101 hw1 >out && test_grep "alice .* late " out &&
	lifebelt extend cs101 hw1 alice --until 2099-01-01T00:00:00Z >/dev/null &&
	lifebelt submissions cs101 hw1 >out && test_grep "alice .* on time " out &&
	lifebelt grades cs101 hw1 >out && test_grep "^alice .* 1/1  \[passed\]$" out
'

test_expect_success '--tests-version installs an earlier commit of the tests repository' '
	git clone -q "$LIFEBELT_HOME/repos/cs101/hw1/.tests.git" t &&
	first=$(git -C t rev-parse HEAD) &&
	(cd t && sed -i "s/\"points\": 1/\"points\": 3/" lifebelt.json && git commit -qam three &&
	 git push -q origin main 2>/dev/null) &&
	second=$(git -C t rev-parse HEAD) &&
	test "$(db "SELECT tests_version FROM assignments")" = "$second" &&
	lifebelt assignment edit cs101 hw1 --tests-version $(echo $first | cut -c1-10) >out &&
	test_grep "tests_version $second -> $first" out &&
	test_grep "lifebelt regrade cs101 hw1" out &&
	test "$(db "SELECT tests_version FROM assignments")" = "$first" &&
	grep "\"points\": 1" "$(db "SELECT tests_dir FROM assignments")/lifebelt.json" &&
	(cd t && git checkout -qb draft && git commit -q --allow-empty -m draft &&
	 git push -q origin draft 2>/dev/null) &&
	test_must_fail lifebelt assignment edit cs101 hw1 --tests-version $(git -C t rev-parse HEAD) 2>err &&
	test_grep "no tests version" err &&
	test "$(db "SELECT tests_version FROM assignments")" = "$first"
'

test_done
