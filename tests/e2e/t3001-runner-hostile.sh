#!/bin/sh
test_description='hostile submissions get the right verdict within their limits and harm nothing'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hostile.sh"

test_done
