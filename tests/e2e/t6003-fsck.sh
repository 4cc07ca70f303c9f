#!/bin/sh
test_description='lifebelt fsck: the database, the repositories and the queue agree, or it says where not'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }
BOB=$LIFEBELT_HOME/repos/cs101/hw1/bob.git
ALICE=$LIFEBELT_HOME/repos/cs101/hw1/alice.git

# loose REPO OBJECT: the path of a loose object.
loose() {
	echo "$1/objects/$(echo "$2" | cut -c1-2)/$(echo "$2" | cut -c3-)"
}

gitd_course && start_sshd || { echo "Bail out! cannot set up a course and sshd"; exit 1; }

test_expect_success 'setup: alice and bob push over SSH, and the runner grades them' '
	for s in alice bob; do
		git_as $s clone -q "ssh://$SSH_USER@127.0.0.1:$SSHD_PORT/cs101/hw1" $s &&
		echo "$s was here" >$s/notes.txt && git -C $s add notes.txt &&
		git -C $s commit -qm "work of $s" &&
		git_as $s -C $s push -q origin main 2>push.err || return 1
	done &&
	lifebelt runner --drain &&
	test "$(db "SELECT count(*) FROM jobs WHERE state = '\''done'\''")" = 2
'

test_expect_success 'fsck finds a healthy server sound' '
	lifebelt fsck >out &&
	echo "fsck: checked the database, 3 repositories, 2 submissions and 2 jobs: no problems" >expect &&
	test_cmp expect out
'

test_expect_success 'a deleted object is found, and nothing offers to repair it' '
	blob=$(git -C alice rev-parse HEAD:notes.txt) &&
	obj=$(loose "$ALICE" $blob) && test -f "$obj" &&
	mv "$obj" blob.saved &&
	test_must_fail lifebelt fsck >out &&
	test_grep "^fsck: repository cs101/hw1/alice.git: blob $blob missing (notes.txt in refs/heads/main)$" out &&
	test_grep "^fsck: checked .*: 1 problems$" out &&
	test_must_fail lifebelt fsck --repair >out &&
	test_grep "blob $blob missing" out &&
	mv blob.saved "$obj" &&
	lifebelt fsck >out && test_grep "no problems" out
'

test_expect_success 'a submission whose commit is gone is found' '
	commit=$(git -C bob rev-parse HEAD) &&
	obj=$(loose "$BOB" $commit) && test -f "$obj" &&
	mv "$obj" commit.saved &&
	test_must_fail lifebelt fsck >out &&
	id=$(db "SELECT id FROM submissions WHERE commit_id = '\''$commit'\''") &&
	test_grep "^fsck: submission $id of cs101/hw1/bob.git: commit $commit is not in the repository$" out &&
	test_grep "^fsck: repository cs101/hw1/bob.git: commit $commit missing (the tip of refs/heads/main)$" out &&
	mv commit.saved "$obj" &&
	lifebelt fsck >out && test_grep "no problems" out
'

test_expect_success 'a push whose hook never recorded it is found, and --repair records it' '
	git --git-dir="$BOB" config core.hooksPath "$TRASH_DIRECTORY/no-hooks" &&
	echo more >>bob/notes.txt && git -C bob commit -qam more &&
	git_as bob -C bob push -q origin main 2>push.err &&
	git --git-dir="$BOB" config core.hooksPath "$LIFEBELT_HOME/hooks" &&
	tip=$(git -C bob rev-parse HEAD) &&
	test "$(db "SELECT count(*) FROM submissions WHERE commit_id = '\''$tip'\''")" = 0 &&
	test_must_fail lifebelt fsck >out &&
	short=$(echo $tip | cut -c1-12) &&
	test_grep "^fsck: cs101/hw1/bob.git refs/heads/main: the push of $short at .* has no submission (--repair: record it as a submission, received at the reflog.s time)$" out &&
	test_grep "1 problems, 1 of them repaired by .lifebelt fsck --repair.$" out &&
	lifebelt fsck --repair >out &&
	test_grep "^fsck: cs101/hw1/bob.git refs/heads/main: the push of $short .*: repaired" out &&
	test_grep "1 problems, 1 repaired$" out &&
	test "$(db "SELECT via FROM submissions WHERE commit_id = '\''$tip'\''")" = reconciled &&
	test "$(db "SELECT j.state FROM jobs j JOIN submissions s ON s.id = j.submission_id
		WHERE s.commit_id = '\''$tip'\''")" = queued &&
	lifebelt fsck >out && test_grep "no problems" out
'

test_expect_success 'a job held by a runner that is gone, and its work directory, go back' '
	lifebelt runner --drain &&
	id=$(db "SELECT max(id) FROM jobs") &&
	db "UPDATE jobs SET state = '\''running'\'', lease_owner = '\''gone:1'\'',
		lease_expires = 1000 WHERE id = $id" &&
	mkdir -p "$LIFEBELT_HOME/work/jobs/job-$id" "$LIFEBELT_HOME/work/jobs/job-0" &&
	mount -t tmpfs -o size=1m lifebelt-fsck-test "$LIFEBELT_HOME/work/jobs/job-0" &&
	test_must_fail lifebelt fsck >out &&
	test_grep "^fsck: job $id is held by a runner that is gone (--repair: queue it again)$" out &&
	test_grep "^fsck: work/jobs/job-$id: a work directory left by a runner that is gone (--repair: remove it)$" out &&
	test_grep "^fsck: work/jobs/job-0: a work directory (a mount) left by a runner that is gone (--repair: unmount and remove it)$" out &&
	lifebelt fsck --repair >out &&
	test_grep "3 problems, 3 repaired$" out &&
	! grep -q "$LIFEBELT_HOME/work/jobs/job-0" /proc/self/mountinfo &&
	test "$(db "SELECT state, lease_owner IS NULL FROM jobs WHERE id = $id")" = "queued|1" &&
	! test -e "$LIFEBELT_HOME/work/jobs/job-$id" &&
	lifebelt runner --drain &&
	test "$(db "SELECT state FROM jobs WHERE id = $id")" = done &&
	lifebelt fsck >out && test_grep "no problems" out
'

test_expect_success 'clean up: no mount left, whatever happened above' '
	umount -l "$LIFEBELT_HOME/work/jobs/job-0" 2>/dev/null
	true
'

test_expect_success 'a corrupted database page is found' '
	db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null &&
	cp "$LIFEBELT_HOME/lifebelt.db" db.saved &&
	size=$(db "PRAGMA page_size") &&
	page=$(db "SELECT rootpage FROM sqlite_master WHERE name = '\''submissions_received'\''") &&
	head -c $size /dev/urandom | dd of="$LIFEBELT_HOME/lifebelt.db" bs=$size seek=$((page - 1)) \
		conv=notrunc status=none &&
	test_must_fail lifebelt fsck >out &&
	test_grep "^fsck: database: .*; restore lifebelt.db from a backup (.lifebelt restore.)$" out &&
	test_grep "^fsck: the submissions and jobs were not checked: the database is damaged$" out &&
	cp db.saved "$LIFEBELT_HOME/lifebelt.db" &&
	lifebelt fsck >out && test_grep "no problems" out
'

test_done
