#!/bin/bash
test_description='web: a request header trickled byte by byte is cut off at the header deadline'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

web_home
lifebelt config set web.header_seconds 4 >/dev/null
web_start

# trickle.py PORT: send a 60-byte request header one byte a second (each byte
# resets an inactivity timeout); print "closed after N s" when the server
# drops the connection, or "served" / "open" if it waited 30 s for it.
cat >trickle.py <<-\PY
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
req = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 25 + b"\r\n\r\n"
start = time.time()
s.settimeout(1)
for i in range(len(req)):
    if time.time() - start > 30:
        print("open")
        sys.exit(0)
    try:
        s.send(req[i:i + 1])
        d = s.recv(4096)
    except socket.timeout:
        continue
    except OSError:
        d = b""
    if not d:
        print("closed after %d s" % (time.time() - start))
        sys.exit(0)
    print("served")
    sys.exit(0)
print("served")
PY

# keepalive.py PORT N: N requests on one connection, one a second; print each status line.
cat >keepalive.py <<-\PY
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(10)
for i in range(int(sys.argv[2])):
    if i:
        time.sleep(1)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    got = b""
    while not got.endswith(b"ok\n"):
        d = s.recv(4096)
        if not d:
            print("closed")
            sys.exit(0)
        got += d
    print(got.split(b"\r\n")[0].decode())
PY

test_expect_success 'a trickled header is cut off near the deadline, long before it ends' '
	python3 trickle.py "$WEB_PORT" >out &&
	cat out &&
	test_grep "^closed after" out &&
	test "$(sed -n "s/closed after \([0-9]*\) s/\1/p" out)" -le 15
'

test_expect_success 'the server says so in its log and keeps serving' '
	test_grep "closed 1 connection idle or slow for 4 s" "$TRASH_DIRECTORY/serve.log" &&
	test "$(web_get /healthz --max-time 5)" = 200
'

test_expect_success 'each request on a kept-alive connection has a deadline of its own' '
	python3 keepalive.py "$WEB_PORT" 7 >out &&
	test "$(grep -c "^HTTP/1.1 200 OK$" out)" = 7
'

test_expect_success 'ten tricklers at once are all cut off' '
	pids= &&
	for i in 0 1 2 3 4 5 6 7 8 9; do
		python3 trickle.py "$WEB_PORT" >many.$i & pids="$pids $!"
	done
	wait $pids &&
	cat many.* >out &&
	test "$(grep -c "^closed after" out)" = 10
'

test_expect_success 'the deadline is a setting, checked like the others' '
	test_must_fail lifebelt config set web.header_seconds soon 2>err &&
	test_grep "web.header_seconds must be a positive whole number" err
'

test_done
