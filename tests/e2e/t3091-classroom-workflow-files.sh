#!/bin/sh
test_description='classroom.yml where an import or a tests repository puts it; lifebelt.json wins; bad workflows refused'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-frameworks.sh"

# grade NAME TESTS: fw_grade of hello.py, with assignment add's warnings
# in NAME.add, the job's rows in NAME.lines, its score in NAME.score and the
# spec its provenance names in NAME.spec.
grade() {
	fw_grade "$1" "$2" sub >"$1.lines" 2>"$1.add" &&
	cat "$1.add" "$1.lines" &&
	fw_db "SELECT score || '/' || max_score FROM jobs WHERE id = $fw_job" >"$1.score" &&
	fw_db "SELECT json_extract(provenance, '$.spec') FROM jobs WHERE id = $fw_job" >"$1.spec"
}

# workflow FILE: a generated workflow with one io test worth 4 points.
workflow() {
	mkdir -p "$(dirname "$1")" &&
	cat >"$1" <<-\EOF
	name: Autograding Tests
	'on':
	- push
	- repository_dispatch
	jobs:
	  run-autograding-tests:
	    runs-on: ubuntu-latest
	    steps:
	    - name: Checkout code
	      uses: actions/checkout@v4
	    - name: hello
	      id: hello
	      uses: classroom-resources/autograding-io-grader@v1
	      with:
	        test-name: says hello
	        command: python3 hello.py
	        expected-output: Hello
	        comparison-method: exact
	        max-score: 4
	    - name: Autograding Reporter
	      uses: classroom-resources/autograding-grading-reporter@v1
	      env:
	        HELLO_RESULTS: "${{steps.hello.outputs.result}}"
	      with:
	        runners: hello
	EOF
}

test_expect_success 'set up' '
	fw_setup &&
	mkdir sub &&
	printf "print(\"Hello\")\n" >sub/hello.py
'

test_expect_success '.github/workflows/classroom.yml, as an import copies it' '
	workflow imported/.github/workflows/classroom.yml &&
	grade imported imported &&
	test "$(cat imported.lines)" = "says hello|pass|4.0|" &&
	test "$(cat imported.score)" = 4.0/4.0 &&
	test "$(cat imported.spec)" = .github/workflows/classroom.yml &&
	! test -s imported.add
'

test_expect_success 'classroom.yml at the top of a tests repository' '
	workflow top/classroom.yml &&
	grade top top &&
	test "$(cat top.score)" = 4.0/4.0 &&
	test "$(cat top.spec)" = classroom.yml
'

test_expect_success 'lifebelt.json wins over classroom.yml and autograding.json, with a warning for each' '
	workflow several/.github/workflows/classroom.yml &&
	mkdir -p several/.github/classroom &&
	echo "{\"tests\": [{\"name\": \"from autograding.json\", \"run\": \"true\", \"points\": 9}]}" \
		>several/.github/classroom/autograding.json &&
	echo "{\"tests\": [{\"name\": \"from lifebelt.json\", \"run\": \"python3 hello.py\", \"output\": \"Hello\", \"points\": 3}]}" \
		>several/lifebelt.json &&
	grade several several &&
	test_grep "^warning: .github/workflows/classroom.yml is ignored: lifebelt.json is the spec$" several.add &&
	test_grep "^warning: .github/classroom/autograding.json is ignored: lifebelt.json is the spec$" several.add &&
	test "$(cat several.lines)" = "from lifebelt.json|pass|3.0|" &&
	test "$(cat several.spec)" = lifebelt.json
'

test_expect_success 'the older classroom.yml (education/autograding) grades autograding.json' '
	mkdir -p older/.github/workflows older/.github/classroom &&
	cat >older/.github/workflows/classroom.yml <<-\EOF &&
	name: GitHub Classroom Workflow
	on:
	  - push
	  - workflow_dispatch
	permissions:
	  checks: write
	  actions: read
	  contents: read
	jobs:
	  build:
	    name: Autograding
	    runs-on: ubuntu-latest
	    if: github.actor != '"'"'github-classroom[bot]'"'"'
	    steps:
	      - uses: actions/checkout@v4
	      - uses: education/autograding@v1
	EOF
	echo "{\"tests\": [{\"name\": \"old\", \"run\": \"python3 hello.py\", \"output\": \"Hello\", \"points\": 5}]}" \
		>older/.github/classroom/autograding.json &&
	grade older older &&
	test "$(cat older.lines)" = "old|pass|5.0|" &&
	test "$(cat older.score)" = 5.0/5.0 &&
	test "$(cat older.spec)" = .github/classroom/autograding.json &&
	! test -s older.add
'

# refused FILE-CONTENT MESSAGE: assignment add refuses the workflow with that one line, and stores nothing.
refused() {
	rm -rf bad && mkdir -p bad/.github/workflows &&
	printf "%s\n" "$1" >bad/.github/workflows/classroom.yml &&
	test_must_fail lifebelt assignment add c1 bad --tests bad --due 2030-01-01T00:00:00Z 2>err &&
	cat err &&
	test_grep "^error: .*/bad/.github/workflows/classroom.yml: $2\$" err &&
	test $(wc -l <err) = 1 &&
	test_must_fail lifebelt submissions c1 bad 2>/dev/null &&
	test "$(fw_db "SELECT count(*) FROM assignments WHERE name = '"'"'bad'"'"'")" = 0
}

test_expect_success 'assignment add refuses a workflow it cannot grade, naming the line and the step' '
	workflow good.yml &&
	refused "$(sed "s|uses: classroom-resources/autograding-io-grader@v1|uses: foo/bar@v1|" good.yml)" \
		"line 13: steps\\[1\\] (id: hello): unknown action .foo/bar@v1." &&
	refused "$(sed "/expected-output/d" good.yml)" \
		"line 15: steps\\[1\\] (id: hello): missing input with.expected-output (the action requires it)" &&
	refused "$(sed "s/HELLO_RESULTS/OTHER_RESULTS/" good.yml)" \
		"line 25: steps\\[2\\]: runner .hello. has no env.HELLO_RESULTS (\"\${{steps.hello.outputs.result}}\")" &&
	refused "$(sed "s/- name: hello/- name: hello\\n      run: make/" good.yml)" \
		"line 12: steps\\[1\\] (id: hello): a .run. step: Lifebelt grades only actions/checkout, the autograding graders and the grading reporter" &&
	refused "$(sed "s/max-score: 4/max-score: four/" good.yml)" \
		"line 19: steps\\[1\\] (id: hello): with.max-score must be a number, not .four." &&
	refused "jobs: [" "line 2: did not find expected node content while parsing a flow node" &&
	refused "$(printf "%0100d" 0 | tr 0 "[")" "line 1: nested deeper than 32 levels"
'

test_expect_success 'a reporter whose runners name a step that is not there is refused at that line' '
	workflow good.yml &&
	refused "$(sed "s/runners: hello/runners: hello,goodbye/" good.yml)" \
		"line 25: steps\\[2\\]: runner .goodbye. names no step: no grader step before the reporter has id .goodbye." &&
	refused "$(sed "s/runners: hello/runners: hello-world/" good.yml)" \
		"line 25: steps\\[2\\]: runner .hello-world. names no step: no grader step before the reporter has id .hello-world."
'

test_done
