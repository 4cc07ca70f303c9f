#!/bin/bash
test_description='web: a kept teacher page is shown only to the teacher it was made for'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

web_home && lifebelt course add c2 >/dev/null && lifebelt teacher add c2 tina >/dev/null &&
	web_token tina && web_start || { echo "Bail out! cannot start lifebelt serve"; exit 1; }
tom=$(web_sign_in tom "$tom_token")
tina=$(web_sign_in tina "$tina_token")

# after PATH COOKIE [CURL ARGS]: tom's page PATH fetched twice (kept), then
# PATH for COOKIE on the same connection, so by the thread that keeps it;
# the last status is printed, its page in other.html.
after() {
	p=$1 c=$2
	shift 2
	curl -s -b "$tom" -o tom.html "$WEB$p" -o tom.html "$WEB$p" \
		--next -s -b "$c" -D other.hdr -o other.html -w "%{http_code}" "$@" "$WEB$p"
}

test_expect_success 'tom'\''s list of courses is kept, and tina gets her own' '
	before=$(web_hits) &&
	test "$(after /t/ "$tina")" = 200 &&
	test "$(web_hits)" -gt "$before" &&
	test_grep "<h2>c1</h2>" tom.html &&
	test_grep "<h2>c2</h2>" other.html &&
	! grep -q "<h2>c1</h2>" other.html
'

test_expect_success 'tom'\''s kept gradebook is not found for tina, who does not teach c1' '
	test "$(after /t/c1/hw1/ "$tina")" = 404 &&
	test_grep "class=\"gradebook\"" tom.html &&
	! grep -q "Alice A" other.html &&
	test "$(after /t/c1/hw1/u/alice "$tina")" = 404 &&
	test "$(after /t/c1/ "$tina")" = 404
'

test_expect_success 'nor shown without a session, or with a forged one' '
	test "$(after /t/c1/hw1/ "")" = 303 &&
	test_grep "^Location: /login" other.hdr &&
	test "$(after /t/c1/hw1/ "lifebelt_teacher=tom:9999999999:1:00")" = 303 &&
	! grep -q "Alice A" other.html
'

test_expect_success 'a second teacher of c1 gets the gradebook, rendered for her' '
	lifebelt teacher add c1 tina >/dev/null &&
	test "$(after /t/c1/hw1/ "$tina")" = 200 &&
	test_grep "Alice A" other.html &&
	test "$(after /t/ "$tina")" = 200 &&
	test_grep "<h2>c1</h2>" other.html && test_grep "<h2>c2</h2>" other.html &&
	! grep -q "<h2>c2</h2>" tom.html
'

test_expect_success 'after tom signs out, his kept pages are not his cookie'\''s any more' '
	after /t/c1/hw1/ "$tom" >/dev/null &&
	test "$(web_get /logout -X POST -b "$tom")" = 303 &&
	test "$(web_get /t/c1/hw1/ -b "$tom")" = 303 &&
	test "$(after /t/c1/hw1/ "$tom")" = 303
'

test_done
