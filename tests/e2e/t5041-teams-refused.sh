#!/bin/sh
test_description='team add and rm refuse bad teams in one line and change nothing'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-teams.sh"

db() { sqlite3 "$LIFEBELT_HOME/lifebelt.db" "$@"; }

test_expect_success 'setup: a course with four students, one of them in team red' '
	lifebelt init >/dev/null && lifebelt course add cs101 >/dev/null &&
	for s in alice bob carol dave; do lifebelt student add cs101 $s >/dev/null || return 1; done &&
	lifebelt teacher add cs101 tina >/dev/null &&
	test_make_tests_dir tests &&
	lifebelt assignment add cs101 hw1 --tests tests --due 2030-01-01T00:00:00Z >/dev/null &&
	lifebelt team add cs101 hw1 red alice bob >/dev/null
'

test_expect_success 'a student already in another team of the assignment' '
	teams_refused "^error: alice is already in team .red. of cs101/hw1" \
		lifebelt team add cs101 hw1 blue carol alice
'

test_expect_success 'an unknown login, and a teacher' '
	teams_refused "^error: no student .zed. in cs101" lifebelt team add cs101 hw1 blue carol zed &&
	teams_refused "^error: no student .tina. in cs101" lifebelt team add cs101 hw1 blue carol tina
'

test_expect_success 'an empty team, a student named twice' '
	teams_refused "^error: a team needs members" lifebelt team add cs101 hw1 blue &&
	teams_refused "^error: carol is named twice" lifebelt team add cs101 hw1 blue carol carol
'

test_expect_success 'a team name that is a login, reserved, invalid or taken' '
	teams_refused "^error: team name .dave. is someone.s login" lifebelt team add cs101 hw1 dave carol &&
	teams_refused "^error: team name .tests. is reserved" lifebelt team add cs101 hw1 tests carol &&
	teams_refused "^error: .*Blue" lifebelt team add cs101 hw1 Blue carol &&
	teams_refused "^error: team .red. of cs101/hw1 already exists" lifebelt team add cs101 hw1 red carol
'

test_expect_success 'a student who already pushed work of their own' '
	git clone -q "$LIFEBELT_HOME/repos/cs101/hw1/carol.git" carol &&
	(cd carol && echo c >c && git add c && git commit -qm c && git push -q origin main 2>/dev/null) &&
	teams_refused "^error: carol has already handed in work from cs101/hw1/carol.git" \
		lifebelt team add cs101 hw1 blue dave carol
'

test_expect_success 'a team of one more is made once the refusals are fixed' '
	lifebelt team add cs101 hw1 blue dave >out &&
	test_grep "team blue of cs101/hw1: 1 member," out &&
	lifebelt team list cs101 hw1 >out &&
	printf "%s\n" blue dave red "alice bob" >expect &&
	awk "{ print \$1; \$1 = \"\"; \$NF = \"\"; \$(NF-1) = \"\"; sub(/^ +/, \"\"); sub(/ +$/, \"\"); print }" out >actual &&
	test_cmp expect actual
'

test_expect_success 'team rm: unknown team, and a team that handed in work, are refused' '
	teams_refused "^error: no team .green. of cs101/hw1" lifebelt team rm cs101 hw1 green &&
	git clone -q "$LIFEBELT_HOME/repos/cs101/hw1/red.git" red &&
	(cd red && echo r >r && git add r && git commit -qm r && git push -q origin main 2>/dev/null) &&
	teams_refused "^error: team .red. has handed in work (1 submission)" lifebelt team rm cs101 hw1 red
'

test_expect_success 'team rm of a team with nothing handed in gives its members their repositories back' '
	lifebelt team rm cs101 hw1 blue >out &&
	test_grep "team blue of cs101/hw1 removed" out &&
	! test -e "$LIFEBELT_HOME/repos/cs101/hw1/blue.git" &&
	test -d "$LIFEBELT_HOME/repos/cs101/hw1/dave.git" &&
	test "$(db "SELECT count(*) FROM teams")" = 1 &&
	test "$(db "SELECT count(*) FROM repos WHERE path = \"cs101/hw1/dave.git\"")" = 1
'

test_expect_success 'enrolling the team members again makes no repositories of their own' '
	printf "login\nalice\nbob\n" >roster.csv &&
	lifebelt roster import cs101 roster.csv >out &&
	test_grep "0 repositories created" out &&
	! test -e "$LIFEBELT_HOME/repos/cs101/hw1/alice.git"
'

test_done
