#!/bin/bash
test_description='lifebelt import github-classroom: a course of 30 students comes home, and their next pushes score what GitHub gave'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"
. "$TEST_DIRECTORY/lib-github.sh"
. "$TEST_DIRECTORY/lib-github-git.sh"

EXPORT=$SRC_ROOT/tests/fixtures/github-classroom-course
C1=introduction-to-programming-fall-2026
C2=algorithms
GH_SECRET="the course's webhook secret, $$"

# The class of the export, in its order: student i's calc.py ends as version i % 4 on GitHub.
LOGINS="Ada-L alan-t Grace-Hopper edsger Barbara-Liskov dknuth KenT dmr Frances-A john-mccarthy
Margaret-H niklaus-w Radia-P tony-hoare Leslie-L Shafi-G rms Linus-T guido Bjarne-S Katherine-J
dorothy-v Mary-J Hedy-L claude-s Jean-B Kathleen-B Sophie-W Anita-B Lynn-C"
VERSIONS="complete half starter broken"

# The class's commits are made in one repository, class.git, which each
# repository on the stand-in borrows its objects from (git's alternates):
# a few processes and files a repository instead of a clone, commits and a push.

# tree DIR: the id of a tree of DIR's files, written into class.git.
tree() {
	GIT_INDEX_FILE=$TRASH_DIRECTORY/class.index git --git-dir=class.git --work-tree="$1" add -A &&
	GIT_INDEX_FILE=$TRASH_DIRECTORY/class.index git --git-dir=class.git write-tree &&
	rm -f class.index
}

# commit N TREE MESSAGE [PARENT]: a commit of TREE in class.git, made N seconds after
# 2026-09-01 10:00 UTC.
commit() {
	GIT_AUTHOR_DATE="$((1788256800 + $1)) +0000" GIT_COMMITTER_DATE="$((1788256800 + $1)) +0000" \
		git --git-dir=class.git commit-tree "$2" -m "$3" ${4:+-p "$4"}
}

# gh_repo NAME COMMIT: school-org/NAME on the stand-in, its main at COMMIT.
gh_repo() {
	git init -q --bare --template= "$GH_ROOT/school-org/$1.git" &&
	echo "$TRASH_DIRECTORY/class.git/objects" >"$GH_ROOT/school-org/$1.git/objects/info/alternates" &&
	git --git-dir="$GH_ROOT/school-org/$1.git" update-ref refs/heads/main "$2"
}

# gh_work NAME: a clone of school-org/NAME where gh_commit makes the next commit.
gh_work() {
	git clone -q "$GH_ROOT/school-org/$1.git" "$TRASH_DIRECTORY/work-school-org-$1"
}

# version NAME: the starter's files with calc.py as a student left it, and their notes, into
# the directory NAME.
version() {
	mkdir -p "$1" && cp -R calculator-starter/. "$1"/ && echo "my calculator: $1" >"$1/NOTES" &&
	case $1 in
	complete) sed -e "s/0  # TODO: add/a + b/" -e "s/0  # TODO: sub/a - b/" -e "s/0  # TODO: mul/a * b/" ;;
	half) sed -e "s/0  # TODO: add/a + b/" -e "s/0  # TODO: sub/a - b/" -e "s/0  # TODO: mul/a + b/" ;;
	starter) cat ;;
	broken) sed -e "s/def add(a, b):/def add(a, b)/" ;;
	esac <calculator-starter/calc.py >"$1/calc.py.new" && mv "$1/calc.py.new" "$1/calc.py"
}

