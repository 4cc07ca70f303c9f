#!/bin/bash
test_description='web: a teacher page is kept until the database changes, and shows each change at once'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

web_home && lifebelt student add c1 carol >/dev/null && web_token carol &&
	web_start || { echo "Bail out! cannot start lifebelt serve"; exit 1; }
cookie=$(web_sign_in tom "$tom_token")
book=$WEB/t/c1/hw1/

# twice PATH: the teacher's page fetched twice on one connection (one
# server thread) into out.html and again.html; the second must come from
# the kept copy, and be the same page.
twice() {
	before=$(web_hits) &&
	curl -s -f -b "$cookie" -o out.html "$WEB$1" -o again.html "$WEB$1" &&
	test "$(web_hits)" -gt "$before" &&
	test_cmp out.html again.html
}

# row LOGIN: the student's gradebook row in out.html.
row() {
	grep "<a href=\"u/$1\">" out.html
}

test_expect_success 'the gradebook is kept: a second request is served from memory' '
	web_push alice "first" &&
	twice /t/c1/hw1/ &&
	row alice >alice.row &&
	test_grep "&ndash;" alice.row &&
	test_grep "queued" alice.row
'

test_expect_success 'a verdict shows on the next request' '
	twice /t/c1/hw1/u/alice &&
	test_grep "queued" out.html &&
	lifebelt runner --drain 2>runner.log &&
	twice /t/c1/hw1/u/alice &&
	test_grep "passed" out.html &&
	twice /t/c1/hw1/ &&
	row alice >alice.row &&
	test_grep "1 / 1" alice.row &&
	test_grep "passed" alice.row
'

test_expect_success 'so does an override' '
	env -u SUDO_USER USER=tom lifebelt override c1 hw1 alice --score 0.5 \
		--reason "copied the answer" >/dev/null &&
	twice /t/c1/hw1/ &&
	row alice >alice.row &&
	test_grep "0.5 / 1" alice.row &&
	test_grep "copied the answer" alice.row &&
	twice /t/c1/ &&
	test_grep "<td class=\"num\">0.5</td>" out.html
'

test_expect_success 'so does an edit of the assignment' '
	twice /t/c1/hw1/ &&
	test_grep "late work loses 10%" out.html &&
	lifebelt assignment edit c1 hw1 --late-penalty 30 >/dev/null &&
	twice /t/c1/hw1/ &&
	test_grep "late work loses 30%" out.html
'

test_expect_success 'so does a new team' '
	row bob >bob.row && test_grep "<td class=\"num\">0</td>" bob.row &&
	lifebelt team add c1 hw1 red bob carol >/dev/null &&
	git clone -q "$LIFEBELT_HOME/repos/c1/hw1/red.git" work-red 2>/dev/null &&
	echo team >work-red/main.c && git -C work-red add main.c &&
	git -C work-red commit -q -m "team work" && git -C work-red push -q origin HEAD:main 2>/dev/null &&
	lifebelt runner --drain 2>runner.log &&
	twice /t/c1/hw1/ &&
	row bob >bob.row && test_grep "1 / 1" bob.row &&
	row carol >carol.row && test_grep "1 / 1" carol.row
'

test_expect_success 'the course pages too' '
	twice /t/c1/ &&
	test_grep "<td>bob</td>" out.html &&
	lifebelt student add c1 dave >/dev/null &&
	twice /t/c1/ &&
	test_grep "dave" out.html
'

test_done
