#!/bin/sh
test_description='one worker grading jobs of assignments with different limits gives each job its own'
. "$(dirname "$0")/test-lib.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

# assignment NAME MEMORY_MB PROCESSES DISK_MB TMP_MB FILES: a C program allocating 150 MiB,
# 12 processes at once, 8 MiB written to the work directory, to /tmp and to /dev/shm, 300 files.
assignment() {
	mkdir "$1" &&
	cat >"$1/eat.c" <<-\EOF_C &&
	#include <stdio.h>
	#include <stdlib.h>
	#include <string.h>
	int main(void)
	{
		size_t n = (size_t)150 << 20;
		char *p = malloc(n);

		if (!p)
			return 1;
		memset(p, 1, n);
		puts("ate");
		return 0;
	}
	EOF_C
	cat >"$1/lifebelt.json" <<-JSON &&
	{ "build": "cc -O0 -o eat eat.c", "files": [ "eat.c" ],
	  "limits": { "memory_mb": $2, "processes": $3, "disk_mb": $4, "tmp_mb": $5, "files": $6,
	              "wall_seconds": 10 },
	  "tests": [
	    { "name": "memory", "run": "./eat", "output": "ate", "points": 1 },
	    { "name": "disk", "run": "head -c 8388608 /dev/zero >big && ok=wrote; rm -f big; echo \$ok",
	      "output": "wrote" },
	    { "name": "tmp", "run": "head -c 8388608 /dev/zero >/tmp/big && ok=wrote; rm -f /tmp/big; echo \$ok",
	      "output": "wrote" },
	    { "name": "shm", "run": "head -c 8388608 /dev/zero >/dev/shm/big && ok=wrote; rm -f /dev/shm/big; echo \$ok",
	      "output": "wrote" },
	    { "name": "files",
	      "run": "mkdir many && ok=made && for i in \$(seq 300); do : >many/f\$i || ok=; done; rm -rf many; echo \$ok",
	      "output": "made" },
	    { "name": "processes",
	      "run": "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 1 & done 2>/dev/null; wait; echo forked",
	      "output": "forked", "comparison": "exact", "points": 1 } ] }
	JSON
	lifebelt assignment add c1 "$1" --tests "$1" --due 2030-01-01T00:00:00Z
}

test_expect_success 'set up a small and a big assignment, and one with a small /tmp only' '
	lifebelt init &&
	lifebelt course add c1 &&
	for s in ann ben cat dan eve; do lifebelt student add c1 $s || return 1; done &&
	assignment small 48 6 4 64 100 &&
	assignment big 512 64 64 64 2000 &&
	assignment smalltmp 512 64 64 4 2000 &&
	git init -q w && (cd w && echo x >x && git add x && git commit -q -m x) &&
	for s in ann cat; do git -C w push -q "$LIFEBELT_HOME/repos/c1/small/$s.git" HEAD:main 2>/dev/null || return 1; done &&
	for s in ben dan; do git -C w push -q "$LIFEBELT_HOME/repos/c1/big/$s.git" HEAD:main 2>/dev/null || return 1; done &&
	git -C w push -q "$LIFEBELT_HOME/repos/c1/smalltmp/eve.git" HEAD:main 2>/dev/null
'

test_expect_success 'one worker, jobs of both in turn: each gets its own assignment limits' '
	{ lifebelt runner --drain --workers 1 2>runner.log & } &&
	echo $! >runner.pid &&
	wait $! &&
	db "SELECT a.name, r.name, r.verdict FROM results r JOIN jobs j ON j.id = r.job_id
	    JOIN assignments a ON a.id = j.assignment_id ORDER BY j.id, r.name" >verdicts &&
	cat verdicts >&2 &&
	test $(grep -c "^small|memory|memory_limit$" verdicts) = 2 &&
	test $(grep -c "^small|disk|fail$" verdicts) = 2 &&
	test $(grep -c "^small|files|pass$" verdicts) = 0 &&
	test $(grep -c "^small|processes|pass$" verdicts) = 0 &&
	test $(grep -c "^small|tmp|pass$" verdicts) = 2 &&
	test $(grep -c "^small|shm|pass$" verdicts) = 2 &&
	test $(grep -c "^big|.*|pass$" verdicts) = 12 &&
	test "$(grep "^smalltmp|" verdicts | sort | tr "\n" " ")" = \
	     "smalltmp|disk|pass smalltmp|files|pass smalltmp|memory|pass smalltmp|processes|pass smalltmp|shm|fail smalltmp|tmp|fail " &&
	test $(wc -l <verdicts) = 30
'

test_expect_success 'each job starts in a fresh sandbox: nothing a job left is seen by the next' '
	mkdir fresh &&
	cat >fresh/lifebelt.json <<-\JSON &&
	{ "tests": [ { "name": "clean",
	  "run": "test -z \"$(ls -A /tmp)\" && test ! -e left && ! grep -l lingerin[g] /proc/[0-9]*/cmdline && echo clean; touch /tmp/left left; m=lingerin; setsid sh -c \"sleep 30; : ${m}g\" & exit 0",
	  "output": "clean" } ] }
	JSON
	lifebelt assignment add c1 fresh --tests fresh --due 2030-01-01T00:00:00Z &&
	for s in ann ben cat; do git -C w push -q "$LIFEBELT_HOME/repos/c1/fresh/$s.git" HEAD:main 2>/dev/null || return 1; done &&
	lifebelt runner --drain --workers 1 2>runner.log &&
	db "SELECT r.verdict FROM results r JOIN jobs j ON j.id = r.job_id
	    JOIN assignments a ON a.id = j.assignment_id WHERE a.name = '"'fresh'"'" >verdicts &&
	test "$(cat verdicts | tr "\n" " ")" = "pass pass pass "
'

test_expect_success 'no work directory, mount or sandbox is left once the runner is done' '
	test -z "$(ls "$LIFEBELT_HOME/work/jobs")" &&
	! grep "$LIFEBELT_HOME" /proc/self/mountinfo &&
	! ls /run/lifebelt 2>/dev/null | grep -- "-$(cat runner.pid)\$" &&
	! ls /sys/fs/cgroup/pids /sys/fs/cgroup/memory /sys/fs/cgroup 2>/dev/null | grep -- "-$(cat runner.pid)\$"
'

test_done