# The starter of Calculator: calc.py to complete, its tests, and the workflow
# GitHub Classroom generated for its autograding (an io, a command and a python grader).
mkdir -p calculator-starter/.github/workflows && cat >calculator-starter/calc.py <<-\EOF &&
	"""A calculator: python3 calc.py OP A B, or OP A B on stdin, prints the result."""
	import sys


	def add(a, b):
	    return 0  # TODO: add


	def sub(a, b):
	    return 0  # TODO: sub


	def mul(a, b):
	    return 0  # TODO: mul


	def main(args):
	    if not args:
	        args = sys.stdin.read().split()
	    if len(args) != 3:
	        print("usage: calc.py OP A B")
	        return 0
	    op = {"add": add, "sub": sub, "mul": mul}[args[0]]
	    print(op(int(args[1]), int(args[2])))
	    return 0


	if __name__ == "__main__":
	    sys.exit(main(sys.argv[1:]))
EOF
cat >calculator-starter/calc_test.py <<-\EOF &&
	from calc import add, sub, mul


	def test_add():
	    assert add(2, 3) == 5


	def test_sub():
	    assert sub(5, 3) == 2


	def test_mul():
	    assert mul(4, 5) == 20
EOF
cat >calculator-starter/.github/workflows/classroom.yml <<-\EOF &&
	name: Autograding Tests
	'on':
	- push
	- repository_dispatch
	permissions:
	  checks: write
	  actions: read
	  contents: read
	jobs:
	  run-autograding-tests:
	    runs-on: ubuntu-latest
	    if: github.actor != 'github-classroom[bot]'
	    steps:
	    - name: Checkout code
	      uses: actions/checkout@v4
	    - name: Add two numbers
	      id: add-two-numbers
	      uses: classroom-resources/autograding-io-grader@v1
	      with:
	        test-name: Add two numbers
	        setup-command: ''
	        command: python3 calc.py add 2 3
	        input: ''
	        expected-output: '5'
	        comparison-method: exact
	        timeout: 10
	        max-score: 3
	    - name: Multiply
	      id: multiply
	      uses: classroom-resources/autograding-io-grader@v1
	      with:
	        test-name: Multiply
	        setup-command: ''
	        command: python3 calc.py
	        input: |
	          mul 4 5
	        expected-output: '20'
	        comparison-method: contains
	        timeout: 10
	        max-score: 2.5
	    - name: Usage
	      id: usage
	      uses: classroom-resources/autograding-io-grader@v1
	      with:
	        test-name: Usage
	        setup-command: ''
	        command: python3 calc.py
	        input: ''
	        expected-output: |-
	          usage: calc.py OP A B
	        comparison-method: exact
	        timeout: 10
	        max-score: 1
	    - name: Compiles
	      id: compiles
	      uses: classroom-resources/autograding-command-grader@v1
	      with:
	        test-name: Compiles
	        setup-command: python3 --version
	        command: python3 -m py_compile calc.py
	        timeout: 10
	        max-score: 2
	    - name: Unit tests
	      id: unit-tests
	      uses: classroom-resources/autograding-python-grader@v1
	      with:
	        timeout: 10
	        max-score: 9
	        setup-command: ''
	    - name: Autograding Reporter
	      uses: classroom-resources/autograding-grading-reporter@v1
	      env:
	        ADD-TWO-NUMBERS_RESULTS: "${{steps.add-two-numbers.outputs.result}}"
	        MULTIPLY_RESULTS: "${{steps.multiply.outputs.result}}"
	        USAGE_RESULTS: "${{steps.usage.outputs.result}}"
	        COMPILES_RESULTS: "${{steps.compiles.outputs.result}}"
	        UNIT-TESTS_RESULTS: "${{steps.unit-tests.outputs.result}}"
	      with:
	        runners: add-two-numbers,multiply,usage,compiles,unit-tests
EOF
mkdir -p sorting-starter/.github/classroom game-starter &&
echo '{"tests": [{"name": "sorts", "setup": "", "run": "python3 sort.py", "input": "3 1 2",
  "output": "1 2 3", "comparison": "exact", "timeout": 1, "points": 4}]}' \
	>sorting-starter/.github/classroom/autograding.json &&
