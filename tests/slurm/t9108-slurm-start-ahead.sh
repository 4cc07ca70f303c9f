#!/bin/sh
test_description='a runner'"'"'s workers start their sruns at once, side by side, before they claim their jobs'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/slurm/lib-slurm.sh"

test_expect_success 'setup: a cluster, two students with a submission each' '
	slurm_up &&
	slurm_course &&
	lifebelt student add c1 bob &&
	echo "{ \"tests\": [ { \"name\": \"t\", \"run\": \"cat x\", \"output\": \"x\", \"points\": 1 } ] }" >tests/lifebelt.json &&
	lifebelt assignment add c1 hw --tests tests --due 2030-01-01T00:00:00Z &&
	echo x >sub/x &&
	push alice && push bob
'

# A stand-in srun around the real one: it notes when it was started and the jobs'"'"' states
# then, and takes two seconds more to start, as a busy controller might.
real_srun=$(command -v srun)
mkdir fake
cat >fake/srun <<EOF_SH
#!/bin/sh
echo "\$(date +%s.%N) \$(sqlite3 -cmd ".timeout 5000" "$LIFEBELT_HOME/lifebelt.db" "SELECT group_concat(state) FROM jobs")" >>"$TRASH_DIRECTORY/sruns"
sleep 2
exec "$real_srun" "\$@"
EOF_SH
chmod +x fake/srun

# Another writer holds the database for three seconds: the workers cannot claim a job until then.
hold_db() {
	rm -f held &&
	{ printf "BEGIN IMMEDIATE;\n.shell touch held; sleep 3\nCOMMIT;\n" | sqlite3 "$LIFEBELT_HOME/lifebelt.db" & } &&
	test_wait_until test -e held
}

test_expect_success 'two workers grade two jobs, each through a srun of its own' '
	hold_db &&
	PATH=$TRASH_DIRECTORY/fake:$PATH lifebelt runner --drain --workers 2 >runner.log 2>&1 &&
	wait &&
	test "$(db "SELECT group_concat(status) FROM jobs")" = "passed,passed" &&
	test "$(wc -l <sruns)" = 2 &&
	test -z "$(slurm_jobs)"
'

test_expect_success 'each srun started before its worker could claim a job' '
	cat sruns &&
	test "$(grep -c "queued,queued$" sruns)" = 2
'

test_expect_success 'the sruns started side by side, not one after the other started its job' '
	awk "NR == 1 { a = \$1 } NR == 2 { b = \$1 } END { d = b - a; exit !(d < 1 && d > -1) }" sruns
'

test_done
