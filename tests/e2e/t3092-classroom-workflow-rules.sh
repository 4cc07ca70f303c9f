#!/bin/sh
test_description='classroom.yml: setup timeouts, the command grader'"'"'s exit status, the python grader'"'"'s even split'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-frameworks.sh"

# results NAME: the last job's rows, "verdict|points|max|name".
results() {
	fw_db "SELECT verdict, points, max_points, name FROM results
	       WHERE job_id = $fw_job ORDER BY seq" >"$1.results" &&
	cat "$1.results"
}

test_expect_success 'set up a workflow of command and io graders with setup commands' '
	fw_setup &&
	mkdir -p rules/.github/workflows sub &&
	cat >rules/.github/workflows/classroom.yml <<-\EOF &&
	name: Autograding Tests
	jobs:
	  run-autograding-tests:
	    runs-on: ubuntu-latest
	    steps:
	    - name: Checkout code
	      uses: actions/checkout@v4
	    - name: slow setup
	      id: slow-setup
	      uses: classroom-resources/autograding-command-grader@v1
	      with:
	        test-name: slow setup
	        setup-command: sleep 1.5; touch built
	        command: sleep 1.5; test -f built
	        timeout: 0.04
	        max-score: 2
	    - name: empty input
	      id: empty-input
	      uses: classroom-resources/autograding-io-grader@v1
	      with:
	        test-name: empty input
	        command: read line; echo "read $?"
	        input: '"''"'
	        expected-output: read 1
	        comparison-method: exact
	        timeout: 0.02
	        max-score: 1
	    - name: exit 3
	      id: exit-3
	      uses: classroom-resources/autograding-command-grader@v1
	      with:
	        test-name: exit 3
	        command: echo almost; exit 3
	        max-score: 3
	    - name: Autograding Reporter
	      uses: classroom-resources/autograding-grading-reporter@v1
	      env:
	        SLOW-SETUP_RESULTS: "${{steps.slow-setup.outputs.result}}"
	        EMPTY-INPUT_RESULTS: "${{steps.empty-input.outputs.result}}"
	        EXIT-3_RESULTS: "${{steps.exit-3.outputs.result}}"
	      with:
	        runners: slow-setup,empty-input,exit-3
	EOF
	echo "work" >sub/README &&
	fw_grade rules rules sub >/dev/null &&
	echo $fw_job >rules.job &&
	results rules
'

test_expect_success 'a setup command and its command each get the whole timeout (2.4 s each, 3 s in all)' '
	test_grep "^pass|2.0|2.0|slow setup$" rules.results
'

test_expect_success 'an io test with empty input reads end-of-file at once, not at the timeout' '
	test_grep "^pass|1.0|1.0|empty input$" rules.results
'

test_expect_success 'a command grader whose command exits 3 is a fail, kept in the total' '
	test_grep "^fail|0.0|3.0|exit 3$" rules.results &&
	test "$(fw_db "SELECT score || \"/\" || max_score FROM jobs WHERE id = $(cat rules.job)")" = 3.0/6.0
'

test_expect_success 'a python grader of max-score 9 over 3 tests, 2 passing, scores 6' '
	mkdir -p py/.github/workflows py-sub &&
	cat >py/.github/workflows/classroom.yml <<-\EOF &&
	name: Autograding Tests
	jobs:
	  run-autograding-tests:
	    runs-on: ubuntu-latest
	    steps:
	    - name: Checkout code
	      uses: actions/checkout@v4
	    - name: Unit tests
	      id: unit-tests
	      uses: classroom-resources/autograding-python-grader@v1
	      with:
	        timeout: 1
	        max-score: 9
	    - name: Autograding Reporter
	      uses: classroom-resources/autograding-grading-reporter@v1
	      env:
	        UNIT-TESTS_RESULTS: "${{steps.unit-tests.outputs.result}}"
	      with:
	        runners: unit-tests
	EOF
	printf "def double(x):\n    return x + x\n" >py-sub/calc.py &&
	cat >py-sub/calc_test.py <<-\EOF &&
	from calc import double

	def test_two():
	    assert double(2) == 4

	def test_zero():
	    assert double(0) == 0

	def test_square():
	    assert double(3) == 9
	EOF
	fw_grade py py py-sub >/dev/null &&
	results py &&
	test $(grep -c "^pass|3.0|3.0|" py.results) = 2 &&
	test_grep "^fail|0.0|3.0|.*test_square$" py.results &&
	test $(wc -l <py.results) = 3 &&
	test "$(fw_db "SELECT score || \"/\" || max_score FROM jobs WHERE id = $fw_job")" = 6.0/9.0
'

test_done
