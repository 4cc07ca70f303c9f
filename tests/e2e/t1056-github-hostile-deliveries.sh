#!/bin/bash
test_description='github: a payload naming another server is never fetched from; a token refused in the middle of a fetch is retried, never a score; the token is on no page, log, command line or database row'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"
. "$TEST_DIRECTORY/lib-github.sh"
. "$TEST_DIRECTORY/lib-github-git.sh"

GH_SECRET="the course's webhook secret, $$"
db() { sqlite3 -cmd ".timeout 10000" "$DB" "$@"; }

# elsewhere: every request the payloads' other server got, one a line.
elsewhere() {
	grep -h '"[A-Z]* /' elsewhere.log || true
}

# hostile FILE URL: every address in the payload FILE points at URL instead.
hostile() {
	python3 - "$1" "$2" <<-\PY
	import json, sys
	path, url = sys.argv[1], sys.argv[2]
	p = json.load(open(path))
	for k in ("url", "html_url", "git_url", "ssh_url", "clone_url", "svn_url", "mirror_url",
	          "hooks_url", "contents_url"):
	    p["repository"][k] = url
	p["compare"] = url
	json.dump(p, open(path, "w"))
	PY
}

graded() {
	test "$(db "SELECT j.state FROM jobs j JOIN submissions s ON s.id = j.submission_id
		WHERE s.commit_id = '$1' ORDER BY j.id DESC LIMIT 1")" = done
}

web_home &&
printf '%s\n' "$GH_SECRET" | lifebelt github secret - >/dev/null &&
gh_start && lifebelt github token "$TRASH_DIRECTORY/gh-token" >/dev/null &&
lifebelt github link c1 hw1 alice octo/hw1-alice >/dev/null &&
mkdir empty && EPORT=$(test_free_port) &&
test_bg python3 -m http.server "$EPORT" --bind 127.0.0.1 --directory empty >/dev/null 2>elsewhere.log &&
test_wait_port "$EPORT" &&
test_bg lifebelt serve --workers 1 --listen "127.0.0.1:$WEB_PORT" 2>"$TRASH_DIRECTORY/serve.log" &&
test_wait_port "$WEB_PORT" ||
	{ echo "Bail out! cannot set up the course, the GitHub stand-in, another server and lifebelt serve"; exit 1; }

test_expect_success 'the other server logs what it is asked' '
	curl -s -o /dev/null "http://127.0.0.1:$EPORT/probe.git/info/refs" &&
	test_grep "GET /probe.git/info/refs" elsewhere.log &&
	: >elsewhere.log
'

test_expect_success 'a payload whose addresses point elsewhere: fetched from the mapping, never from there' '
	gh_git_push octo/hw1-alice "int main(void) { return 0; }" && echo $GH_COMMIT >c1 &&
	gh_push p1.json octo/hw1-alice refs/heads/main $GH_COMMIT $(date +%s) &&
	hostile p1.json "http://127.0.0.1:$EPORT/evil/hw1-alice.git" &&
	test_grep "127.0.0.1:$EPORT/evil" p1.json &&
	test "$(gh_send push h1 p1.json)" = 202 &&
	test_grep "^queued: refs/heads/main $GH_COMMIT of octo/hw1-alice" resp.txt &&
	gh_wait_status h1 done &&
	test_wait_until graded $GH_COMMIT &&
	test_grep "GET /octo/hw1-alice.git/info/refs" gh.log &&
	test -z "$(elsewhere)" &&
	! grep -F "$EPORT" serve.log
'

test_expect_success 'an unmapped repository pointing at a mapped one: 202, ignored with the reason logged, nothing fetched' '
	requests=$(wc -l <gh.log) &&
	gh_push p2.json octo/not-a-student refs/heads/main $(cat c1) $(date +%s) &&
	hostile p2.json "http://127.0.0.1:$GH_PORT/octo/hw1-alice.git" &&
	test "$(gh_send push h2 p2.json)" = 202 &&
	test_grep "^ignored: octo/not-a-student is not mapped to a student repository" resp.txt &&
	test_grep "github delivery h2 (push): 202 ignored: octo/not-a-student is not mapped" serve.log &&
	test "$(db "SELECT status FROM deliveries WHERE guid = '\''h2'\''")" = ignored &&
	sleep 1 &&
	test $(wc -l <gh.log) = $requests &&
	test -z "$(elsewhere)"
