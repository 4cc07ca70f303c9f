#!/bin/sh
test_description='classroom.yml: a pushed submission scores what GitHub Classroom'"'"'s grading actions gave it'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-frameworks.sh"

# grade NAME TESTS SUB: fw_grade, with assignment add's warnings in
# NAME.add and the job's rows in NAME.results ("verdict|points|max|name|detail").
grade() {
	fw_grade "$1" "$2" "$3" >/dev/null 2>"$1.add" &&
	fw_db "SELECT verdict, points, max_points, name, replace(detail, char(10), ' ') FROM results
	       WHERE job_id = $fw_job ORDER BY seq" >"$1.results" &&
	cat "$1.results"
}

# row NAME VERDICT POINTS MAX: the result named NAME has that verdict and those points.
row() {
	awk -F'|' -v n="$1" -v v="$2" -v p="$3" -v m="$4" '
		$4 == n { found = 1; if ($1 != v || $2 + 0 != p + 0 || $3 + 0 != m + 0) bad = 1 }
		END { exit !(found && !bad) }' hw.results || {
		echo "# want: $1 $2 $3/$4"
		return 1
	}
}

test_expect_success 'set up a course, a generated workflow and a submission' '
	fw_setup &&
	/usr/bin/python3 -m pytest --version &&
	mkdir -p hw/.github/workflows sub &&
	cat >hw/.github/workflows/classroom.yml <<-\EOF &&
	name: Autograding Tests
	'"'"'on'"'"':
	- push
	- repository_dispatch
	permissions:
	  checks: write
	  actions: read
	  contents: read
	jobs:
	  run-autograding-tests:
	    runs-on: ubuntu-latest
	    if: github.actor != '"'"'github-classroom[bot]'"'"'
	    steps:
	    - name: Checkout code
	      uses: actions/checkout@v4
	    - name: hello
	      id: hello
	      uses: classroom-resources/autograding-io-grader@v1
	      with:
	        test-name: hello
	        setup-command: '"''"'
	        command: python3 hello.py
	        input: '"''"'
	        expected-output: |-
	          Hello
	          World
	        comparison-method: exact
	        timeout: 10
	        max-score: 2
	    - name: crlf
	      id: crlf
	      uses: classroom-resources/autograding-io-grader@v1
	      with:
	        test-name: crlf
	        command: printf "a\r\nb\n"
	        expected-output: |-
	          a
	          b
	        comparison-method: exact
	        max-score: 3
	    - name: sum
	      id: sum
	      uses: classroom-resources/autograding-io-grader@v1
	      with:
	        test-name: sum
	        command: read a b; echo "the sum is $((a + b))"
	        input: |
	          1 2
	        expected-output: sum is 3
	        comparison-method: contains
	        max-score: 1
	    - name: exit
	      id: exit
	      uses: classroom-resources/autograding-io-grader@v1
	      with:
	        test-name: exit
	        command: echo 3; exit 1
	        expected-output: '"'3'"'
	        comparison-method: exact
	        max-score: 2
	    - name: included
	      id: included
	      uses: classroom-resources/autograding-io-grader@v1
	      with:
	        test-name: included
	        command: echo yes
	        expected-output: yes
	        comparison-method: included
	        max-score: 5
	    - name: io setup
	      id: io-setup
	      uses: classroom-resources/autograding-io-grader@v1
	      with:
	        test-name: io setup
	        setup-command: exit 1
	        command: echo yes
	        expected-output: yes
	        comparison-method: exact
	        max-score: 4
	    - name: eof
	      id: eof
	      uses: classroom-resources/autograding-io-grader@v1
	      with:
	        test-name: eof
	        command: cat; echo done
	        expected-output: done
	        comparison-method: exact
	        max-score: 1
	    - name: regex
	      id: regex
	      uses: education/autograding-io-grader@v1
	      with:
	        test-name: regex
	        command: printf "ab\ncd\n"
	        expected-output: '"'^ab\ncd\$'"'
	        comparison-method: regex
	        max-score: 1
	    - name: big
	      id: big
	      uses: classroom-resources/autograding-io-grader@v1
	      with:
	        test-name: big
	        command: head -c 1100000 /dev/zero | tr "\0" a
	        expected-output: a
	        comparison-method: contains
	        max-score: 1
	    - name: cmd setup
	      id: cmd-setup
	      uses: classroom-resources/autograding-command-grader@v1
	      with:
	        test-name: cmd setup
	        setup-command: exit 3
	        command: 'true'
	        timeout: 10
	        max-score: 2
	    - name: slow
	      id: slow
	      uses: classroom-resources/autograding-command-grader@v1
	      with:
	        test-name: slow
	        command: sleep 30
	        timeout: 0.02
	        max-score: 2
	    - name: env
	      id: env
	      uses: education/autograding-command-grader@v1
	      with:
	        test-name: env
	        command: test "$FORCE_COLOR,$DOTNET_CLI_HOME,$DOTNET_NOLOGO" = true,/tmp,true
	        max-score: 1
	    - name: pytest
	      id: pytest
	      uses: classroom-resources/autograding-python-grader@v1
	      with:
	        timeout: 1
	        max-score: 10
	    - name: unlisted
	      id: unlisted
	      uses: classroom-resources/autograding-command-grader@v1
	      with:
	        test-name: unlisted
	        command: 'true'
	        max-score: 7
	    - name: half
	      id: half
	      uses: classroom-resources/autograding-command-grader@v1
	      with:
	        test-name: half
	        command: 'true'
	        max-score: 2.5
	    - name: Autograding Reporter
	      uses: classroom-resources/autograding-grading-reporter@v1
	      env:
	        HELLO_RESULTS: "${{steps.hello.outputs.result}}"
	        CRLF_RESULTS: "${{steps.crlf.outputs.result}}"
	        SUM_RESULTS: "${{steps.sum.outputs.result}}"
	        EXIT_RESULTS: "${{steps.exit.outputs.result}}"
	        INCLUDED_RESULTS: "${{steps.included.outputs.result}}"
	        IO-SETUP_RESULTS: "${{steps.io-setup.outputs.result}}"
	        EOF_RESULTS: "${{steps.eof.outputs.result}}"
	        REGEX_RESULTS: "${{steps.regex.outputs.result}}"
	        BIG_RESULTS: "${{steps.big.outputs.result}}"
	        CMD-SETUP_RESULTS: "${{steps.cmd-setup.outputs.result}}"
	        SLOW_RESULTS: "${{steps.slow.outputs.result}}"
	        ENV_RESULTS: "${{steps.env.outputs.result}}"
	        PYTEST_RESULTS: "${{steps.pytest.outputs.result}}"
	        HALF_RESULTS: "${{steps.half.outputs.result}}"
	      with:
	        runners: hello,crlf,sum,exit,included,io-setup,eof,regex,big,cmd-setup,slow,env,pytest,half
	EOF
	printf "print(\"Hello\")\nprint(\"World\")\n" >sub/hello.py &&
	printf "def add(a, b):\n    return a + b\n" >sub/calc.py &&
	mkdir sub/tests &&
	: >sub/tests/__init__.py &&
	printf "def test_not_collected():\n    assert False\n" >sub/test_other.py &&
	cat >sub/tests/calc_test.py <<-\EOF
	from calc import add

	def test_adds():
	    assert add(2, 3) == 5

	def test_negative():
	    assert add(-1, -1) == -2

	def test_wrong():
	    assert add(2, 2) == 5
	EOF
