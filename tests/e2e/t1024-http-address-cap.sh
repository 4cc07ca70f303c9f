#!/bin/bash
test_description='over HTTP: one address trying many logins meets a loose cap that its known students pass'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"

gitd_course && start_serve && token alice && token bob ||
	{ echo "Bail out! cannot set up a course and lifebelt serve"; exit 1; }
GIT_TERMINAL_PROMPT=0
export GIT_TERMINAL_PROMPT
refs="info/refs?service=git-upload-pack"
nat="X-Real-IP: 198.51.100.40"

# ask NAME LOGIN TOKEN [CURL ARGS]: info/refs of cs101/hw1 as LOGIN; status into NAME.code.
ask() {
	name=$1 login=$2 tok=$3
	shift 3
	curl -s -D $name.hdr -o $name.body -w "%{http_code}\n" -u "$login:$tok" "$@" \
		"$HTTP_URL/git/cs101/hw1/$refs" >$name.code
}

test_expect_success 'alice signs in from the NAT' '
	ask a alice $TOKEN_alice -H "$nat" && echo 200 >expect && test_cmp expect a.code
'

test_expect_success 'one client there tries a wrong token for each of 320 logins' '
	python3 - $HTTP_PORT >spray.codes <<-\PY &&
	import base64, http.client, sys
	conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
	for i in range(320):
	    auth = base64.b64encode(b"user%d:lbt_%040d" % (i, i)).decode()
	    conn.request("GET", "/git/cs101/hw1/info/refs?service=git-upload-pack",
	                 headers={"Authorization": "Basic " + auth, "X-Real-IP": "198.51.100.40"})
	    r = conn.getresponse()
	    r.read()
	    if r.will_close:
	        conn.close()
	    print(r.status)
	PY
	test "$(grep -c "^401$" spray.codes)" -ge 290 &&
	test "$(grep -c "^401$" spray.codes)" -le 305 &&
	grep -q "^429$" spray.codes
'

test_expect_success 'then a login new to that address waits, and is told why' '
	for i in 1 2 3 4 5 6; do
		ask b newcomer$i lbt_0000000000000000000000000000000000000000 -H "$nat" &&
		test "$(cat b.code)" = 429 && break
	done &&
	echo 429 >expect && test_cmp expect b.code &&
	test_grep "^Retry-After: [1-9]" b.hdr &&
	test_grep "too many failed sign-ins from your address: wait [0-9]* s" b.body
'

test_expect_success 'alice, who signed in from it before, passes; so does bob elsewhere' '
	ask a alice $TOKEN_alice -H "$nat" && echo 200 >expect && test_cmp expect a.code &&
	git -c http.extraHeader="$nat" ls-remote \
		"http://alice:$TOKEN_alice@127.0.0.1:$HTTP_PORT/git/cs101/hw1" >out &&
	test_grep refs/heads/main out &&
	ask b bob $TOKEN_bob -H "X-Real-IP: 198.51.100.41" && test_cmp expect b.code
'

test_done
