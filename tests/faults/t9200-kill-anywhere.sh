#!/bin/sh
test_description='kill -9 anywhere: under concurrent pushes (SSH and HTTPS) and grading, hooks, forced commands, runner workers, holders and serve are killed hundreds of times; afterwards nothing accepted is lost or graded twice, and nothing is left over'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/e2e/lib-gitd.sh"
. "$SRC_ROOT/tests/faults/lib-faults.sh"

if test "$(id -u)" != 0; then
	echo "1..0 # SKIP the sandboxes' mounts and cgroups take root"
	exit 0
fi

# FAULT_ROUNDS kills (300 by default: a few minutes), FAULT_SEED picks them,
# FAULT_STUDENTS push at once.
: "${FAULT_ROUNDS:=300}" "${FAULT_SEED:=$$}" "${FAULT_STUDENTS:=6}"
say "rounds $FAULT_ROUNDS, seed $FAULT_SEED, students $FAULT_STUDENTS"

test_expect_success 'setup: a course, sshd, serve with two workers, a pusher per student' '
	faults_course $FAULT_STUDENTS &&
	start_sshd &&
	tail -n 1 "$TRASH_DIRECTORY/.bg-pids" >sshd.pid &&
	serve_supervised --workers 2 &&
	start_pushers $FAULT_STUDENTS &&
	test_wait_until test -s acked
'

test_expect_success "kill -9, $FAULT_ROUNDS times, under load" '
	python3 "$FAULTS_DIR/lib-killer.py" "$LIFEBELT_HOME" "$(cat supervisor.pid)" \
		"$FAULT_ROUNDS" "$FAULT_SEED" &&
	cat kills.count
'

test_expect_success 'the pushers finish' '
	wait_pushers
'

# Everything restarted: a fresh serve reconciles at its start; a push is left
# to its hook for RECONCILE_GRACE seconds, so the last ones wait that long.
test_expect_success 'restarted, with the reconciler past its grace, all is graded' '
	serve_stop && rm serve.stop &&
	sleep 31 &&
	lifebelt reconcile >reconcile.out &&
	cat reconcile.out &&
	serve_supervised --workers 2 &&
	wait_graded 180 &&
	serve_stop
'

test_expect_success 'the load was real: pushes acknowledged over SSH and HTTPS, kills of each kind' '
	grep -q " ssh$" acked && grep -q " http$" acked &&
	! awk '"'"'$1 != "missed" && $2 == 0'"'"' kills.count | grep .
'
test_expect_success 'every accepted ref update has exactly one submission' 'check_submissions'
test_expect_success 'every push git reported as successful is there' 'check_acked'
test_expect_success 'every submission is graded exactly once' 'check_graded_once'
test_expect_success 'PRAGMA integrity_check is clean' 'check_integrity'
test_expect_success 'git fsck is clean' 'check_fsck'
test_expect_success 'no process, mount or cgroup of a killed job is left' 'check_leftovers'

# A place for more checks of the data directory as a whole (a consistency
# check of its own, a backup and restore round trip) once the product has them.
if test -n "${FAULT_HOME_CHECK:-}"; then
	test_expect_success "$FAULT_HOME_CHECK" '$FAULT_HOME_CHECK'
fi

# The figures, on stderr too, where prove shows them.
figure() { say "$*"; echo "faults: $*" >&2; }
kills=$(awk '$1 != "missed" { n += $2 } END { print n + 0 }' kills.count 2>/dev/null)
figure "kills survived: $kills ($(grep -v missed kills.count 2>/dev/null | tr '\n' ',' | sed 's/,$//; s/,/, /g'))"
figure "pushes acknowledged: $(wc -l <acked), found: $(while read -r l s v; do
	test "$(db "SELECT count(*) FROM submissions WHERE commit_id = '$s'")" = 1 && echo; done <acked | wc -l)," \
	"refused or broken off: $(wc -l <refused)"
figure "submissions: $(db "SELECT count(*) FROM submissions"), graded exactly once: $(db "SELECT count(*) FROM jobs
	WHERE state = 'done'"), superseded unstarted: $(db "SELECT count(*) FROM jobs WHERE state = 'superseded'")," \
	"recorded by the reconciler: $(db "SELECT count(*) FROM submissions WHERE via = 'reconciled'")"
test_done
