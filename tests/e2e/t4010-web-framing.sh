#!/bin/bash
test_description='web: a request whose body length is ambiguous is refused and its connection closed'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

web_home
web_start

# raw.py PORT FILE: send FILE's bytes on one connection, print every response
# status line received, then EOF if the server closed the connection within
# 10 s, or OPEN if it still held it.
cat >raw.py <<-\PY
import re, socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(open(sys.argv[2], "rb").read())
got, end, state = b"", time.time() + 10, "OPEN"
s.settimeout(0.5)
while time.time() < end:
    try:
        d = s.recv(65536)
    except socket.timeout:
        continue
    except ConnectionResetError:
        state = "EOF"
        break
    if not d:
        state = "EOF"
        break
    got += d
    # A server that keeps the connection: every expected answer is in, stop early.
    if got.count(b"HTTP/1.1 ") >= int(sys.argv[3]) and got.endswith(b"ok\n"):
        break
for line in re.split(b"\r?\n", got):
    if line.startswith(b"HTTP/1."):
        print(line.decode())
print(state)
PY

# request NAME: the request on stdin, with \n turned into CRLF, into NAME.
request() {
	sed 's/$/\r/' | head -c -1 >"$1"
}

printf "HTTP/1.1 400 Bad Request\nEOF\n" >refused

# expect_refused FILE N: FILE's request (N requests if the server kept reading)
# got one 400 and the connection closed.
expect_refused() {
	python3 raw.py "$WEB_PORT" "$1" "$2" >out &&
	cat out &&
	test_cmp refused out
}

smuggled='GET /healthz?smuggled HTTP/1.1
Host: x

'

test_expect_success 'two Content-Length headers: 400, closed, nothing smuggled' '
	len=$(printf "%s" "$smuggled" | sed "s/\$/\r/" | head -c -1 | wc -c) &&
	request two-cl <<-EOF &&
	POST /healthz HTTP/1.1
	Host: x
	Content-Length: 0
	Content-Length: $len

	$smuggled
	EOF
	expect_refused two-cl 2
'

test_expect_success 'the same length twice is refused as well' '
	printf "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nhi" >same-cl &&
	expect_refused same-cl 1
'

test_expect_success 'Content-Length with Transfer-Encoding: chunked: 400, closed' '
	printf "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" >cl-te &&
	expect_refused cl-te 2 &&
	printf "POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" >te-cl &&
	expect_refused te-cl 1
'

test_expect_success 'a Transfer-Encoding other than chunked: 400, closed' '
	printf "POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\n" >te-gzip &&
	expect_refused te-gzip 1
'

test_expect_success 'Transfer-Encoding in an HTTP/1.0 request: 400, closed' '
	printf "POST /healthz HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" >te-http10 &&
	expect_refused te-http10 1
'

test_expect_success 'the refusal says what was wrong' '
	curl -s -H "Content-Length: 0" -H "Content-Length: 0" "$WEB/healthz" >out.html &&
	test_grep "more than one Content-Length header; send exactly one" out.html
'

test_expect_success 'sound requests still share a connection, chunked bodies still work' '
	printf "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nPOST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\nPOST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi" >good &&
	python3 raw.py "$WEB_PORT" good 3 >out &&
	printf "HTTP/1.1 200 OK\nHTTP/1.1 200 OK\nHTTP/1.1 200 OK\nOPEN\n" >expect &&
	test_cmp expect out &&
	test "$(curl -s -o /dev/null -w "%{http_code}" -H "Transfer-Encoding: chunked" -d "login=tom&token=lbt_x" "$WEB/login")" = 403
'

test_done
