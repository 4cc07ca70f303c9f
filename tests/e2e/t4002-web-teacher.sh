#!/bin/bash
test_description='web: teachers sign in and read courses, gradebooks, charts, submissions and CSV'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

web_home
lifebelt course add c2 >/dev/null
lifebelt teacher add c2 tina >/dev/null
web_token tina
web_start

sign_in() {
	curl -s -D - -o /dev/null -d "login=$1&token=$2" "$WEB/login" |
		sed -n 's/^Set-Cookie: \([^;]*\);.*/\1/p' | tr -d '\r'
}

test_expect_success 'setup: submissions, one graded late' '
	web_push alice "a1" &&
	web_finish 1 passed 2 2 "'\''t1'\'', '\''pass'\'', 1, 1, 0, '\'''\'', '\'''\''" \
		"'\''t2'\'', '\''pass'\'', 1, 1, 1, '\''HIDDEN-OUT'\'', '\'''\''" &&
	sqlite3 "$DB" "UPDATE submissions SET late_seconds = 90000 WHERE id = 1" &&
	lifebelt recount c1 hw1 >/dev/null &&
	web_push bob "b1" &&
	web_finish 2 failed 1 2 "'\''t1'\'', '\''pass'\'', 1, 1, 0, '\'''\'', '\'''\''" \
		"'\''t2'\'', '\''fail'\'', 0, 1, 1, '\''HIDDEN-OUT'\'', '\'''\''" &&
	web_push bob "b2" &&
	sqlite3 "$DB" "UPDATE assignments SET due = (SELECT max(received) FROM submissions) + 60"
'

test_expect_success 'without a session the teacher pages send you to sign in' '
	test "$(web_get /t/)" = 303 &&
	test_grep "^Location: /login" out.hdr &&
	test "$(web_get /t/c1/hw1/grades.csv)" = 303 &&
	test "$(web_get /t/c1/hw1/ -b "lifebelt_teacher=tom:9999999999:00")" = 303
'

test_expect_success 'the sign-in form is served' '
	test "$(web_get /login)" = 200 &&
	test_grep "<form method=\"post\" action=\"/login\"" out.html
'

test_expect_success 'a wrong token, an unknown login and a student are refused' '
	test "$(web_get /login -d "login=tom&token=lbt_wrong")" = 403 &&
	! grep Set-Cookie out.hdr &&
	test "$(web_get /login -d "login=nobody&token=$tom_token")" = 403 &&
	test "$(web_get /login -d "login=alice&token=$alice_token")" = 403 &&
	test "$(web_get /login -d "login=tom")" = 403 &&
	test "$(web_get /login -d "login=../x&token=$tom_token")" = 403
'

test_expect_success 'a big form is refused' '
	test "$(web_get /login -d "login=tom&token=$(printf "%05000d" 0)")" = 413
'

test_expect_success 'signing in sets an HttpOnly, SameSite=Strict cookie with an expiry' '
	test "$(web_get /login -d "login=tom&token=$tom_token")" = 303 &&
	test_grep "^Location: /t/" out.hdr &&
	test_grep "^Set-Cookie: lifebelt_teacher=tom:[0-9]*:[0-9]*:[0-9a-f]\{64\}; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict" out.hdr
'

cookie=$(sign_in tom "$tom_token")

