#!/bin/bash
test_description='lifebelt import github-classroom refuses groups that cannot be teams, naming the file and field, before anything is created'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-github-git.sh"
. "$TEST_DIRECTORY/lib-classroom-export.sh"

ACC=classroom-7001/assignment-71/accepted-assignments.json
CSV=classroom-7001/assignment-71/grades.csv

# refused LINE: the import of the export of ./groups fails with exactly LINE, and nothing changed.
refused() {
	rm -rf export && groups_export export groups && import_refused "$1"
}

lifebelt init >/dev/null && gh_start 2>gh.err && echo "$GH_TOKEN" >token.txt &&
	lifebelt github token token.txt >/dev/null && groups_starter &&
	gh_commit octo-org/shell-project-red run.sh "echo ok" &&
	gh_commit octo-org/shell-project-blue run.sh "echo todo" ||
	{ echo "Bail out! cannot set up the GitHub stand-in"; exit 1; }

test_expect_success 'a student in two groups of one assignment' '
	cat >groups <<-\EOF &&
	shell-project-red|red|6|10|Alice-Smith bob
	shell-project-blue|blue|0|10|carol BOB
	EOF
	refused "$ACC: [1].students[1].login: '\''bob'\'' would be in two teams: the groups of octo-org/shell-project-red and octo-org/shell-project-blue"
'

test_expect_success 'a student named twice in one group' '
	cat >groups <<-\EOF &&
	shell-project-red|red|6|10|Alice-Smith bob alice-smith
	EOF
	refused "$ACC: [0].students[2].login: '\''Alice-Smith'\'' is named twice in the group of octo-org/shell-project-red"
'

test_expect_success 'an empty group' '
	cat >groups <<-\EOF &&
	shell-project-red|red|6|10|Alice-Smith bob
	shell-project-blue|blue|||
	EOF
	refused "$ACC: [1].students: an empty group: a group'\''s repository has at least one student"
'

test_expect_success 'members of one group whose rows name two groups, or give two grades' '
	cat >groups <<-\EOF &&
	shell-project-red|red|6|10|Alice-Smith bob
	EOF
	rm -rf export && groups_export export groups &&
	sed -i "3s/,red\$/,reds/" export/$CSV &&
	import_snapshot before &&
	test_must_fail lifebelt import github-classroom export --teacher tina 2>err &&
	import_snapshot after && test_cmp before after &&
	echo "error: $CSV: line 3, column group_name: '\''reds'\'', but another row of octo-org/shell-project-red'\''s group says '\''red'\''; nothing was imported" >expect &&
	test_cmp expect err &&
	rm -rf export && groups_export export groups &&
	sed -i "3s/,6,10,red\$/,7,10,red/" export/$CSV &&
	test_must_fail lifebelt import github-classroom export --teacher tina 2>err &&
	import_snapshot after && test_cmp before after &&
	echo "error: $CSV: line 3, column points_awarded: 7/10, but line 2 gave octo-org/shell-project-red'\''s group 6/10; nothing was imported" >expect &&
	test_cmp expect err
'

test_expect_success 'a group whose name and repository make no team name' '
	cat >groups <<-\EOF &&
	shell-project-red|red|6|10|Alice-Smith
	shell-project-blue|Red|0|10|bob
	EOF
	rm -rf export && groups_export export groups &&
	lifebelt import github-classroom export --dry-run >plan 2>err &&
	test_grep "^    team red (octo-org/shell-project-red, group \"red\"): alice-smith; new$" plan &&
	test_grep "^    team shell-project-blue (octo-org/shell-project-blue, group \"Red\"): bob; new$" plan &&
	test_grep "^      named shell-project-blue: its group'\''s name is no team name here, or another group'\''s: named after its repository$" plan &&
	cat >groups <<-\EOF &&
	shell-project-red|red|6|10|Alice-Smith
	red|Red|0|10|bob
	EOF
	refused "$ACC: [1].repository.full_name: no team name can be made of '\''octo-org/red'\'' or of its group'\''s name (a team name is [a-z0-9._-], not another group'\''s); rename the group or its repository on GitHub and export again"
'

test_expect_success 'a team here whose members are not the group'\''s in the export' '
	cat >groups <<-\EOF &&
	shell-project-red|red|6|10|Alice-Smith bob
	EOF
	rm -rf export && groups_export export groups &&
	lifebelt import github-classroom export --teacher tina >out 2>err &&
	lifebelt team list systems-lab shell-project >teams &&
	test_grep "^red  *alice-smith bob " teams &&
	cat >groups <<-\EOF &&
	shell-project-red|red|6|10|Alice-Smith bob Carol
	EOF
	refused "team red of systems-lab/shell-project has other members than octo-org/shell-project-red'\''s group in the export"
'

test_expect_success 'a group whose repository is mapped to a student'\''s own already' '
	lifebelt student add systems-lab zed >/dev/null &&
	lifebelt github link systems-lab shell-project zed octo-org/shell-project-blue >/dev/null &&
	cat >groups <<-\EOF &&
	shell-project-red|red|6|10|Alice-Smith bob
	shell-project-blue|blue|0|10|Carol
	EOF
	refused "GitHub'\''s octo-org/shell-project-blue is mapped to a repository that is not a team'\''s of systems-lab/shell-project"
'

test_done
