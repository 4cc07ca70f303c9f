#!/bin/bash
test_description='grace days: spent automatically on late work in due order, never beyond the budget, shown to student and teacher'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

DAY=86400

# push LOGIN ASSIGNMENT: a commit pushed to the graded branch, graded by the runner.
push() {
	test -d "$1-$2" || git clone -q "$LIFEBELT_HOME/repos/c1/$2/$1.git" "$1-$2" 2>/dev/null || return 1
	date +%s%N >"$1-$2/work" && git -C "$1-$2" add work && git -C "$1-$2" commit -q -m work &&
	git -C "$1-$2" push -q origin HEAD:main 2>/dev/null &&
	lifebelt runner --drain 2>>runner.err
}

# grade LOGIN ASSIGNMENT: score,late_days,grace_days from the CSV export.
grade() {
	lifebelt grades c1 "$2" --csv | grep "^$1," | cut -d, -f4,7,13
}

sign_in() {
	curl -s -D - -o /dev/null -d "login=$1&token=$2" "$WEB/login" |
		sed -n 's/^Set-Cookie: \([^;]*\);.*/\1/p' | tr -d '\r'
}

db() { sqlite3 -cmd ".timeout 5000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

# 4 grace days; hw1 is 3 days late now, hw2 2 days, hw3 1 day; 10% off per late day.
WEB_PORT=$(test_free_port)
WEB=http://127.0.0.1:$WEB_PORT
lifebelt init >/dev/null
lifebelt config set web.url "$WEB" >/dev/null
lifebelt course add c1 --grace-days 4 >course.out
lifebelt student add c1 alice >/dev/null
lifebelt student add c1 bob >/dev/null
lifebelt teacher add c1 tom >/dev/null
test_make_tests_dir tests
now=$(date +%s)
for n in 1 2 3; do
	lifebelt assignment add c1 hw$n --tests tests --late-penalty 10 >/dev/null \
		--due "$(date -u -d "@$((now - (3 - n) * DAY - 60))" +%Y-%m-%dT%H:%M:%SZ)"
done
web_token alice
web_token bob
web_token tom

test_expect_success 'setup: course add --grace-days keeps the budget' '
	test_grep "course c1 created" course.out &&
	test "$(db "SELECT grace_days FROM courses")" = 4
'

test_expect_success 'the latest-due assignment pushed first spends a day of the budget' '
	push alice hw3 &&
	test "$(grade alice hw3)" = "1,1,1"
'

test_expect_success 'the earlier ones pushed later still spend first, in due order, never beyond 4' '
	push alice hw2 &&
	push alice hw1 &&
	test "$(grade alice hw1)" = "1,3,3" &&
	test "$(grade alice hw2)" = "0.9,2,1" &&
	test "$(grade alice hw3)" = "0.9,1,0" &&
	test "$(db "SELECT sum(grace_days) FROM counted")" = 4
'

web_start
test_expect_success 'the student page shows the grace days left and what each assignment spent' '
	test "$(web_get "$alice_link")" = 200 &&
	test_grep "grace days: 0 of 4 left" out.html &&
	test_grep "3 grace days spent" out.html &&
	test "$(web_get "$bob_link")" = 200 &&
	test_grep "grace days: 4 of 4 left" out.html
'

test_expect_success 'the gradebook shows the grace days paid, next to the late days' '
	test "$(web_get /t/c1/hw2/ -b "$(sign_in tom "$tom_token")")" = 200 &&
	test_grep "4 grace days per student" out.html &&
	test_grep "<td class=\"num\">2 <span class=\"meta\">(1 grace)</span></td>" out.html
'

test_expect_success 'course edit --grace-days recomputes the course at once' '
	lifebelt course edit c1 --grace-days 6 >out &&
	test_grep "course c1: 6 grace days per student" out &&
	test "$(grade alice hw1),$(grade alice hw2),$(grade alice hw3)" = "1,3,3,1,2,2,1,1,1" &&
	lifebelt course edit c1 --grace-days 0 >/dev/null &&
	test "$(grade alice hw1)" = "0.7,3,0"
'

test_done
