#!/bin/bash
test_description='lifebelt import github-classroom: an export becomes courses, students, mirrored histories and GitHub grades'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-github-git.sh"

EXPORT=$SRC_ROOT/tests/fixtures/github-classroom-export
C1=programming-elixir
C2=data-structures-spring-2026

# The state of the data directory: every row and every file's bytes.
snapshot() {
	db .dump >"$1" &&
	(cd "$LIFEBELT_HOME" && find . -path ./lifebelt.db\* -prune -o -type f -print0 |
		LC_ALL=C sort -z | xargs -0 sha1sum) >>"$1"
}

lifebelt init >/dev/null && gh_start 2>gh.err && echo "$GH_TOKEN" >token.txt &&
	lifebelt github token token.txt >/dev/null && gh_export_repos ||
	{ echo "Bail out! cannot set up the GitHub stand-in"; exit 1; }

test_expect_success '--dry-run prints the plan and changes nothing, on disk or in the database' '
	snapshot before &&
	lifebelt import github-classroom "$EXPORT" --teacher tina --dry-run >plan 2>err &&
	snapshot after &&
	test_cmp before after &&
	test_grep "^course $C1 (classroom 1296269, \"Programming Elixir\"): new" plan &&
	test_grep "^course $C2 (classroom 1296270, \"Data Structures, Spring 2026\"): new" plan &&
	test_grep "^  student alice-smith (GitHub Alice-Smith, roster Smith, Alice): new" plan &&
	test_grep "^  student carol99 (GitHub Carol99): new" plan &&
	test_grep "^  assignment intro-to-binaries (\"Intro to Binaries\"): new, due 2026-03-01 23:59:00 UTC; 2 student repositories, 2 grades from GitHub" plan &&
	test_grep "^    starter octo-org/binaries-starter (main) at [0-9a-f]\{12\}: its tests are graded" plan &&
	test_grep "^  assignment pair-project (\"Pair Project\", group): new, due 2026-04-01 23:59:00 UTC; 1 team repository, 2 grades from GitHub" plan &&
	test_grep "^    team team-1 (octo-org/pair-project-team-1, group \"team-1\"): alice-smith bob; new$" plan &&
	test_grep "^  assignment linked-lists (\"Linked Lists\"): new, no deadline; 2 student repositories, 0 grades" plan &&
	test_grep "^    starter octo-org/lists-starter (main) at .*: no tests Lifebelt can read yet" plan &&
	test_grep "dry run: nothing was changed" plan &&
	test "$(db "SELECT count(*) FROM courses")" = 0
'

test_expect_success 'a repository GitHub does not give is said, the rest imported; run again, it is mirrored' '
	mv "$GH_ROOT/octo-org/linked-lists-Carol99.git" away.git &&
	test_must_fail lifebelt import github-classroom "$EXPORT" --teacher tina >first 2>err &&
	test_grep "^\[5/5\] $C2/linked-lists/carol99 (octo-org/linked-lists-Carol99): not mirrored: cannot fetch" first &&
	test_grep "1 of 5 repositories were not mirrored: run this again" err &&
	test "$(db "SELECT count(*) FROM imported_grades WHERE mirrored IS NULL")" = 1 &&
	mv away.git "$GH_ROOT/octo-org/linked-lists-Carol99.git" &&
	lifebelt import github-classroom "$EXPORT" --teacher tina >out 2>err &&
	test_grep "^\[1/1\] $C2/linked-lists/carol99 (octo-org/linked-lists-Carol99): history mirrored" out &&
	test_grep "imported: 0 student repositories and 0 team repositories recorded, 1 repository mirrored" out &&
	cat first >>out
'

