#!/bin/bash
test_description='over HTTP: pushes whose body is cut short do not hang the server or leave git running'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"
. "$TEST_DIRECTORY/lib-httpgit.sh"

gitd_course && start_serve && token alice ||
	{ echo "Bail out! cannot set up a course and lifebelt serve"; exit 1; }
# A hung server fails the test instead of hanging it.
GIT_HTTP_LOW_SPEED_LIMIT=1 GIT_HTTP_LOW_SPEED_TIME=10
export GIT_HTTP_LOW_SPEED_LIMIT GIT_HTTP_LOW_SPEED_TIME

# truncated_posts N: N receive-pack POSTs that announce 1000 bytes, send 4 and close.
truncated_posts() {
	python3 - "$HTTP_PORT" "$(basic_auth alice $TOKEN_alice)" "$1" <<-\PY
	import socket, sys, time
	port, auth, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
	for i in range(n):
	    s = socket.create_connection(("127.0.0.1", port), 5)
	    s.sendall(("POST /git/cs101/hw1/git-receive-pack HTTP/1.1\r\n"
	               "Host: 127.0.0.1\r\nAuthorization: %s\r\n"
	               "Content-Type: application/x-git-receive-pack-request\r\n"
	               "Content-Length: 1000\r\n\r\n00a0" % auth).encode())
	    time.sleep(0.3)  # the server has read the headers and started git
	    s.close()
	PY
}

test_expect_success 'eight truncated pushes, then the server still answers at once' '
	truncated_posts 8 &&
	sleep 1 &&
	timed_get $HTTP_URL/healthz 5 &&
	git ls-remote http://alice:$TOKEN_alice@127.0.0.1:$HTTP_PORT/git/cs101/hw1 >out &&
	test_grep refs/heads/main out
'

test_expect_success 'no git process of those pushes is left' '
	wait_no_backends 10
'

test_expect_success 'a real push still works' '
	git clone -q http://alice:$TOKEN_alice@127.0.0.1:$HTTP_PORT/git/cs101/hw1 hw1 &&
	(cd hw1 && echo more >>main.c && git commit -qam more && git push -q origin main) &&
	test "$(server_ref cs101/hw1/alice.git main)" = "$(git -C hw1 rev-parse HEAD)"
'

test_expect_success 'SIGTERM stops the server promptly, even with cut-short pushes in flight' '
	truncated_posts 8 &&
	stop_serve 10 &&
	sleep 1 &&
	test -z "$(cgi_procs)"
'

# Whatever happened above, nothing of this test keeps running.
test_expect_success 'clean up' '
	kill -KILL -$SERVE_PID 2>/dev/null
	for p in $(cgi_procs); do kill -KILL ${p#/proc/} 2>/dev/null; done
	true
'

test_done
