#!/bin/sh
test_description='a test decided by a checker program: the tests run on the Slurm node, the checker on the runner host, and the verdicts are the local executor'"'"'s; the expected outputs never reach the node'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/slurm/lib-slurm.sh"

# The rows of a student's latest graded job, as the student and teacher see them.
rows() {
	db "SELECT r.name, r.verdict, r.points, r.max_points, r.detail FROM results r
	    WHERE r.job_id = (SELECT max(j.id) FROM jobs j JOIN people p ON p.id = j.person_id
	                      WHERE p.login = '$1' AND j.state = 'done') ORDER BY r.seq"
}

test_expect_success 'setup: a cluster whose node keeps every byte the runner sends it' '
	slurm_up &&
	slurm_course &&
	lifebelt student add c1 bob &&
	cat >tests/check.sh <<-\EOF &&
	#!/bin/sh
	# input expected actual: the expected text, or else the sum of the input
	want=$(cat "$2")
	test -n "$want" || want="$(( $(tr " " "+" <"$1") )) is the sum"
	grep -qx "$want" "$3" && exit 0
	echo "wanted $want, got $(head -c 40 "$3")"
	exit 1
	EOF
	chmod +x tests/check.sh &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "tests": [
	    { "name": "plain", "run": "echo 7", "output": "7" },
	    { "name": "sum", "run": "sh answer.sh", "input": "3 4", "checker": "check.sh" },
	    { "name": "secret", "run": "sh answer.sh", "input": "40 2", "hidden": true,
	      "output": "42 is the sum", "checker": "check.sh" }
	  ] }
	JSON
	lifebelt assignment add c1 hw --tests tests --due 2030-01-01T00:00:00Z &&
	cat >node-lifebelt <<-EOF &&
	#!/bin/sh
	tee -a "$TRASH_DIRECTORY/node-stdin" | lifebelt "\$@"
	EOF
	chmod +x node-lifebelt &&
	lifebelt config set slurm.command "$TRASH_DIRECTORY/node-lifebelt"
'

test_expect_success 'a right answer passes: the checker decides, on the runner host' '
	printf "read a b\necho \"\$((a + b)) is the sum\"\n" >sub/answer.sh &&
	push alice &&
	lifebelt runner --drain 2>log &&
	test "$(db "SELECT state, status, score FROM jobs ORDER BY id DESC LIMIT 1")" = "done|passed|3.0" &&
	rows alice >alice.slurm &&
	test_grep "^sum|pass|1.0|1.0|" alice.slurm &&
	test_grep "^secret|pass|1.0|1.0|" alice.slurm &&
	test "$(db "SELECT provenance ->> '"'\$.sandbox.kind'"', provenance ->> '"'\$.checker_sandbox.kind'"'
		    FROM jobs ORDER BY id DESC LIMIT 1")" = "slurm|bwrap" &&
	test -z "$(slurm_jobs)"
'

test_expect_success 'a wrong answer fails with what the checker said' '
	printf "echo 8\n" >sub/answer.sh &&
	push bob &&
	lifebelt runner --drain 2>log &&
	test "$(db "SELECT state, status, score FROM jobs ORDER BY id DESC LIMIT 1")" = "done|failed|1.0" &&
	rows bob >bob.slurm &&
	test_grep "^sum|fail|0.0|1.0|the checker failed it" bob.slurm &&
	test_grep "^wanted 7 is the sum, got 8" bob.slurm &&
	test_grep "^secret|fail|0.0|1.0|" bob.slurm
'

test_expect_success 'the node got the submission and the inputs, never an expected output, an actual one or the checker' '
	grep -aq "is the sum" node-stdin &&
	grep -aq "40 2" node-stdin &&
	! grep -a "42 is the sum" node-stdin &&
	! grep -a "7 is the sum" node-stdin &&
	! grep -a "wanted" node-stdin
'

test_expect_success 'the bwrap executor gives the same rows' '
	lifebelt config set runner.executor bwrap &&
	lifebelt regrade c1 hw --no-wait >/dev/null &&
	lifebelt runner --drain &&
	rows alice >alice.bwrap &&
	rows bob >bob.bwrap &&
	test_cmp alice.bwrap alice.slurm &&
	test_cmp bob.bwrap bob.slurm
'

test_expect_success 'lifebelt try with "executor": "slurm" runs the checker here too' '
	sed "s/^{ \"tests\"/{ \"executor\": \"slurm\", \"tests\"/" tests/lifebelt.json >tests/l.json &&
	mv tests/l.json tests/lifebelt.json &&
	printf "echo 8\n" >sub/answer.sh &&
	lifebelt try tests sub >try.out &&
	test_grep "^fail *sum" try.out &&
	test_grep "wanted 7 is the sum, got 8" try.out &&
	test_grep "^sandbox: .*\"kind\":\"slurm\"" try.out &&
	test -z "$(slurm_jobs)"
'

test_done
