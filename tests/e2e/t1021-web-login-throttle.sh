#!/bin/bash
test_description='web: /login is throttled like git over HTTP, per address and login'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

web_home && web_start || { echo "Bail out! cannot start lifebelt serve"; exit 1; }

# login IP LOGIN TOKEN: POST the sign-in form as from address IP; prints the status.
login() {
	web_get /login -H "X-Real-IP: $1" -d "login=$2&token=$3"
}

wrong() {
	printf 'lbt_%040d' "$1"
}

test_expect_success 'forms without a token, or with one that cannot be right, never count' '
	for i in $(seq 15); do
		test "$(login 198.51.100.30 tom "")" = 403 &&
		test "$(login 198.51.100.30 tom null)" = 403 &&
		test "$(web_get /login -H "X-Real-IP: 198.51.100.30" -d "login=tom")" = 403 || return 1
	done &&
	test "$(login 198.51.100.30 tom $tom_token)" = 303
'

test_expect_success 'after 10 wrong tokens for tom: 429, Retry-After and a line saying why' '
	for i in $(seq 10); do
		test "$(login 198.51.100.31 tom $(wrong $i))" = 403 || return 1
	done &&
	for i in 1 2 3 4 5 6; do
		code=$(login 198.51.100.31 tom $(wrong 9$i)) &&
		test $code = 429 && break
	done &&
	test "$code" = 429 &&
	test_grep "^Retry-After: [1-9]" out.hdr &&
	! grep Set-Cookie out.hdr &&
	test_grep "too many wrong tokens for tom from your address: wait [0-9]* s" out.html &&
	test_grep "<form method=\"post\" action=\"/login\"" out.html
'

test_expect_success 'meanwhile tom signs in from another address, and other logins are checked from his' '
	test "$(login 198.51.100.32 tom $tom_token)" = 303 &&
	test_grep "^Set-Cookie: lifebelt_teacher=tom:" out.hdr &&
	test "$(login 198.51.100.31 bob $(wrong 1))" = 403
'

test_expect_success 'from the same address his token works once the wait is over' '
	code=$(login 198.51.100.31 tom $tom_token) &&
	if test "$code" = 429; then
		sleep $(($(sed -n "s/^Retry-After: \([0-9]*\).*/\1/p" out.hdr | tr -d "\r") + 1)) &&
		code=$(login 198.51.100.31 tom $tom_token)
	fi &&
	test "$code" = 303 &&
	test_grep "^Set-Cookie: lifebelt_teacher=tom:" out.hdr
'

test_done
