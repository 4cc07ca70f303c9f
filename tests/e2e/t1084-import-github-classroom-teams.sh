#!/bin/bash
test_description='lifebelt import github-classroom: a group assignment'\''s groups become teams, graded as GitHub graded them'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"
. "$TEST_DIRECTORY/lib-github-git.sh"
. "$TEST_DIRECTORY/lib-classroom-export.sh"

C=systems-lab
A=shell-project
GIT_TERMINAL_PROMPT=0
export GIT_TERMINAL_PROMPT

# The state of the data directory: every row and every file's bytes.
snapshot() {
	db .dump >"$1" &&
	(cd "$LIFEBELT_HOME" && find . -path ./lifebelt.db\* -prune -o -type f -print0 |
		LC_ALL=C sort -z | xargs -0 sha1sum) >>"$1"
}

# score COMMIT: "score/max" of the finished job that graded COMMIT, once there is one.
score() {
	test_wait_until eval "test \"\$(db \"SELECT j.state FROM jobs j JOIN submissions s
		ON s.id = j.submission_id WHERE s.commit_id = '$1'\")\" = done" &&
	db "SELECT printf('%g/%g', j.score, j.max_score) FROM jobs j
	    JOIN submissions s ON s.id = j.submission_id WHERE s.commit_id = '$1'"
}

# Three groups: one whose name is no Lifebelt name as it is, one named like one of
# its members' login, one GitHub gave no name. What GitHub's autograding gave each
# (the starter's autograding.json: 6 for printing ok, 4 for NOTES) is in grades.csv.
cat >groups <<-\EOF
	shell-project-team-rocket|Team Rocket!|6|10|Alice-Smith bob
	shell-project-carol|carol|10|10|carol Dave9
	shell-project-the-owls||0|10|eve
EOF
lifebelt init >/dev/null && lifebelt config set ssh.user "$SSH_USER" >/dev/null &&
	gh_start 2>gh.err && echo "$GH_TOKEN" >token.txt &&
	lifebelt github token token.txt >/dev/null && groups_starter &&
	gh_commit octo-org/shell-project-team-rocket run.sh "echo todo" &&
	gh_commit octo-org/shell-project-team-rocket run.sh "echo ok" &&
	gh_commit octo-org/shell-project-carol run.sh "echo ok" &&
	gh_commit octo-org/shell-project-carol NOTES "ours" &&
	gh_commit octo-org/shell-project-the-owls run.sh "echo todo" &&
	groups_export export groups && test_make_key alice && start_sshd && start_serve ||
	{ echo "Bail out! cannot set up the GitHub stand-in, sshd and lifebelt serve"; exit 1; }

test_expect_success '--dry-run shows the teams it would make, and how each is named; nothing changes' '
	snapshot before &&
	lifebelt import github-classroom export --teacher tina --dry-run >plan 2>err &&
	snapshot after &&
	test_cmp before after &&
	test_grep "^  assignment $A (\"Shell Project\", group): new, due 2030-06-01 00:00:00 UTC; 3 team repositories, 5 grades from GitHub$" plan &&
	test_grep "^    starter octo-org/shell-starter (main) at [0-9a-f]\{12\}: its tests are graded$" plan &&
	cat >expect <<-\EOF &&
	    team team-rocket (octo-org/shell-project-team-rocket, group "Team Rocket!"): alice-smith bob; new
	      named team-rocket: its group'\''s name made a Lifebelt name
	    team shell-project-carol (octo-org/shell-project-carol, group "carol"): carol dave9; new
	      named shell-project-carol: its group'\''s name is someone'\''s login or another team'\''s: named after its repository
	    team the-owls (octo-org/shell-project-the-owls): eve; new
	      named the-owls: grades.csv names no group: named after its repository
	EOF
	grep "^    team \|^      named " plan >actual &&
	test_cmp expect actual &&
	test_grep "dry run: nothing was changed" plan
'

test_expect_success 'the import makes a team of each group, with its repository and whole history' '
	lifebelt import github-classroom export --teacher tina >out 2>err &&
	test_grep "^imported: 0 student repositories and 3 team repositories recorded, 3 repositories mirrored$" out &&
	test_grep "^\[1/3\] $C/$A/team-rocket (octo-org/shell-project-team-rocket): history mirrored, not graded$" out &&
	lifebelt team list $C $A >teams &&
	test_grep "^shell-project-carol  *carol dave9  *0 submissions" teams &&
	test_grep "^team-rocket  *alice-smith bob  *0 submissions" teams &&
	test_grep "^the-owls  *eve  *0 submissions" teams &&
	test $(wc -l <teams) = 3 &&
	test "$(db "SELECT count(*) FROM enrolments WHERE role = '\''student'\''")" = 5 &&
	for pair in team-rocket:shell-project-team-rocket shell-project-carol:shell-project-carol \
		the-owls:shell-project-the-owls
	do
		git --git-dir="$LIFEBELT_HOME/repos/$C/$A/${pair%%:*}.git" log --format="%H %T %s" main >mine &&
		git --git-dir="$GH_ROOT/octo-org/${pair##*:}.git" log --format="%H %T %s" main >theirs &&
		test_cmp theirs mine &&
		test "$(db "SELECT github_repo FROM repos WHERE path = '\''$C/$A/${pair%%:*}.git'\''")" = \
			"octo-org/${pair##*:}" || return 1
	done &&
	for login in alice-smith bob carol dave9 eve; do
		! test -e "$LIFEBELT_HOME/repos/$C/$A/$login.git" || return 1
	done &&
	test "$(db "SELECT count(*) FROM repos")" = 3 &&
	test "$(db "SELECT count(*) FROM submissions")" = 0
