#!/bin/sh
test_description='lifebelt.json and autograding.json: checked when added, graded with their own semantics'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'set up' '
	lifebelt init &&
	lifebelt course add c1 &&
	mkdir sub
'

# refused 'JSON' 'message': assignment add must refuse the spec and name the problem.
refused() {
	rm -rf bad && mkdir bad && printf "%s\n" "$1" >bad/lifebelt.json &&
	test_must_fail lifebelt assignment add c1 bad --tests bad --due 2030-01-01T00:00:00Z 2>err &&
	test_grep "$2" err &&
	! lifebelt submissions c1 bad 2>/dev/null | grep .
}

test_expect_success 'a bad lifebelt.json is refused with the field named' '
	refused "{" "lifebelt.json: line" &&
	refused "[]" "top level must be a JSON object" &&
	refused "{\"tests\": 3}" "field .tests. must be an array" &&
	refused "{\"tests\": []}" "field .tests. is empty" &&
	refused "{\"tests\": [{\"run\": \"x\"}]}" "tests\\[0\\]: missing field .name." &&
	refused "{\"tests\": [{\"name\": \"a\"}]}" "tests\\[0\\]: missing field .run." &&
	refused "{\"tests\": [{\"name\": \"a\", \"run\": \"x\", \"timeout\": \"5\"}]}" "tests\\[0\\]: field .timeout. must be seconds" &&
	refused "{\"tests\": [{\"name\": \"a\", \"run\": \"x\", \"points\": -1}]}" "field .points." &&
	refused "{\"tests\": [{\"name\": \"a\", \"run\": \"x\", \"comparison\": \"fuzzy\"}]}" "field .comparison. must be" &&
	refused "{\"tests\": [{\"name\": \"a\", \"run\": \"x\", \"comparison\": \"regex\", \"output\": \"(\"}]}" "not a valid regular expression" &&
	refused "{\"tests\": [{\"name\": \"a\", \"run\": \"x\", \"format\": \"xml\"}]}" "field .format. must be" &&
	refused "{\"tests\": [{\"name\": \"a\", \"run\": \"x\", \"hidden\": 1}]}" "field .hidden. must be true or false" &&
	refused "{\"tests\": [{\"name\": \"a\", \"run\": \"x\", \"outptu\": \"y\"}]}" "tests\\[0\\]: unknown field .outptu." &&
	refused "{\"tests\": [{\"name\": \"a\", \"run\": \"x\"}, {\"name\": \"a\", \"run\": \"y\"}]}" "tests\\[1\\]: field .name. repeats" &&
	refused "{\"tests\": [{\"name\": \"a\", \"run\": \"x\"}], \"limits\": {\"memory_mb\": 0}}" "field .limits.memory_mb. must be a number above 0" &&
	refused "{\"tests\": [{\"name\": \"a\", \"run\": \"x\"}], \"limits\": {\"ram\": 5}}" "unknown field .limits.ram." &&
	refused "{\"tests\": [{\"name\": \"a\", \"run\": \"x\"}], \"files\": [\"../etc/passwd\"]}" "files\\[0\\] must be a relative path" &&
	refused "{\"tests\": [{\"name\": \"a\", \"run\": \"x\"}], \"files\": [\"missing.txt\"]}" "files\\[0\\]: missing.txt is not in the tests directory" &&
	refused "{\"tests\": [{\"name\": \"a\", \"run\": \"x\"}], \"build\": 5}" "field .build. must be a string" &&
	refused "{\"tests\": [{\"name\": \"a\", \"run\": \"x\", \"format\": \"junit\", \"report\": \"/etc/x.xml\"}]}" "field .report. must be a relative path"
'