echo 'print(input())  # TODO: sort the numbers' >sorting-starter/sort.py &&
cp -R sorting-starter sorting-done &&
echo 'print(" ".join(sorted(input().split(), key=int)))' >sorting-done/sort.py &&
echo 'print("a game")' >game-starter/game.py &&
for v in $VERSIONS; do version $v || exit 1; done &&
web_home >/dev/null 2>&1 &&
printf '%s\n' "$GH_SECRET" | lifebelt github secret - >/dev/null &&
gh_start 2>gh.err && echo "$GH_TOKEN" >token.txt && lifebelt github token token.txt >/dev/null &&
git init -q --bare class.git && mkdir -p "$GH_ROOT/school-org" &&
for d in calculator-starter sorting-starter sorting-done game-starter $VERSIONS; do
	eval "tree_$(echo $d | tr - _)=\$(tree $d)" || exit 1
done &&
gh_repo calculator-starter $(commit 0 $tree_calculator_starter "Initial commit") &&
gh_repo sorting-starter $(commit 0 $tree_sorting_starter "Initial commit") &&
gh_repo team-game-starter $(commit 0 $tree_game_starter "Initial commit") &&
i=0 && for login in $LOGINS; do
	set -- $VERSIONS && shift $((i % 4)) && eval "version=\$tree_$1" &&
	first=$(commit $i $tree_calculator_starter "Initial commit") &&
	gh_repo calculator-$login $(commit $((i + 3600)) $version "$1, by $login" $first) &&
	if test $i -lt 6; then
		first=$(commit $i $tree_sorting_starter "Initial commit") &&
		gh_repo sorting-$login $(commit $((i + 7200)) $tree_sorting_done "sorted, by $login" $first)
	fi &&
	if test $((i % 2)) = 0; then
		gh_repo team-game-team-$((i / 2 + 1)) $(commit $i $tree_game_starter "Initial commit")
	fi &&
	i=$((i + 1)) || exit 1
done &&
test_bg lifebelt serve --workers 1 --listen "127.0.0.1:$WEB_PORT" 2>"$TRASH_DIRECTORY/serve.log" &&
SERVE_PID=$(tail -n 1 .bg-pids) &&
test_wait_port "$WEB_PORT" ||
	{ echo "Bail out! cannot set up the GitHub stand-in, its 54 repositories and lifebelt serve"; exit 1; }

# What each step of calculator-starter's workflow gave each version of calc.py on
# GitHub: a runner's points are the integer part of its max-score (2.5 is 2) times
# its passing tests over its tests (the python grader splits max-score evenly over
# pytest's 3 tests; a collection error passes none). Every runner has a max-score,
# so the total is 17 whatever the version.
cat >rules <<-\EOF
	step max-score complete half starter broken
	add-two-numbers 3 1/1 1/1 0/1 0/1
	multiply 2.5 1/1 0/1 0/1 0/1
	usage 1 1/1 1/1 1/1 0/1
	compiles 2 1/1 1/1 1/1 0/1
	unit-tests 9 3/3 2/3 0/3 0/3
EOF

# github_score VERSION: "score/total" that GitHub's reporter added up for VERSION.
github_score() {
	awk -v v="$1" 'NR == 1 { for (i = 3; i <= NF; i++) if ($i == v) c = i; next }
		{ split($c, f, "/"); m = int($2); s += m * f[1] / f[2]; t += m }
		END { printf "%g/%g\n", s, t }' rules
}

# score COMMIT: "score/max" of the job that graded COMMIT, as numbers.
score() {
	db "SELECT printf('%g/%g', j.score, j.max_score) FROM jobs j
	    JOIN submissions s ON s.id = j.submission_id WHERE s.commit_id = '$1'"
}

