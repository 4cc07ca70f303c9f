#!/bin/bash
test_description='over HTTP: slow git requests hold no page, end at their deadline, and are limited per login'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"
. "$TEST_DIRECTORY/lib-httpgit.sh"

GIT_HTTP_LOW_SPEED_LIMIT=1 GIT_HTTP_LOW_SPEED_TIME=10
export GIT_HTTP_LOW_SPEED_LIMIT GIT_HTTP_LOW_SPEED_TIME

gitd_course && token alice && token bob ||
	{ echo "Bail out! cannot set up a course"; exit 1; }
lifebelt config set http.git_body_seconds 12 >config.out 2>&1
echo $? >config.rc
start_serve || { echo "Bail out! cannot start lifebelt serve"; exit 1; }

test_expect_success 'setup: a 12-second body deadline' '
	cat config.out && test "$(cat config.rc)" = 0
'

# slow_posts SPEC...: for each LOGIN:TOKEN, a receive-pack POST that
# announces 100000 bytes and sends one every half second. One line per
# request to slow.out when it ends: login, seconds, and the status line or "closed".
slow_posts() {
	python3 - "$HTTP_PORT" "$@" >slow.out 2>slow.err <<-\PY
	import base64, select, socket, sys, time
	port = int(sys.argv[1])
	conns = []
	for spec in sys.argv[2:]:
	    login, token = spec.split(":")
	    auth = base64.b64encode(("%s:%s" % (login, token)).encode()).decode()
	    s = socket.create_connection(("127.0.0.1", port), 5)
	    s.sendall(("POST /git/cs101/hw1/git-receive-pack HTTP/1.1\r\nHost: x\r\n"
	               "Authorization: Basic %s\r\n"
	               "Content-Type: application/x-git-receive-pack-request\r\n"
	               "Content-Length: 100000\r\n\r\n" % auth).encode())
	    conns.append([login, s, time.time()])
	    time.sleep(0.2)
	live = list(conns)
	end = time.time() + 40
	while live and time.time() < end:
	    for c in list(live):
	        login, s, t0 = c
	        r, _, _ = select.select([s], [], [], 0)
	        line = None
	        if r:
	            data = s.recv(4096)
	            line = data.split(b"\r\n")[0].decode() if data else "closed"
	        else:
	            try:
	                s.send(b"0")
	            except OSError:
	                line = "closed"
	        if line is not None:
	            print(login, round(time.time() - t0, 1), line, flush=True)
	            live.remove(c)
	    time.sleep(0.5)
	for login, s, t0 in live:
	    print(login, round(time.time() - t0, 1), "still open", flush=True)
	PY
}

test_expect_success 'slow pushes hold git processes' '
	slow_posts alice:$TOKEN_alice alice:$TOKEN_alice alice:$TOKEN_alice alice:$TOKEN_alice \
		bob:$TOKEN_bob &
	echo $! >slow.pid &&
	i=0 &&
	until test "$(serve_backends | grep -c "git http-backend")" -ge 5; do
		i=$((i + 1)); test $i -lt 100 || return 1; sleep 0.1
	done &&
	! test -s slow.out
'

test_expect_success 'a fifth request of one login is turned away with 503 and Retry-After' '
	curl -s -D headers -o body -u alice:$TOKEN_alice -m 10 \
		"$HTTP_URL/git/cs101/hw1/info/refs?service=git-receive-pack" &&
	head -n 1 headers >status &&
	test_grep " 503" status &&
	grep -i "^Retry-After: [0-9]" headers &&
	test_grep "too many git requests" body
'

test_expect_success 'meanwhile the pages answer at once, and other logins are served' '
	for i in 1 2 3 4 5; do
		timed_get $HTTP_URL/healthz 2 && timed_get $HTTP_URL/ 2 || return 1
	done &&
	git ls-remote http://bob:$TOKEN_bob@127.0.0.1:$HTTP_PORT/git/cs101/hw1 >out &&
	test_grep refs/heads/main out
'

test_expect_success 'at the body deadline the slow requests end and their processes are reaped' '
	i=0 &&
	while kill -0 $(cat slow.pid) 2>/dev/null; do
		i=$((i + 1)); test $i -lt 600 || return 1; sleep 0.1
	done &&
	cat slow.out &&
	test $(wc -l <slow.out) = 5 &&
	! grep "still open" slow.out &&
	awk "\$2 > 30 { bad = 1 } END { exit bad }" slow.out &&
	wait_no_backends 10
'

test_expect_success 'the server says why in its log' '
	test_grep "took too long to arrive" serve.log
'

test_expect_success 'clean up' '
	kill -KILL -$SERVE_PID 2>/dev/null
	for p in $(cgi_procs); do kill -KILL ${p#/proc/} 2>/dev/null; done
	true
'

test_done
