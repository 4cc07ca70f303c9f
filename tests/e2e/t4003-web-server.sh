#!/bin/bash
test_description='web: health, metrics, no file paths, connection limits, read-only'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

web_home
web_start

# hold N FIRST_ADDR_BYTE PER_ADDR: open N idle connections (every other one
# with a half-sent request) from 127.0.0.X source addresses, PER_ADDR per
# address; print "ready COUNT" once connected and keep them open.
cat >hold.py <<-\PY
import socket, sys, time
port, n, first, per = (int(a) for a in sys.argv[1:])
held = []
for i in range(n):
    s = socket.socket()
    s.bind(("127.0.0.%d" % (first + i // per), 0))
    s.connect(("127.0.0.1", port))
    if i % 2:
        s.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    held.append(s)
print("ready", len(held), flush=True)
time.sleep(60)
PY

# wait_ready FILE: until hold.py says it holds its connections.
wait_ready() {
	i=0
	while ! grep -q ready "$1"; do
		i=$((i + 1))
		test $i -lt 200 || return 1
		sleep 0.05
	done
}

test_expect_success 'setup: a graded submission' '
	web_push alice "a1" &&
	web_finish 1 passed 1 1 "'\''t1'\'', '\''pass'\'', 1, 1, 0, '\'''\'', '\'''\''" &&
	web_push bob "b1"
'

test_expect_success '/healthz answers ok' '
	test "$(web_get /healthz)" = 200 &&
	echo ok >expect && test_cmp expect out.html
'

test_expect_success '/metrics reports queue depth, jobs by state, durations and pushes' '
	test "$(web_get /metrics)" = 200 &&
	test_grep "^Content-Type: text/plain; version=0.0.4" out.hdr &&
	test_grep "^lifebelt_queue_depth 1$" out.html &&
	test_grep "^lifebelt_jobs{state=\"done\"} 1$" out.html &&
	test_grep "^lifebelt_jobs{state=\"queued\"} 1$" out.html &&
	test_grep "^lifebelt_job_duration_seconds_bucket{le=\"2\"} 0$" out.html &&
	test_grep "^lifebelt_job_duration_seconds_bucket{le=\"5\"} 1$" out.html &&
	test_grep "^lifebelt_job_duration_seconds_bucket{le=\"+Inf\"} 1$" out.html &&
	test_grep "^lifebelt_job_duration_seconds_sum 3$" out.html &&
	test_grep "^lifebelt_job_duration_seconds_count 1$" out.html &&
	test_grep "^lifebelt_pushes_total{via=\"local\"} 2$" out.html &&
	test_grep "^# TYPE lifebelt_job_duration_seconds histogram" out.html
'

test_expect_success 'the stylesheet is compiled in; other URLs are 404' '
	test "$(web_get /style.css)" = 200 &&
	test_grep "^Content-Type: text/css" out.hdr &&
	test "$(web_get /nope)" = 404 &&
	test "$(web_get /me/)" = 404 &&
	test "$(web_get /me/alice)" = 404
'

test_expect_success 'no URL reaches a file' '
	for p in /lifebelt.db /server.key /../lifebelt.db /style.css/../lifebelt.db \
		"/%2e%2e/%2e%2e/etc/passwd" "/me/..%2f..%2flifebelt.db" /repos/c1/hw1/alice.git/config \
		"/me/alice/../../server.key" "/t/../../../etc/passwd"
	do
		code=$(curl -s --path-as-is -o out.html -w "%{http_code}" "$WEB$p") &&
		echo "$p $code" &&
		case $code in 404|303|400) ;; *) false ;; esac &&
		! grep -e "SQLite format" -e "root:" out.html || return 1
	done
'

test_expect_success 'a bad --listen is one clear error line' '
	test_must_fail lifebelt serve --listen nowhere 2>err &&
	test_grep "is not ADDR:PORT" err &&
	test_must_fail lifebelt serve --listen 127.0.0.1:99999 2>err &&
	test_grep "bad port" err &&
	test_must_fail lifebelt serve --listen "127.0.0.1:$WEB_PORT" 2>err &&
	test_grep "cannot listen" err
'

test_expect_success '600 idle connections do not block a new request' '
	python3 hold.py "$WEB_PORT" 600 10 60 >held.out & holder=$!
	wait_ready held.out &&
	test_grep "ready 600" held.out &&
	code1=$(web_get /healthz --max-time 5) &&
	code2=$(web_get "$alice_link/s/1" --max-time 5)
	kill $holder
	test "$code1" = 200 && test "$code2" = 200
'

test_expect_success 'one address cannot take more than its share of connections' '
	python3 hold.py "$WEB_PORT" 200 200 200 >one.out & holder=$!
	wait_ready one.out && sleep 0.3 &&
	same=$(curl -s -o /dev/null -w "%{http_code}" --interface 127.0.0.200 --max-time 5 "$WEB/healthz")
	other=$(curl -s -o /dev/null -w "%{http_code}" --interface 127.0.0.201 --max-time 5 "$WEB/healthz")
	kill $holder
	test "$same" = 000 && test "$other" = 200
'

test_expect_success 'the web never writes to the database' '
	cookie=$(curl -s -D - -o /dev/null -d "login=tom&token=$tom_token" "$WEB/login" |
		sed -n "s/^Set-Cookie: \([^;]*\);.*/\1/p" | tr -d "\r") &&
	sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null &&
	before=$(cat "$DB" "$DB-wal" 2>/dev/null | sha256sum) &&
	for p in / "$alice_link" "$alice_link/s/1" "$alice_link/s/1/log" "$alice_link/diff?from=1&to=1" \
		/t/ /t/c1/hw1/ /t/c1/hw1/grades.csv /t/c1/hw1/u/alice /t/s/2 /metrics /healthz
	do
		test "$(web_get "$p" -b "$cookie")" = 200 || return 1
	done &&
	after=$(cat "$DB" "$DB-wal" 2>/dev/null | sha256sum) &&
	test "$before" = "$after"
'

test_expect_success 'the server stops cleanly on SIGTERM' '
	port=$(test_free_port)
	"$LIFEBELT_BIN" serve --workers 0 --listen "127.0.0.1:$port" 2>log & pid=$!
	test_wait_port $port &&
	kill -TERM $pid && wait $pid &&
	test_grep stopping log
'

test_done
