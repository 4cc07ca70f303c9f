#!/bin/bash
test_description='web: teachers'\'' pages and exports gzip-compressed as Accept-Encoding allows, the same bytes once decoded'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

BROWSER="Accept-Encoding: gzip, deflate, br"

# A class large enough that every page and export is worth compressing,
# with names that must stay escaped.
web_home && {
	printf 'login,name,email,ssh_key,github\n'
	for i in $(seq 60); do
		printf 's%02d,"Student <b>%d</b> & co",s%02d@example.com,,\n' "$i" "$i" "$i"
	done
} >roster.csv && lifebelt roster import c1 roster.csv >/dev/null &&
	web_start || { echo "Bail out! cannot start lifebelt serve"; exit 1; }
cookie=$(web_sign_in tom "$tom_token")

# fetch NAME PATH [CURL ARGS]: the teacher's PATH, headers into NAME.hdr and
# the body as sent into NAME.raw; prints the status.
fetch() {
	n=$1 p=$2
	shift 2
	curl -s -b "$cookie" -D "$n.hdr" -o "$n.raw" -w '%{http_code}' "$@" "$WEB$p"
}

# header NAME FILE: the value of a response header (case-insensitive name).
header() {
	tr -d '\r' <"$2" | sed -n "s/^$1: *//Ip"
}

# is_gzip NAME: NAME.raw came with Content-Encoding: gzip; gzip decodes it into NAME.body.
is_gzip() {
	test "$(header Content-Encoding "$1.hdr")" = gzip &&
	gzip -dc <"$1.raw" >"$1.body"
}

# is_identity NAME: NAME.raw came as it is (no Content-Encoding) and is no gzip stream.
is_identity() {
	test -z "$(header Content-Encoding "$1.hdr")" &&
	! gzip -t <"$1.raw" 2>/dev/null &&
	cp "$1.raw" "$1.body"
}

# same gzip|identity PATH: identity without Accept-Encoding; with a
# browser's, the form given (identity for a page too small to gain); the
# same bytes once decoded (by gzip, and by curl --compressed), both forms
# saying Vary: Accept-Encoding.
same() {
	test "$(fetch plain "$2")" = 200 && is_identity plain &&
	test "$(fetch zipped "$2" -H "$BROWSER")" = 200 && "is_$1" zipped &&
	test_cmp plain.body zipped.body &&
	test "$(curl -s -b "$cookie" --compressed -o curl.body -w '%{http_code}' "$WEB$2")" = 200 &&
	test_cmp plain.body curl.body &&
	test "$(header Vary plain.hdr)" = Accept-Encoding &&
	test "$(header Vary zipped.hdr)" = Accept-Encoding &&
	test "$(header Content-Length zipped.hdr)" = "$(wc -c <zipped.raw)" &&
	if test "$1" = gzip; then
		test "$(wc -c <zipped.raw)" -lt "$(wc -c <plain.raw)"
	else
		test "$(wc -c <plain.raw)" -lt 1024
	fi
}

test_expect_success 'setup: alice'\''s graded submissions' '
	for i in 1 2 3 4; do
		web_push alice "version $i" main.c "$(seq -f "line %g of version $i" 100)" || return 1
	done &&
	lifebelt runner --drain 2>runner.log &&
	sub=$(web_last_submission) && echo "$sub" >sub
'

test_expect_success 'the gradebook: identical bytes with gzip and without' '
	same gzip /t/c1/hw1/ &&
	test_grep "class=\"gradebook\"" zipped.body &&
	test_grep "Student &lt;b&gt;7&lt;/b&gt; &amp; co" zipped.body
'

test_expect_success 'a teacher'\''s page of one student, the course, the list of courses' '
	same gzip /t/c1/hw1/u/alice && test_grep "superseded" zipped.body &&
	same gzip /t/c1/ && test_grep "s60" zipped.body &&
	same identity /t/ && test_grep "<h2>c1</h2>" zipped.body
'

test_expect_success 'a submission, its log and a diff, as a teacher sees them' '
	same gzip "/t/s/$(cat sub)" && test_grep "version 4" zipped.body &&
	same identity "/t/s/$(cat sub)/log" &&
	same gzip "/t/diff?from=$(($(cat sub) - 3))&to=$(cat sub)" && test_grep "version 1" zipped.body
'

test_expect_success 'the exports (compressed on each request, never kept)' '
	same gzip /t/c1/hw1/grades.csv &&
	test "$(header Content-Disposition zipped.hdr)" = "attachment; filename=\"c1-hw1-grades.csv\"" &&
	test_grep "^s07," zipped.body &&
	same gzip "/t/c1/grades.csv?format=canvas" && test_grep "s07" zipped.body &&
	same gzip "/t/c1/grades.csv?format=moodle"
'

test_expect_success 'a kept gradebook gives both forms: each the same bytes again' '
	curl -s -b "$cookie" -o a.plain "$WEB/t/c1/hw1/" -o b.plain "$WEB/t/c1/hw1/" \
		--next -s -b "$cookie" -H "$BROWSER" -o a.gz "$WEB/t/c1/hw1/" -o b.gz "$WEB/t/c1/hw1/" &&
	test_cmp a.plain b.plain && cmp a.gz b.gz &&
	gzip -dc <a.gz >a.body && test_cmp a.plain a.body
