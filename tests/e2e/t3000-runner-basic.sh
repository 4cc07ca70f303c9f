#!/bin/sh
test_description='a pushed submission is graded in the sandbox and its verdicts recorded'
. "$(dirname "$0")/test-lib.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

test_expect_success 'set up a course with a C assignment' '
	lifebelt init &&
	lifebelt course add c1 &&
	lifebelt student add c1 alice &&
	lifebelt student add c1 bob &&
	mkdir tests &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "build": "cc -O0 -o hello hello.c",
	  "files": ["check.sh"],
	  "limits": { "wall_seconds": 5 },
	  "tests": [
	    { "name": "greets", "run": "./hello", "output": "hello, world", "points": 2 },
	    { "name": "echoes input", "run": "./hello echo", "input": "one\ntwo\n", "output": "one\ntwo" },
	    { "name": "helper", "run": "sh check.sh", "output": "checked" },
	    { "name": "secret", "run": "./hello", "output": "hello, world", "hidden": true, "points": 3 },
	    { "name": "tap cases", "format": "tap", "run": "printf \"1..2\\nok 1 - first\\nnot ok 2 - second\\n\"" }
	  ] }
	JSON
	echo "echo checked" >tests/check.sh &&
	lifebelt assignment add c1 hello --tests tests --due 2030-01-01T00:00:00Z
'

cat >hello.c <<\EOF_C
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv)
{
	char line[256];

	if (argc > 1 && !strcmp(argv[1], "echo")) {
		while (fgets(line, sizeof(line), stdin))
			fputs(line, stdout);
		return 0;
	}
	puts("hello, world");
	return 0;
}
EOF_C

push() {
	# push LOGIN DIR: commit DIR's files as LOGIN's submission
	rm -rf "clone-$1" &&
	git clone -q "$LIFEBELT_HOME/repos/c1/hello/$1.git" "clone-$1" &&
	cp -R "$2"/. "clone-$1"/ &&
	(cd "clone-$1" && git add -A && git commit -q -m work && git push -q origin HEAD:main)
}

test_expect_success 'a push queues a job and the runner grades it' '
	mkdir sub && cp hello.c sub/ &&
	push alice sub &&
	test "$(db "SELECT state FROM jobs")" = queued &&
	lifebelt runner --drain &&
	test "$(db "SELECT state, status, score, max_score FROM jobs")" = "done|failed|8.0|9.0" &&
	db "SELECT name, verdict, points FROM results ORDER BY seq" >actual &&
	cat >expect <<-\EOF &&
	greets|pass|2.0
	echoes input|pass|1.0
	helper|pass|1.0
	secret|pass|3.0
	tap cases: first|pass|1.0
	tap cases: second|fail|0.0
	EOF
	test_cmp expect actual
'

test_expect_success 'provenance names the tests version, limits, sandbox and host' '
	db "SELECT provenance FROM jobs" >prov &&
	test_grep "\"tests_version\":\"$(db "SELECT tests_version FROM assignments")\"" prov &&
	test_grep "\"wall_seconds\":5" prov &&
	test_grep "\"kind\":\"bwrap\"" prov &&
	test_grep "\"host\":\"$(hostname)\"" prov
'

test_expect_success 'a wrong answer fails with a short diff; a hidden test shows nothing' '
	sed "s/hello, world/hello world/" hello.c >sub/hello.c &&
	push bob sub &&
	lifebelt runner --drain &&
	job=$(db "SELECT max(id) FROM jobs") &&
	test "$(db "SELECT verdict FROM results WHERE job_id = $job AND name = '"'"'greets'"'"'")" = fail &&
	db "SELECT detail FROM results WHERE job_id = $job AND name = '"'"'greets'"'"'" >detail &&
	test_grep "expected: hello, world" detail &&
	test_grep "got:      hello world" detail &&
	test "$(db "SELECT verdict, detail, output FROM results WHERE job_id = $job AND name = '"'"'secret'"'"'")" = "fail||"
