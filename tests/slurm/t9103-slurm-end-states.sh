#!/bin/sh
test_description='how a Slurm job ended without an answer: the memory verdict, or an infrastructure fault'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/slurm/lib-slurm.sh"

test_expect_success 'setup: a cluster, and an assignment whose first test waits' '
	slurm_up &&
	slurm_course &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "limits": { "wall_seconds": 60 },
	  "tests": [ { "name": "first", "run": "sleep 30; echo late", "output": "late", "points": 1 },
	             { "name": "second", "run": "echo after", "output": "after", "points": 1 } ] }
	JSON
	lifebelt assignment add c1 hw --tests tests --due 2030-01-01T00:00:00Z &&
	echo x >sub/x
'

# A stand-in scontrol: what Slurm would say of the job in rare cases.
mkdir fake
cat >fake/scontrol <<EOF_SH
#!/bin/sh
echo "JobId=\$4 JobName=lb-x UserId=root(0) JobState=\$(cat "$TRASH_DIRECTORY/state") Reason=Test Dependency=(null)"
EOF_SH
chmod +x fake/scontrol

# The node-exec processes of this cluster (their TMPDIR is this script's).
node_execs() {
	for p in $(pgrep -f "lifebelt node-exec"); do
		tr "\\0" "\\n" </proc/$p/environ 2>/dev/null | grep -qx "TMPDIR=$TMPDIR" && echo $p
	done
	true
}

# A test's `sleep 30` runs in a sandbox of one of them: the step has begun.
step_running() {
	execs=" $(node_execs | tr "\n" " ")"
	for p in $(pgrep -x sleep); do
		q=$p
		while test -n "$q" && test "$q" -gt 1; do
			case "$execs " in *" $q "*) return 0 ;; esac
			q=$(awk "/^PPid:/ { print \$2 }" /proc/$q/status 2>/dev/null)
		done
	done
	return 1
}

job_over() {
	test -n "$(db "SELECT 1 FROM jobs WHERE id = $job AND (state = 'done' OR error IS NOT NULL)")"
}

# end_with STATE [ASSIGNMENT]: grade a new push to ASSIGNMENT (hw) while its first test runs,
# its Slurm job cancelled and STATE said (real: what the real scontrol says). The runner is
# stopped once the job is over or has its fault (a retry would wait for the test).
end_with() {
	echo "$1" >state &&
	echo "$1" >sub/x &&
	push alice "${2:-hw}" &&
	job=$(db "SELECT max(id) FROM jobs") &&
	if test "$1" = real; then bin=; else bin=$TRASH_DIRECTORY/fake:; fi &&
	{ PATH=$bin$PATH setsid lifebelt runner >runner.log 2>&1 & } &&
	runner=$! && echo $runner >>"$TRASH_DIRECTORY/.bg-pids" &&
	test_wait_until slurm_running &&
	test_wait_until step_running &&
	scancel "$slurm_id" &&
	test_wait_until job_over &&
	kill -TERM $runner &&
	wait
}

test_expect_success 'OUT_OF_MEMORY: memory_limit for the test that ran; the next test gets a new srun' '
	end_with OUT_OF_MEMORY &&
	test "$(db "SELECT name, verdict FROM results WHERE job_id = $job ORDER BY seq")" = "first|memory_limit
second|pass" &&
	test "$(db "SELECT state, attempts FROM jobs WHERE id = $job")" = "done|1" &&
	test_grep "\"sruns\":2" "$(db "SELECT provenance FROM jobs WHERE id = $job" >prov && echo prov)"
'

# Slurm ends a job with SIGCONT to all its processes, then SIGTERM to all, node-exec's last: a
# step may end of either before node-exec hears its SIGTERM (here at the SIGCONT, as a shell
# runs on once its child was killed), and must not be read as the student's.
test_expect_success 'a test that ends at Slurm'"'"'s signals before node-exec hears them: not the student'"'"'s' '
	mkdir tests-cont &&
	cat >tests-cont/lifebelt.json <<-\JSON &&
	{ "limits": { "wall_seconds": 60 },
	  "tests": [ { "name": "first", "run": "trap \"echo late; exit 0\" CONT; sleep 30 & wait", "output": "late", "points": 1 },
	             { "name": "second", "run": "echo after", "output": "after", "points": 1 } ] }
	JSON
	lifebelt assignment add c1 cont --tests tests-cont --due 2030-01-01T00:00:00Z &&
	end_with OUT_OF_MEMORY cont &&
	test "$(db "SELECT name, verdict FROM results WHERE job_id = $job ORDER BY seq")" = "first|memory_limit
second|pass"
'

for s in NODE_FAIL TIMEOUT PREEMPTED BOOT_FAIL; do
	test_expect_success "$s: an infrastructure fault, requeued, never a score" '
		end_with '$s' &&
		test "$(db "SELECT state, score IS NULL FROM jobs WHERE id = $job")" = "queued|1" &&
		db "SELECT error FROM jobs WHERE id = $job" >err &&
		test_grep "ended without an answer: '$s' (Test)" err &&
		test "$(db "SELECT count(*) FROM results WHERE job_id = $job")" = 0 &&
		db "UPDATE jobs SET state = '"'superseded'"' WHERE id = $job"
	'
done

test_expect_success 'a job cancelled on the cluster, as the real scontrol says: a fault' '
	end_with real &&
	db "SELECT state, error FROM jobs WHERE id = $job" >err &&
	test_grep "^queued|the Slurm job [0-9]* ended without an answer: CANCELLED" err &&
	db "UPDATE jobs SET state = '"'superseded'"' WHERE id = $job"
'

test_expect_success 'srun that cannot start the job (no such partition): a fault naming why' '
	lifebelt config set slurm.partition nosuch &&
	echo partition >sub/x &&
	push alice &&
	job=$(db "SELECT max(id) FROM jobs") &&
	lifebelt runner --drain >runner.log 2>&1 &&
	test "$(db "SELECT score IS NULL FROM jobs WHERE id = $job")" = 1 &&
	test "$(db "SELECT count(*) FROM results WHERE job_id = $job")" = 0 &&
	test_grep "srun did not start the job: .*[Ii]nvalid partition" runner.log &&
	test -z "$(slurm_jobs)"
'

test_expect_success 'node-exec killed with SIGKILL in the middle of a test leaves no mount on the node' '
	lifebelt config set slurm.partition grading &&
	echo killed >sub/x &&
	push alice &&
	{ setsid lifebelt runner >runner.log 2>&1 & } &&
	runner=$! && echo $runner >>"$TRASH_DIRECTORY/.bg-pids" &&
	test_wait_until slurm_running &&
	test_wait_until eval "ls -d \"\$TMPDIR\"/lifebelt-node-*/job-* >/dev/null 2>&1" &&
	sleep 1 &&
	pids=$(node_execs) && test -n "$pids" &&
	kill -KILL $pids &&
	kill -TERM $runner && wait &&
	test_wait_until eval "test -z \"\$(node_mounts)\""
'

test_done
