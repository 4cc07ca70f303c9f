#!/bin/sh
test_description='the Docker executor: each job in a fresh container, limits and verdicts as in the sandbox, nothing left behind'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/docker/lib-docker.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

test_expect_success 'setup: dockerd and the base image' '
	docker_up
'

mkdir -p hostile sub && echo x >sub/x
cat >hostile/lifebelt.json <<'JSON'
{ "executor": "docker", "image": "debian:bookworm-slim",
  "limits": { "wall_seconds": 6, "cpu_seconds": 2, "memory_mb": 64, "processes": 20 },
  "build": "echo built >b.txt",
  "tests": [
    { "name": "runs as nobody, in the work directory", "run": "cat b.txt; id -u; pwd",
      "output": "built\n65534\n/work\n", "comparison": "exact", "points": 1 },
    { "name": "input", "run": "cat", "input": "abc", "output": "abc", "comparison": "exact", "points": 1 },
    { "name": "no network but loopback", "run": "grep -c : /proc/net/dev", "output": "1", "comparison": "exact", "points": 1 },
    { "name": "root is read-only", "run": "touch /usr/x", "points": 1 },
    { "name": "wall", "run": "sleep 30", "points": 1 },
    { "name": "the work directory outlives a killed container", "run": "cat b.txt", "output": "built", "points": 1 },
    { "name": "kill everything", "run": "kill -9 -1; echo survived", "points": 1 },
    { "name": "the container outlives it", "run": "cat b.txt", "output": "built", "points": 1 },
    { "name": "memory", "run": "perl -e \"\\$x = q(a) x (200*1024*1024); print length \\$x\"", "points": 1 },
    { "name": "fork bomb", "run": "for i in $(seq 100); do sleep 30 & done; wait", "points": 1 },
    { "name": "what the fork bomb left is gone", "run": "sleep 0.1 & wait; echo forked", "output": "forked", "points": 1 },
    { "name": "output", "run": "yes", "points": 1 }
  ] }
JSON

test_expect_success 'lifebelt try: the verdicts, and no container left' '
	lifebelt try hostile sub >out 2>err &&
	sed -n "/^[a-z_][a-z_]* /p" out >verdicts &&
	cat >expect <<-\EOF &&
	pass         runs as nobody, in the work directory  1/1
	pass         input  1/1
	pass         no network but loopback  1/1
	fail         root is read-only  0/1
	wall_limit   wall  0/1
	pass         the work directory outlives a killed container  1/1
	pass         kill everything  1/1
	pass         the container outlives it  1/1
	memory_limit memory  0/1
	fail         fork bomb  0/1
	pass         what the fork bomb left is gone  1/1
	output_limit output  0/1
	EOF
	test_cmp expect verdicts &&
	test_grep "\"kind\":\"docker\"" out &&
	test_grep "\"network\":\"none\"" out &&
	test -z "$(lifebelt_containers)"
'

# CPU time alone: a wall limit far above it, so that a loaded machine that
# gives the loop a sliver of a core still stops it for CPU, not wall time.
mkdir -p cpu
cat >cpu/lifebelt.json <<'JSON'
{ "executor": "docker", "image": "debian:bookworm-slim",
  "limits": { "wall_seconds": 60, "cpu_seconds": 2 },
  "tests": [ { "name": "cpu", "run": "while :; do :; done", "points": 1 } ] }
JSON

test_expect_success 'lifebelt try: a busy loop is stopped at the CPU limit' '
	lifebelt try cpu sub >out 2>err &&
	sed -n "/^[a-z_][a-z_]* /p" out >verdicts &&
	echo "time_limit   cpu  0/1" >expect &&
	test_cmp expect verdicts &&
	test -z "$(lifebelt_containers)"
'

test_expect_success 'a push graded by the runner with runner.executor docker; provenance says so' '
	lifebelt init &&
	lifebelt course add c1 &&
	lifebelt student add c1 alice &&
	mkdir t &&
	echo "{ \"image\": \"debian:bookworm-slim\", \"tests\": [ { \"name\": \"hi\", \"run\": \"cat /etc/debian_version >/dev/null && sh hi.sh\", \"output\": \"hi\", \"points\": 2 } ] }" >t/lifebelt.json &&
	lifebelt config set runner.executor docker &&
	lifebelt assignment add c1 hi --tests t --due 2030-01-01T00:00:00Z &&
	git clone -q "$LIFEBELT_HOME/repos/c1/hi/alice.git" a 2>/dev/null &&
	echo "echo hi" >a/hi.sh && git -C a add hi.sh && git -C a commit -q -m hi &&
	git -C a push -q origin HEAD:main 2>/dev/null &&
	lifebelt runner --drain &&
	test "$(db "SELECT status || \" \" || score FROM jobs")" = "passed 2.0" &&
	db "SELECT provenance FROM jobs" >prov &&
	test_grep "\"kind\":\"docker\"" prov &&
	test_grep "\"image_id\":\"sha256:" prov &&
	test -z "$(lifebelt_containers)"
'

test_expect_success 'an image Docker does not have is an infrastructure fault, never a score' '
	echo "{ \"executor\": \"docker\", \"image\": \"lifebelt-no-such-image:1\", \"tests\": [ { \"name\": \"x\", \"run\": \"true\", \"points\": 1 } ] }" >t/lifebelt.json &&
	lifebelt assignment add c1 gone --tests t --due 2030-01-01T00:00:00Z &&
	git clone -q "$LIFEBELT_HOME/repos/c1/gone/alice.git" g 2>/dev/null &&
	echo x >g/x && git -C g add x && git -C g commit -q -m x &&
	git -C g push -q origin HEAD:main 2>/dev/null &&
	lifebelt runner --drain 2>err &&
	test_grep "the container did not start" err &&
	test "$(db "SELECT state FROM jobs WHERE assignment_id = (SELECT id FROM assignments WHERE name = '"'"'gone'"'"')")" != done &&
	test -z "$(lifebelt_containers)"
'

test_expect_success 'a runner killed mid-job leaves no container behind' '
	echo "{ \"executor\": \"docker\", \"image\": \"debian:bookworm-slim\", \"limits\": { \"wall_seconds\": 60 }, \"tests\": [ { \"name\": \"slow\", \"run\": \"sleep 50\", \"points\": 1 } ] }" >t/lifebelt.json &&
	lifebelt assignment add c1 slow --tests t --due 2030-01-01T00:00:00Z &&
	git clone -q "$LIFEBELT_HOME/repos/c1/slow/alice.git" s 2>/dev/null &&
	echo x >s/x && git -C s add x && git -C s commit -q -m x &&
	git -C s push -q origin HEAD:main 2>/dev/null &&
	setsid lifebelt runner >runner.log 2>&1 &
	rp=$! &&
	i=0 && while test -z "$(lifebelt_containers)" && test $i -lt 100; do sleep 0.2; i=$((i + 1)); done &&
	test -n "$(lifebelt_containers)" &&
	kill -9 -$rp &&
	i=0 && while test -n "$(lifebelt_containers)" && test $i -lt 50; do sleep 0.2; i=$((i + 1)); done &&
	test -z "$(lifebelt_containers)" &&
	# The dead runner left its job'"'"'s work directory mounted; the next runner would sweep it.
	mount | awk -v t="$TRASH_DIRECTORY" '"'"'index($3, t) == 1 { print $3 }'"'"' | xargs -r -n1 umount -l
'

test_done
