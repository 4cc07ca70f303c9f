#!/bin/sh
test_description='a test may report limits.cases cases at most; a page shows a bounded part of any job'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

web_home
web_start
test_expect_success 'set up an assignment whose cases the student'"'"'s code reports' '
	mkdir tests &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "tests": [
	    { "name": "suite", "format": "tap", "run": "sh tap.sh" },
	    { "name": "report", "format": "junit", "run": "sh junit.sh" },
	    { "name": "fine", "run": "echo ok", "output": "ok" }
	  ] }
	JSON
	lifebelt assignment add c1 cap --tests tests --due 2099-01-01T00:00:00Z &&
	git clone -q "$LIFEBELT_HOME/repos/c1/cap/alice.git" a 2>/dev/null
'

# submit TAP JUNIT: alice commits the two scripts, the runner grades them; sets $job and $sub.
submit() {
	(cd a && printf "%s\n" "$1" >tap.sh && printf "%s\n" "$2" >junit.sh &&
	 git add -A && git commit -q -m "try $(date +%s%N)" && git push -q origin HEAD:main) 2>/dev/null &&
	lifebelt runner --drain 2>runner.log &&
	job=$(db "SELECT max(id) FROM jobs") &&
	sub=$(db "SELECT submission_id FROM jobs WHERE id = $job") &&
	test "$(db "SELECT state FROM jobs WHERE id = $job")" = done
}

junit_cases() {
	echo "echo \"<testsuite name=\\\"s\\\">\"; i=0; while [ \$i -lt $1 ]; do echo \"<testcase name=\\\"c\$i\\\"/>\"; i=\$((i+1)); done; echo \"</testsuite>\""
}

test_expect_success 'a plan of 200000 cases and a report of 1500: one failed row each, saying why' '
	submit "echo 1..200000; echo ok 1 - first" "$(junit_cases 1500)" &&
	db "SELECT name, verdict, detail FROM results WHERE job_id = $job ORDER BY seq" >actual &&
	cat >expect <<-\EOF &&
	suite|fail|reported more than 1000 cases; the limit is 1000
	report|fail|reported more than 1000 cases; the limit is 1000
	fine|pass|
	EOF
	test_cmp expect actual &&
	test "$(db "SELECT status, score, max_score FROM jobs WHERE id = $job")" = "failed|1.0|3.0"
'

test_expect_success 'up to the limit, every case counts; the limit is a setting' '
	submit "echo 1..3; echo ok 1; echo ok 2; echo not ok 3" "$(junit_cases 1000)" &&
	test "$(db "SELECT count(*) FROM results WHERE job_id = $job")" = 1004 &&
	test "$(db "SELECT count(*) FROM results WHERE job_id = $job AND name LIKE '"'"'report: %'"'"' AND verdict = '"'"'pass'"'"'")" = 1000 &&
	lifebelt config set limits.cases 2 &&
	submit "echo 1..3; echo ok 1; echo ok 2; echo not ok 3" "$(junit_cases 2)" &&
	db "SELECT name, verdict, detail FROM results WHERE job_id = $job ORDER BY seq" >actual &&
	cat >expect <<-\EOF &&
	suite|fail|reported more than 2 cases; the limit is 2
	report: c0|pass|
	report: c1|pass|
	fine|pass|
	EOF
	test_cmp expect actual &&
	db "SELECT provenance FROM jobs WHERE id = $job" >prov &&
	test_grep "\"cases\":2" prov &&
	lifebelt config set limits.cases 1000
'

test_expect_success 'plans of twenty million and of more than fit a number cost nothing' '
	submit "echo 1..20000000; echo ok 1" "echo 1..99999999999999999999; echo ok 1" &&
	test "$(db "SELECT verdict FROM results WHERE job_id = $job AND name = '"'"'suite'"'"'")" = fail &&
	test "$(db "SELECT count(*) FROM results WHERE job_id = $job")" = 3
'

test_expect_success 'the submission page shows a bounded part of a job with huge results' '
	sub=$(db "SELECT max(id) FROM submissions") &&
	job=$(db "SELECT max(id) FROM jobs WHERE submission_id = $sub") &&
	db "DELETE FROM results WHERE job_id = $job" &&
	db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
	    INSERT INTO results (job_id, seq, name, verdict, points, max_points, hidden, output, detail)
	    SELECT $job, i, '"'"'case '"'"' || i, CASE WHEN i % 2 THEN '"'"'pass'"'"' ELSE '"'"'fail'"'"' END,
	           0, 1, 0, CASE WHEN i <= 10 THEN printf('"'"'%.1000000c'"'"', '"'"'x'"'"') ELSE '"'"''"'"' END,
	           '"'"'d'"'"' FROM n" &&
	test "$(web_get "$alice_link/s/$sub")" = 200 &&
	test $(wc -c <out.html) -lt 3000000 &&
	test_grep "3000 more results not shown (1500 of them passed): a page shows at most 2000" out.html &&
	test_grep "more bytes not shown: a page shows at most 2 MiB of test output" out.html &&
	test_grep "case 2000<" out.html &&
	! grep -q "case 2001<" out.html
'

test_expect_success 'and the teacher'"'"'s chart of failure rates a bounded number of bars' '
	cookie=$(curl -s -D - -o /dev/null -d "login=tom&token=$tom_token" "$WEB/login" |
		sed -n "s/^Set-Cookie: \([^;]*\);.*/\1/p" | tr -d "\r") &&
	test "$(web_get /t/c1/cap/ -b "$cookie")" = 200 &&
	test $(wc -c <out.html) -lt 1000000 &&
	test_grep "and 4800 more tests and cases, not shown" out.html
'

test_done
