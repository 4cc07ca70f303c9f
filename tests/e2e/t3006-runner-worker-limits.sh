#!/bin/sh
test_description='one worker grading jobs of assignments with different limits gives each job its own'
. "$(dirname "$0")/test-lib.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

# assignment NAME MEMORY_MB PROCESSES: a C program allocating 150 MiB, and 12 processes at once.
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
	  "limits": { "memory_mb": $2, "processes": $3, "wall_seconds": 10 },
	  "tests": [
	    { "name": "memory", "run": "./eat", "output": "ate", "points": 1 },
	    { "name": "processes",
	      "run": "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 1 & done 2>/dev/null; wait; echo forked",
	      "output": "forked", "comparison": "exact", "points": 1 } ] }
	JSON
	lifebelt assignment add c1 "$1" --tests "$1" --due 2030-01-01T00:00:00Z
}

test_expect_success 'set up a small and a big assignment' '
	lifebelt init &&
	lifebelt course add c1 &&
	for s in ann ben cat dan; do lifebelt student add c1 $s || return 1; done &&
	assignment small 48 6 &&
	assignment big 512 64 &&
	git init -q w && (cd w && echo x >x && git add x && git commit -q -m x) &&
	for s in ann cat; do git -C w push -q "$LIFEBELT_HOME/repos/c1/small/$s.git" HEAD:main 2>/dev/null || return 1; done &&
	for s in ben dan; do git -C w push -q "$LIFEBELT_HOME/repos/c1/big/$s.git" HEAD:main 2>/dev/null || return 1; done
'

test_expect_success 'one worker, jobs of both in turn: each gets its own assignment limits' '
	lifebelt runner --drain --workers 1 2>runner.log &&
	db "SELECT a.name, r.name, r.verdict FROM results r JOIN jobs j ON j.id = r.job_id
	    JOIN assignments a ON a.id = j.assignment_id ORDER BY j.id, r.name" >verdicts &&
	cat verdicts >&2 &&
	test $(grep -c "^small|memory|memory_limit$" verdicts) = 2 &&
	test $(grep -c "^small|processes|fail$" verdicts) = 2 &&
	test $(grep -c "^big|memory|pass$" verdicts) = 2 &&
	test $(grep -c "^big|processes|pass$" verdicts) = 2 &&
	test $(wc -l <verdicts) = 8
'

test_done
