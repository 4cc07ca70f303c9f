#!/bin/sh
test_description='the teacher'"'"'s files go into the checkout without following anything the student committed'
. "$(dirname "$0")/test-lib.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

# wait_done JOB: until the running runner has graded JOB (60 s at most).
wait_done() {
	i=0
	until test "$(db "SELECT state FROM jobs WHERE id = $1")" = done; do
		i=$((i + 1)) && test $i -lt 600 && sleep 0.1 || return 1
	done
}

test_expect_success 'set up an assignment whose teacher files land in three places' '
	lifebelt init &&
	lifebelt course add c1 &&
	lifebelt student add c1 mallory &&
	mkdir -p tests/tests tests/lib/deep tests/data &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "files": ["check.sh", "tests/inner.sh", "lib/deep/x.sh", "data/"],
	  "tests": [
	    { "name": "top", "run": "sh check.sh", "output": "top-ok" },
	    { "name": "inner", "run": "sh tests/inner.sh", "output": "inner-ok" },
	    { "name": "deep", "run": "sh lib/deep/x.sh", "output": "deep-ok" },
	    { "name": "data", "run": "cat data/d.txt", "output": "data-ok" },
	    { "name": "no links", "run": "test ! -L check.sh && test ! -L tests && test ! -L tests/inner.sh && test ! -L lib/deep/x.sh && test ! -L data && echo fine", "output": "fine" }
	  ] }
	JSON
	echo "echo top-ok" >tests/check.sh &&
	echo "echo inner-ok" >tests/tests/inner.sh &&
	echo "echo deep-ok" >tests/lib/deep/x.sh &&
	echo data-ok >tests/data/d.txt &&
	lifebelt assignment add c1 h --tests tests --due 2030-01-01T00:00:00Z &&
	echo "the canary" >canary &&
	mkdir outside &&
	echo "echo outside" >outside/inner.sh &&
	git clone -q "$LIFEBELT_HOME/repos/c1/h/mallory.git" m 2>/dev/null
'

test_expect_success 'symlinks planted on the copy'"'"'s names and paths write nothing outside the checkout' '
	test_bg lifebelt runner --workers 1 &&
	runner=${test_bg_pids##* } &&
	echo $runner >runner-pid &&
	canary_before=$(sha256sum <canary) &&
	outside_before=$(ls -la outside; cat outside/*) &&
	(cd m &&
	 # the runner (one worker: its own pid) would write NAME.tmp.PID; a range in case it forks
	 for p in $(seq $((runner - 3)) $((runner + 40))); do
		ln -s "$TRASH_DIRECTORY/canary" check.sh.tmp.$p &&
		mkdir -p lib/deep data &&
		ln -s "$TRASH_DIRECTORY/made-$p" lib/deep/x.sh.tmp.$p &&
		ln -s "$TRASH_DIRECTORY/canary" data.tmp.$p || exit 1
	 done &&
	 ln -s "$TRASH_DIRECTORY/canary" check.sh &&
	 ln -s "$TRASH_DIRECTORY/outside" tests &&
	 ln -s "$TRASH_DIRECTORY/canary" lib/deep/x.sh &&
	 ln -s "$TRASH_DIRECTORY/canary" data/d.txt &&
	 git add -A && git commit -q -m links && git push -q origin HEAD:main) 2>/dev/null &&
	job=$(db "SELECT max(id) FROM jobs") &&
	wait_done $job &&
	test "$(sha256sum <canary)" = "$canary_before" &&
	test "$(ls -la outside; cat outside/*)" = "$outside_before" &&
	! ls "$TRASH_DIRECTORY" | grep "^made-" &&
	db "SELECT name, verdict FROM results WHERE job_id = $job ORDER BY seq" >actual &&
	cat >expect <<-\EOF &&
	top|pass
	inner|pass
	deep|pass
	data|pass
	no links|pass
	EOF
	test_cmp expect actual
'

test_expect_success 'a directory of the student'"'"'s in the way is replaced, its planted names too' '
	canary_before=$(sha256sum <canary) &&
	runner=$(cat runner-pid) &&
	(cd m && git rm -q -r . >/dev/null &&
	 mkdir -p tests data/d.txt &&
	 for p in $(seq $((runner - 3)) $((runner + 40))); do
		ln -s "$TRASH_DIRECTORY/canary" tests/inner.sh.tmp.$p || exit 1
	 done &&
	 ln -s "$TRASH_DIRECTORY/canary" tests/inner.sh &&
	 ln -s "$TRASH_DIRECTORY/canary" data/d.txt/inside &&
	 echo "student file" >check.sh &&
	 git add -A && git commit -q -m dirs && git push -q origin HEAD:main) 2>/dev/null &&
	job=$(db "SELECT max(id) FROM jobs") &&
	wait_done $job &&
	test "$(sha256sum <canary)" = "$canary_before" &&
	test "$(db "SELECT status, score, max_score FROM jobs WHERE id = $job")" = "passed|5.0|5.0"
'

test_done
