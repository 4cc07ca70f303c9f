#!/bin/sh
test_description='nothing a hidden test was given reaches anything a student sees'
. "$(dirname "$0")/test-lib.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

test_expect_success 'set up an assignment with hidden tests declared before visible ones' '
	lifebelt init &&
	lifebelt course add c1 &&
	lifebelt student add c1 mallory &&
	mkdir tests &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "build": "cat /tmp/saved saved 2>/dev/null; true",
	  "tests": [
	    { "name": "secret one", "run": "sh save.sh", "input": "the-hidden-input-7731\n",
	      "output": "saved", "hidden": true, "points": 2 },
	    { "name": "shown", "run": "sh show.sh", "output": "ok" },
	    { "name": "secret cases", "format": "tap", "run": "sh tap.sh", "hidden": true },
	    { "name": "shown cases", "format": "tap", "run": "sh tap.sh" },
	    { "name": "secret two", "run": "cat", "input": "the-hidden-input-4242\n",
	      "output": "the-hidden-input-4242", "hidden": true }
	  ] }
	JSON
	lifebelt assignment add c1 h --tests tests --due 2030-01-01T00:00:00Z &&
	git clone -q "$LIFEBELT_HOME/repos/c1/h/mallory.git" m 2>/dev/null
'

test_expect_success 'a hidden input kept in /tmp or the work directory is never shown' '
	(cd m &&
	 echo "tee /tmp/saved saved >/dev/null; echo saved" >save.sh &&
	 echo "cat /tmp/saved saved 2>/dev/null; echo ok" >show.sh &&
	 echo "echo 1..2; echo \"ok 1 - \$(cat /tmp/saved saved 2>/dev/null | tr -d \"\\n\")\"; echo ok 2 - second" >tap.sh &&
	 git add -A && git commit -q -m leak && git push -q origin HEAD:main) 2>/dev/null &&
	lifebelt runner --drain &&
	job=$(db "SELECT max(id) FROM jobs") &&
	db "SELECT name, verdict, points FROM results WHERE job_id = $job ORDER BY seq" >actual &&
	cat >expect <<-\EOF &&
	secret one|pass|2.0
	shown|pass|1.0
	secret cases: case 1|pass|1.0
	secret cases: case 2|pass|1.0
	shown cases: case 1|pass|1.0
	shown cases: second|pass|1.0
	secret two|pass|1.0
	EOF
	test_cmp expect actual &&
	db "SELECT name, output, detail FROM results WHERE job_id = $job" >everything &&
	db "SELECT build_log, provenance FROM jobs WHERE id = $job" >>everything &&
	! grep the-hidden-input everything
'

test_expect_success 'a hidden test that fails shows no output, and a visible one after it still runs first' '
	(cd m &&
	 echo "cat; echo \"stderr \$(cat /tmp/saved 2>/dev/null)\" >&2; exit 3" >save.sh &&
	 git add -A && git commit -q -m fail && git push -q origin HEAD:main) 2>/dev/null &&
	lifebelt runner --drain &&
	job=$(db "SELECT max(id) FROM jobs") &&
	test "$(db "SELECT verdict, output, detail FROM results WHERE job_id = $job AND name = '"'"'secret one'"'"'")" = "fail||" &&
	test "$(db "SELECT output FROM results WHERE job_id = $job AND name = '"'"'shown'"'"'")" = ok &&
	db "SELECT name, output, detail FROM results WHERE job_id = $job" >everything &&
	! grep the-hidden-input everything
'

test_expect_success 'lifebelt try still shows the teacher a hidden test'"'"'s case names' '
	cp m/*.sh . && mkdir sub && cp m/*.sh sub/ &&
	lifebelt try tests sub >out &&
	test_grep "secret cases: second (hidden)" out
'

test_done
