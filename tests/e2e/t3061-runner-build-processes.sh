#!/bin/sh
test_description='a build stopped by the process limit says so in the build log, as a test does'
. "$(dirname "$0")/test-lib.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

# assignment NAME PROCESSES: ann's parallel make (20 recipes at once, two processes each) as its build.
assignment() {
	mkdir "$1" &&
	cat >"$1/lifebelt.json" <<-JSON &&
	{ "build": "make -j20",
	  "limits": { "processes": $2, "wall_seconds": 10 },
	  "tests": [ { "name": "built", "run": "cat all", "output": "built" } ] }
	JSON
	lifebelt assignment add c1 "$1" --tests "$1" --due 2030-01-01T00:00:00Z &&
	git -C m push -q "$LIFEBELT_HOME/repos/c1/$1/ann.git" HEAD:main 2>/dev/null
}

test_expect_success 'set up a build that is a real parallel make, with 16 processes and with 64' '
	lifebelt init &&
	lifebelt course add c1 &&
	lifebelt student add c1 ann &&
	git init -q m &&
	{
		printf "PARTS = \$(shell seq 40)\nall: \$(PARTS)\n\techo built >all\n" &&
		printf "\$(PARTS):\n\tsleep 1; touch \$@\n"
	} >m/Makefile &&
	(cd m && git add Makefile && git commit -q -m parts) &&
	assignment few 16 &&
	assignment enough 64 &&
	lifebelt runner --drain 2>runner.log
'

# job ASSIGNMENT: the id of ann's job on it.
job() {
	db "SELECT j.id FROM jobs j JOIN assignments a ON a.id = j.assignment_id WHERE a.name = '$1'"
}

test_expect_success 'a build that the process limit stops fails, and its log names the limit' '
	job=$(job few) &&
	test "$(db "SELECT state, status FROM jobs WHERE id = $job")" = "done|build_failed" &&
	db "SELECT build_log FROM jobs WHERE id = $job" >log &&
	cat log &&
	grep -e "Resource temporarily unavailable" -e "Cannot fork" log &&   # make'"'"'s, or a recipe'"'"'s shell'"'"'s
	test_grep "^\[build failed: non-zero exit status; the process limit (16) refused a fork\]\$" log
'

test_expect_success 'with processes enough, the same build passes' '
	job=$(job enough) &&
	test "$(db "SELECT state, status FROM jobs WHERE id = $job")" = "done|passed"
'

test_done
