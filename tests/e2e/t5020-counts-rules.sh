#!/bin/sh
test_description='which submission counts: latest, best, best-after-penalty and chosen, from real pushes graded by the runner'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

# A submission scores one point for each of the files a, b and c holding "ok".
cat >tests.json <<\JSON
{ "build": "true",
  "tests": [ { "name": "a", "run": "grep -q ok a", "points": 1 },
             { "name": "b", "run": "grep -q ok b", "points": 1 },
             { "name": "c", "run": "grep -q ok c", "points": 1 } ] }
JSON

# push LOGIN ASSIGNMENT POINTS WHEN [PUSH OPTIONS...]: commit work worth POINTS
# and push it, on time (WHEN=ontime, received before the due time) or late;
# prints the submission's id.
push() {
	login=$1 hw=$2 points=$3 when=$4
	shift 4
	test -d "$login-$hw" || git clone -q "$LIFEBELT_HOME/repos/c1/$hw/$login.git" "$login-$hw" 2>/dev/null || return 1
	for f in a b c; do
		if test $points -gt 0; then echo ok >"$login-$hw/$f"; else echo no >"$login-$hw/$f"; fi
		points=$((points - 1))
	done
	echo "$(date +%s%N)" >"$login-$hw/stamp" &&
	git -C "$login-$hw" add -A && git -C "$login-$hw" commit -q -m "work" &&
	if test "$when" = ontime; then
		LIFEBELT_RECEIVED=$(( $(date +%s) - 100 )) git -C "$login-$hw" push "$@" origin HEAD:main 2>"$login-$hw.err"
	else
		git -C "$login-$hw" push "$@" origin HEAD:main 2>"$login-$hw.err"
	fi &&
	sed -n "s/^remote: submission \([0-9]*\) for c1\/$hw received.*/\1/p" "$login-$hw.err"
}

# grade LOGIN ASSIGNMENT: score,raw_score,counted_submission from the CSV export.
grade() {
	lifebelt grades c1 "$2" --csv | grep "^$1," | cut -d, -f4,5,12
}

test_expect_success 'setup: four assignments due a minute ago, one rule each, 50% off per late day' '
	lifebelt init >/dev/null && lifebelt course add c1 >/dev/null &&
	lifebelt student add c1 alice >/dev/null && lifebelt student add c1 bob >/dev/null &&
	mkdir tests && cp tests.json tests/lifebelt.json &&
	due=$(iso_in -60) &&
	lifebelt assignment add c1 latest --tests tests --due "$due" --late-penalty 50 >/dev/null &&
	lifebelt assignment add c1 best --tests tests --due "$due" --late-penalty 50 --counts best >/dev/null &&
	lifebelt assignment add c1 bap --tests tests --due "$due" --late-penalty 50 \
		--counts best-after-penalty >/dev/null &&
	lifebelt assignment add c1 chosen --tests tests --due "$due" --late-penalty 50 --counts chosen >out &&
	test_grep "assignment c1/chosen created" out &&
	test "$(db "SELECT group_concat(counts, \" \") FROM (SELECT counts FROM assignments ORDER BY id)")" = \
		"latest best best-after-penalty chosen"
'

test_expect_success 'alice: 2 points on time, then 3 late, then 1 late; only latest supersedes queued jobs' '
	for hw in latest best bap chosen; do
		push alice $hw 2 ontime >$hw.1 && push alice $hw 3 late >$hw.2 && push alice $hw 1 late >$hw.3 &&
		test -s $hw.1 && test -s $hw.3 || return 1
	done &&
	test_grep "LATE by" alice-latest.err &&
	lifebelt runner --drain 2>runner.err &&
	db "SELECT a.name, j.state, count(*) FROM jobs j JOIN assignments a ON a.id = j.assignment_id
		GROUP BY 1, 2 ORDER BY a.id, 2" >states &&
	cat >expect <<-\EOF &&
	latest|done|1
	latest|superseded|2
	best|done|3
	bap|done|3
	chosen|done|3
	EOF
	test_cmp expect states
'

test_expect_success 'latest counts the last one: 1 point, halved' '
	test "$(grade alice latest)" = "0.5,1,$(cat latest.3)"
'

test_expect_success 'best counts the highest before the penalty: 3 points, halved' '
	test "$(grade alice best)" = "1.5,3,$(cat best.2)"
'

test_expect_success 'best-after-penalty counts the 2 points on time over 3 late' '
	test "$(grade alice bap)" = "2,2,$(cat bap.1)"
'

test_expect_success 'chosen, with nothing chosen, counts the latest' '
	test "$(grade alice chosen)" = "0.5,1,$(cat chosen.3)"
'

test_expect_success 'git push -o submit chooses the pushed submission and says which counts' '
	push bob chosen 3 ontime >bob.1 &&
	push bob chosen 1 ontime -o submit >bob.2 &&
	test_grep "remote: submission $(cat bob.2) is your choice for c1/chosen: it counts once it is graded" bob-chosen.err &&
	! grep "push option" bob-chosen.err &&
	push bob chosen 2 ontime >bob.3 &&
	lifebelt runner --drain 2>runner.err &&
	test "$(grade bob chosen)" = "1,1,$(cat bob.2)"
'

test_expect_success 'a submit tag chooses the latest submission of its commit; an annotated one too' '
	git -C bob-chosen tag submit HEAD~2 &&
	git -C bob-chosen push origin submit 2>tag.err &&
	test_grep "remote: submission $(cat bob.1) now counts for c1/chosen (your choice)" tag.err &&
	test "$(grade bob chosen)" = "3,3,$(cat bob.1)" &&
	git -C bob-chosen tag -a submit-2 -m "this one" HEAD &&
	git -C bob-chosen push origin submit-2 2>tag.err &&
	test_grep "remote: submission $(cat bob.3) now counts for c1/chosen (your choice)" tag.err &&
	test "$(grade bob chosen)" = "2,2,$(cat bob.3)"
'

test_expect_success 'a submit tag on a commit never submitted chooses nothing and says so' '
	commit_in bob-chosen unsent &&
	git -C bob-chosen tag submit-3 &&
	git -C bob-chosen push origin submit-3 2>tag.err &&
	test_grep "remote: refs/tags/submit-3: commit [0-9a-f]* was never submitted, so nothing was chosen" tag.err &&
	test "$(grade bob chosen)" = "2,2,$(cat bob.3)"
'

test_expect_success 'a choice under another rule is kept, and the push says it does not count' '
	push bob best 1 ontime -o submit >/dev/null &&
	test_grep "chosen; c1/best counts your best submission, so your choice counts only if" bob-best.err
'

test_expect_success 'counted rows after a regrade are what a recount from scratch gives' '
	lifebelt regrade c1 best --no-wait >/dev/null &&
	lifebelt regrade c1 chosen --no-wait >/dev/null &&
	lifebelt runner --drain 2>runner.err &&
	db "SELECT * FROM counted ORDER BY assignment_id, person_id" >after-regrade &&
	test "$(db "SELECT count(*) FROM counted c WHERE job_id != (SELECT max(id) FROM jobs WHERE submission_id = c.submission_id)")" = 0 &&
	for hw in latest best bap chosen; do lifebelt recount c1 $hw >/dev/null || return 1; done &&
	db "SELECT * FROM counted ORDER BY assignment_id, person_id" >recounted &&
	test_cmp after-regrade recounted &&
	test "$(grade alice best)" = "1.5,3,$(cat best.2)" &&
	test "$(grade bob chosen)" = "2,2,$(cat bob.3)"
'

test_done
