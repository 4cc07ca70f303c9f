#!/bin/bash
test_description='the receive time is when a push reached Lifebelt, over HTTP and SSH, however slow the rest'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"
. "$TEST_DIRECTORY/lib-httpgit.sh"

gitd_course && start_sshd && start_serve && token alice ||
	{ echo "Bail out! cannot set up a course, sshd and lifebelt serve"; exit 1; }
GIT_HTTP_LOW_SPEED_LIMIT=1 GIT_HTTP_LOW_SPEED_TIME=30
export GIT_HTTP_LOW_SPEED_LIMIT GIT_HTTP_LOW_SPEED_TIME
DELAY=6

# A proxy to serve that holds the body of each push (receive-pack POST) for
# DELAY seconds after its headers: a slow upload, so git's hooks start late.
# The time it passed the headers on goes to the file arrived.
PROXY_PORT=$(test_free_port)
cat >proxy.py <<-\PY
import socket, sys, threading, time
listen, target, delay, mode = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
def pipe(src, dst, slow):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            first = data.split(b"\r\n")[0]
            if slow and mode == "request" and first.startswith(b"GET ") and \
               b"service=git-receive-pack" in first and b"\r\nAuthorization:" in data:
                with open(sys.argv[-1], "w") as f:
                    f.write("%d\n" % time.time())
            if slow and mode == "request" and first.startswith(b"POST ") and b"git-receive-pack" in first:
                time.sleep(delay)
            if slow and mode == "body" and first.startswith(b"POST ") and b"git-receive-pack" in first:
                end = data.find(b"\r\n\r\n") + 4
                dst.sendall(data[:end])
                with open(sys.argv[-1], "w") as f:
                    f.write("%d\n" % time.time())
                time.sleep(delay)
                data = data[end:]
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", listen))
l.listen(16)
while True:
    c, _ = l.accept()
    s = socket.create_connection(("127.0.0.1", target))
    threading.Thread(target=pipe, args=(c, s, True), daemon=True).start()
    threading.Thread(target=pipe, args=(s, c, False), daemon=True).start()
PY
test_bg python3 proxy.py $PROXY_PORT $HTTP_PORT $DELAY body "$TRASH_DIRECTORY/arrived"
test_wait_port $PROXY_PORT || { echo "Bail out! the proxy did not start"; exit 1; }
# The same, holding each push's POST whole for DELAY seconds after its ref
# advertisement: the time of the advertisement goes to the file arrived.
PROXY2_PORT=$(test_free_port)
test_bg python3 proxy.py $PROXY2_PORT $HTTP_PORT $DELAY request "$TRASH_DIRECTORY/arrived"
test_wait_port $PROXY2_PORT || { echo "Bail out! the second proxy did not start"; exit 1; }

# An ssh that passes git's bytes on only after DELAY seconds: the forced command
# starts at once; the time its first bytes came back goes to the file arrived.
# (GIT_SSH_VARIANT=ssh spares it git's probe with -G, which would wait too.)
cat >first-byte.py <<-\PY
import sys, time
out = sys.stdout.buffer
first = True
while True:
    data = sys.stdin.buffer.read1(65536)
    if not data:
        break
    if first:
        with open(sys.argv[-1], "w") as f:
            f.write("%d\n" % time.time())
        first = False
    out.write(data)
    out.flush()
PY
cat >slow-ssh <<EOF
#!/bin/sh
(sleep $DELAY; exec cat) | ssh -p $SSHD_PORT -i $TRASH_DIRECTORY/bob.key -o IdentitiesOnly=yes \
	-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR "\$@" |
	python3 $TRASH_DIRECTORY/first-byte.py "$TRASH_DIRECTORY/arrived"
EOF
chmod +x slow-ssh

# set_due SECONDS-FROM-NOW: hw1 is due then.
set_due() {
	sqlite3 "$LIFEBELT_HOME/lifebelt.db" \
		"UPDATE assignments SET due = strftime('%s') + $1 WHERE name = 'hw1'"
}