'

test_expect_success 'a token refused in the middle of a fetch: retried with backoff, listed, never a score' '
	gh_git_push octo/hw1-alice "int main(void) { return 1; }" && echo $GH_COMMIT >c2 &&
	gh_push p3.json octo/hw1-alice refs/heads/main $GH_COMMIT $(date +%s) &&
	refs=$(grep -c "^GET /octo/hw1-alice.git/info/refs.* 200" gh.log) &&
	: every request to GitHub now waits a second first, so the token can expire in between &&
	touch "$GH_ROOT/slow" &&
	test "$(gh_send push h3 p3.json)" = 202 &&
	now=$(date +%s) &&
	for i in 1 2 3 4 5 6 7 8; do ps -eo args >>ps.txt; sleep 0.1; done &&
	test_wait_until eval "test \$(grep -c \"^GET /octo/hw1-alice.git/info/refs.* 200\" gh.log) -gt $refs" &&
	echo ghp_the_next_token_0123456789abcdefNEW >"$TRASH_DIRECTORY/gh-token" &&
	gh_wait_status h3 retry &&
	rm "$GH_ROOT/slow" &&
	test_grep "^POST /octo/hw1-alice.git/git-upload-pack 401" gh.log &&
	db "SELECT attempts, next_attempt - $now >= 9, detail FROM deliveries WHERE guid = '\''h3'\''" >row &&
	test_grep "^1|1|cannot fetch octo/hw1-alice.*token was refused" row &&
	lifebelt github deliveries >list &&
	test_grep " h3 .*retry.*token was refused" list &&
	test "$(db "SELECT count(*) FROM submissions WHERE commit_id = '\''$GH_COMMIT'\''")" = 0 &&
	test "$(db "SELECT count(*) FROM jobs j JOIN submissions s ON s.id = j.submission_id
		WHERE s.commit_id = '\''$GH_COMMIT'\''")" = 0
'

test_expect_success 'with a token GitHub takes again, the same delivery is fetched and graded' '
	echo ghp_the_next_token_0123456789abcdefNEW >next-token &&
	lifebelt github token next-token >/dev/null &&
	db "UPDATE deliveries SET next_attempt = 0 WHERE guid = '\''h3'\''" &&
	gh_wait_status h3 done &&
	test_wait_until graded $(cat c2) &&
	test "$(db "SELECT count(*) FROM submissions WHERE commit_id = '\''$(cat c2)'\''")" = 1
'

test_expect_success 'neither token is on a page, in a log, a command line, or anywhere in the data directory but its file' '
	web_token alice &&
	test "$(web_get "$alice_link")" = 200 && cat out.html >pages &&
	sid=$(db "SELECT id FROM submissions WHERE commit_id = '\''$(cat c2)'\''") &&
	test "$(web_get "$alice_link/s/$sid")" = 200 && cat out.html >>pages &&
	test "$(web_get "$alice_link/s/$sid/log")" = 200 && cat out.html >>pages &&
	cookie=$(curl -s -D - -o /dev/null -d "login=tom&token=$tom_token" "$WEB/login" |
		sed -n "s/^Set-Cookie: \([^;]*\);.*/\1/p" | tr -d "\r") &&
	for p in /t/ /t/c1/hw1/ /t/c1/hw1/u/alice /t/c1/hw1/grades.csv; do
		test "$(web_get $p -b "$cookie")" = 200 && cat out.html >>pages || return 1
	done &&
	test_grep "octo/hw1-alice" pages &&
	lifebelt github deliveries >>cli.txt && lifebelt github status c1 hw1 >>cli.txt &&
	lifebelt submissions c1 hw1 >>cli.txt &&
	for t in "$GH_TOKEN" ghp_the_next_token_0123456789abcdefNEW; do
		! grep -F "$t" pages cli.txt ps.txt serve.log gh.log elsewhere.log || return 1
	done &&
	: the database file and its WAL too, byte for byte &&
	test "$(grep -rlF "$GH_TOKEN" "$LIFEBELT_HOME")" = "" &&
	test "$(grep -rlF ghp_the_next_token_0123456789abcdefNEW "$LIFEBELT_HOME")" = "$LIFEBELT_HOME/github/token" &&
	! grep -E "Sanitizer|runtime error" serve.log
'

test_done