'

test_expect_success 'GitHub'\''s grade of a group is each member'\''s, kept as GitHub Classroom'\''s' '
	db "SELECT p.login, g.roster_identifier, g.repository, g.points, g.max_points
		FROM imported_grades g JOIN people p ON p.id = g.person_id ORDER BY p.login" >grades &&
	cat >expect <<-\EOF &&
	alice-smith|alice-smith@school.example|octo-org/shell-project-team-rocket|6.0|10.0
	bob|bob@school.example|octo-org/shell-project-team-rocket|6.0|10.0
	carol|carol@school.example|octo-org/shell-project-carol|10.0|10.0
	dave9|dave9@school.example|octo-org/shell-project-carol|10.0|10.0
	eve|eve@school.example|octo-org/shell-project-the-owls|0.0|10.0
	EOF
	test_cmp expect grades &&
	lifebelt grades $C $A >table &&
	test_grep "^alice-smith .* GitHub Classroom: 6/10$" table &&
	test_grep "^bob .* GitHub Classroom: 6/10$" table &&
	test_grep "^dave9 .* GitHub Classroom: 10/10$" table
'

test_expect_success 'running it again changes nothing, and says so' '
	snapshot before &&
	lifebelt import github-classroom export --teacher tina >again 2>err &&
	snapshot after &&
	test_cmp before after &&
	test_grep "^    team team-rocket (octo-org/shell-project-team-rocket, group \"Team Rocket!\"): alice-smith bob; exists$" again &&
	test_grep "^    team the-owls (octo-org/shell-project-the-owls): eve; exists$" again &&
	test_grep "nothing to change: this export was imported before" again
'

test_expect_success 'a member pushes to the team repository over SSH: graded as GitHub graded it' '
	lifebelt key add alice-smith alice.key.pub >/dev/null &&
	git_as alice clone -q $SSH_USER@127.0.0.1:$C/$A/team-rocket rocket &&
	test "$(git -C rocket rev-parse HEAD)" = \
		"$(git --git-dir="$GH_ROOT/octo-org/shell-project-team-rocket.git" rev-parse main)" &&
	(cd rocket && echo "alice was here" >README && git add README &&
	 git -c user.name=A -c user.email=a@example.org commit -qm "a README" &&
	 git_as alice push origin main 2>../push.err) &&
	commit=$(git -C rocket rev-parse HEAD) &&
	echo "# alice-smith pushed to team-rocket: $(score $commit), GitHub: 6/10" &&
	test "$(score $commit)" = 6/10 &&
	test "$(db "SELECT pusher || '\'' '\'' || via FROM submissions WHERE commit_id = '\''$commit'\''")" = \
		"alice-smith ssh"
'

test_expect_success 'another team'\''s member pushes over HTTPS; each member gets the team'\''s grade' '
	token dave9 &&
	git clone -q http://dave9:$TOKEN_dave9@127.0.0.1:$HTTP_PORT/git/$C/$A/shell-project-carol.git carol-team &&
	(cd carol-team && echo "# ok" >>run.sh &&
	 git -c user.name=D -c user.email=d@example.org commit -qam "a comment" &&
	 git push -q origin main 2>../push.err) &&
	commit=$(git -C carol-team rev-parse HEAD) &&
	test "$(score $commit)" = 10/10 &&
	lifebelt grades $C $A >table &&
	test_grep "^alice-smith .* 6/10 .*GitHub Classroom: 6/10$" table &&
	test_grep "^bob .* 6/10 .*GitHub Classroom: 6/10$" table &&
	test_grep "^carol .* 10/10 .*GitHub Classroom: 10/10$" table &&
	test_grep "^dave9 .* 10/10 .*GitHub Classroom: 10/10$" table &&
	test_grep "^eve .* -  GitHub Classroom: 0/10$" table
'

test_expect_success 'a student of another team may not push to it' '
	token eve &&
	all_refs >before &&
	(cd rocket && git remote add eve http://eve:$TOKEN_eve@127.0.0.1:$HTTP_PORT/git/$C/$A/team-rocket.git &&
	 test_must_fail git push eve main 2>../err) &&
	all_refs >after &&
	test_cmp before after
'

test_expect_success 'the server stops cleanly' '
	kill -TERM $SERVE_PID &&
	test_wait_until eval "! kill -0 $SERVE_PID 2>/dev/null" &&
	! grep -E "Sanitizer|runtime error" serve.log
'

test_done
