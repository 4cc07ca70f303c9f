#!/bin/bash
test_description='web: a header deadline for every request; connection caps'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

web_home
lifebelt config set web.header_seconds 4 >/dev/null
web_start

# trickle.py PORT [form]: send a 60-byte request header (or a whole header,
# then a 40-byte form) one byte a second (each byte resets an inactivity
# timeout); print "closed after N s" when the server drops the connection,
# or "served" / "open" if it waited 30 s for it.
cat >trickle.py <<-\PY
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
if sys.argv[2:] == ["form"]:
    s.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n"
              b"Content-Type: application/x-www-form-urlencoded\r\n\r\n")
    req = b"login=tom&token=" + b"a" * 24
else:
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

# expect_cut [form]: trickle.py is cut off near the 4 s deadline, long before
# its last byte (40 s or more).
expect_cut() {
	python3 trickle.py "$WEB_PORT" "$@" >out &&
	cat out &&
	test_grep "^closed after" out &&
	test "$(sed -n "s/closed after \([0-9]*\) s/\1/p" out)" -le 15
}

test_expect_success 'a trickled header is cut off near the deadline, long before it ends' '
	expect_cut
'

test_expect_success 'so is a page form trickled byte by byte' '
	expect_cut form
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
	test_grep "web.header_seconds must be a whole number from 1 to 1000000000" err
'

# serve_again LOG [ULIMIT]: a second server (read its settings afresh) on PORT2.
serve_again() {
	PORT2=$(test_free_port)
	test_bg bash -c "ulimit -n ${2:-4096} && exec \"\$0\" serve --workers 0 --listen 127.0.0.1:$PORT2" \
		"$LIFEBELT_BIN" 2>"$1"
	test_wait_port "$PORT2"
}

test_expect_success 'the connections of one address are capped by a setting' '
	lifebelt config set web.connections_per_address 3 >/dev/null &&
	serve_again serve2.log || return 1
	python3 -c "
import socket, sys, time
held = []
for i in range(3):
    s = socket.socket(); s.bind((\"127.0.0.40\", 0)); s.connect((\"127.0.0.1\", $PORT2)); held.append(s)
print(\"ready\", flush=True)
time.sleep(20)
" >held & holder=$!
	i=0 && while ! grep -q ready held && test $i -lt 200; do sleep 0.05; i=$((i + 1)); done &&
	sleep 1 &&
	same=$(curl -s -o /dev/null -w "%{http_code}" --interface 127.0.0.40 --max-time 5 "http://127.0.0.1:$PORT2/healthz")
	other=$(curl -s -o /dev/null -w "%{http_code}" --interface 127.0.0.41 --max-time 5 "http://127.0.0.1:$PORT2/healthz")
	kill $holder
	test "$same" = 000 && test "$other" = 200
'

test_expect_success 'the connection cap stays under the open-file limit' '
	serve_again serve3.log 200 &&
	test_grep "may open only 200 files; serving at most 100 connections" serve3.log &&
	test "$(curl -s -o /dev/null -w "%{http_code}" --max-time 5 "http://127.0.0.1:$PORT2/healthz")" = 200
'

test_done
