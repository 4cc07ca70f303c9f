#!/bin/sh
test_description='the sandbox sees neither the worker'"'"'s pid, nor host paths, nor the host'"'"'s /etc'
. "$(dirname "$0")/test-lib.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }
as_nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups "$@"; }

# spec [try]: tests that print what the sandbox shows (for `lifebelt try`, which shows
# only a failing test's output, expecting what they never print), and tool chains at work.
spec() {
	if test "${1:-}" = try; then shown=', "output": "(shown)"'; else shown=; fi
	cat <<-JSON
	{ "tests": [
	  { "name": "cgroup", "run": "cat /proc/self/cgroup" $shown },
	  { "name": "mountinfo", "run": "cat /proc/self/mountinfo" $shown },
	  { "name": "etc", "run": "ls -a /etc; cat /etc/passwd /etc/group /etc/hosts" $shown },
	  { "name": "cc", "run": "printf \"int main(void) { return 42; }\\n\" >h.c && cc -o h h.c; ./h; echo \$?",
	    "output": "42" },
	  { "name": "python", "run": "python3 -c \"import json, ssl; print(json.dumps(ssl.create_default_context().cert_store_stats()['x509_ca'] > 0))\"",
	    "output": "true" }
	JSON
	if test "${1:-}" != try && command -v java >/dev/null; then
		echo '  , { "name": "java", "run": "java -version 2>&1 | grep -c \"version\"", "output": "1" }'
	fi
	echo '] }'
}

# shown NAME: what test NAME printed in the last job.
shown() { db "SELECT output FROM results WHERE job_id = (SELECT max(id) FROM jobs) AND name = '$1'"; }
# try_shown NAME: what test NAME printed, from `lifebelt try`'s report in out.
try_shown() {
	awk -v n="$1" '/^[^ ]/ { on = $2 == n; out = 0; next }
		on && /^    output:/ { out = 1; next }
		on && out { sub(/^      /, ""); print }' out
}

# cgroup_root FILE: every line of /proc/self/cgroup in FILE shows the root, "/".
cgroup_root() {
	test -s "$1" &&
	! grep -v -e ":/\$" -e "^\$" "$1" &&
	! grep "$(cat runner.pid)" "$1"
}

# hides_host FILE: the sandbox's view in FILE names no host path of this run.
hides_host() {
	for p in "$LIFEBELT_HOME" "$TRASH_DIRECTORY" "$LIFEBELT_BUILD" "$SRC_ROOT" /run/lifebelt; do
		! grep -F "$p" "$1" || { echo "the sandbox sees $p"; return 1; }
	done
}

# etc_minimal FILE: the /etc listing and accounts in FILE (the "etc" test's output) are the sandbox's own.
etc_minimal() {
	for f in shadow gshadow ssh hostname machine-id lifebelt sudoers crontab; do
		! grep -x "$f" "$1" || { echo "/etc/$f is there"; return 1; }
	done &&
	for f in passwd group hosts nsswitch.conf ld.so.cache alternatives ssl; do
		grep -qx "$f" "$1" || { echo "/etc/$f is missing"; return 1; }
	done &&
	test "$(grep -c ":x:" "$1")" = 4 &&   # root and nobody, in passwd and group
	grep -q "^nobody:x:65534:" "$1"
}

test_expect_success 'set up an assignment that looks around' '
	lifebelt init &&
	lifebelt course add c1 &&
	lifebelt student add c1 eve &&
	mkdir tests && spec >tests/lifebelt.json &&
	lifebelt assignment add c1 h --tests tests --due 2030-01-01T00:00:00Z &&
	git clone -q "$LIFEBELT_HOME/repos/c1/h/eve.git" m 2>/dev/null &&
	(cd m && echo x >x && git add -A && git commit -q -m look && git push -q origin HEAD:main) 2>/dev/null &&
	lifebelt runner --drain 2>runner.log &
	echo $! >runner.pid && wait $! &&
	job=$(db "SELECT max(id) FROM jobs") &&
	test "$(db "SELECT state FROM jobs WHERE id = $job")" = done &&
	db "SELECT name, verdict, detail FROM results WHERE job_id = $job"
'

test_expect_success 'as root: /proc/self/cgroup shows the root of a cgroup namespace, not the worker'"'"'s' '
	shown cgroup >cgroup &&
	cat cgroup &&
	cgroup_root cgroup
'

test_expect_success 'as root: the mount table names no host path (holder, data directory, build)' '
	shown mountinfo >mountinfo &&
	cat mountinfo &&
	grep -q " /work " mountinfo &&
	hides_host mountinfo
'

test_expect_success 'as root: /etc holds what programs need, not the host'"'"'s accounts and secrets' '
	shown etc >etc &&
	cat etc &&
	etc_minimal etc
'

test_expect_success 'as root: real tool chains still work (cc, python3 with certificates, java)' '
	test "$(db "SELECT group_concat(name || '"'='"' || verdict, '"' '"') FROM results
		WHERE job_id = (SELECT max(id) FROM jobs) AND name IN ('"'cc'"', '"'python'"', '"'java'"')")" = \
	     "$(if command -v java >/dev/null; then echo "cc=pass python=pass java=pass"; else echo "cc=pass python=pass"; fi)"
'

test_expect_success 'without root (a sandbox per step): the same cgroup and /etc, tool chains at work' '
	mkdir ptests sub && spec try >ptests/lifebelt.json && echo x >sub/x &&
	chmod -R a+rX ptests sub && chmod a+rx . &&
	# A copy nobody can reach, wherever the build is (a clone in a 0700 directory).
	mkdir nbin && cp "$LIFEBELT_BUILD/lifebelt" "$LIFEBELT_BUILD/lifebelt-holder" nbin/ &&
	chmod -R a+rX nbin &&
	as_nobody env TMPDIR=/tmp nbin/lifebelt try ptests sub >out 2>err;
	cat out &&
	test_grep "\"sandbox_per\":\"step\"" out &&
	test_grep "^pass  *cc" out && test_grep "^pass  *python" out &&
	try_shown cgroup >cgroup2 && cgroup_root cgroup2 &&
	try_shown etc >etc2 && etc_minimal etc2

'

test_done
