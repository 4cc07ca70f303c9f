#!/bin/sh
test_description='a runner worker grades its jobs one after another through one srun, and lets it go when idle'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/slurm/lib-slurm.sh"

test_expect_success 'setup: a cluster, a small assignment and a larger one' '
	slurm_up &&
	slurm_course &&
	lifebelt student add c1 bob &&
	lifebelt student add c1 carol &&
	echo "{ \"limits\": { \"memory_mb\": 64 }, \"tests\": [ { \"name\": \"t\", \"run\": \"cat x\", \"output\": \"x\", \"points\": 1 } ] }" >tests/lifebelt.json &&
	lifebelt assignment add c1 hw --tests tests --due 2030-01-01T00:00:00Z &&
	mkdir big &&
	echo "{ \"limits\": { \"memory_mb\": 700 }, \"tests\": [ { \"name\": \"t\", \"run\": \"cat x\", \"output\": \"x\", \"points\": 1 } ] }" >big/lifebelt.json &&
	lifebelt assignment add c1 big --tests big --due 2030-01-01T00:00:00Z &&
	echo x >sub/x
'

# The Slurm jobs the cluster has seen (it keeps finished ones for MinJobAge).
seen() {
	scontrol show job -o 2>/dev/null | grep -c "JobName=lb-" || true
}

# The Slurm job that graded Lifebelt's job $1, from its provenance.
slurm_job_of() {
	db "SELECT provenance FROM jobs WHERE id = $1" | sed -n "s/.*\"kind\":\"slurm\",\"job_id\":\"\([0-9]*\)\".*/\1/p"
}

test_expect_success 'three jobs, one worker: one Slurm job grades them all, and ends with the queue' '
	push alice && push bob && push carol &&
	before=$(seen) &&
	lifebelt runner --drain --workers 1 >runner.log 2>&1 &&
	test "$(db "SELECT group_concat(status) FROM jobs")" = "passed,passed,passed" &&
	test "$(seen)" -eq $((before + 1)) &&
	first=$(slurm_job_of 1) && test -n "$first" &&
	test "$(slurm_job_of 2)" = "$first" && test "$(slurm_job_of 3)" = "$first" &&
	scontrol show job -o "$first" >job &&
	test_grep "JobName=lb-runner-[0-9]* .*JobState=COMPLETED" job &&
	test -z "$(slurm_jobs)" && test -z "$(node_leftovers)"
'

test_expect_success 'a job that needs more memory than the worker'"'"'s srun has gets a new one' '
	(cd clone-alice && echo y >>x && git commit -q -am more && git push -q origin HEAD:main) 2>/dev/null &&
	rm -rf clone-b && git clone -q "$LIFEBELT_HOME/repos/c1/big/alice.git" clone-b 2>/dev/null &&
	(cd clone-b && echo x >x && git add x && git commit -q -m big && git push -q origin HEAD:main) 2>/dev/null &&
	lifebelt runner --drain --workers 1 >runner.log 2>&1 &&
	small=$(db "SELECT j.id FROM jobs j JOIN assignments a ON a.id = j.assignment_id WHERE a.name = '"'hw'"' ORDER BY j.id DESC LIMIT 1") &&
	large=$(db "SELECT j.id FROM jobs j JOIN assignments a ON a.id = j.assignment_id WHERE a.name = '"'big'"'") &&
	test "$(db "SELECT status FROM jobs WHERE id = $large")" = passed &&
	test "$(slurm_job_of $small)" != "$(slurm_job_of $large)" &&
	scontrol show job -o "$(slurm_job_of $large)" >job &&
	mem=$(sed -n "s/.*MinMemoryNode=\([0-9]*\)M.*/\1/p" job) &&
	test "$mem" -ge 700
'

test_expect_success 'a waiting runner holds no CPU of the cluster once its queue is empty' '
	setsid lifebelt runner >runner2.log 2>&1 &
	pid=$! && echo $pid >>"$TRASH_DIRECTORY/.bg-pids" &&
	(cd clone-bob && echo z >>x && git commit -q -am again && git push -q origin HEAD:main) 2>/dev/null &&
	job=$(db "SELECT max(id) FROM jobs") &&
	test_wait_until eval "test \"\$(db \"SELECT state FROM jobs WHERE id = $job\")\" = done" &&
	test_wait_until eval "test -z \"\$(slurm_jobs)\"" &&
	kill -0 $pid &&
	kill -TERM $pid &&
	test -z "$(node_leftovers)"
'

test_done
