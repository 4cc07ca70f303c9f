# lib-e2e.sh: the end-to-end suite's grading scripts with every job graded
# through Slurm (LIFEBELT_TEST_EXECUTOR=slurm: test-lib.sh sets
# runner.executor slurm in each data directory, skips the tests that need
# LOCAL_EXECUTOR, and fails a script any of whose jobs was graded by
# another executor). Sourced after lib-slurm.sh; the scripts are shared
# between the suites that source it, each with a cluster of its own.

# Scripts whose jobs never reach a runner, nor lifebelt try: they would
# only pass again, more slowly. By number; every other script of tests/e2e
# is run, so a new one that grades is never left out.
slurm_e2e_never_grade='
	t0001 t0002 t0003 t0004 t0005 t0006 t0020 t0030
	t1000 t1001 t1003 t1004 t1011 t1014 t1020 t1021 t1022 t1023 t1024 t1032
	t1040 t1041 t1051 t1054 t1057 t1060 t1081 t1085
	t2000 t2001 t2003 t2005 t2010 t2011 t2012 t2014 t2020 t2021 t2022 t2023 t2030 t2031
	t3070 t3100 t3105
	t4000 t4001 t4002 t4003 t4004 t4010 t4011 t4012 t4020 t4021
	t5041 t5043 t5061 t5062 t5064
	t6002 t6020 t6022
'
# (t0*: the data directory, people, settings, docs; t10*, t20*: git over
# SSH and HTTP, GitHub's hooks and mirrors, the push hooks, whose jobs stay
# queued; t3070, t3100, t3105: report parsers and images, nothing run; t40*,
# t50*: the web's pages and rules over results stored by hand; t60*: backups
# refused, reconciling and a full disk, nothing graded.)

# slurm_e2e_scripts: every script of tests/e2e that grades, one a line.
slurm_e2e_scripts() {
	for t in "$SRC_ROOT"/tests/e2e/t[0-9]*.sh; do
		n=$(basename "$t")
		skip=
		for p in $slurm_e2e_never_grade; do
			case $n in
			$p-*) skip=1 ;;
			esac
		done
		test -n "$skip" || echo "$n"
	done
}

# slurm_e2e_run LANE LANES: run every LANES-th script from the LANE-th on
# (1-based). Each has its trash directory in /tmp, as under make test (a
# Unix socket's path below this script's would be too long); one that fails
# keeps it there, as its log says.
slurm_e2e_run() {
	i=0
	for n in $(slurm_e2e_scripts); do
		i=$((i + 1))
		test $(((i - 1) % $2 + 1)) = "$1" || continue
		t=${n%.sh}
		test_expect_success "$t with runner.executor slurm" '
			shell=$(sed -n "1s/^#!//p" "$SRC_ROOT/tests/e2e/$n") &&
			TMPDIR=/tmp LIFEBELT_TEST_EXECUTOR=slurm $shell "$SRC_ROOT/tests/e2e/$n" >"$t.log" 2>&1
			rc=$?
			skipped=$(grep -c "^ok [0-9]* # skip" "$t.log")
			echo "# $t: $(($(grep -c "^ok" "$t.log") - skipped)) passed, $skipped skipped," \
				"$(grep -c "^not ok" "$t.log") failed;" \
				"$(sed -n "s/^# \([0-9]* jobs\) graded .*/\1/p" "$t.log") graded" >"$t.summary"
			test $rc = 0 || { grep -A20 "^not ok" "$t.log"; grep "^# .* graded by " "$t.log"; false; } &&
			test_wait_until test -z "$(slurm_jobs)"
		'
		cat "$t.summary" 2>/dev/null
	done
}
