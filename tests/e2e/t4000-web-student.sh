#!/bin/bash
test_description='web: a student sees their submissions, tests, logs and changes behind their link'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

web_home
web_start
test_expect_success 'setup: two students push' '
	web_push alice "first try" &&
	web_push alice "second try" main.c "int main(void) { return 0; }" &&
	web_push bob "bob here"
'

test_expect_success 'the push output carries the personal link of the submission' '
	test_grep "results: $WEB$alice_link/s/2" alice.push
'

test_expect_success 'a queued submission shows its position and refreshes itself' '
	test "$(web_get "$alice_link/s/2")" = 200 &&
	test_grep "Queued at position" out.html &&
	test_grep "<meta http-equiv=\"refresh\" content=\"3\">" out.html &&
	test_grep "^Refresh: 3" out.hdr
'

test_expect_success 'a running submission says so and still refreshes' '
	sqlite3 "$DB" "UPDATE jobs SET state = '\''running'\'', started = queued WHERE submission_id = 2" &&
	web_get "$alice_link/s/2" >/dev/null &&
	test_grep "Running for" out.html &&
	test_grep "http-equiv=\"refresh\"" out.html
'

test_expect_success 'a finished submission shows tests, verdicts, points, output and diff' '
	web_finish 2 failed 1 3 \
		"'\''compiles'\'', '\''pass'\'', 1, 1, 0, '\''ok'\'', '\'''\''" \
		"'\''prints hello'\'', '\''fail'\'', 0, 1, 0, '\''hellp'\'' || char(10), '\''-hello'\'' || char(10) || '\''+hellp'\''" \
		"'\''secret edge case'\'', '\''fail'\'', 0, 1, 1, '\''SECRET-OUTPUT'\'', '\''SECRET-DIFF'\''" &&
	test "$(web_get "$alice_link/s/2")" = 200 &&
	! grep "http-equiv=\"refresh\"" out.html &&
	! grep "^Refresh:" out.hdr &&
	test_grep "compiles" out.html &&
	test_grep "st-pass\">pass" out.html &&
	test_grep "prints hello" out.html &&
	test_grep "0 / 1" out.html &&
	test_grep "hellp" out.html &&
	test_grep "+hellp" out.html &&
	test_grep "1 / 3" out.html &&
	test_grep "st-failed\">failed" out.html
'

test_expect_success 'a hidden test shows its name, verdict and points only' '
	test_grep "secret edge case" out.html &&
	! grep SECRET-OUTPUT out.html &&
	! grep SECRET-DIFF out.html
'

test_expect_success 'the build log is on the page (escaped, colours removed) and raw as text/plain' '
	test_grep "warning: &lt;unused&gt; &amp; stuff" out.html &&
	test "$(web_get "$alice_link/s/2/log")" = 200 &&
	test_grep "^Content-Type: text/plain; charset=utf-8" out.hdr &&
	test_grep "warning.*: <unused> & stuff" out.html
'

test_expect_success 'the overview lists the submissions with time, deadline, score and status' '
	test "$(web_get "$alice_link")" = 200 &&
	test_grep "/s/2\">#2</a>" out.html &&
	test_grep "/s/1\">#1</a>" out.html &&
	test_grep "on time" out.html &&
	test_grep "1 / 3" out.html &&
	test_grep "superseded" out.html &&
	! grep "/s/3\"" out.html &&
	test_grep "Alice A" out.html
'

test_expect_success 'the changes between two submissions are shown' '
	test "$(web_get "$alice_link/diff?from=1&to=2")" = 200 &&
	test_grep "class=\"del\">-first try" out.html &&
	test_grep "class=\"add\">+int main(void) { return 0; }" out.html &&
	web_get "$alice_link/s/2" >/dev/null &&
	test_grep "diff?from=1&amp;to=2\">changes since submission #1" out.html
'

test_expect_success 'a late submission is marked late' '
	sqlite3 "$DB" "UPDATE assignments SET due = 1000" &&
	web_push alice "after the deadline" &&
	test_grep "LATE by" alice.push &&
	web_get "$alice_link/s/4" >/dev/null &&
	test_grep "st-late\">late by" out.html
'

test_expect_success 'another student, a wrong key and an unknown login all get the same 404' '
	test "$(web_get "$alice_link/s/3")" = 404 && cp out.html other.html &&
	test "$(web_get "$alice_link/s/999")" = 404 && test_cmp other.html out.html &&
	test "$(web_get "$alice_link/diff?from=2&to=3")" = 404 &&
	test "$(web_get "$alice_link/diff?from=3&to=2")" = 404 &&
	test "$(web_get "$alice_link/s/3/log")" = 404 &&
	bad=$(echo "$alice_link" | sed "s|/me/alice/.*|/me/alice/00000000000000000000000000000000|") &&
	test "$(web_get "$bad")" = 404 && test_cmp other.html out.html &&
	test "$(web_get "$bad/s/2")" = 404 &&
	key=${alice_link##*/} &&
	test "$(web_get "/me/nobody/$key")" = 404 && test_cmp other.html out.html &&
	test "$(web_get "/me/bob/$key")" = 404 &&
	test "$(web_get "$alice_link/s/2x")" = 404 &&
	test "$(web_get "$alice_link/s/02")" = 404
'

test_expect_success 'a finished page is served again until the database changes' '
	test "$(web_get "$alice_link/s/2")" = 200 && cp out.html first.html &&
	test "$(web_get "$alice_link/s/2")" = 200 && test_cmp first.html out.html &&
	sqlite3 "$DB" "UPDATE jobs SET score = 2 WHERE submission_id = 2" &&
	test "$(web_get "$alice_link/s/2")" = 200 &&
	test_grep "2 / 3" out.html
'

old_link=$alice_link
web_get "$old_link/s/2" >/dev/null
web_token alice
test_expect_success 'a new token ends the old link' '
	test "$(web_get "$old_link")" = 404 &&
	test "$(web_get "$old_link/s/2")" = 404 &&
	test "$(web_get "$alice_link")" = 200
'

test_expect_success 'pages carry the hardening headers and are not cached' '
	web_get "$alice_link/s/2" >/dev/null &&
	test_grep "^Content-Security-Policy: default-src '\''none'\''; style-src '\''self'\''" out.hdr &&
	test_grep "^X-Content-Type-Options: nosniff" out.hdr &&
	test_grep "^Referrer-Policy: no-referrer" out.hdr &&
	test_grep "^Cache-Control: no-store" out.hdr &&
	test_grep "^Content-Type: text/html; charset=utf-8" out.hdr
'

test_expect_success 'a student link cannot be posted to' '
	test "$(web_get "$alice_link" -X POST -d x=1)" = 404 &&
	test "$(web_get "$alice_link" -X DELETE)" = 405
'

test_done
