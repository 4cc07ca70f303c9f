#!/bin/sh
test_description='backup mid-rush: lifebelt backup while students push over SSH and HTTPS and the runner grades; restored into a fresh data directory, every push acknowledged before the backup began is there with one submission, the copy is sound, and grading resumes'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/e2e/lib-gitd.sh"
. "$SRC_ROOT/tests/faults/lib-faults.sh"

if test "$(id -u)" != 0; then
	echo "1..0 # SKIP the sandboxes' mounts and cgroups take root"
	exit 0
fi

# FAULT_STUDENTS push at once; the backup starts after FAULT_BACKUP_AFTER
# pushes were acknowledged, and the rush goes on as long again after it.
: "${FAULT_STUDENTS:=6}" "${FAULT_BACKUP_AFTER:=24}"
HOME1=$LIFEBELT_HOME HOME2=$TRASH_DIRECTORY/home2 BACKUP=$TRASH_DIRECTORY/bk

acked_at_least() { test "$(wc -l <acked)" -ge "$1"; }

test_expect_success 'setup: a course, sshd, serve with two workers, a pusher per student' '
	faults_course $FAULT_STUDENTS &&
	start_sshd &&
	serve_supervised --workers 2 &&
	start_pushers $FAULT_STUDENTS &&
	test_wait_until test -s acked
'

# Every push whose git push returned success before the backup started is
# in acked-before: a pusher writes its line only once git has returned.
test_expect_success 'lifebelt backup in the middle of the rush' '
	i=0 &&
	until acked_at_least $FAULT_BACKUP_AFTER; do
		i=$((i + 1)) && test $i -le 1200 || return 1
		sleep 0.1
	done &&
	cp acked acked-before &&
	lifebelt backup "$BACKUP" >backup.out &&
	cat backup.out &&
	test_grep "^backed up $HOME1 to $BACKUP: " backup.out &&
	cp acked acked-after-backup &&
	i=0 &&
	until acked_at_least $(($(wc -l <acked-after-backup) + FAULT_BACKUP_AFTER / 2)); do
		i=$((i + 1)) && test $i -le 1200 || return 1
		sleep 0.1
	done &&
	wait_pushers &&
	serve_stop && rm serve.stop &&
	mv serve.log serve-before-backup.log
'

test_expect_success 'the load was real: pushes over SSH and HTTPS on both sides of the backup' '
	grep -q " ssh$" acked-before && grep -q " http$" acked-before &&
	test "$(wc -l <acked)" -gt "$(wc -l <acked-after-backup)"
'

test_expect_success 'restored into a fresh data directory' '
	LIFEBELT_HOME=$HOME2 lifebelt restore "$BACKUP" >restore.out &&
	cat restore.out &&
	test_grep "^restored the backup of $HOME1 made .* into $HOME2: " restore.out
'

LIFEBELT_HOME=$HOME2
export LIFEBELT_HOME

# found_before: the lines of acked-before whose commit is on the restored
# branch, pushed as a ref update (its reflog), with exactly one submission.
found_before() {
	pushed_refs | cut -d" " -f2 >restored.pushed &&
	while read -r login sha via; do
		git --git-dir="$LIFEBELT_HOME/repos/c1/a1/$login.git" merge-base --is-ancestor "$sha" main \
			2>/dev/null &&
		grep -qx "$sha" restored.pushed &&
		test "$(db "SELECT count(*) FROM submissions s JOIN repos r ON r.id = s.repo_id
			WHERE r.path = 'c1/a1/$login.git' AND s.commit_id = '$sha'")" = 1 &&
		echo "$login $sha $via"
	done <acked-before
}

test_expect_success 'every push acknowledged before the backup began is a ref update with one submission' '
	found_before >found-before &&
	if ! test_cmp acked-before found-before >found.diff; then
		echo "acknowledged before the backup but not in the restored copy:" >&2
		cat found.diff >&2
		false
	fi
'
test_expect_success 'every ref update of the copy has exactly one submission' 'check_submissions'
test_expect_success 'PRAGMA integrity_check is clean' 'check_integrity'
test_expect_success 'git fsck is clean' 'check_fsck'
test_expect_success 'lifebelt fsck finds the restored copy sound' '
	lifebelt fsck >fsck.out &&
	cat fsck.out &&
	test_grep "no problems" fsck.out
'

test_expect_success 'grading resumes on the restored copy: each latest push graded, each job once' '
	serve_supervised --workers 2 &&
	wait_graded 180 &&
	check_graded_once
'
test_expect_success 'stopped: nothing left over' 'serve_stop && check_leftovers'

figure() { say "$*"; echo "faults: $*" >&2; }
figure "backup mid-rush: pushes acknowledged before the backup: $(wc -l <acked-before)," \
	"found after restore: $(cat found-before 2>/dev/null | wc -l); acknowledged in all: $(wc -l <acked)," \
	"submissions in the copy: $(db "SELECT count(*) FROM submissions")"
test_done
