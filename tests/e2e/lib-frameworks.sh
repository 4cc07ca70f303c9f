# lib-frameworks.sh: a real test framework's suite graded by Lifebelt, case
# by case, beside the framework's own verdicts (sourced after test-lib.sh).
#
# A script writes the teacher's tests directory and a student's submission,
# runs the suite with the framework's own tool outside Lifebelt, turns what
# the tool printed into an oracle with lib-frameworks.py, then has alice
# push the submission and the runner grade it, and compares.

FW_PY=$TEST_DIRECTORY/lib-frameworks.py

fw_db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

# fw_setup: a home with the course c1 and its student alice.
fw_setup() {
	lifebelt init >/dev/null &&
	lifebelt course add c1 >/dev/null &&
	lifebelt student add c1 alice >/dev/null
}

# fw_oracle KIND OUT FILE...: the framework's verdicts, read from FILE..., into OUT.
fw_oracle() {
	kind=$1 out=$2
	shift 2
	python3 "$FW_PY" "$kind" "$@" >"$out" &&
	cat "$out" &&
	test -s "$out"
}

# fw_grade NAME TESTS SUB: the assignment NAME, graded with the tests
# directory TESTS; alice pushes the files of SUB and the runner grades
# them. The job's result rows go to NAME.rows (JSON), its score to NAME.score.
fw_grade() {
	lifebelt assignment add c1 "$1" --tests "$2" --due 2030-01-01T00:00:00Z >/dev/null &&
	rm -rf "clone-$1" &&
	git clone -q "$LIFEBELT_HOME/repos/c1/$1/alice.git" "clone-$1" 2>/dev/null &&
	cp -R "$3"/. "clone-$1"/ &&
	(cd "clone-$1" && git add -A && git commit -q -m work && git push -q origin HEAD:main 2>/dev/null) &&
	lifebelt runner --drain 2>"$1.runner" &&
	fw_job=$(fw_db "SELECT max(id) FROM jobs") &&
	test "$(fw_db "SELECT state FROM jobs WHERE id = $fw_job")" = done &&
	fw_db -json "SELECT name, verdict, points, detail FROM results WHERE job_id = $fw_job ORDER BY seq" >"$1.rows" &&
	fw_db "SELECT score FROM jobs WHERE id = $fw_job" >"$1.score" &&
	fw_db "SELECT name, verdict, points, substr(replace(detail, char(10), ' '), 1, 120) FROM results WHERE job_id = $fw_job ORDER BY seq"
}

# fw_compare ORACLE NAME TEST order|name: Lifebelt's rows of TEST in the
# assignment NAME agree with ORACLE case by case, failure messages included,
# and the score is one point per case the framework passed (a skipped case
# earns nothing). The summary line is kept in NAME.TEST.summary.
fw_compare() {
	python3 "$FW_PY" compare "$1" "$2.rows" "$3" "$4" >"$2.$3.summary"
	ret=$?
	cat "$2.$3.summary"
	passed=$(grep -c "^pass	" "$1")
	if test "$(cat "$2.score")" != "$passed.0"; then
		echo "# disagreement: score $(cat "$2.score"), the framework passed $passed cases" |
			tee -a "$2.$3.summary"
		ret=1
	fi
	return $ret
}

# fw_expect_agree TITLE NAME TESTS SUB ORACLE TEST order|name: a test
# titled TITLE that grades SUB in the assignment NAME (fw_grade) and compares
# its test TEST with ORACLE (fw_compare); the summary is printed either way.
fw_expect_agree() {
	test_expect_success "$1" "fw_grade '$2' '$3' '$4' && fw_compare '$5' '$2' '$6' '$7'"
	test -f "$2.$6.summary" && cat "$2.$6.summary"
	return 0
}
