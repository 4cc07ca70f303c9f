# lib-hostile.sh: hostile submissions and the verdicts they must get, whatever
# runs the job (sourced after test-lib.sh; the script then calls test_done).
# t3001 runs them on the host's root, t3104 in an assignment image,
# tests/docker/t9003 in the Docker executor.
#
#   HOSTILE_IMAGE     the "image" the assignments name (empty: none)
#   HOSTILE_EXECUTOR  the "executor" the assignments name (empty: the default)
#   HOSTILE_IMAGE_SOURCE  where `lifebelt image add` takes that image from
#                     (empty: nowhere, Docker has it)
#   HOSTILE_PROG      "source": the C submission is compiled in the build step;
#                     "static": it is committed as a static binary (an image
#                     without a compiler)

: "${HOSTILE_IMAGE:=}" "${HOSTILE_IMAGE_SOURCE:=}" "${HOSTILE_EXECUTOR:=}" "${HOSTILE_PROG:=source}"
# The spec's "image" line, when there is one.
hostile_image_line=
test -z "$HOSTILE_IMAGE" || hostile_image_line="\"image\": \"$HOSTILE_IMAGE\","
# A Docker image is one only for a spec that names the Docker executor.
test -z "$HOSTILE_EXECUTOR" ||
	hostile_image_line="\"executor\": \"$HOSTILE_EXECUTOR\", $hostile_image_line"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

# How much longer than in the sandbox a job may take, in ms: a container
# starts for each job and again after each step stopped by a limit (a second
# or more each on a loaded machine).
slack=0
test "$HOSTILE_EXECUTOR" != docker || slack=5000

test_expect_success 'set up an assignment with small limits' '
	lifebelt init &&
	if test -n "$HOSTILE_IMAGE_SOURCE"; then lifebelt image add "$HOSTILE_IMAGE" "$HOSTILE_IMAGE_SOURCE"; fi &&
	lifebelt course add c1 &&
	lifebelt student add c1 mallory &&
	lifebelt student add c1 alice &&
	mkdir tests &&
	cat >tests/lifebelt.json <<-JSON &&
	{ $hostile_image_line
	  "build": "test ! -f prog.c || cc -O0 -o prog prog.c",
	  "limits": { "cpu_seconds": 1, "wall_seconds": 2, "memory_mb": 64, "processes": 32,
	              "files": 2000, "disk_mb": 32 },
	  "tests": [
	    { "name": "visible", "run": "sh ./run.sh", "output": "ok", "points": 1 },
	    { "name": "hidden", "run": "echo the-hidden-answer-42", "output": "the-hidden-answer-42",
	      "hidden": true, "points": 1 }
	  ] }
	JSON
	lifebelt assignment add c1 h --tests tests --due 2030-01-01T00:00:00Z &&
	git clone -q "$LIFEBELT_HOME/repos/c1/h/mallory.git" m 2>/dev/null &&
	git clone -q "$LIFEBELT_HOME/repos/c1/h/alice.git" a 2>/dev/null &&
	echo "echo ok" >a/run.sh &&
	# CPU time alone: a wall limit far above it, so that a loaded machine
	# that gives the loop half a core still stops it for CPU, not wall time
	# (and endless output for printing too much, not for wall time).
	mkdir tests-cpu &&
	cat >tests-cpu/lifebelt.json <<-JSON &&
	{ $hostile_image_line "limits": { "cpu_seconds": 1, "wall_seconds": 30 },
	  "tests": [ { "name": "visible", "run": "sh ./run.sh", "output": "ok", "points": 1 } ] }
	JSON
	lifebelt assignment add c1 cpu --tests tests-cpu --due 2030-01-01T00:00:00Z &&
	git clone -q "$LIFEBELT_HOME/repos/c1/cpu/mallory.git" mc 2>/dev/null
'

# drain: grade what is queued; remember the runner's pid (it names the job's cgroups).
drain() {
	lifebelt runner --drain &
	rpid=$!
	echo $rpid >>runner-pids
	wait $rpid
}

