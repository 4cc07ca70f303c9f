#!/bin/sh
test_description='the Slurm executor gives the verdicts of the local one, through srun and node-exec'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/slurm/lib-slurm.sh"

test_expect_success 'setup: a one-node cluster on 127.0.0.1' '
	slurm_up
'

mkdir -p local sub
cat >sub/prog.c <<\EOF_C
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
	char line[256];

	if (argc > 1 && !strcmp(argv[1], "echo")) {
		while (fgets(line, sizeof(line), stdin))
			fputs(line, stdout);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "exit"))
		return 3;
	puts("hello, world");
	return 0;
}
EOF_C
mkdir sub/dir && echo nested >sub/dir/file && ln -s dir/file sub/link && printf '#!/bin/sh\necho run\n' >sub/run.sh &&
chmod +x sub/run.sh
echo checked >local/check.txt
cat >local/lifebelt.json <<'JSON'
{ "build": "cc -O0 -o prog prog.c",
  "files": ["check.txt"],
  "limits": { "wall_seconds": 3, "memory_mb": 64, "processes": 32, "file_mb": 1 },
  "tests": [
    { "name": "greets", "run": "./prog", "output": "hello, world", "points": 2 },
    { "name": "wrong answer", "run": "./prog", "output": "goodbye", "points": 1 },
    { "name": "echoes its input", "run": "./prog echo", "input": "one\ntwo\n", "output": "one\ntwo", "points": 1 },
    { "name": "exit status", "run": "./prog exit", "points": 1 },
    { "name": "the tree: files, links, modes", "run": "cat dir/file link check.txt && ./run.sh", "output": "nested\nnested\nchecked\nrun", "points": 1 },
    { "name": "secret", "run": "./prog", "output": "hello, world", "hidden": true, "points": 3 },
    { "name": "tap cases", "format": "tap", "run": "printf \"1..3\\nok 1 - a\\nnot ok 2 - b\\nok 3 # SKIP c\\n\"", "points": 1 },
    { "name": "junit report", "format": "junit", "report": "r.xml", "run": "printf \"<testsuite><testcase name=\\\"x\\\"/><testcase name=\\\"y\\\"><failure>no</failure></testcase></testsuite>\" >r.xml", "points": 1 },
    { "name": "memory", "run": "perl -e \"\\$x = q(a) x (200*1024*1024); print length \\$x\"", "points": 1 },
    { "name": "wall", "run": "sleep 100", "points": 1 },
    { "name": "output", "run": "yes", "points": 1 },
    { "name": "file size", "run": "head -c 2000000 /dev/zero >big", "points": 1 },
    { "name": "an orphan outlives its step", "run": "setsid sleep 100 >/dev/null 2>&1 & echo left", "output": "left", "points": 1 },
    { "name": "no network", "run": "grep -c : /proc/net/dev", "output": "1", "points": 1 },
    { "name": "stderr is kept", "run": "echo oops >&2; exit 1", "points": 1 }
  ] }
JSON
mkdir viaslurm && cp local/check.txt viaslurm/ &&
sed 's/^{ "build"/{ "executor": "slurm", "build"/' local/lifebelt.json >viaslurm/lifebelt.json

verdicts() {
	sed -n "/^[a-z_][a-z_]* /p" "$1"
}

test_expect_success 'lifebelt try: the same verdicts and details with executor slurm as without' '
	lifebelt try local sub >out.local 2>&1 &&
	lifebelt try viaslurm sub >out.slurm 2>&1 &&
	test_grep "\"kind\":\"bwrap\"" out.local &&
	test_grep "\"kind\":\"slurm\"" out.slurm &&
	test_grep "\"node\":{\"kind\":\"bwrap\"" out.slurm &&
	verdicts out.local >v.local && verdicts out.slurm >v.slurm &&
	cat v.slurm &&
	test_cmp v.local v.slurm &&
	grep -v "^s[pa][en][cd]\|elided\|took\|wall-clock" out.local >d.local &&
	grep -v "^s[pa][en][cd]\|elided\|took\|wall-clock" out.slurm >d.slurm &&
	test_cmp d.local d.slurm &&
	test_grep "^memory_limit *memory" v.slurm &&
	test_grep "^wall_limit *wall" v.slurm &&
	test_grep "^output_limit *output" v.slurm &&
	test -z "$(slurm_jobs)" && test -z "$(node_leftovers)"
'

test_expect_success 'a push graded by the runner with runner.executor slurm: the score of the local runner' '
	lifebelt init &&
	lifebelt course add c1 &&
	lifebelt student add c1 alice &&
	lifebelt assignment add c1 hw --tests local --due 2030-01-01T00:00:00Z &&
	push alice &&
	lifebelt runner --drain &&
	db "SELECT status, score, max_score FROM jobs" >local.score &&
	db "SELECT name, verdict, points FROM results ORDER BY seq" >local.results &&
	lifebelt config set runner.executor slurm &&
	lifebelt regrade c1 hw --no-wait &&
	lifebelt runner --drain &&
	db "SELECT status, score, max_score FROM jobs WHERE id = 2" >slurm.score &&
	db "SELECT name, verdict, points FROM results WHERE job_id = 2 ORDER BY seq" >slurm.results &&
	test_cmp local.score slurm.score &&
	test_cmp local.results slurm.results &&
	db "SELECT provenance FROM jobs WHERE id = 2" >prov &&
	test_grep "\"kind\":\"slurm\",\"job_id\":\"[0-9]" prov &&
	test -z "$(slurm_jobs)" && test -z "$(node_leftovers)"
'

test_done
