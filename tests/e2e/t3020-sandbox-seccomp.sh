#!/bin/sh
test_description='graded code meets a seccomp filter and cannot make user namespaces'
. "$(dirname "$0")/test-lib.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }
as_nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups "$@"; }

# What probe.c prints when everything it must not do is refused with EPERM.
cat >expected <<-\EOF
thread allowed
ptrace allowed
unix allowed
inet allowed
netlink_route allowed
io_uring_setup EPERM
perf_event_open EPERM
keyctl EPERM
bpf EPERM
userfaultfd EPERM
netlink_netfilter EPERM
af_key EPERM
clone_newuser EPERM
unshare_user EPERM
unshare_net EPERM
af_packet EPERM
mount EPERM
EOF

test_expect_success 'set up an assignment whose test prints what the probe could do' '
	lifebelt init &&
	lifebelt course add c1 &&
	lifebelt student add c1 mallory &&
	mkdir tests &&
	python3 -c "import json; print(json.dumps({\"build\": \"cc -O0 -o probe probe.c -lpthread\", \"tests\": [{\"name\": \"probe\", \"run\": \"./probe\", \"output\": open(\"expected\").read()}]}))" >tests/lifebelt.json &&
	lifebelt assignment add c1 h --tests tests --due 2030-01-01T00:00:00Z &&
	git clone -q "$LIFEBELT_HOME/repos/c1/h/mallory.git" m 2>/dev/null &&
	cp "$SRC_ROOT/tests/fixtures/sandbox/probe.c" m/ &&
	(cd m && git add -A && git commit -q -m probe && git push -q origin HEAD:main) 2>/dev/null
'

test_expect_success 'as root (steps enter the job'"'"'s sandbox): every attempt is refused with EPERM' '
	lifebelt runner --drain 2>runner.log &&
	job=$(db "SELECT max(id) FROM jobs") &&
	db "SELECT detail FROM results WHERE job_id = $job" &&
	test "$(db "SELECT verdict FROM results WHERE job_id = $job")" = pass &&
	db "SELECT provenance FROM jobs WHERE id = $job" >prov &&
	test_grep "\"sandbox_per\":\"job\"" prov
'

test_expect_success 'without root (a bwrap sandbox per step): the same' '
	mkdir sub && cp m/probe.c sub/ &&
	chmod -R a+rX tests sub && chmod a+rx . &&
	as_nobody lifebelt try tests sub >out 2>err &&
	cat out &&
	test_grep "\"sandbox_per\":\"step\"" out &&
	test_grep "^pass  *probe" out
'

test_done