test_expect_success 'the import makes courses, students, assignments and mirrors every history' '
	db "SELECT name FROM courses ORDER BY name" >courses &&
	printf "%s\n" $C2 $C1 >expect && test_cmp expect courses &&
	db "SELECT login, github FROM people ORDER BY login" >people &&
	printf "alice-smith|Alice-Smith\nbob|bob\ncarol99|Carol99\ntina|\n" >expect &&
	test_cmp expect people &&
	test "$(db "SELECT e.role FROM enrolments e JOIN people p ON p.id = e.person_id
		JOIN courses c ON c.id = e.course_id WHERE p.login = '\''tina'\'' AND c.name = '\''$C1'\''")" = teacher &&
	db "SELECT c.name || '\''/'\'' || a.name || '\'' '\'' || a.due FROM assignments a
		JOIN courses c ON c.id = a.course_id ORDER BY a.id" >assignments &&
	printf "%s\n" "$C1/intro-to-binaries $(date -d 2026-03-01T23:59:00Z +%s)" \
		"$C1/pair-project $(date -d 2026-04-01T23:59:00Z +%s)" \
		"$C2/linked-lists 4102444800" >expect &&
	test_cmp expect assignments &&
	tests=$LIFEBELT_HOME/tests/$C1/intro-to-binaries &&
	test -f "$tests/.github/classroom/autograding.json" &&
	test "$(db "SELECT starter_dir FROM assignments WHERE name = '\''intro-to-binaries'\''")" = "$tests" &&
	test_grep "^\[1/5\] $C1/intro-to-binaries/alice-smith (octo-org/intro-to-binaries-Alice-Smith): history mirrored, not graded" out &&
	test_grep "^\[3/5\] $C1/pair-project/team-1 (octo-org/pair-project-team-1): history mirrored" out &&
	test_grep "^\[4/5\] $C2/linked-lists/alice-smith (octo-org/linked-lists-Alice-Smith): history mirrored" out &&
	for pair in $C1/intro-to-binaries/alice-smith:intro-to-binaries-Alice-Smith \
		$C1/intro-to-binaries/bob:intro-to-binaries-bob \
		$C1/pair-project/team-1:pair-project-team-1 \
		$C2/linked-lists/alice-smith:linked-lists-Alice-Smith \
		$C2/linked-lists/carol99:linked-lists-Carol99
	do
		git --git-dir="$LIFEBELT_HOME/repos/${pair%%:*}.git" log --format="%H %T %an %s" main >mine &&
		git --git-dir="$GH_ROOT/octo-org/${pair##*:}.git" log --format="%H %T %an %s" main >theirs &&
		test_cmp theirs mine || return 1
	done &&
	test "$(db "SELECT github_repo FROM repos WHERE path = '\''$C1/intro-to-binaries/bob.git'\''")" = \
		octo-org/intro-to-binaries-bob &&
	: no history is a submission to grade &&
	test "$(db "SELECT count(*) FROM submissions")" = 0 &&
	test "$(db "SELECT count(*) FROM jobs")" = 0 &&
	: the group is a team of both, with one repository &&
	lifebelt team list $C1 pair-project >teams &&
	test_grep "^team-1  *alice-smith bob  *0 submissions" teams &&
	test "$(db "SELECT github_repo FROM repos WHERE path = '\''$C1/pair-project/team-1.git'\''")" = \
		octo-org/pair-project-team-1 &&
	! test -e "$LIFEBELT_HOME/repos/$C1/pair-project/alice-smith.git" &&
	! test -e "$LIFEBELT_HOME/repos/$C1/pair-project/bob.git"
'

test_expect_success 'GitHub grades are kept as GitHub Classroom'\''s, with the roster identifiers' '
	db "SELECT p.login, g.source, g.roster_identifier, g.repository, g.submitted, g.points, g.max_points
		FROM imported_grades g JOIN people p ON p.id = g.person_id ORDER BY g.assignment_id, p.login" >grades &&
	cat >expect <<-EOF &&
	alice-smith|github-classroom|Smith, Alice|octo-org/intro-to-binaries-Alice-Smith|2026-02-28T18:04:11Z|8.0|10.0
	bob|github-classroom|bob@example.edu|octo-org/intro-to-binaries-bob|2026-03-01T09:30:00Z|5.0|10.0
	alice-smith|github-classroom|Smith, Alice|octo-org/pair-project-team-1|2026-03-30T10:00:00Z|9.0|10.0
	bob|github-classroom|bob@example.edu|octo-org/pair-project-team-1|2026-03-30T10:00:00Z|9.0|10.0
	alice-smith|github-classroom||octo-org/linked-lists-Alice-Smith|||
	carol99|github-classroom||octo-org/linked-lists-Carol99|||
	EOF
	test_cmp expect grades &&
	lifebelt grades $C1 intro-to-binaries >table &&
	test_grep "^alice-smith .* -  GitHub Classroom: 8/10$" table &&
	test_grep "^bob .* -  GitHub Classroom: 5/10$" table &&
	lifebelt grades $C1 intro-to-binaries --csv >csv &&
	test_grep "^alice-smith,,,,,,0,0,,8,10" csv &&
	lifebelt grades $C2 linked-lists >table2 &&
	! grep GitHub table2
