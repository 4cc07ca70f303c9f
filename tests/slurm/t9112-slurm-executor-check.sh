#!/bin/sh
test_description='with LIFEBELT_TEST_EXECUTOR=slurm, a script any of whose jobs was graded by another executor fails'
. "$(dirname "$0")/../e2e/test-lib.sh"

# An end-to-end script that grades one push, and tries once, with the
# lifebelt.json of this directory (which names an executor). It runs with
# its trash directory in this one's (TMPDIR), which a failure keeps.
script() {
	sed -e "s|@SRC_ROOT@|$SRC_ROOT|" -e "s|@SPEC@|$TRASH_DIRECTORY/lifebelt.json|" >"$1" <<-\EOF
	#!/bin/sh
	test_description='one job, graded'
	. "@SRC_ROOT@/tests/e2e/test-lib.sh"
	test_expect_success 'one push graded, one try' '
		lifebelt init && lifebelt course add c1 && lifebelt student add c1 alice &&
		mkdir tests &&
		cp "@SPEC@" tests/ &&
		lifebelt assignment add c1 hw --tests tests --due 2030-01-01T00:00:00Z &&
		git clone -q "$LIFEBELT_HOME/repos/c1/hw/alice.git" w 2>/dev/null &&
		(cd w && echo x >x && git add x && git commit -q -m x && git push -q origin HEAD:main 2>/dev/null) &&
		lifebelt runner --drain &&
		test "$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT status FROM jobs")" = passed &&
		lifebelt try tests w >/dev/null
	'
	test_done
	EOF
}

test_expect_success 'a job and a try graded by bubblewrap: the script fails, naming both' '
	echo "{ \"executor\": \"bwrap\", \"tests\": [ { \"name\": \"t\", \"run\": \"true\" } ] }" \
		>lifebelt.json &&
	script local.sh &&
	test_must_fail env TMPDIR="$TRASH_DIRECTORY" LIFEBELT_TEST_EXECUTOR=slurm sh local.sh >out &&
	cat out &&
	test_grep "^ok 1 - one push graded, one try" out &&
	test_grep "^not ok 2 - every job was graded by the slurm executor" out &&
	test_grep "^# .*/lifebelt.db: job 1 graded by bwrap" out &&
	test_grep "^# lifebelt try: graded by bwrap" out
'

test_expect_success 'the same script, its jobs graded by the executor named: it passes' '
	LIFEBELT_TEST_EXECUTOR=bwrap sh local.sh >out &&
	cat out &&
	test_grep "^# 2 jobs graded by the bwrap executor" out &&
	test_grep "^ok 2 - every job was graded by the bwrap executor" out
'

test_done
