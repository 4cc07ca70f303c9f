#!/bin/sh
test_description='a skipped case earns nothing, or is taken out of the total when the spec says so'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

web_home
web_start
test_expect_success 'set up an assignment whose tap and junit tests skip a case' '
	mkdir tests &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "tests": [
	    { "name": "zero", "format": "tap", "points": 2, "run": "sh tap.sh" },
	    { "name": "xml", "format": "junit", "report": "r.xml", "run": "sh junit.sh" }
	  ] }
	JSON
	lifebelt assignment add c1 sk --tests tests --due 2099-01-01T00:00:00Z &&
	git clone -q "$LIFEBELT_HOME/repos/c1/sk/alice.git" a 2>/dev/null &&
	cat >a/tap.sh <<-\EOF &&
	echo 1..2
	echo ok 1 - adds
	echo "ok 2 - divides # SKIP no FPU here"
	EOF
	cat >a/junit.sh <<-\EOF &&
	cat >r.xml <<XML
	<?xml version="1.0" encoding="UTF-8"?>
	<testsuite name="calc" tests="2" skipped="1">
	<testcase classname="calc" name="adds"/>
	<testcase classname="calc" name="divides"><skipped message="needs a &lt;GPU&gt;"/></testcase>
	</testsuite>
	XML
	EOF
	(cd a && git add -A && git commit -q -m skip && git push -q origin HEAD:main) 2>/dev/null &&
	lifebelt runner --drain 2>runner.log &&
	job=$(db "SELECT max(id) FROM jobs") &&
	test "$(db "SELECT state FROM jobs WHERE id = $job")" = done
'

test_expect_success 'a skipped case is recorded as skipped, worth 0 of its points' '
	db "SELECT name, verdict, points, max_points FROM results ORDER BY seq" >actual &&
	cat >expect <<-\EOF &&
	zero: adds|pass|2.0|2.0
	zero: divides|skipped|0.0|2.0
	xml: calc.adds|pass|1.0|1.0
	xml: calc.divides|skipped|0.0|1.0
	EOF
	test_cmp expect actual &&
	test "$(db "SELECT status, score, max_score FROM jobs")" = "failed|3.0|6.0"
'

test_expect_success 'the student sees skipped, never passed' '
	sub=$(web_last_submission) &&
	test "$(web_get "$alice_link/s/$sub")" = 200 &&
	test $(grep -c "<span class=\"st st-skipped\">skipped</span>" out.html) = 2 &&
	test $(grep -c "<span class=\"st st-pass\">pass</span>" out.html) = 2 &&
	test "$(web_get /style.css)" = 200 &&
	test_grep "st-skipped" out.html
'

test_expect_success 'the gradebook export counts a skipped case as nothing' '
	cookie=$(curl -s -D - -o /dev/null -d "login=tom&token=$tom_token" "$WEB/login" |
		sed -n "s/^Set-Cookie: \([^;]*\);.*/\1/p" | tr -d "\r") &&
	test "$(web_get /t/c1/sk/grades.csv -b "$cookie")" = 200 &&
	test_grep "^alice,Alice A,,3,3,6,0,1,failed" out.html
'

test_expect_success 'skipped: exclude takes a skipped case out of the total; the submission passes in full' '
	cat >tests/lifebelt.json <<-\JSON &&
	{ "tests": [ { "name": "out", "format": "tap", "points": 2, "run": "sh tap.sh", "skipped": "exclude" } ] }
	JSON
	lifebelt try tests a >out &&
	test_grep "^skipped  *out: divides  0/0" out &&
	test_grep "^passed: 2/2" out
'

test_expect_success 'an unknown value of skipped is refused in one line, nothing stored' '
	cat >tests/lifebelt.json <<-\JSON &&
	{ "tests": [ { "name": "out", "format": "tap", "run": "sh tap.sh", "skipped": "pass" } ] }
	JSON
	test_must_fail lifebelt assignment add c1 sk2 --tests tests --due 2099-01-01T00:00:00Z 2>err &&
	test $(wc -l <err) = 1 &&
	test_grep "tests\[0\]: field .skipped. must be \"zero\" or \"exclude\"" err &&
	test "$(db "SELECT count(*) FROM assignments WHERE name = '"'"'sk2'"'"'")" = 0
'

test_done
