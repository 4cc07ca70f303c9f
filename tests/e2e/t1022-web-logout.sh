#!/bin/bash
test_description='web: signing out ends the session on the server, a copied cookie too'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

web_home && lifebelt course add c2 >/dev/null && lifebelt teacher add c2 tina >/dev/null &&
	web_token tina && web_start || { echo "Bail out! cannot start lifebelt serve"; exit 1; }

sign_in() {
	curl -s -D - -o /dev/null -d "login=$1&token=$2" "$WEB/login" |
		sed -n 's/^Set-Cookie: \([^;]*\);.*/\1/p' | tr -d '\r'
}

test_expect_success 'sign in, and keep a copy of the cookie' '
	cookie=$(sign_in tom "$tom_token") && test -n "$cookie" &&
	echo "$cookie" >saved &&
	other=$(sign_in tom "$tom_token") && echo "$other" >saved.other &&
	theirs=$(sign_in tina "$tina_token") && echo "$theirs" >saved.tina &&
	test "$(web_get /t/ -b "$cookie")" = 200 &&
	test_grep "<h2>c1</h2>" out.html
'

test_expect_success 'sign out; the copy no longer works' '
	test "$(web_get /logout -X POST -b "$(cat saved)")" = 303 &&
	test_grep "^Set-Cookie: lifebelt_teacher=; Path=/; Max-Age=0" out.hdr &&
	test "$(web_get /t/ -b "$(cat saved)")" = 303 &&
	test_grep "^Location: /login" out.hdr &&
	test "$(web_get /t/c1/hw1/grades.csv -b "$(cat saved)")" = 303
'

test_expect_success 'nor does any other session tom had; another teacher keeps hers' '
	test "$(web_get /t/ -b "$(cat saved.other)")" = 303 &&
	test "$(web_get /t/ -b "$(cat saved.tina)")" = 200
'

test_expect_success 'signing in again makes a working session' '
	cookie=$(sign_in tom "$tom_token") && echo "$cookie" >saved.new &&
	test "$(web_get /t/ -b "$cookie")" = 200
'

test_expect_success 'signing out without a session, or with a forged one, ends nothing' '
	test "$(web_get /logout -X POST)" = 303 &&
	test "$(web_get /logout -X POST -b "lifebelt_teacher=tom:9999999999:99:00")" = 303 &&
	test "$(web_get /t/ -b "$(cat saved.new)")" = 200
'

test_expect_success 'a restart ends every session, so no sign-out is forgotten' '
	pid=$(tail -n 1 "$TRASH_DIRECTORY/.bg-pids") &&
	kill -TERM -$pid && while kill -0 $pid 2>/dev/null; do sleep 0.1; done &&
	web_start &&
	test "$(web_get /t/ -b "$(cat saved.new)")" = 303 &&
	test "$(web_get /t/ -b "$(cat saved.tina)")" = 303
'

test_done
