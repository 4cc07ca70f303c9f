#!/bin/bash
test_description='github: a delivery sent without a length is answered 413 the moment it passes the cap, not when it ends'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"
. "$TEST_DIRECTORY/lib-github.sh"

GH_SECRET="the course's webhook secret, $$"

web_home &&
printf '%s\n' "$GH_SECRET" | lifebelt github secret - >/dev/null &&
lifebelt config set github.webhook_max_mb 1 >/dev/null &&
web_start ||
	{ echo "Bail out! cannot set up lifebelt serve"; exit 1; }

# stalled BYTES GUID: a client that sends a signed-looking push of BYTES in
# 64 KiB chunks without a length, then sends nothing more and waits for an
# answer (3 s at most); prints the status line and the seconds it waited.
stalled() {
	python3 - "$WEB_PORT" "$1" "$2" <<-\PY
	import socket, sys, time
	port, size, guid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
	s = socket.create_connection(("127.0.0.1", port))
	s.sendall(("POST /hooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
	           "Content-Type: application/json\r\nX-GitHub-Event: push\r\nX-GitHub-Delivery: %s\r\n"
	           "X-Hub-Signature-256: sha256=%s\r\n\r\n" % (guid, "0" * 64)).encode())
	chunk = b" " * 65536
	for _ in range(size // len(chunk)):
	    s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
	t0 = time.monotonic()
	s.settimeout(3)
	try:
	    got = s.recv(4096).split(b"\r\n")[0].decode()
	except socket.timeout:
	    got = "no answer"
	print(got, round(time.monotonic() - t0, 1))
	s.close()
	PY
}

test_expect_success 'past the cap, and then nothing more: 413 at once, the body never ending' '
	stalled 1310720 stall-0001 >got &&
	cat got &&
	test_grep "^HTTP/1.1 413 " got &&
	test_grep "github delivery stall-0001 (push): 413 the body is larger than the 1 MiB" serve.log &&
	test -z "$(gh_rows "guid = '\''stall-0001'\''")"
'

test_expect_success 'under the cap the same client waits for the rest, as it should' '
	stalled 655360 stall-0002 >got &&
	test_grep "^no answer" got
'

test_expect_success 'a whole body over the cap from curl: one 413 with its line' '
	head -c 1310720 /dev/zero >big &&
	code=$(curl -s -o resp.txt -w "%{http_code}" -H "Transfer-Encoding: chunked" \
		-H "Content-Type: application/json" -H "X-GitHub-Event: push" \
		-H "X-GitHub-Delivery: chunked-0002" -H "X-Hub-Signature-256: $(gh_sign big)" \
		--data-binary @big "$WEB/hooks/github") &&
	test "$code" = 413 &&
	echo "the body is larger than the 1 MiB this server takes (setting github.webhook_max_mb)" >expect &&
	test_cmp expect resp.txt &&
	test $(grep -c "github delivery chunked-0002 (push): 413" serve.log) = 1
'

test_expect_success 'the server goes on: a small delivery is taken after them' '
	echo "{\"zen\": \"Keep it logically awesome.\"}" >ping.json &&
	test "$(gh_send ping chunked-ping ping.json -H "Transfer-Encoding: chunked")" = 200 &&
	test "$(curl -s "$WEB/healthz")" = ok
'

test_done
