#!/bin/sh
test_description='checkout: raw blobs, no attributes, filters, hooks or submodules; caps on size and files'
. "$(dirname "$0")/test-lib.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

test_expect_success 'set up' '
	lifebelt init &&
	lifebelt course add c1 &&
	lifebelt student add c1 sam &&
	mkdir tests &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "limits": { "files": 50 },
	  "tests": [ { "name": "t", "run": "sh check.sh", "output": "ok" } ] }
	JSON
	lifebelt assignment add c1 a --tests tests --due 2030-01-01T00:00:00Z &&
	git clone -q "$LIFEBELT_HOME/repos/c1/a/sam.git" w 2>/dev/null
'

test_expect_success 'attributes, filters and submodules do nothing; the bytes are the commit'"'"'s' '
	(
		cd w &&
		printf "* text eol=crlf filter=evil\n" >.gitattributes &&
		printf "line\n" >data.txt &&
		cat >check.sh <<-\EOF &&
		test "$(od -An -c data.txt | tr -d " ")" = "line\\n" || echo "data.txt was converted"
		test -e .git && echo ".git exists"
		test -e pwned && echo "the filter ran"
		test -n "$(ls -A sub 2>/dev/null)" && echo "the submodule was fetched"
		echo ok
		EOF
		git config filter.evil.smudge "touch pwned; cat" &&
		git add -A &&
		git update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,sub &&
		git commit -q -m attrs &&
		git push -q origin HEAD:main 2>/dev/null
	) &&
	lifebelt runner --drain &&
	job=$(db "SELECT max(id) FROM jobs") &&
	db "SELECT verdict, output FROM results WHERE job_id = $job" >out &&
	test_grep "^pass|ok" out &&
	! grep -e converted -e exists -e "filter ran" -e fetched out &&
	test ! -e "$LIFEBELT_HOME/pwned"
'

test_expect_success 'the build log the student sees names the submodule left out' '
	job=$(db "SELECT max(id) FROM jobs") &&
	db "SELECT build_log FROM jobs WHERE id = $job" >log &&
	test_grep "^submodule sub is not graded: its files are not in this repository; commit them instead" log
'

test_expect_success 'a commit with more files than the cap is refused as a build failure, not retried' '
	(
		cd w &&
		mkdir many && i=0 &&
		while test $i -lt 60; do echo $i >many/f$i; i=$((i + 1)); done &&
		git add -A && git commit -q -m many && git push -q origin HEAD:main 2>/dev/null
	) &&
	lifebelt runner --drain &&
	job=$(db "SELECT max(id) FROM jobs") &&
	test "$(db "SELECT state, status, attempts FROM jobs WHERE id = $job")" = "done|build_failed|1" &&
	db "SELECT detail FROM results WHERE job_id = $job" >out &&
	test_grep "more than 50 files" out
'

test_done
