#!/bin/bash
test_description='web: hostile text from git, students and programs is shown escaped'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

web_home
lifebelt student add c1 mallory --name '<script>alert("name")</script> O'"'"'Neil' >/dev/null
web_token mallory
web_start
cookie=$(curl -s -D - -o /dev/null -d "login=tom&token=$tom_token" "$WEB/login" |
	sed -n 's/^Set-Cookie: \([^;]*\);.*/\1/p')

# No page may contain these: each would run or inject markup in a browser.
no_markup() {
	! grep -i -e "<script" -e "<svg/onload" -e "<img" -e "<b>bold" -e "\[31m" "$1" &&
	! grep "$(printf '\033')" "$1"
}

test_expect_success 'setup: a branch, a commit message and test output with payloads' '
	web_push mallory "<img src=x onerror=alert(1)> <b>bold</b>" main.c "x" &&
	(cd work-mallory && git push -q origin "HEAD:refs/heads/<svg/onload=alert(1)>") &&
	sub=$(web_last_submission) &&
	web_finish $sub failed 0 1 \
		"'\''<script>alert(\"test\")</script>'\'', '\''fail'\'', 0, 1, 0,
		 char(27) || '\''[31m<img src=x onerror=alert(2)>'\'' || char(27) || '\''[0m done'\'',
		 '\''-<b>bold</b>'\''"
'

test_expect_success 'the student page escapes the name and the branch name' '
	test "$(web_get "$mallory_link")" = 200 &&
	no_markup out.html &&
	test_grep "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; O&#39;Neil" out.html &&
	test_grep "&lt;svg/onload=alert(1)&gt;" out.html
'

test_expect_success 'the submission page escapes the commit message and the test output' '
	test "$(web_get "$mallory_link/s/$(web_last_submission)")" = 200 &&
	no_markup out.html &&
	test_grep "&lt;img src=x onerror=alert(1)&gt; &lt;b&gt;bold&lt;/b&gt;" out.html &&
	test_grep "&lt;script&gt;alert(&quot;test&quot;)&lt;/script&gt;" out.html &&
	test_grep "&lt;img src=x onerror=alert(2)&gt; done" out.html &&
	test_grep "&lt;b&gt;bold&lt;/b&gt;" out.html
'

test_expect_success 'the teacher pages escape the name too' '
	test "$(web_get /t/c1/hw1/ -b "$cookie")" = 200 &&
	no_markup out.html &&
	test_grep "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" out.html &&
	test "$(web_get /t/c1/hw1/u/mallory -b "$cookie")" = 200 &&
	no_markup out.html &&
	test "$(web_get "/t/s/$(web_last_submission)" -b "$cookie")" = 200 &&
	no_markup out.html
'

test_expect_success 'the raw log is text/plain, never HTML' '
	test "$(web_get "$mallory_link/s/$(web_last_submission)/log")" = 200 &&
	test_grep "^Content-Type: text/plain" out.hdr &&
	test_grep "^X-Content-Type-Options: nosniff" out.hdr
'

test_expect_success 'the CSV export keeps a formula from running in a spreadsheet' '
	lifebelt student add c1 eve --name "=HYPERLINK(\"http://evil\")" >/dev/null &&
	test "$(web_get /t/c1/hw1/grades.csv -b "$cookie")" = 200 &&
	test_grep "^eve,\"'\''=HYPERLINK(\"\"http://evil\"\")\"" out.html &&
	test_grep "^Content-Disposition: attachment; filename=\"c1-hw1-grades.csv\"" out.hdr
'

test_done
