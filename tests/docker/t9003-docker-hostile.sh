#!/bin/sh
test_description='hostile submissions in the Docker executor get the verdicts they get in the sandbox'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/docker/lib-docker.sh"
. "$SRC_ROOT/tests/e2e/lib-image.sh"

# t3104's image (busybox, curl, python3; no compiler: the C submission is a
# static binary), handed to Docker; the submissions and verdicts are t3001's.
HOSTILE_IMAGE=lifebelt-test-hostile:$$ HOSTILE_EXECUTOR=docker HOSTILE_PROG=static
test_expect_success 'setup: dockerd and the image' '
	docker_up &&
	make_tools_image L t &&
	skopeo copy -q oci:L:t "docker-daemon:$HOSTILE_IMAGE"
'
. "$SRC_ROOT/tests/e2e/lib-hostile.sh"

test_expect_success 'no container is left' '
	test -z "$(lifebelt_containers)" &&
	docker rmi "$HOSTILE_IMAGE" >/dev/null
'

test_done