test_expect_success 'the rules give what the export says GitHub gave each version' '
	test "$(github_score complete)" = 17/17 &&
	test "$(github_score half)" = 12/17 &&
	test "$(github_score starter)" = 3/17 &&
	test "$(github_score broken)" = 0/17 &&
	i=0 && for login in $LOGINS; do
		set -- $VERSIONS && shift $((i % 4)) &&
		grep -q ",$login,.*,$(github_score $1 | tr / ,)\$" \
			"$EXPORT/classroom-4242/assignment-901/grades.csv" || return 1
		i=$((i + 1))
	done
'

test_expect_success '--dry-run: the plan for two classrooms, 30 students, a group assignment of 15 teams' '
	lifebelt import github-classroom "$EXPORT" --teacher tina --dry-run >plan 2>err &&
	test_grep "^course $C1 (classroom 4242, \"Introduction to Programming, Fall 2026\"): new" plan &&
	test_grep "^course $C2 (classroom 4243, \"Algorithms\"): new" plan &&
	test $(grep -c "^  student .*: new$" plan) = 36 &&
	test $(grep "^  student .*: new$" plan | sort -u | wc -l) = 30 &&
	test_grep "^  student ada-l (GitHub Ada-L, roster s0001@school.example): new" plan &&
	test_grep "^  assignment calculator (\"Calculator\"): new, due 2030-06-01 23:59:00 UTC; 30 student repositories, 30 grades from GitHub" plan &&
	test_grep "^    starter school-org/calculator-starter (main) at [0-9a-f]\{12\}: its tests are graded" plan &&
	test_grep "^  assignment sorting (\"Sorting\"): new, no deadline; 6 student repositories, 6 grades" plan &&
	test_grep "^  assignment team-game (\"Team Game\", group): new, due 2030-07-01 23:59:00 UTC; 15 team repositories, 0 grades from GitHub" plan &&
	test $(grep -c "^    team team-[0-9]* (school-org/team-game-team-[0-9]*): [a-z-]* [a-z-]*; new$" plan) = 15 &&
	test_grep "^    team team-1 (school-org/team-game-team-1): ada-l alan-t; new$" plan &&
	test_grep "^      named team-15: grades.csv names no group: named after its repository$" plan &&
	test_grep "dry run: nothing was changed" plan &&
	test "$(db "SELECT count(*) FROM courses")" = 1
'

test_expect_success 'one command imports it all: courses, 30 students, every history' '
	t0=$(date +%s%N) &&
	lifebelt import github-classroom "$EXPORT" --teacher tina >out 2>err &&
	echo $(( ($(date +%s%N) - t0) / 1000000 )) >import.ms &&
	test_grep "^imported: 36 student repositories and 15 team repositories recorded, 51 repositories mirrored" out &&
	test $(grep -c "^\[[0-9]*/51\] .*: history mirrored, not graded$" out) = 51 &&
	test "$(db "SELECT count(*) FROM teams")" = 15 &&
	test "$(db "SELECT count(*) FROM team_members")" = 30 &&
	test "$(db "SELECT count(*) FROM enrolments e JOIN courses c ON c.id = e.course_id
		WHERE c.name = '\''$C1'\'' AND e.role = '\''student'\''")" = 30 &&
	test "$(db "SELECT count(*) FROM enrolments e JOIN courses c ON c.id = e.course_id
		WHERE c.name = '\''$C2'\'' AND e.role = '\''student'\''")" = 6 &&
	i=0 && for login in $LOGINS; do
		lower=$(echo $login | tr A-Z a-z) &&
		for pair in $C1/calculator/$lower:calculator-$login $C2/sorting/$lower:sorting-$login; do
			if test $i -ge 6 && test "${pair#$C2}" != "$pair"; then continue; fi
			git --git-dir="$LIFEBELT_HOME/repos/${pair%%:*}.git" rev-list main >mine &&
			git --git-dir="$GH_ROOT/school-org/${pair##*:}.git" rev-list main >theirs &&
			test_cmp theirs mine || return 1
		done
		if test $((i % 2)) = 0; then
			git --git-dir="$LIFEBELT_HOME/repos/$C1/team-game/team-$((i / 2 + 1)).git" rev-list main >mine &&
			git --git-dir="$GH_ROOT/school-org/team-game-team-$((i / 2 + 1)).git" rev-list main >theirs &&
			test_cmp theirs mine || return 1
		fi
		i=$((i + 1))
	done &&
	test "$(db "SELECT count(*) FROM submissions")" = 0