'

# as ACCEPT-ENCODING: what the gradebook is sent as (gzip or identity), and
# that either way it is the page, with Vary.
as() {
	rm -f e.body && fetch e /t/c1/hw1/ -H "Accept-Encoding: $1" >/dev/null &&
	test "$(header Vary e.hdr)" = Accept-Encoding &&
	if is_gzip e; then echo gzip; elif is_identity e; then echo identity; fi &&
	test_cmp plain.body e.body
}

test_expect_success 'Accept-Encoding is parsed: tokens, weights, case, x-gzip and *' '
	fetch plain /t/c1/hw1/ >/dev/null && is_identity plain &&
	test "$(as gzip)" = gzip &&
	test "$(as "GZip;Q=0.5")" = gzip &&
	test "$(as "br ; q=1.0 , gzip ;q=0.001")" = gzip &&
	test "$(as x-gzip)" = gzip &&
	test "$(as "*")" = gzip &&
	test "$(as "deflate, *;q=0.2")" = gzip &&
	test "$(as "gzip;q=0")" = identity &&
	test "$(as "gzip;q=0.000, *")" = identity &&
	test "$(as "*;q=0")" = identity &&
	test "$(as "gzip;q=0, gzip")" = identity &&
	test "$(as "br, deflate, zstd")" = identity &&
	test "$(as identity)" = identity &&
	test "$(as "")" = identity &&
	test "$(as gzipped)" = identity &&
	test "$(as "gzip;q=2")" = identity &&
	test "$(as "gzip;q=0.5x")" = identity &&
	test "$(as "gzip junk")" = identity
'

test_expect_success 'a header sent twice is one list: a refusal in the second holds' '
	fetch plain /t/c1/hw1/ >/dev/null && is_identity plain &&
	fetch e /t/c1/hw1/ -H "Accept-Encoding: gzip" -H "Accept-Encoding: br, gzip;q=0" >/dev/null &&
	test "$(header Vary e.hdr)" = Accept-Encoding && is_identity e && test_cmp plain.body e.body &&
	fetch e /t/c1/hw1/ -H "Accept-Encoding: br" -H "Accept-Encoding: gzip" >/dev/null &&
	is_gzip e && test_cmp plain.body e.body
'

test_expect_success 'HEAD: the headers of the form asked for, no body' '
	fetch zipped /t/c1/hw1/ -H "$BROWSER" >/dev/null &&
	head="curl -s -I -b $cookie -o head.hdr -w %{http_code}:%{size_download}" &&
	test "$($head -H "$BROWSER" "$WEB/t/c1/hw1/")" = 200:0 &&
	test "$(header Content-Encoding head.hdr)" = gzip &&
	test "$(header Vary head.hdr)" = Accept-Encoding &&
	test "$(header Content-Length head.hdr)" = "$(wc -c <zipped.raw)" &&
	test "$($head "$WEB/t/c1/hw1/")" = 200:0 &&
	test -z "$(header Content-Encoding head.hdr)" &&
	test "$(header Content-Length head.hdr)" = "$(wc -c <plain.raw)"
'

test_expect_success 'a Range is not served: the whole page, in the form asked for' '
	test "$(fetch ranged /t/c1/hw1/ -r 0-99 -H "$BROWSER")" = 200 &&
	is_gzip ranged && test_cmp plain.body ranged.body &&
	test -z "$(header Content-Range ranged.hdr)" &&
	test "$(fetch ranged /t/c1/hw1/ -r 0-99)" = 200 &&
	is_identity ranged && test_cmp plain.body ranged.body
'

test_expect_success 'a page too small to gain, and a redirect, go as they are, with Vary' '
	test "$(fetch small /t/c1/nosuch/ -H "$BROWSER")" = 404 && is_identity small &&
	test "$(header Vary small.hdr)" = Accept-Encoding &&
	test "$(curl -s -D nobody.hdr -o nobody.raw -w "%{http_code}" -H "$BROWSER" "$WEB/t/c1/hw1/")" = 303 &&
	is_identity nobody && test "$(header Vary nobody.hdr)" = Accept-Encoding
'

test_expect_success 'a student'\''s pages, whose links carry the key, are never compressed' '
	p=$alice_link/s/$(cat sub) &&
	test "$(curl -s -D me.hdr -o me.raw -w "%{http_code}" -H "$BROWSER" "$WEB$p")" = 200 &&
	is_identity me && test_grep "version 4" me.body &&
	test -z "$(header Vary me.hdr)" &&
	test "$(curl -s -D me.hdr -o me.raw -w "%{http_code}" -H "$BROWSER" "$WEB$alice_link")" = 200 &&
	is_identity me &&
	test "$(fetch zipped /t/c1/hw1/u/alice -H "$BROWSER")" = 200 && is_gzip zipped
'

test_done
