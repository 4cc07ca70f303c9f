#!/bin/bash
test_description='web: a kept teacher page, compressed, is sent only to the teacher it was made for'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

BROWSER="Accept-Encoding: gzip, deflate, br"

# Enough students that the gradebook is worth compressing.
web_home && {
	printf 'login,name,email,ssh_key,github\n'
	for i in $(seq 40); do printf 's%02d,Student %d,,,\n' "$i" "$i"; done
} >roster.csv && lifebelt roster import c1 roster.csv >/dev/null &&
	lifebelt course add c2 >/dev/null && lifebelt teacher add c2 tina >/dev/null &&
	web_token tina && web_start || { echo "Bail out! cannot start lifebelt serve"; exit 1; }
tom=$(web_sign_in tom "$tom_token")
tina=$(web_sign_in tina "$tina_token")

# after FORM PATH COOKIE: tom's page PATH fetched twice with a
# browser's Accept-Encoding (kept, in both forms), then PATH for COOKIE on
# the same connection, so by the thread that keeps it, as FORM: "gzip"
# (the browser's header) or "identity" (none). Prints the last status;
# tom's page is in tom.html, the other in other.html (decoded), their
# headers in tom.hdr and other.hdr.
after() {
	p=$2 c=$3 ae=
	test "$1" = gzip && ae=$BROWSER
	curl -s -b "$tom" -H "$BROWSER" -D tom.hdr -o tom.gz "$WEB$p" -o tom.gz "$WEB$p" \
		--next -s -b "$c" ${ae:+-H "$ae"} -D other.hdr -o other.raw -w "%{http_code}" "$WEB$p" &&
	decode tom.gz tom.html && decode other.raw other.html other.hdr
}

# decode RAW OUT [HDR]: RAW as gzip decodes it, or as it is when it is no
# gzip stream (and HDR, if given, says no Content-Encoding either).
decode() {
	if gzip -t <"$1" 2>/dev/null; then
		gzip -dc <"$1" >"$2"
	else
		cp "$1" "$2" && { test -z "${3:-}" || ! grep -qi "^Content-Encoding" "$3"; }
	fi
}

gzipped() {
	grep -qi "^Content-Encoding: gzip" other.hdr && gzip -t <other.raw
}

# Tom's page was sent, so kept, compressed before the other request.
tom_gzipped() {
	grep -qi "^Content-Encoding: gzip" tom.hdr && gzip -t <tom.gz
}

test_expect_success 'tom'\''s compressed gradebook is kept, and sent compressed' '
	before=$(web_hits) &&
	test "$(after gzip /t/c1/hw1/ "$tom")" = 200 &&
	test "$(web_hits)" -gt "$before" &&
	gzipped && test_cmp tom.html other.html &&
	test_grep "class=\"gradebook\"" other.html
'

test_expect_success 'tina, who does not teach c1, is not given it in either form' '
	test "$(after gzip /t/c1/hw1/ "$tina")" = 404 && tom_gzipped &&
	! grep -q "Alice A" other.html &&
	test "$(after identity /t/c1/hw1/ "$tina")" = 404 &&
	! grep -q "Alice A" other.html &&
	test "$(after gzip /t/c1/hw1/u/alice "$tina")" = 404 &&
	test "$(after gzip /t/c1/ "$tina")" = 404 && tom_gzipped &&
	test "$(after gzip /t/c1/hw1/grades.csv "$tina")" = 404 &&
	! grep -q alice other.html
'

test_expect_success 'nor without a session, or with a forged one' '
	test "$(after gzip /t/c1/hw1/ "")" = 303 && tom_gzipped &&
	test_grep "^Location: /login" other.hdr &&
	test "$(after gzip /t/c1/hw1/ "lifebelt_teacher=tom:9999999999:1:00")" = 303 &&
	! grep -q "Alice A" other.html
'

test_expect_success 'a second teacher of c1 gets the gradebook compressed, rendered for her' '
	lifebelt teacher add c1 tina >/dev/null &&
	test "$(after gzip /t/c1/hw1/ "$tina")" = 200 &&
	gzipped && test_grep "Alice A" other.html &&
	test "$(after gzip /t/c1/ "$tina")" = 200 &&
	gzipped && test_grep "s40" other.html
'

test_expect_success 'after tom signs out, neither form of his kept pages is his cookie'\''s' '
	test "$(after gzip /t/c1/hw1/ "$tom")" = 200 && gzipped &&
	test "$(web_get /logout -X POST -b "$tom")" = 303 &&
	test "$(after gzip /t/c1/hw1/ "$tom")" = 303 &&
	! grep -q "Alice A" other.html &&
	test "$(after identity /t/c1/hw1/ "$tom")" = 303
'

test_done