'

test_expect_success 'assignment add takes it, warning of what GitHub graded as an error' '
	grade hw hw sub &&
	cat hw.add &&
	test_grep "steps\\[5\\] (id: included): comparison-method .included. is not exact, contains or regex" hw.add &&
	test_grep "steps\\[14\\] (id: unlisted): not among the reporter.s runners" hw.add
'

# What GitHub Classroom gave, by its actions: per listed runner its
# max_score (none: out of the total) and the points earned.
cat >github.expected <<-\EOF
	hello 2 2
	crlf 3 0
	sum 1 1
	exit 2 0
	included - 0
	io-setup - 0
	eof 1 1
	regex 1 1
	big 1 0
	cmd-setup 2 0
	slow 2 0
	env 1 1
	pytest 10 6.666666666666667
	half 2 2
EOF

test_expect_success 'the score is what the reporter added up on GitHub' '
	awk "\$2 != \"-\" { t += \$2; s += \$3 } END { printf \"%.9f %.9f\\n\", s, t }" github.expected >want &&
	fw_db "SELECT printf(\"%.9f %.9f\", score, max_score) FROM jobs WHERE id = (SELECT max(id) FROM jobs)" >got &&
	test_cmp want got &&
	test "$(cat got)" = "14.666666667 28.000000000" &&
	lifebelt grades c1 hw >grades &&
	cat grades &&
	test_grep "^alice .* 14.6667/28 .*\\[failed\\]" grades