'

test_expect_success 'regrade leaves GitHub grades alone: they are not submissions' '
	lifebelt regrade $C1 intro-to-binaries --no-wait >regrade &&
	test_grep "nothing to regrade" regrade &&
	test "$(db "SELECT count(*) FROM jobs")" = 0
'

test_expect_success 'running it again changes nothing, and says so' '
	snapshot before &&
	lifebelt import github-classroom "$EXPORT" --teacher tina >again 2>err &&
	snapshot after &&
	test_cmp before after &&
	test_grep "^course $C1 .*: exists" again &&
	test_grep "^  assignment intro-to-binaries .*: exists" again &&
	test_grep "nothing to change: this export was imported before" again &&
	! grep "^\[" again
'

test_expect_success 'a push on GitHub after the import is graded like any other, and only it' '
	gh_start_serve &&
	gh_commit octo-org/intro-to-binaries-Alice-Smith binaries.sh "echo ok" &&
	gh_deliver d1 $C1/intro-to-binaries/alice-smith.git $(date +%s) &&
	gh_wait_status d1 done &&
	test "$(db "SELECT via FROM submissions WHERE commit_id = '\''$GH_COMMIT'\''")" = webhook &&
	gh_wait_graded $GH_COMMIT &&
	test "$(db "SELECT j.score, j.max_score FROM jobs j JOIN submissions s ON s.id = j.submission_id
		WHERE s.commit_id = '\''$GH_COMMIT'\''")" = "10.0|10.0" &&
	test "$(db "SELECT count(*) FROM submissions")" = 1 &&
	lifebelt grades $C1 intro-to-binaries >table &&
	test_grep "^alice-smith .* 10/10 .*GitHub Classroom: 8/10$" table &&
	test_grep "^bob .* -  GitHub Classroom: 5/10$" table &&
	token=$(lifebelt token tina | sed -n "s/^token: *//p") &&
	cookie=$(curl -s -D - -o /dev/null -d "login=tina&token=$token" "http://127.0.0.1:$HTTP_PORT/login" |
		sed -n "s/^Set-Cookie: \([^;]*\);.*/\1/p" | tr -d "\r") &&
	curl -s -b "$cookie" -o book.html "http://127.0.0.1:$HTTP_PORT/t/$C1/intro-to-binaries/" &&
	test_grep "<th class=\"num\">GitHub Classroom</th>" book.html &&
	test_grep "href=\"u/bob\">bob</a>.*<td class=\"num\"><span title=\"imported from GitHub Classroom, never regraded\">5/10</span></td></tr>" book.html
'

test_expect_success 'github sync is how to ask for the imported heads to be graded here' '
	lifebelt github sync $C1 intro-to-binaries >sync &&
	test_grep "alice-smith (octo-org/intro-to-binaries-Alice-Smith): .*already recorded" sync &&
	test_grep "bob (octo-org/intro-to-binaries-bob): submission [0-9]*, late" sync &&
	SERVE_PID=$(tail -n 1 .bg-pids) &&
	kill -TERM $SERVE_PID &&
	test_wait_until eval "! kill -0 $SERVE_PID 2>/dev/null" &&
	! grep -E "Sanitizer|runtime error" serve.log
'

test_done