# No cgroup of any runner this script ran is left.
no_cgroups_left() {
	for p in $(cat runner-pids); do
		! ls /sys/fs/cgroup/pids /sys/fs/cgroup/memory 2>/dev/null | grep "^lifebelt-.*-$p\$" || return 1
	done
}

# submit SCRIPT [FILE...]: mallory commits run.sh (and the files), pushes, the runner grades it.
# Sets $job and $secs (how long the runner took). The clone is $clone (default m).
submit() {
	(cd ${clone:-m} && git rm -q -r --cached . >/dev/null 2>&1; rm -rf ./* &&
	 printf "%s\n" "$1" >run.sh && shift &&
	 for f in "$@"; do cp -P "../$f" .; done &&
	 git add -A && git commit -q -m "try $(date +%s%N)" && git push -q origin HEAD:main) 2>/dev/null &&
	start=$(date +%s%N) &&
	drain 2>runner.log &&
	secs=$(( ($(date +%s%N) - start) / 1000000 )) &&
	job=$(db "SELECT max(id) FROM jobs") &&
	echo "job $job took ${secs} ms" &&
	test "$(db "SELECT state FROM jobs WHERE id = $job")" = done
}

# wait_done JOB: until a running runner has graded JOB (10 s at most).
wait_done() {
	i=0
	until test "$(db "SELECT state FROM jobs WHERE id = $1")" = done; do
		i=$((i + 1)) && test $i -lt 200 && sleep 0.05 || return 1
	done
}

verdict() { db "SELECT verdict FROM results WHERE job_id = $job AND name = 'visible'"; }
detail() { db "SELECT detail FROM results WHERE job_id = $job AND name = 'visible'"; }

# The next job is unaffected: alice's honest submission passes in full, quickly.
next_job_fine() {
	(cd a && echo "# $(date +%s%N)" >>run.sh && git add -A && git commit -q -m ok &&
	 git push -q origin HEAD:main) 2>/dev/null &&
	drain 2>/dev/null &&
	j=$(db "SELECT max(id) FROM jobs") &&
	test "$(db "SELECT status, score FROM jobs WHERE id = $j")" = "passed|2.0" &&
	test -z "$(ls "$LIFEBELT_HOME/work/jobs")" &&
	no_cgroups_left
}

test_expect_success 'fork bomb: stopped by a limit, the process limit noted' '
	# The step'"'"'s own shell forks nothing once the bomb has gone off: a fork
	# it were refused would end it at once, with status 2, before any limit.
	submit "(bomb() { bomb | bomb & }; bomb) & exec sleep 100" &&
	echo "$(verdict): $(detail)" &&
	# The wall-clock limit, or on a slow machine the 32 shells filling the 64 MiB first.
	case "$(verdict)" in wall_limit|memory_limit) ;; *) false ;; esac &&
	detail | grep "process limit (32)" &&
	# Not the sleep of 100 s: stopped at the wall limit, however loaded the machine.
	test $secs -lt 30000 &&
	next_job_fine
'

cat >prog.c <<\EOF_C
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
int main(void)
{
	size_t n = (size_t)4 << 30;
	char *p = malloc(n);

	if (!p)
		return 1;
	memset(p, 1, n);
	puts("ok");
	return 0;
}
EOF_C

if test "$HOSTILE_PROG" = static; then
	cc -static -O0 -o prog prog.c || echo "Bail out! cannot link prog.c statically"
	prog=prog
else
	prog=prog.c
fi

test_expect_success '4 GiB allocation: memory_limit' '
	submit "./prog" $prog &&
	test "$(verdict)" = memory_limit &&
	test $secs -lt $((6000 + slack)) &&
	next_job_fine
'

test_expect_success 'busy loop: time_limit at the CPU limit' '
	clone=mc submit "while :; do :; done" &&
	echo "$(verdict): $(detail)" &&
	test "$(verdict)" = time_limit &&
	detail | grep "CPU time limit (1 s)" &&
	next_job_fine
'

test_expect_success 'sleep 1000: wall_limit after 2 s' '
	submit "sleep 1000" &&
	test "$(verdict)" = wall_limit &&
	# $secs is the whole drain: a loaded machine adds seconds to the 2 s of
	# the limit. Not the sleep of 1000 s: stopped at the wall limit, however loaded.
	test $secs -ge 2000 && test $secs -lt $((30000 + slack)) &&
	next_job_fine
'

# Lines of 200 bytes: busybox's yes writes each line on its own, and two
# bytes at a time would take longer than the CPU limit.
line=$(printf "%0200d" 0 | tr 0 y)

test_expect_success 'endless output: output_limit; the head and tail are kept, the rest counted' '
	# 16 MiB take a fraction of the CPU limit, but on a loaded machine more
	# than 2 s of wall time: graded under a wall limit far above the CPU limit.
	clone=mc submit "yes $line" &&
	test "$(verdict)" = output_limit &&
	db "SELECT output FROM results WHERE job_id = $job AND name = '"'"'visible'"'"'" >out &&
	test_grep "bytes elided" out &&
	test $(wc -c <out) -lt 1100000 &&
	next_job_fine
'

test_expect_success 'a 1 GiB file: output_limit at the file size limit' '
	submit "head -c 1073741824 /dev/zero >big && echo ok" &&
	test "$(verdict)" = output_limit &&
	detail | grep "file larger than 16 MiB" &&
	next_job_fine
'

test_expect_success 'a million small files: output_limit when the work directory is full' '
	submit "i=0; while [ \$i -lt 1000000 ]; do : >f\$i || exit 1; i=\$((i+1)); done; echo ok" &&
	test "$(verdict)" = output_limit &&
	detail | grep "work directory is full" &&
	next_job_fine
'

test_expect_success 'a setsid process that outlives the job is killed with it' '
	submit "setsid sh -c \"sleep 1.5; echo late >>/work/late; sleep 4242\" & echo ok" &&
	test "$(verdict)" = pass &&
	sleep 2 &&
	! pgrep -f "sleep 4242" &&
	! find "$LIFEBELT_HOME" -name late | grep . &&
	next_job_fine
'

test_expect_success 'no network: not the web port on 127.0.0.1, not an outside address' '
	port=$(test_free_port) &&
	test_bg lifebelt serve --listen 127.0.0.1:$port --workers 0 &&
	i=0 &&
	until curl -sf http://127.0.0.1:$port/healthz; do
		i=$((i + 1)) && test $i -lt 100 && sleep 0.05 || return 1
	done &&
	submit "curl -s -m 1 http://127.0.0.1:$port/healthz && echo reached-web; curl -s -m 1 http://1.1.1.1/ && echo reached-outside; command -v curl >/dev/null || echo no-curl; echo ok" &&
	test "$(verdict)" = pass &&
	next_job_fine
'

test_expect_success 'no database, other repositories, hidden outputs or runner environment' '
	SECRET_RUNNER_TOKEN=hunter2 &&
	export SECRET_RUNNER_TOKEN &&
	submit "cat $LIFEBELT_HOME/lifebelt.db; ls $LIFEBELT_HOME/repos/c1/h/alice.git; cat $LIFEBELT_HOME/tests/c1/h/lifebelt.json; env; cat /proc/1/environ; ls /; grep -rl the-hidden-answer /work /tmp /etc 2>/dev/null" &&
	db "SELECT output FROM results WHERE job_id = $job AND name = '"'"'visible'"'"'" >out &&
	test_grep "No such file or directory" out &&
	! grep -e hunter2 -e SQLite -e the-hidden-answer -e LIFEBELT out &&
	! grep -q "^HOME=/root" out &&
	test "$(verdict)" = fail &&
	next_job_fine
'

test_expect_success 'fake score lines and a results file change nothing' '
	submit "echo score: 100/100; echo ok 1; echo points=100; echo {\\\"score\\\":100} >results.json; echo {\\\"score\\\":100} >/work/.lifebelt-results; exit 0" &&
	test "$(verdict)" = fail &&
	test "$(db "SELECT score, max_score FROM jobs WHERE id = $job")" = "1.0|2.0" &&
	next_job_fine
'

test_expect_success 'a committed symlink to /etc/shadow stays a symlink and reads nothing' '
	before=$(sha256sum /etc/shadow) &&
	ln -s /etc/shadow out.txt &&
	submit "echo hacked >out.txt; cat out.txt; test -L out.txt && echo ok" out.txt &&
	test "$(sha256sum /etc/shadow)" = "$before" &&
	db "SELECT output FROM results WHERE job_id = $job AND name = '"'"'visible'"'"'" >out &&
	! grep "root:" out &&
	test_grep "Permission denied\\|Read-only" out
'

test_expect_success 'a test that reads stdin forever gets end-of-file at once' '
	# Input held open would keep it to the wall limit of 2 s: wall_limit, not pass.
	submit "cat; while read x; do :; done; echo ok" &&
	test "$(verdict)" = pass &&
	next_job_fine
'

test_expect_success 'a step can not take over or kill the sandbox that later tests run in' '
	submit "kill -KILL 1; cat /proc/1/maps; cat /proc/1/environ; echo ok" &&
	test "$(verdict)" = pass &&
	test "$(db "SELECT verdict FROM results WHERE job_id = $job AND name = '"'"'hidden'"'"'")" = pass &&
	db "SELECT output FROM results WHERE job_id = $job AND name = '"'"'visible'"'"'" >out &&
	test_grep "Permission denied" out &&
	next_job_fine
'

test_expect_success 'orphans are reaped as they end: no zombie lingers to count against the process limit' '
	cat >zombies.py <<-\PY &&
	import glob, os, time
	def zombies():
	    n = 0
	    for f in glob.glob("/proc/[0-9]*/stat"):
	        try:
	            n += open(f).read().rsplit(") ", 1)[1][0] == "Z"
	        except OSError:
	            pass
	    return n
	def lingering():
	    # A zombie the sandbox init reaps is gone at once, or soon on a
	    # loaded machine; one still there after a second is never reaped.
	    for _ in range(200):
	        n = zombies()
	        if n == 0:
	            return 0
	        time.sleep(0.005)
	    return n
	seen = 0
	for i in range(100):
	    if os.fork() == 0:
	        if os.fork() == 0:
	            os._exit(0)
	        os._exit(0)
	    os.wait()
	    if i % 10 == 9:
	        seen += lingering()
	print("ok" if seen == 0 else "zombies: %d" % seen)
	PY
	submit "python3 zombies.py" zombies.py &&
	db "SELECT output FROM results WHERE job_id = $job AND name = '"'"'visible'"'"'" &&
	test "$(verdict)" = pass
'

# one_worker_two_jobs SCRIPT1 SCRIPT2: one worker grades mallory's SCRIPT1, then alice's SCRIPT2
# (as run.sh); sets $first and $second to their jobs.
one_worker_two_jobs() {
	test_bg lifebelt runner --workers 1 &&
	runner=${test_bg_pids##* } &&
	echo $runner >>runner-pids &&
	(cd m && git rm -q -r --cached . >/dev/null 2>&1; rm -rf ./* &&
	 printf "%s\n" "$1" >run.sh && git add -A && git commit -q -m first && git push -q origin HEAD:main) 2>/dev/null &&
	first=$(db "SELECT max(id) FROM jobs") &&
	wait_done $first &&
	(cd a && printf "%s\n" "$2" >run.sh && git add -A && git commit -q -m second && git push -q origin HEAD:main) 2>/dev/null &&
	second=$(db "SELECT max(id) FROM jobs") &&
	wait_done $second
	ret=$?
	kill $runner
	wait $runner
	return $ret
}

test_expect_success 'the next job of the same worker finds nothing of the last one on the network' '
	port=$(test_free_port) &&
	one_worker_two_jobs \
		"setsid python3 -c \"import socket; s = socket.socket(); s.bind((\\\"127.0.0.1\\\", $port)); s.listen(); [c.sendall(b\\\"leak\\\") for c, _ in iter(s.accept, 0)]\" & sleep 0.3; echo ok" \
		"curl -s -m 1 telnet://127.0.0.1:$port </dev/null && echo reached-listener; ip link set lo down && echo took-lo-down; ip addr add 10.9.9.9/8 dev lo && echo added-address; echo ok" &&
	db "SELECT output FROM results WHERE job_id = $second AND name = '"'"'visible'"'"'" >out &&
	cat out &&
	test "$(db "SELECT verdict FROM results WHERE job_id = $second AND name = '"'"'visible'"'"'")" = pass &&
	test_grep "Operation not permitted" out &&
	db "SELECT provenance FROM jobs WHERE id = $second" >prov &&
	if test "$HOSTILE_EXECUTOR" = docker; then
		# A container of its own for each job, with no network at all.
		test_grep "\"network\":\"none\"" prov
	else
		test_grep "\"net_per\":\"worker\"" prov
	fi
'

test_expect_success 'the file system a worker'"'"'s sandboxes share is read-only; what a job writes is gone for the next' '
	writes=$(cat <<-\EOF
	for d in / /dev /usr /etc /.lifebelt /dev/pts; do touch $d/lb-x 2>/dev/null && echo "wrote $d"; done
	chmod 777 / /dev 2>/dev/null && echo chmod-root
	grep -v " [^ ]*nosuid" /proc/self/mountinfo | sed "s/^/suid-mount /"
	echo leak >/dev/shm/lb-leak && echo leak >/tmp/lb-leak && echo wrote-tmp
	test "$(head -c 3 /dev/zero | od -An -tx1 | tr -d " ")" = 000000 && echo zero
	head -c 1 /dev/urandom >/dev/null && echo >/dev/null && echo devices
	test -c /dev/pts/ptmx && test -c /dev/tty && echo pty
	echo ok
	EOF
	) &&
	one_worker_two_jobs "$writes" "ls -A /dev/shm /tmp | grep lb- && echo leaked; echo ok" &&
	db "SELECT output FROM results WHERE job_id = $first AND name = '"'"'visible'"'"'" >out &&
	cat out &&
	if test "$HOSTILE_EXECUTOR" = docker; then
		# Docker mounts its root and the files it puts in /etc without
		# nosuid; no_new_privileges makes a set-user-ID bit there count for nothing.
		grep "^suid-mount .* / / ro," out &&
		sed -i "/^suid-mount .* ro[,-]/d" out &&
		test_grep "\"no_new_privileges\":true" "$(db "SELECT provenance FROM jobs WHERE id = $first" >prov && echo prov)"
	fi &&
	printf "%s\n" wrote-tmp zero devices pty ok "" >expect &&
	test_cmp expect out &&
	test "$(db "SELECT verdict FROM results WHERE job_id = $second AND name = '"'"'visible'"'"'")" = pass &&
	(cd a && echo "echo ok" >run.sh && git add -A && git commit -q -m ok && git push -q origin HEAD:main) 2>/dev/null
'

# all_jobs PATTERN: every graded job's provenance matches PATTERN.
all_jobs() { ! db "SELECT provenance FROM jobs WHERE state = '"'done'"'" | grep -v "$1"; }

test_expect_success 'every job ran where it was meant to' '
	test $(db "SELECT count(*) FROM jobs WHERE state = '"'done'"' AND provenance IS NULL") = 0 &&
	if test -n "$HOSTILE_EXECUTOR"; then
		all_jobs "\"kind\":\"$HOSTILE_EXECUTOR\""
	elif test -n "$HOSTILE_IMAGE"; then
		all_jobs "\"image\":{\"name\":\"$HOSTILE_IMAGE\"" && all_jobs "\"root\":\"image\""
	else
		all_jobs "\"image\":null" && all_jobs "\"root\":\"host\""
	fi
'

test_expect_success 'nothing of the sandboxes is left behind' '
	no_cgroups_left &&
	test -z "$(ls "$LIFEBELT_HOME/work/jobs")" &&
	! grep -q "$LIFEBELT_HOME/work" /proc/mounts
'
