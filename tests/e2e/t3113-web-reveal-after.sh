#!/bin/sh
test_description='hidden tests are shown to students from --reveal-after on, on the same page fetched before and after'
. "$(dirname "$0")/test-lib.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

WEB_PORT=$(test_free_port)
WEB=http://127.0.0.1:$WEB_PORT
REVEAL=$(($(date +%s) + 12))

test_expect_success 'a bad --reveal-after is refused, naming it' '
	lifebelt init &&
	lifebelt config set web.url "$WEB" &&
	lifebelt course add c1 &&
	lifebelt student add c1 alice &&
	lifebelt teacher add c1 tom &&
	mkdir tests &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "tests": [
	    { "name": "visible", "run": "echo shown-output", "output": "other" },
	    { "name": "secret", "run": "echo SECRET-OUTPUT", "output": "SECRET-EXPECTED", "hidden": true },
	    { "name": "secret cases", "format": "tap", "hidden": true,
	      "run": "printf \"1..1\\nnot ok 1 - SECRET-CASE\\n\"" }
	  ] }
	JSON
	test_must_fail lifebelt assignment add c1 hw --tests tests --due 2030-01-01T00:00:00Z \
		--reveal-after tomorrow 2>err &&
	test_grep "reveal-after" err &&
	test "$(wc -l <err)" = 1 &&
	test "$(db "SELECT count(*) FROM assignments")" = 0
'

test_expect_success 'an assignment revealing its hidden tests in a few seconds is graded' '
	lifebelt assignment add c1 hw --tests tests --due 2030-01-01T00:00:00Z \
		--reveal-after "$(date -u -d "@$REVEAL" +%Y-%m-%dT%H:%M:%SZ)" &&
	test "$(db "SELECT reveal_after FROM assignments")" = "$REVEAL" &&
	git clone -q "$LIFEBELT_HOME/repos/c1/hw/alice.git" clone &&
	(cd clone && echo work >README && git add README && git commit -q -m work &&
	 git push -q origin HEAD:main) &&
	lifebelt runner --drain &&
	db "SELECT output FROM results" >outputs &&
	test_grep SECRET-OUTPUT outputs
'

lifebelt token alice >token 2>/dev/null
link=$(sed -n "s/^web: *//p" token)
test_bg lifebelt serve --workers 0 --listen "127.0.0.1:$WEB_PORT" 2>serve.log
test_wait_port "$WEB_PORT"

test_expect_success 'before the time, a student sees a hidden test'\''s name, verdict and points only' '
	test "$(date +%s)" -lt "$REVEAL" &&
	curl -s -o before.html "$link/s/1" &&
	test_grep "shown-output" before.html &&
	test_grep "secret" before.html &&
	test_grep "Hidden tests.* output and details are shown from" before.html &&
	! grep SECRET-OUTPUT before.html &&
	! grep SECRET-EXPECTED before.html &&
	! grep SECRET-CASE before.html &&
	test "$(date +%s)" -lt "$REVEAL"
'

test_expect_success 'after it, the same page shows their output and diff' '
	while test "$(date +%s)" -le "$REVEAL"; do sleep 0.5; done &&
	curl -s -o after.html "$link/s/1" &&
	test_grep "SECRET-OUTPUT" after.html &&
	test_grep "expected: SECRET-EXPECTED" after.html &&
	test_grep "SECRET-CASE" after.html &&
	! grep "Hidden tests.* output and details are shown from" after.html
'

test_done
