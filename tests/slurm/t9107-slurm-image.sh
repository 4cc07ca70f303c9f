#!/bin/sh
test_description='an assignment image on the nodes: its tree there is the sandbox; a node without it says so'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/slurm/lib-slurm.sh"
. "$SRC_ROOT/tests/e2e/lib-image.sh"

test_expect_success 'setup: a cluster whose node shares the data directory, an image and an assignment in it' '
	slurm_up &&
	slurm_course &&
	make_tiny_image L t on-the-node &&
	lifebelt image add tiny oci:L:t >/dev/null &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "image": "tiny",
	  "build": "cat /srv/marker >built",
	  "limits": { "memory_mb": 32, "processes": 16 },
	  "tests": [
	    { "name": "marker", "run": "cat built /etc/image-marker", "output": "on-the-node\non-the-node", "points": 1 },
	    { "name": "no gcc", "run": "test ! -e /usr/bin/gcc && echo none", "output": "none", "points": 1 }
	  ] }
	JSON
	lifebelt assignment add c1 hw --tests tests --due 2030-01-01T00:00:00Z &&
	echo x >sub/x
'

test_expect_success 'graded in the image on the node: the image'"'"'s files, not the host'"'"'s' '
	push alice &&
	lifebelt runner --drain >runner.log 2>&1 &&
	test "$(db "SELECT status, score FROM jobs")" = "passed|2.0" &&
	db "SELECT provenance FROM jobs" >prov &&
	test_grep "\"node\":{\"kind\":\"bwrap\",\"root\":\"image\"" prov &&
	test -z "$(slurm_jobs)" && test -z "$(node_leftovers)"
'

test_expect_success 'a node whose data directory lacks the image: an infrastructure fault naming it, never a score' '
	mkdir other-home &&
	cat >node-lifebelt <<-EOF &&
	#!/bin/sh
	LIFEBELT_HOME=$TRASH_DIRECTORY/other-home exec lifebelt "\$@"
	EOF
	chmod +x node-lifebelt &&
	lifebelt config set slurm.command "$TRASH_DIRECTORY/node-lifebelt" &&
	echo y >sub/x &&
	push alice &&
	job=$(db "SELECT max(id) FROM jobs") &&
	lifebelt runner --drain >runner2.log 2>&1 &&
	test "$(db "SELECT state, score IS NULL FROM jobs WHERE id = $job")" = "infra_error|1" &&
	db "SELECT error FROM jobs WHERE id = $job" >err &&
	test_grep "^node-exec: .*: the assignment.s image is not on this node" err &&
	test_grep "node-exec: .*: the assignment.s image is not on this node: .*other-home/images/[0-9a-f]*/rootfs is missing" runner2.log &&
	test "$(db "SELECT count(*) FROM results WHERE job_id = $job")" = 0
'

test_done
