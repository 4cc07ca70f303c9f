#!/bin/sh
test_description='a failed or skipped case shows the framework'"'"'s message, escaped; a hidden test'"'"'s stays unseen'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

web_home
web_start
test_expect_success 'set up tap and junit tests whose cases fail with a message' '
	mkdir tests &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "tests": [
	    { "name": "tap", "format": "tap", "run": "sh tap.sh" },
	    { "name": "xml", "format": "junit", "report": "r.xml", "run": "sh junit.sh" },
	    { "name": "secret", "format": "junit", "report": "r.xml", "run": "sh junit.sh", "hidden": true }
	  ] }
	JSON
	lifebelt assignment add c1 msg --tests tests --due 2099-01-01T00:00:00Z &&
	git clone -q "$LIFEBELT_HOME/repos/c1/msg/alice.git" a 2>/dev/null &&
	cat >a/tap.sh <<-\EOF &&
	echo "TAP version 14"
	echo 1..2
	echo "ok 1 - adds"
	echo "not ok 2 - subtracts"
	echo "  ---"
	echo "  message: expected 1, got <b>2</b>"
	echo "  ..."
	EOF
	cat >a/junit.sh <<-\EOF &&
	cat >r.xml <<XML
	<?xml version="1.0" encoding="UTF-8"?>
	<testsuite name="calc" tests="2" failures="1">
	<testcase classname="calc" name="adds"/>
	<testcase classname="calc" name="divides"><failure message="expected &lt;script&gt;alert(1)&lt;/script&gt;">at calc.divides(Calc.java:12)</failure></testcase>
	</testsuite>
	XML
	EOF
	(cd a && git add -A && git commit -q -m msg && git push -q origin HEAD:main) 2>/dev/null &&
	lifebelt runner --drain 2>runner.log &&
	job=$(db "SELECT max(id) FROM jobs") &&
	test "$(db "SELECT state, status FROM jobs WHERE id = $job")" = "done|failed"
'

test_expect_success 'the failed case keeps the framework'"'"'s message as its detail' '
	db "SELECT detail FROM results WHERE name = '"'"'tap: subtracts'"'"'" >tap.detail &&
	test_grep "expected 1, got <b>2</b>" tap.detail &&
	db "SELECT detail FROM results WHERE name = '"'"'xml: calc.divides'"'"'" >xml.detail &&
	test_grep "expected <script>alert(1)</script>" xml.detail &&
	test_grep "Calc.java:12" xml.detail
'

test_expect_success 'the student'"'"'s page shows it escaped' '
	sub=$(web_last_submission) &&
	test "$(web_get "$alice_link/s/$sub")" = 200 &&
	test_grep "expected 1, got &lt;b&gt;2&lt;/b&gt;" out.html &&
	test_grep "expected &lt;script&gt;alert(1)&lt;/script&gt;" out.html &&
	! grep "<script>" out.html &&
	! grep "<b>2" out.html
'

test_expect_success 'a hidden test'"'"'s message is kept from students' '
	test "$(db "SELECT count(*) FROM results WHERE name LIKE '"'"'secret:%'"'"' AND verdict = '"'"'fail'"'"'")" = 1 &&
	test "$(db "SELECT count(*) FROM results WHERE name LIKE '"'"'secret:%'"'"' AND detail != '"'"''"'"'")" = 0 &&
	test $(grep -c "Calc.java:12" out.html) = 1
'

test_expect_success 'lifebelt try shows the teacher every message' '
	lifebelt try tests a >out &&
	test_grep "expected 1, got <b>2</b>" out &&
	test $(grep -c "Calc.java:12" out) = 2
'

test_done