test_expect_success 'a bad autograding.json is refused too' '
	rm -rf bad && mkdir -p bad/.github/classroom &&
	echo "{\"tests\": [{\"name\": \"x\"}]}" >bad/.github/classroom/autograding.json &&
	test_must_fail lifebelt assignment add c1 bad --tests bad --due 2030-01-01T00:00:00Z 2>err &&
	test_grep "autograding.json: tests\\[0\\]: missing field .run." err &&
	rm -rf empty && mkdir empty &&
	test_must_fail lifebelt assignment add c1 bad --tests empty --due 2030-01-01T00:00:00Z 2>err &&
	test_grep "has no lifebelt.json" err
'

test_expect_success 'autograding.json is graded with GitHub Classroom semantics' '
	mkdir -p gh/.github/classroom &&
	cat >gh/.github/classroom/autograding.json <<-\JSON &&
	{ "tests": [
	  { "name": "included by default, CRLF and trim", "run": "printf \"  a\\r\\nb c \\r\\n\"", "output": "a\nb", "points": 1 },
	  { "name": "exact", "run": "printf \"x\\r\\ny\\n\\n\"", "output": "x\ny", "comparison": "exact", "points": 2 },
	  { "name": "stdout only", "run": "echo right >&2; echo wrong", "output": "right", "comparison": "exact", "points": 1 },
	  { "name": "exit code must be 0", "run": "echo yes; exit 3", "output": "yes", "points": 1 },
	  { "name": "regex on the whole text", "run": "printf \"ab\\ncd\\n\"", "output": "^ab\\ncd$", "comparison": "regex", "points": 1 },
	  { "name": "dot does not match newline", "run": "printf \"ab\\ncd\\n\"", "output": "b.c", "comparison": "regex", "points": 1 },
	  { "name": "bad regex fails this test", "run": "echo x", "output": "(", "comparison": "regex", "points": 1 },
	  { "name": "setup then run, same checkout", "setup": "echo 42 >made", "run": "cat made", "output": "42", "points": 1 },
	  { "name": "failing setup skips run", "setup": "exit 1", "run": "echo ran", "points": 1 },
	  { "name": "input on stdin", "run": "read a; echo got $a", "input": "hi", "output": "got hi", "points": 1 },
	  { "name": "empty input: stdin closed", "run": "cat; echo done", "output": "done", "points": 1 },
	  { "name": "timeout in minutes", "run": "sleep 60", "timeout": 0.02, "points": 1 },
	  { "name": "zero points count nothing", "run": "true", "points": 0 },
	  { "name": "string points count nothing", "run": "true", "points": "5" },
	  { "name": "fractional points", "run": "true", "points": 0.5, "extra": "ignored" }
	] }
	JSON
	lifebelt try gh sub >out &&
	cat out &&
	test_grep "^pass  *included by default, CRLF and trim  1/1" out &&
	test_grep "^pass  *exact  2/2" out &&
	test_grep "^fail  *stdout only  0/1" out &&
	test_grep "^fail  *exit code must be 0  0/1" out &&
	test_grep "^pass  *regex on the whole text  1/1" out &&
	test_grep "^fail  *dot does not match newline  0/1" out &&
	test_grep "^error  *bad regex fails this test  0/1" out &&
	test_grep "^pass  *setup then run, same checkout  1/1" out &&
	test_grep "^fail  *failing setup skips run  0/1" out &&
	test_grep "no network" out &&
	test_grep "^pass  *input on stdin  1/1" out &&
	test_grep "^pass  *empty input: stdin closed  1/1" out &&
	test_grep "^wall_limit  *timeout in minutes  0/1" out &&
	test_grep "wall-clock limit (1.2 s)" out &&
	test_grep "^pass  *zero points count nothing  0/0" out &&
	test_grep "^pass  *string points count nothing  0/0" out &&
	test_grep "^pass  *fractional points  0.5/0.5" out &&
	test_grep "^failed: 7.5/13.5" out
'

test_expect_success 'autograding.json with no points: pass/fail only' '
	mkdir -p np/.github/classroom &&
	echo "{\"tests\": [{\"name\": \"t\", \"run\": \"true\"}]}" >np/.github/classroom/autograding.json &&
	lifebelt try np sub >out &&
	test_grep "^passed: 0/0" out