test_expect_success 'a tampered or expired cookie is not a session' '
	mac=${cookie##*:} &&
	exp=$(echo "$cookie" | cut -d: -f2) &&
	ser=$(echo "$cookie" | cut -d: -f3) &&
	test "$(web_get /t/ -b "lifebelt_teacher=tom:$((exp + 1)):$ser:$mac")" = 303 &&
	test "$(web_get /t/ -b "lifebelt_teacher=tina:$exp:$ser:$mac")" = 303 &&
	test "$(web_get /t/ -b "lifebelt_teacher=tom:$exp:$((ser + 1)):$mac")" = 303 &&
	test "$(web_get /t/ -b "lifebelt_teacher=tom:1:$ser:$mac")" = 303 &&
	test "$(web_get /t/ -b "$cookie")" = 200
'

test_expect_success 'the courses page lists the teacher'\''s courses and assignments' '
	test "$(web_get /t/ -b "$cookie")" = 200 &&
	test_grep "<h2>c1</h2>" out.html &&
	test_grep "href=\"/t/c1/hw1/\">hw1" out.html &&
	! grep "<h2>c2</h2>" out.html
'

test_expect_success 'the gradebook has one row per student with score, late days, count, status' '
	test "$(web_get /t/c1/hw1/ -b "$cookie")" = 200 &&
	test_grep "href=\"u/alice\">alice</a></td><td class=\"hide-small\">Alice A</td><td class=\"num\">1.6 / 2</td><td class=\"num hide-small\">2</td><td class=\"num\">2</td><td class=\"num\">1</td><td><span class=\"st st-passed\">passed" out.html &&
	test_grep "href=\"u/bob\">bob</a></td><td class=\"hide-small\">Bob B</td><td class=\"num\">1 / 2</td><td class=\"num hide-small\"></td><td class=\"num\">0</td><td class=\"num\">2</td><td><span class=\"st st-queued\">queued" out.html &&
	test_grep "2 students" out.html
'

test_expect_success 'the gradebook draws three SVG charts' '
	test "$(grep -o "<svg " out.html | wc -l)" = 3 &&
	test_grep "aria-label=\"score histogram\"" out.html &&
	test_grep "<title>1</title>" out.html &&
	test_grep "class=\"due\"" out.html &&
	test_grep "<title>1 of 2 failed</title>" out.html &&
	test_grep ">50%<" out.html &&
	test_grep "<title>0 of 2 failed</title>" out.html
'

test_expect_success 'the teacher sees a student'\''s submissions and any submission with hidden output' '
	test "$(web_get /t/c1/hw1/u/bob -b "$cookie")" = 200 &&
	test_grep "href=\"/t/s/3\">#3" out.html &&
	test_grep "href=\"/t/s/2\">#2" out.html &&
	test "$(web_get /t/s/2 -b "$cookie")" = 200 &&
	test_grep "HIDDEN-OUT" out.html &&
	test "$(web_get /t/s/2/log -b "$cookie")" = 200 &&
	test "$(web_get "/t/diff?from=2&to=3" -b "$cookie")" = 200 &&
	test_grep "class=\"add\">+b2" out.html
'

test_expect_success 'the CSV export follows RFC 4180' '
	test "$(web_get /t/c1/hw1/grades.csv -b "$cookie")" = 200 &&
	test_grep "^Content-Type: text/csv" out.hdr &&
	printf "login,name,email,score,raw_score,max_score,late_days,submissions,status,github_score,github_max_score,counted_submission,grace_days,override_score,penalty_waived,override_reason,override_by,override_at\r\nalice,Alice A,,1.6,2,2,2,1,passed,,,1,0,,,,,\r\nbob,Bob B,,1,1,2,0,2,queued,,,2,0,,,,,\r\n" >expect &&
	test_cmp expect out.html &&
	lifebelt grades c1 hw1 --csv >cli.csv &&
	test_cmp cli.csv out.html
'

tina_cookie=$(sign_in tina "$tina_token")

test_expect_success 'a teacher of another course sees none of it' '
	test "$(web_get /t/ -b "$tina_cookie")" = 200 &&
	! grep hw1 out.html &&
	test "$(web_get /t/c1/hw1/ -b "$tina_cookie")" = 404 && cp out.html nf.html &&
	test "$(web_get /t/c1/nope/ -b "$tina_cookie")" = 404 && test_cmp nf.html out.html &&
	test "$(web_get /t/c1/hw1/grades.csv -b "$tina_cookie")" = 404 &&
	test "$(web_get /t/c1/hw1/u/alice -b "$tina_cookie")" = 404 &&
	test "$(web_get /t/s/1 -b "$tina_cookie")" = 404 &&
	test "$(web_get "/t/diff?from=2&to=3" -b "$tina_cookie")" = 404
'

test_expect_success 'unknown pages under a course are 404' '
	test "$(web_get /t/c1/hw1/u/tom -b "$cookie")" = 404 &&
	test "$(web_get /t/c1/hw1/u/nobody -b "$cookie")" = 404 &&
	test "$(web_get /t/c1/hw1 -b "$cookie")" = 404 &&
	test "$(web_get /t/c1/hw1/x -b "$cookie")" = 404 &&
	test "$(web_get /t/s/999 -b "$cookie")" = 404
'

test_expect_success 'signing out clears the cookie' '
	test "$(web_get /logout -X POST -b "$cookie")" = 303 &&
	test_grep "^Set-Cookie: lifebelt_teacher=; Path=/; Max-Age=0" out.hdr
'

cookie=$(sign_in tom "$tom_token")
test_expect_success 'signing in again makes a new session' '
	test "$(web_get /t/ -b "$cookie")" = 200
'

web_token tom
test_expect_success 'a new token ends the teacher'\''s sessions' '
	test "$(web_get /t/ -b "$cookie")" = 303
'

test_done
