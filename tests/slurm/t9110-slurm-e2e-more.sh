#!/bin/sh
test_description='the grading scripts of the end-to-end suite pass with every job graded through Slurm (the second half)'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/slurm/lib-slurm.sh"
. "$SRC_ROOT/tests/slurm/lib-e2e.sh"

test_expect_success 'setup: a one-node cluster on 127.0.0.1' '
	slurm_up
'

slurm_e2e_run 2 2

test_done
