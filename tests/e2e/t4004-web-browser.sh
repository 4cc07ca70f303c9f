#!/bin/bash
test_description='web: the pages in a real browser (headless Chromium), with screenshots'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

# Screenshots go to the trash directory, and to $LIFEBELT_SCREENSHOTS when set
# (the guides' pictures: LIFEBELT_SCREENSHOTS=$PWD/docs/screenshots make test).
shots=$TRASH_DIRECTORY/shots
mkdir -p "$shots"

web_home
lifebelt student add c1 carol --name "Carol <b>C</b>" >/dev/null
lifebelt student add c1 dave --name "Dave D" >/dev/null
web_token dave
web_start

browser() {
	/usr/bin/python3 "$TEST_DIRECTORY/lib-browser.py" "$TRASH_DIRECTORY/profile-$1" "${@:2}" >"$1.out" 2>"$1.err"
	status=$?
	cat "$1.out"
	return $status
}

pass() { echo "'$1', 'pass', 1, 1, 0, 'ok', ''"; }

test_expect_success 'setup: a class with graded, late and queued submissions' '
	web_push alice "start" main.c "int main(void) { return 1; }" &&
	web_finish 1 failed 1 3 "$(pass compiles)" \
		"'\''prints hello'\'', '\''fail'\'', 0, 1, 0, '\''hellp'\'', '\''-hello'\'' || char(10) || '\''+hellp'\''" \
		"'\''edge cases'\'', '\''time_limit'\'', 0, 1, 1, '\'''\'', '\'''\''" &&
	web_push alice "fix the greeting" main.c "int main(void) { puts(\"hello\"); }" &&
	web_finish 2 failed 2 3 "$(pass compiles)" "$(pass "prints hello")" \
		"'\''edge cases'\'', '\''fail'\'', 0, 1, 1, '\'''\'', '\'''\''" &&
	web_push bob "all done" &&
	web_finish 3 passed 3 3 "$(pass compiles)" "$(pass "prints hello")" \
		"'\''edge cases'\'', '\''pass'\'', 1, 1, 1, '\'''\'', '\'''\''" &&
	web_push carol "late work" &&
	sqlite3 "$DB" "UPDATE submissions SET late_seconds = 7200, received = received + 7200 WHERE id = 4" &&
	web_finish 4 failed 1 3 "$(pass compiles)" \
		"'\''prints hello'\'', '\''crashed'\'', 0, 1, 0, '\''Segmentation fault'\'', '\'''\''" \
		"'\''edge cases'\'', '\''fail'\'', 0, 1, 1, '\'''\'', '\'''\''" &&
	sqlite3 "$DB" "UPDATE assignments SET due = (SELECT received - 7200 FROM submissions WHERE id = 4)" &&
	web_push dave "first push"
'

test_expect_success 'a student page renders in Chromium' '
	browser student "goto:$WEB$alice_link" "count:table.subs tr" "text:h1" \
		"count:script" "js:getComputedStyle(document.querySelector(\"header\")).backgroundColor" \
		"shot:$shots/student.png" &&
	test_grep "^count:table.subs tr => 3$" student.out &&
	test_grep "^text:h1 => Your submissions$" student.out &&
	test_grep "^count:script => 0$" student.out &&
	test_grep "=> rgb(31, 58, 95)$" student.out &&
	! grep "^log:.*Content Security Policy" student.out
'

test_expect_success 'a submission page renders, also on a phone' '
	browser sub "goto:$WEB$alice_link/s/2" "count:table.tests tr" "text:td.score" \
		"shot:$shots/submission.png" "width:390" "js:document.documentElement.scrollWidth" \
		"shot:$shots/submission-phone.png" &&
	test_grep "^count:table.tests tr => 6$" sub.out &&
	test_grep "^text:td.score => 2 / 3$" sub.out &&
	test_grep "^js:document.documentElement.scrollWidth => 390$" sub.out &&
	! grep "^log:.*Content Security Policy" sub.out
'

test_expect_success 'a queued submission updates itself in the browser until it is graded' '
	browser live "goto:$WEB$dave_link/s/5" "text:p.live" "text:td.score" \
		"sh:. $TEST_DIRECTORY/lib-web.sh && web_finish 5 passed 3 3 \"$(pass compiles)\"" \
		"sleep:4.5" "count:p.live" "text:td.score" "count:table.tests tr" &&
	test_grep "^text:p.live => Queued at position 1" live.out &&
	test_grep "^text:td.score => –$" live.out &&
	test_grep "^sh:.* => 0$" live.out &&
	test_grep "^count:p.live => 0$" live.out &&
	test_grep "^text:td.score => 3 / 3$" live.out &&
	test_grep "^count:table.tests tr => 3$" live.out
'

test_expect_success 'a teacher signs in with the form and reads the gradebook' '
	browser teacher "goto:$WEB/t/c1/hw1/" "fill:#login=tom" "fill:#token=$tom_token" \
		"click:button[type=submit]" "goto:$WEB/t/c1/hw1/" "count:table.gradebook tr" \
		"count:svg" "count:svg rect.bar" "text:table.gradebook tr:nth-child(4) td:nth-child(2)" \
		"count:b" "shot:$shots/gradebook.png" &&
	test_grep "^goto:$WEB/t/c1/hw1/ => /login$" teacher.out &&
	test_grep "^click:button\[type=submit\] => /t/$" teacher.out &&
	test_grep "^goto:$WEB/t/c1/hw1/ => /t/c1/hw1/$" teacher.out &&
	test_grep "^count:table.gradebook tr => 5$" teacher.out &&
	test_grep "^count:svg => 3$" teacher.out &&
	test_grep "^text:table.gradebook tr:nth-child(4) td:nth-child(2) => Carol <b>C</b>$" teacher.out &&
	test_grep "^count:b => 0$" teacher.out &&
	! grep "^log:.*Content Security Policy" teacher.out
'

test_expect_success 'the screenshots were saved' '
	for f in student submission submission-phone gradebook; do
		test -s "$shots/$f.png" || return 1
	done &&
	if test -n "${LIFEBELT_SCREENSHOTS:-}"; then
		mkdir -p "$LIFEBELT_SCREENSHOTS" && cp "$shots"/*.png "$LIFEBELT_SCREENSHOTS/"
	fi
'

test_done