'

test_expect_success 'tap: cases scored one by one; skipped cases earn nothing' '
	mkdir tap &&
	cat >tap/lifebelt.json <<-\JSON &&
	{ "tests": [ { "name": "suite", "format": "tap", "points": 2,
	  "run": "echo TAP version 13; echo 1..3; echo ok 1 - adds; echo not ok 2 - subtracts; echo \"ok 3 - later # SKIP not yet\"" } ] }
	JSON
	lifebelt try tap sub >out &&
	test_grep "^pass  *suite: adds  2/2" out &&
	test_grep "^fail  *suite: subtracts  0/2" out &&
	test_grep "^skipped  *suite: later  0/2" out &&
	test_grep "^failed: 2/6" out
'

test_expect_success 'tap: cases a plan announces but that never ran fail' '
	cat >tap/lifebelt.json <<-\JSON &&
	{ "tests": [ { "name": "suite", "format": "tap", "points": 2,
	  "run": "echo 1..4; echo ok 1 - adds; echo not ok 2 - subtracts; echo ok 3 - later" } ] }
	JSON
	lifebelt try tap sub >out &&
	test_grep "^fail  *suite: (not run)  0/2" out &&
	test_grep "^failed: [0-9]*/8" out
'

test_expect_success 'junit: from a report file, never through a symlink' '
	mkdir junit &&
	cat >junit/lifebelt.json <<-\JSON &&
	{ "tests": [ { "name": "j", "format": "junit", "report": "out/report.xml", "run": "sh make-report.sh" },
	             { "name": "s", "format": "junit", "run": "cat out/report.xml" } ] }
	JSON
	mkdir -p sub/out &&
	cat >sub/make-report.sh <<-\EOF &&
	cat >out/report.xml <<XML
	<?xml version="1.0"?>
	<testsuites><testsuite name="calc">
	<testcase classname="calc" name="adds &amp; carries"/>
	<testcase classname="calc" name="divides"><failure message="x">boom</failure></testcase>
	<testcase classname="calc" name="skipped"><skipped/></testcase>
	</testsuite></testsuites>
	XML
	EOF
	lifebelt try junit sub >out &&
	test_grep "^pass  *j: calc.adds & carries  1/1" out &&
	test_grep "^fail  *j: calc.divides  0/1" out &&
	test_grep "^skipped  *j: calc.skipped  0/1" out &&
	test_grep "^fail  *s: calc.divides  0/1" out &&
	echo "ln -sf /etc/shadow out/report.xml" >sub/make-report.sh &&
	lifebelt try junit sub >out &&
	test_grep "^fail  *j  0/1" out &&
	test_grep "it is a symlink" out &&
	! grep "root:" out
'

test_expect_success 'try shows a hidden test'"'"'s details to the teacher' '
	mkdir hid &&
	echo "{ \"tests\": [ { \"name\": \"h\", \"run\": \"echo 41\", \"output\": \"42\", \"hidden\": true } ] }" >hid/lifebelt.json &&
	lifebelt try hid sub >out &&
	test_grep "^fail  *h (hidden)" out &&
	test_grep "expected: 42" out &&
	test_grep "got:      41" out
'

test_expect_success 'the job time limit cuts the last tests short' '
	mkdir job &&
	cat >job/lifebelt.json <<-\JSON &&
	{ "limits": { "job_seconds": 1 },
	  "tests": [ { "name": "first", "run": "sleep 0.6" },
	             { "name": "second", "run": "sleep 0.6" },
	             { "name": "third", "run": "true" } ] }
	JSON
	lifebelt try job sub >out &&
	test_grep "^pass  *first" out &&
	test_grep "^wall_limit  *second" out &&
	test_grep "the job.s time limit (1 s) ran out" out &&
	test_grep "^wall_limit  *third" out &&
	test_grep "not run: the job.s time limit ran out" out
'

test_done