'

test_expect_success 'a build failure is build_failed for every test, with the log' '
	echo "int main(void) { return syntax error; }" >sub/hello.c &&
	push bob sub &&
	lifebelt runner --drain &&
	job=$(db "SELECT max(id) FROM jobs") &&
	test "$(db "SELECT status, score FROM jobs WHERE id = $job")" = "build_failed|0.0" &&
	test "$(db "SELECT DISTINCT verdict FROM results WHERE job_id = $job")" = build_failed &&
	db "SELECT build_log FROM jobs WHERE id = $job" >log &&
	test_grep "error" log
'

test_expect_success 'the runner wakes within moments of a push (no polling delay)' '
	test_bg lifebelt runner &&
	sleep 0.3 &&
	{ cat hello.c; echo "/* again */"; } >sub/hello.c &&
	push alice sub &&
	job=$(db "SELECT max(id) FROM jobs") &&
	i=0 &&
	while test "$(db "SELECT state FROM jobs WHERE id = $job")" != done && test $i -lt 40; do
		sleep 0.05; i=$((i + 1))
	done &&
	test "$(db "SELECT state FROM jobs WHERE id = $job")" = done &&
	test_cleanup
'

test_expect_success 'regrade requeues the latest submission of each student and waits' '
	before=$(db "SELECT count(*) FROM jobs") &&
	test_bg lifebelt runner &&
	lifebelt regrade c1 hello >out &&
	test_grep "requeued 2 submissions" out &&
	test_grep "regraded 2 submissions" out &&
	test "$(db "SELECT count(*) FROM jobs")" = $((before + 2)) &&
	test "$(db "SELECT count(*) FROM jobs WHERE state != '"'"'done'"'"'")" = 0 &&
	lifebelt regrade c1 hello bob --no-wait >out &&
	test_grep "requeued 1 submission of" out &&
	test_cleanup
'

test_expect_success 'regrade with nothing submitted says so' '
	lifebelt student add c1 carol &&
	lifebelt regrade c1 hello carol >out &&
	test_grep "nothing to regrade: no submissions for c1/hello from carol" out
'

test_expect_success 'regrade names what is wrong' '
	test_must_fail lifebelt regrade c1 nosuch 2>err &&
	test_grep "no assignment c1/nosuch" err &&
	test_must_fail lifebelt regrade c1 hello dave 2>err &&
	test_grep "no student .dave." err
'

test_expect_success 'the server-wide default limits apply where the spec sets none' '
	mkdir slow &&
	echo "{ \"tests\": [ { \"name\": \"s\", \"run\": \"sleep 3\" } ] }" >slow/lifebelt.json &&
	lifebelt assignment add c1 slow --tests slow --due 2030-01-01T00:00:00Z &&
	lifebelt config set limits.wall_seconds 1 &&
	rm -rf clone-slow &&
	git clone -q "$LIFEBELT_HOME/repos/c1/slow/alice.git" clone-slow 2>/dev/null &&
	(cd clone-slow && echo x >x && git add x && git commit -q -m x && git push -q origin HEAD:main 2>/dev/null) &&
	lifebelt runner --drain &&
	job=$(db "SELECT max(id) FROM jobs") &&
	test "$(db "SELECT verdict, detail FROM results WHERE job_id = $job")" = "wall_limit|wall-clock limit (1 s) exceeded" &&
	db "SELECT provenance FROM jobs WHERE id = $job" >prov &&
	test_grep "\"wall_seconds\":1," prov
'

test_expect_success 'try runs the tests on a local directory with every detail' '
	mkdir ref && cp hello.c ref/ &&
	lifebelt try tests ref >out &&
	test_grep "^pass  *greets  2/2" out &&
	test_grep "^passed\\|^failed" out &&
	test_must_fail lifebelt try tests nowhere 2>err &&
	test_grep "nowhere" err
'

test_done
