#!/bin/sh
test_description='roster import --teams-for: the team column makes teams, all rows or none'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-teams.sh"

test_expect_success 'setup: a course with two assignments' '
	lifebelt init >/dev/null && lifebelt course add cs101 >/dev/null &&
	test_make_tests_dir tests &&
	lifebelt assignment add cs101 hw1 --tests tests --due 2030-01-01T00:00:00Z >/dev/null &&
	lifebelt assignment add cs101 hw2 --tests tests --due 2030-02-01T00:00:00Z >/dev/null &&
	cat >roster.csv <<-\EOF
	login,name,team
	ann,Ann,red
	ben,Ben,blue
	cat,Cat,red
	dan,Dan,
	EOF
'

test_expect_success 'the team column makes the teams of the assignment named, with their repositories' '
	lifebelt roster import cs101 roster.csv --teams-for hw2 >out &&
	test_grep "imported 4 students into cs101 (4 new, 7 repositories created, 2 teams for hw2)" out &&
	lifebelt team list cs101 hw2 >out &&
	test_grep "^blue  *ben  *0 submissions" out &&
	test_grep "^red  *ann cat  *0 submissions" out &&
	(cd "$LIFEBELT_HOME/repos/cs101" && ls hw1 hw2) >actual &&
	printf "hw1:\nann.git\nben.git\ncat.git\ndan.git\n\nhw2:\nblue.git\ndan.git\nred.git\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'importing the same roster again changes nothing' '
	teams_state >before &&
	lifebelt roster import cs101 roster.csv --teams-for hw2 >out &&
	test_grep "(0 new, 0 repositories created, 0 teams for hw2)" out &&
	teams_state >after && test_cmp before after
'

test_expect_success 'a team of the file with other members than the stored one is refused' '
	sed "s/^dan,Dan,$/dan,Dan,red/" roster.csv >moved.csv &&
	teams_refused "moved.csv: line 2, column team: team .red. of cs101/hw2 already has other members" \
		lifebelt roster import cs101 moved.csv --teams-for hw2
'

test_expect_success 'a student put in a second team by the file is refused' '
	printf "login,team\nann,green\neve,green\n" >second.csv &&
	teams_refused "ann is already in team .red. of cs101/hw2" lifebelt roster import cs101 second.csv --teams-for hw2
'

test_expect_success 'a bad team name, the column without --teams-for, --teams-for without it' '
	printf "login,team\neve,Green!\n" >bad.csv &&
	teams_refused "bad.csv: line 2, column team: .Green!. is not a valid team name" \
		lifebelt roster import cs101 bad.csv --teams-for hw1 &&
	teams_refused "roster.csv: the .team. column needs --teams-for NAME" lifebelt roster import cs101 roster.csv &&
	printf "login\neve\n" >plain.csv &&
	teams_refused "teams-for hw1: plain.csv has no .team. column" \
		lifebelt roster import cs101 plain.csv --teams-for hw1 &&
	teams_refused "teams-for: no assignment .hw9. in cs101" lifebelt roster import cs101 roster.csv --teams-for hw9
'

test_done
