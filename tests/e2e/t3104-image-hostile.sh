#!/bin/sh
test_description='hostile submissions in an assignment image get the verdicts they get on the host'"'"'s root'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-image.sh"

# An image with busybox, curl and python3 (no compiler: the C submission
# is a static binary); the submissions and verdicts are t3001's.
make_tools_image L t >image.log 2>&1 || echo "Bail out! cannot make the image: $(tail -1 image.log)"
HOSTILE_IMAGE=tools HOSTILE_IMAGE_SOURCE=oci:L:t HOSTILE_PROG=static
. "$TEST_DIRECTORY/lib-hostile.sh"

test_done