'

test_expect_success 'io grader: exact, trimmed, CRLF kept, contains, regex, EOF, errors' '
	row hello pass 2 2 &&
	row crlf fail 0 3 &&
	test_grep "|crlf|wrong output .*the output has CR (.r) characters" hw.results &&
	row sum pass 1 1 &&
	row exit error 0 2 &&
	test_grep "^error|0.0|0.0|included|the comparison-method is not exact, contains or regex (out of the total" hw.results &&
	row "io setup" fail 0 0 &&
	test_grep "|io setup|setup failed with exit status 1.*out of the total, as on GitHub" hw.results &&
	row eof pass 1 1 &&
	row regex pass 1 1 &&
	row big error 0 1 &&
	test_grep "|big|printed more than 1 MiB on stdout" hw.results
'

test_expect_success 'command grader: a failed setup stays in the total, a timeout in minutes, the environment' '
	row "cmd setup" fail 0 2 &&
	row slow wall_limit 0 2 &&
	test_grep "|slow|wall-clock limit (1.2 s) exceeded" hw.results &&
	row env pass 1 1 &&
	row half pass 2 2 &&
	row unlisted pass 0 0 &&
	test_grep "|unlisted|not counted: the grading reporter does not list this step" hw.results
'

test_expect_success 'python grader: pytest over the *_test.py files only, max-score split evenly' '
	row "pytest: tests.calc_test.test_adds" pass 3.33333333333333 3.33333333333333 &&
	row "pytest: tests.calc_test.test_negative" pass 3.33333333333333 3.33333333333333 &&
	row "pytest: tests.calc_test.test_wrong" fail 0 3.33333333333333 &&
	test $(grep -c "|pytest: " hw.results) = 3
'

test_expect_success 'python grader: a collection error is an error worth max-score, whatever report was committed' '
	mkdir -p broken/.github/workflows broken-sub &&
	cat >broken/.github/workflows/classroom.yml <<-\EOF &&
	jobs:
	  grade:
	    steps:
	    - uses: actions/checkout@v4
	    - id: py
	      uses: classroom-resources/autograding-python-grader@v1
	      with:
	        max-score: 6
	    - uses: classroom-resources/autograding-grading-reporter@v1
	      env:
	        PY_RESULTS: "${{steps.py.outputs.result}}"
	      with:
	        runners: py
	EOF
	cat >broken-sub/.lifebelt-pytest.xml <<-\EOF &&
	<testsuites><testsuite><testcase classname="x" name="a"/><testcase classname="x" name="b"/></testsuite></testsuites>
	EOF
	printf "def test_broken(:\n" >broken-sub/syntax_test.py &&
	grade broken broken broken-sub &&
	test_grep "^error|0.0|6.0|py|pytest ended with exit status 2" broken.results &&
	test $(wc -l <broken.results) = 1 &&
	test "$(fw_db "SELECT score || \" \" || max_score FROM jobs WHERE id = (SELECT max(id) FROM jobs)")" = "0.0 6.0"
'

test_done
