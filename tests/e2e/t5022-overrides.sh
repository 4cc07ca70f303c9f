#!/bin/bash
test_description='overrides: a score set by hand or a waived penalty, kept with who, when and why, shown everywhere, undone'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

db() { sqlite3 -cmd ".timeout 5000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

# grade LOGIN: score,raw_score,counted_submission,override_score,penalty_waived,override_reason,override_by
grade() {
	lifebelt grades c1 hw1 --csv | grep "^$1," | cut -d, -f4,5,12,14-17
}

sign_in() {
	curl -s -D - -o /dev/null -d "login=$1&token=$2" "$WEB/login" |
		sed -n 's/^Set-Cookie: \([^;]*\);.*/\1/p' | tr -d '\r'
}

# hw1 was due a day and a minute ago: a push now is 2 days late, 25% off per day.
WEB_PORT=$(test_free_port)
WEB=http://127.0.0.1:$WEB_PORT
lifebelt init >/dev/null
lifebelt config set web.url "$WEB" >/dev/null
lifebelt course add c1 >/dev/null
lifebelt student add c1 alice >/dev/null
lifebelt student add c1 bob >/dev/null
lifebelt teacher add c1 tom >/dev/null
test_make_tests_dir tests
lifebelt assignment add c1 hw1 --tests tests --late-penalty 25 \
	--due "$(date -u -d "@$(( $(date +%s) - 86400 - 60 ))" +%Y-%m-%dT%H:%M:%SZ)" >/dev/null
web_token alice
web_token tom
web_start
cookie=$(sign_in tom "$tom_token")

test_expect_success 'setup: alice pushes 2 days late and is graded: 1 point, halved' '
	git clone -q "$LIFEBELT_HOME/repos/c1/hw1/alice.git" work 2>/dev/null &&
	echo one >work/one && git -C work add one && git -C work commit -q -m one &&
	git -C work push -q origin HEAD:main 2>/dev/null &&
	lifebelt runner --drain 2>runner.err &&
	test "$(grade alice)" = "0.5,1,1,,,,"
'

test_expect_success 'waive the penalty: the raw score counts; the SSH layer names who' '
	LIFEBELT_VIA=ssh LIFEBELT_LOGIN=tom lifebelt override c1 hw1 alice --waive-penalty --reason "doctor'\''s note" >out &&
	test_grep "override 1 of alice for c1/hw1: late penalty waived (doctor'\''s note)" out &&
	test "$(grade alice)" = "1,1,1,,yes,doctor'\''s note,tom via ssh"
'

test_expect_success 'set a score: it counts, the waiver stays; the local user is who' '
	env -u LIFEBELT_VIA -u SUDO_USER USER=tina lifebelt override c1 hw1 alice --score 0.75 \
		--reason "<b>regraded</b> by hand" >out &&
	test_grep "override 2 of alice for c1/hw1: score 0.75 of 1, late penalty waived" out &&
	test "$(grade alice)" = "0.75,1,1,0.75,yes,<b>regraded</b> by hand,tina on the server"
'

test_expect_success 'the gradebook shows the override, escaped, with who and why' '
	test "$(web_get /t/c1/hw1/ -b "$cookie")" = 200 &&
	test_grep "<th>Override</th>" out.html &&
	test_grep "score set, penalty waived by tina on the server .*: &lt;b&gt;regraded&lt;/b&gt; by hand</td><td class=\"num\"></td></tr>" out.html &&
	! grep "<b>regraded" out.html &&
	test "$(web_get /t/c1/hw1/grades.csv -b "$cookie")" = 200 &&
	lifebelt grades c1 hw1 --csv >cli.csv &&
	test_cmp cli.csv out.html
'

test_expect_success 'the student sees the score their teacher set and why' '
	test "$(web_get "$alice_link")" = 200 &&
	test_grep "score set by your teacher: &lt;b&gt;regraded&lt;/b&gt; by hand" out.html
'

test_expect_success 'an override outlasts a regrade' '
	lifebelt regrade c1 hw1 --no-wait >/dev/null &&
	lifebelt runner --drain 2>runner.err &&
	test "$(db "SELECT count(*) FROM jobs WHERE state = '\''done'\''")" = 2 &&
	test "$(grade alice)" = "0.75,1,1,0.75,yes,<b>regraded</b> by hand,tina on the server"
'

test_expect_success 'undo goes back one step at a time, to nothing, keeping the history' '
	env -u SUDO_USER USER=tom lifebelt override c1 hw1 alice --undo >out &&
	test_grep "override 2 of alice for c1/hw1 undone" out &&
	test "$(grade alice)" = "1,1,1,,yes,doctor'\''s note,tom via ssh" &&
	lifebelt override c1 hw1 alice --undo >out &&
	test "$(grade alice)" = "0.5,1,1,,,," &&
	lifebelt override c1 hw1 alice >history &&
	test $(wc -l <history) = 2 &&
	test_grep "^1  .*  tom via ssh: late penalty waived (doctor'\''s note); undone .* by " history &&
	test_grep "^2  .*  tina on the server: score 0.75 of 1, late penalty waived (<b>regraded</b> by hand); undone .* by tom on the server" history &&
	test "$(db "SELECT count(*) FROM overrides WHERE undone IS NOT NULL")" = 2
'

test_expect_success 'a student with nothing graded may be given a score out of the assignment'\''s maximum' '
	env -u USER -u SUDO_USER -u LIFEBELT_VIA lifebelt override c1 hw1 bob --score 1 --reason "oral exam" >out &&
	test "$(grade bob)" = "1,1,,1,,oral exam,$(id -un) on the server" &&
	test "$(web_get /t/c1/hw1/ -b "$cookie")" = 200 &&
	test_grep "score set by $(id -un) on the server .*: oral exam" out.html
'

test_done