# received LOGIN: "RECEIVED LATE_SECONDS" of LOGIN's newest submission.
received() {
	sqlite3 -separator " " "$LIFEBELT_HOME/lifebelt.db" \
		"SELECT s.received, s.late_seconds FROM submissions s JOIN repos r ON r.id = s.repo_id
		 WHERE r.path = 'cs101/hw1/$1.git' ORDER BY s.id DESC LIMIT 1"
}

# check_received LOGIN START: the push was stamped after START and no later
# than the second it reached Lifebelt (the file arrived), not DELAY later.
check_received() {
	received $1 >got &&
	cat got arrived &&
	read -r at late <got &&
	test "$at" -ge "$2" && test "$at" -le $(($(cat arrived) + 1))
}

test_expect_success 'a push over HTTP with a slow upload is stamped when its request arrived' '
	git clone -q http://alice:$TOKEN_alice@127.0.0.1:$PROXY_PORT/git/cs101/hw1 alice &&
	(cd alice && echo work >>main.c && git commit -qam work) &&
	rm -f arrived &&
	start=$(date +%s) &&
	git -C alice push origin main 2>err &&
	end=$(date +%s) &&
	cat err &&
	test $((end - start)) -ge $DELAY &&
	check_received alice $start
'

test_expect_success 'a push over HTTP is stamped when its ref advertisement arrived, however late its POST' '
	git -C alice remote add slow http://alice:$TOKEN_alice@127.0.0.1:$PROXY2_PORT/git/cs101/hw1 &&
	(cd alice && echo more work >>main.c && git commit -qam "more work") &&
	rm -f arrived &&
	start=$(date +%s) &&
	git -C alice push slow main 2>err &&
	end=$(date +%s) &&
	cat err &&
	test $((end - start)) -ge $DELAY &&
	check_received alice $start
'

test_expect_success 'a push over SSH with a slow upload is stamped when the forced command started' '
	git_as bob clone -q "$SSH_USER@127.0.0.1:cs101/hw1" bob &&
	(cd bob && echo work >>main.c && git commit -qam work) &&
	rm -f arrived &&
	start=$(date +%s) &&
	GIT_SSH_VARIANT=ssh GIT_SSH_COMMAND=$PWD/slow-ssh git -C bob push origin main 2>err &&
	end=$(date +%s) &&
	cat err &&
	test $((end - start)) -ge $DELAY &&
	check_received bob $start
'

test_expect_success 'a made-up receive time is not trusted: one from the future or long ago' '
	set_due 3600 &&
	git clone -q "$LIFEBELT_HOME/repos/cs101/hw1/alice.git" local &&
	(cd local && echo more >>main.c && git commit -qam more) &&
	start=$(date +%s) &&
	LIFEBELT_RECEIVED=1000 git -C local push -q origin main &&
	received alice >got && read -r at late <got && test "$at" -ge $((start - 120)) &&
	(cd local && echo more >>main.c && git commit -qam more2) &&
	LIFEBELT_RECEIVED=$((start + 100000)) git -C local push -q origin main &&
	received alice >got && read -r at late <got && test "$at" -le $(($(date +%s) + 1))
'

test_expect_success 'a connection held open earns at most 120 s: the stamp of a push sent much later' '
	(cd local && echo more >>main.c && git commit -qam more3) &&
	start=$(date +%s) &&
	LIFEBELT_RECEIVED=$((start - 3600)) git -C local push -q origin main &&
	received alice >got && read -r at late <got &&
	test "$at" -ge $((start - 120)) && test "$at" -le $((start - 110)) &&
	(cd local && echo more >>main.c && git commit -qam more4) &&
	start=$(date +%s) &&
	LIFEBELT_RECEIVED=$((start - 30)) git -C local push -q origin main &&
	received alice >got && read -r at late <got && test "$at" = $((start - 30))
'

test_done
