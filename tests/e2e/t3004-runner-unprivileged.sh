#!/bin/sh
test_description='without root the sandbox still isolates, with a sandbox per step and rlimits only'
. "$(dirname "$0")/test-lib.sh"

as_nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups "$@"; }

test_expect_success 'set up tests readable by anyone' '
	mkdir -p tests sub &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "limits": { "wall_seconds": 1 },
	  "tests": [ { "name": "echo", "run": "cat", "input": "hi\n", "output": "hi" },
	             { "name": "exit 1 is the command'"'"'s", "run": "exit 1" },
	             { "name": "sleep", "run": "sleep 30" },
	             { "name": "alone", "run": "ls /; id -u", "output": "65534", "comparison": "included" },
	             { "name": "read-only", "output": "tmp-shm",
	               "run": "for d in / /dev /usr; do touch $d/x 2>/dev/null && echo $d; done; touch /tmp/x /dev/shm/x && echo tmp-shm" } ] }
	JSON
	chmod -R a+rX . &&
	chmod a+rx "$TRASH_DIRECTORY"
'

# (The local sandbox without root: with no data directory, try grades here.)
test_expect_success LOCAL_EXECUTOR 'lifebelt try as an ordinary user' '
	as_nobody lifebelt try tests sub >out 2>err &&
	cat out &&
	test_grep "\"sandbox_per\":\"step\"" out &&
	test_grep "\"workdir\":\"directory\"" out &&
	test_grep "\"cgroup\":{\"version\":0" out &&
	test_grep "^pass  *echo" out &&
	test_grep "^fail  *exit 1 is the command.s" out &&
	test_grep "^wall_limit  *sleep" out &&
	test_grep "^pass  *alone" out &&
	test_grep "^pass  *read-only" out
'

test_done