'
test -f import.ms && say "the import of 36 student and 15 team repositories took $(cat import.ms) ms"

test_expect_success 'the starter'\''s classroom.yml is the assignment'\''s tests; GitHub'\''s grades are kept' '
	cmp calculator-starter/.github/workflows/classroom.yml \
		"$LIFEBELT_HOME/tests/$C1/calculator/.github/workflows/classroom.yml" &&
	lifebelt grades $C1 calculator >table &&
	test_grep "^ada-l .* GitHub Classroom: 17/17$" table &&
	test_grep "^alan-t .* GitHub Classroom: 12/17$" table &&
	test_grep "^lynn-c .* GitHub Classroom: 12/17$" table &&
	test "$(db "SELECT count(*) FROM imported_grades WHERE max_points = 17")" = 30
'

# push N LOGIN VERSION: LOGIN's next commit on GitHub, calc.py as VERSION, and its signed webhook.
push() {
	gh_work calculator-$2 &&
	gh_commit school-org/calculator-$2 calc.py "$(cat $3/calc.py)" &&
	echo $GH_COMMIT >$2.commit &&
	gh_push payload-$1.json school-org/calculator-$2 refs/heads/main $GH_COMMIT $(date +%s) &&
	test "$(gh_send push 0c1a55e5-0000-4000-8000-00000000000$1 payload-$1.json)" = 202
}

test_expect_success 'each student'\''s next push on GitHub is graded here with the points GitHub would have given' '
	push 1 Ada-L broken &&
	push 2 alan-t complete &&
	push 3 Grace-Hopper half &&
	push 4 edsger starter &&
	for who in Ada-L:broken alan-t:complete Grace-Hopper:half edsger:starter; do
		commit=$(cat ${who%%:*}.commit) &&
		gh_wait_graded $commit &&
		echo "# ${who%%:*} pushed ${who##*:}: $(score $commit), GitHub: $(github_score ${who##*:})" &&
		test "$(score $commit)" = "$(github_score ${who##*:})" || return 1
	done &&
	test "$(db "SELECT DISTINCT s.via || '\'' '\'' || json_extract(j.provenance, '\''$.spec'\'') FROM jobs j
		JOIN submissions s ON s.id = j.submission_id")" = "webhook .github/workflows/classroom.yml" &&
	lifebelt grades $C1 calculator >table &&
	test_grep "^ada-l .* 0/17 .*GitHub Classroom: 17/17$" table
'

test_expect_success 'the other classroom'\''s autograding.json assignment grades as GitHub did too' '
	gh_work sorting-dknuth &&
	gh_commit school-org/sorting-dknuth notes.txt "sorted, again" &&
	gh_push payload-5.json school-org/sorting-dknuth refs/heads/main $GH_COMMIT $(date +%s) &&
	test "$(gh_send push 0c1a55e5-0000-4000-8000-000000000005 payload-5.json)" = 202 &&
	gh_wait_graded $GH_COMMIT &&
	test "$(score $GH_COMMIT)" = 4/4 &&
	lifebelt grades $C2 sorting >table &&
	test_grep "^dknuth .* 4/4 .*GitHub Classroom: 4/4$" table
'

test_expect_success 'the server stops cleanly' '
	kill -TERM $SERVE_PID &&
	test_wait_until eval "! kill -0 $SERVE_PID 2>/dev/null" &&
	! grep -E "Sanitizer|runtime error" serve.log
'

test_done
