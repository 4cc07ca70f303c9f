#!/bin/sh
test_description='the grading scripts of the end-to-end suite pass with every job graded through Slurm'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/slurm/lib-slurm.sh"

test_expect_success 'setup: a one-node cluster on 127.0.0.1' '
	slurm_up
'

# The jobs Slurm has seen (it keeps finished ones for MinJobAge).
seen() {
	scontrol show job -o 2>/dev/null | grep -c "JobName=lb-" || true
}

# Scripts about grading: their expected verdicts are the local executor's.
for t in t3000-runner-basic t3001-runner-hostile t3005-runner-checkout t3010-runner-overlay-links \
	t3012-runner-hidden-last t3013-runner-interpreters t3030-runner-skipped t3035-runner-case-details \
	t3040-framework-pytest \
	t3090-classroom-workflow t3091-classroom-workflow-files; do
	test_expect_success "$t with runner.executor slurm" '
		before=$(seen) &&
		LIFEBELT_TEST_EXECUTOR=slurm sh "$SRC_ROOT/tests/e2e/$t.sh" >"$t.log" 2>&1 ||
		{ grep -A10 "^not ok" "$t.log"; false; } &&
		test "$(seen)" -gt "$before" &&
		test -z "$(slurm_jobs)"
	'
done

test_done
