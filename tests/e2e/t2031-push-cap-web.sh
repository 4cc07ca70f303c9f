#!/bin/bash
test_description='web: the student page and the gradebook say what one push may carry'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

web_home &&
lifebelt assignment add c1 hw2 --tests tests-hw1 --due 2099-01-01T00:00:00Z \
	--max-push-mb 7 >/dev/null &&
web_start ||
	{ echo "Bail out! cannot set up a course and lifebelt serve"; exit 1; }

sign_in() {
	curl -s -D - -o /dev/null -d "login=$1&token=$2" "$WEB/login" |
		sed -n 's/^Set-Cookie: \([^;]*\);.*/\1/p' | tr -d '\r'
}

test_expect_success 'a student sees each assignment'"'"'s cap next to its branch' '
	test "$(web_get "$alice_link")" = 200 &&
	test_grep "graded branch <code>main</code> &middot; a push may carry 50 MiB</p>" out.html &&
	test_grep "graded branch <code>main</code> &middot; a push may carry 7 MiB</p>" out.html
'

test_expect_success 'the teacher'"'"'s gradebook says it too' '
	cookie=$(sign_in tom "$tom_token") && test -n "$cookie" &&
	test "$(web_get /t/c1/hw2/ -b "$cookie")" = 200 &&
	test_grep "due .* &middot; a push may carry 7 MiB &middot; 2 students" out.html &&
	test "$(web_get /t/c1/hw1/ -b "$cookie")" = 200 &&
	test_grep "per started day &middot; a push may carry 50 MiB &middot; 2 students" out.html
'

test_done
