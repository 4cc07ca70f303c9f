#!/bin/sh
test_description='the fault suite'"'"'s checks pass on a sound data directory and each fails on a fault planted for it'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/e2e/lib-gitd.sh"
. "$SRC_ROOT/tests/faults/lib-faults.sh"

if test "$(id -u)" != 0; then
	echo "1..0 # SKIP the planted mount takes root"
	exit 0
fi

REPO=$LIFEBELT_HOME/repos/c1/a1/s1.git

# planted CHECK: CHECK fails now; the data directory is then put back as it was.
planted() {
	test_must_fail "$1" 2>planted.err && cat planted.err
	rc=$?
	cp sound.db "$LIFEBELT_HOME/lifebelt.db" && rm -f "$LIFEBELT_HOME/lifebelt.db-wal" \
		"$LIFEBELT_HOME/lifebelt.db-shm" && cp acked.sound acked && : >serve.log
	return $rc
}

test_expect_success 'setup: two pushes, graded; every check passes' '
	faults_course 1 &&
	git clone -q "$REPO" w &&
	for n in 1 2; do
		echo "# $n" >>w/run.sh && git -C w commit -qam "push $n" && git -C w push -q origin main 2>/dev/null &&
		echo "s1 $(git -C w rev-parse HEAD) local" >>acked || return 1
	done &&
	lifebelt runner --drain 2>serve.log &&
	check_submissions && check_acked && check_graded_once && check_integrity && check_fsck &&
	check_leftovers &&
	db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null &&
	cp "$LIFEBELT_HOME/lifebelt.db" sound.db && cp acked acked.sound
'

test_expect_success 'a submission row deleted: check_submissions and check_acked fail' '
	db "DELETE FROM results; DELETE FROM jobs; DELETE FROM submissions WHERE id = 1" &&
	planted check_submissions &&
	db "DELETE FROM results; DELETE FROM jobs; DELETE FROM submissions WHERE id = 1" &&
	planted check_acked
'

test_expect_success 'an acknowledged push the server does not have: check_acked fails' '
	echo "s1 $(git -C w commit-tree -m lost HEAD^{tree}) http" >>acked &&
	planted check_acked
'

test_expect_success 'a job graded twice, or never: check_graded_once fails' '
	grep "job 1 " serve.log >/dev/null || echo "2026-01-01T00:00:00Z job 1 (c1/a1/s1.git): passed, 1/1 in 0.20 s" >>serve.log &&
	echo "2026-01-01T00:00:01Z job 1 (c1/a1/s1.git): passed, 1/1 in 0.20 s" >>serve.log &&
	planted check_graded_once &&
	db "UPDATE jobs SET state = '"'queued'"' WHERE id = (SELECT max(id) FROM jobs)" &&
	planted check_graded_once &&
	db "INSERT INTO jobs (submission_id, assignment_id, person_id, queued, state)
		SELECT submission_id, assignment_id, person_id, 0, '"'superseded'"' FROM jobs LIMIT 1" &&
	planted check_graded_once
'

test_expect_success 'a damaged database page: check_integrity fails' '
	printf "garbage%.0s" $(seq 1 500) | dd of="$LIFEBELT_HOME/lifebelt.db" bs=1 seek=8192 conv=notrunc 2>/dev/null &&
	planted check_integrity
'

test_expect_success 'an object lost from a repository: check_fsck fails' '
	obj=$(git -C w rev-parse HEAD:run.sh) &&
	f="$REPO/objects/$(echo $obj | cut -c1-2)/$(echo $obj | cut -c3-)" &&
	test -f "$f" && mv "$f" lost-object &&
	test_must_fail check_fsck &&
	mv lost-object "$f" && check_fsck
'

test_expect_success 'a work directory left mounted: check_leftovers fails' '
	mkdir -p "$LIFEBELT_HOME/work/jobs/job-1-1" &&
	mount -t tmpfs tmpfs "$LIFEBELT_HOME/work/jobs/job-1-1" &&
	test_must_fail check_leftovers; rc=$?
	umount "$LIFEBELT_HOME/work/jobs/job-1-1" && return $rc
'

test_done
