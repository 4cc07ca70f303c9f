#!/bin/bash
test_description='git clone, push and fetch over smart HTTP with a login and token'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"

# Under AddressSanitizer freed memory waits in a quarantine (256 MiB) before
# it is reused, so a streamed push would look held; a small one keeps the
# peak-memory check below meaningful there too.
ASAN_OPTIONS="$ASAN_OPTIONS:quarantine_size_mb=1"
export ASAN_OPTIONS

gitd_course && start_serve && token alice && token carol ||
	{ echo "Bail out! cannot set up a course and lifebelt serve"; exit 1; }
GIT_TERMINAL_PROMPT=0
export GIT_TERMINAL_PROMPT
A=http://alice:$TOKEN_alice@127.0.0.1:$HTTP_PORT/git
C=http://carol:$TOKEN_carol@127.0.0.1:$HTTP_PORT/git

test_expect_success 'a student clones their repository by its short name and pushes' '
	git clone $A/cs101/hw1.git hw1 &&
	test -f hw1/main.c &&
	(cd hw1 && echo "// done" >>main.c && git commit -qam "my work" && git push -q origin main) &&
	test "$(server_ref cs101/hw1/alice.git main)" = "$(git -C hw1 rev-parse HEAD)"
'

test_expect_success 'the same by its full name, without .git; fetch' '
	git clone $A/cs101/hw1/alice full &&
	(cd hw1 && echo "// more" >>main.c && git commit -qam more && git push -q) &&
	(cd full && git fetch -q && git merge -q --ff-only origin/main) &&
	test "$(git -C full rev-parse HEAD)" = "$(git -C hw1 rev-parse HEAD)"
'

test_expect_success 'protocol v0 and v2 both work' '
	git -C full -c protocol.version=0 fetch -q && git -C full -c protocol.version=2 fetch -q
'

hwm_kb() { awk '/^VmHWM:/ { print $2 }' /proc/$SERVE_PID/status; }

test_expect_success 'a 24 MB push is streamed through the server, not held in memory' '
	before=$(hwm_kb) &&
	(cd hw1 && for i in 1 2 3 4 5 6; do head -c 4000000 /dev/urandom >big$i.bin; done && git add big*.bin && git commit -qm big &&
	 git push -q origin main) &&
	test "$(server_ref cs101/hw1/alice.git main)" = "$(git -C hw1 rev-parse HEAD)" &&
	after=$(hwm_kb) &&
	test -n "$before" && test -n "$after" && test "$before" -gt 1000 &&
	echo "peak memory of lifebelt serve: $before kB before, $after kB after" &&
	test $((after - before)) -lt 8000
'

test_expect_success 'git runs with LIFEBELT_VIA=http and the login in its environment' '
	spy_hooks cs101/hw1/alice.git &&
	(cd hw1 && echo "// spy" >>main.c && git commit -qam spy && git push -q) &&
	echo "http alice" >expect &&
	test_cmp expect spy/seen &&
	git --git-dir="$LIFEBELT_HOME/repos/cs101/hw1/alice.git" config --unset core.hooksPath
'

test_expect_success 'a teacher clones a student repository but may not push' '
	git clone $C/cs101/hw1/alice.git carol-alice &&
	test "$(git -C carol-alice rev-parse HEAD)" = "$(git -C hw1 rev-parse HEAD)" &&
	(cd carol-alice && echo x >>main.c && git commit -qam teacher &&
	 test_must_fail git push origin main 2>../err) &&
	test_grep "403\|access denied" err &&
	test "$(server_ref cs101/hw1/alice.git main)" = "$(git -C hw1 rev-parse HEAD)"
'

test_expect_success 'a new token replaces the old one' '
	old=$TOKEN_alice &&
	token alice &&
	test_must_fail git ls-remote http://alice:$old@127.0.0.1:$HTTP_PORT/git/cs101/hw1 2>err &&
	test_grep "Authentication failed" err &&
	git ls-remote http://alice:$TOKEN_alice@127.0.0.1:$HTTP_PORT/git/cs101/hw1 >out &&
	test_grep refs/heads/main out
'

test_expect_success 'the web view is still served beside /git/' '
	curl -sf $HTTP_URL/healthz >out && test_grep ok out
'

test_done
