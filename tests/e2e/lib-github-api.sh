# lib-github-api.sh: a stand-in for GitHub's REST API (lib-github-api.py) and
# mirrored submissions, for the commit status tests; sourced after lib-web.sh.

# gh_api_start [ARGS...]: start the stand-in with ARGS (see lib-github-api.py)
# and point github.api_url at it; sets GH_API.
gh_api_start() {
	rm -f gh-api.port
	test_bg python3 "$TEST_DIRECTORY/lib-github-api.py" --port-file "$TRASH_DIRECTORY/gh-api.port" \
		"$@" 2>"$TRASH_DIRECTORY/gh-api.log"
	test_wait_until test -s gh-api.port &&
	GH_API=http://127.0.0.1:$(cat gh-api.port) &&
	lifebelt config set github.api_url "$GH_API" >/dev/null
}

# gh_requests: what the stand-in received, one line per request:
# METHOD PATH|AUTH|STATUS|state|description|target_url|context
gh_requests() {
	curl -sf "$GH_API/_standin/received" | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    b = r.get("body") if isinstance(r.get("body"), dict) else {}
    print("|".join(str(x) for x in (r["method"] + " " + r["path"], r["auth"], r["status"],
        b.get("state", ""), b.get("description", ""), b.get("target_url", ""), b.get("context", ""))))
'
}

# gh_statuses: the statuses the stand-in took: SHA|state|description|target_url
gh_statuses() {
	gh_requests | awk -F"|" '$1 ~ /^POST \/repos\/.*\/statuses\// && $3 == 201 {
		n = split($1, p, "/"); print p[n] "|" $4 "|" $5 "|" $6 }'
}

# gh_wait_status SHA STATE: wait until the stand-in took STATE for SHA.
gh_has_status() {
	gh_statuses | grep -q "^$1|$2|"
}
gh_wait_status() {
	test_wait_until gh_has_status "$1" "$2"
}

# gh_fail N STATUS: the stand-in fails its next N API requests with STATUS.
gh_fail() {
	curl -sf -d "{\"count\": $1, \"status\": $2}" "$GH_API/_standin/fail" >/dev/null
}

# gh_mirror_push LOGIN MESSAGE [FILE CONTENT]: a submission of LOGIN's that
# came from GitHub, mapped to the GitHub repository octo-org/hw1-LOGIN.
# Until the mirror records them itself, it is made as the post-receive
# hook makes any submission (a real push to LOGIN's repository), then
# marked as the mirror marks its own: via 'webhook', in a repository with
# a github_repo. Prints the commit to LOGIN.sha.
gh_mirror_push() {
	web_push "$@" &&
	git -C "work-$1" rev-parse HEAD >"$1.sha" &&
	sqlite3 -cmd ".timeout 10000" "$DB" "
		UPDATE repos SET github_repo = 'octo-org/hw1-$1' WHERE path = 'c1/hw1/$1.git';
		UPDATE submissions SET via = 'webhook' WHERE commit_id = '$(cat "$1.sha")';"
}

# gh_home: like web_home, with an assignment whose two tests pass for a
# main.c that says "good" (score 2/2) and whose second fails otherwise (1/2).
gh_home() {
	WEB_PORT=$(test_free_port)
	WEB=http://127.0.0.1:$WEB_PORT
	mkdir -p tests-hw1 &&
	cat >tests-hw1/lifebelt.json <<-\JSON &&
	{ "build": "true", "tests": [
	  { "name": "runs", "run": "true", "points": 1 },
	  { "name": "is good", "run": "grep -q good main.c", "points": 1 } ] }
	JSON
	lifebelt init >/dev/null &&
	lifebelt config set web.url "$WEB" >/dev/null &&
	lifebelt course add c1 >/dev/null &&
	lifebelt assignment add c1 hw1 --tests tests-hw1 --due 2099-01-01T00:00:00Z >/dev/null &&
	lifebelt student add c1 alice --name "Alice A" >/dev/null &&
	lifebelt student add c1 bob --name "Bob B" >/dev/null &&
	web_token alice && web_token bob
}

# gh_secrets_absent SECRET...: none of the secrets is in the data directory
# (but for the credentials' own files), the database, the server's log or
# any process's command line.
gh_secrets_absent() {
	sqlite3 -cmd ".timeout 10000" "$DB" .dump >dump.sql &&
	ps -eo args >ps.txt &&
	for s in "$@"
	do
		test -n "$s" &&
		! grep -rF --exclude-dir=github -e "$s" "$LIFEBELT_HOME" dump.sql "$TRASH_DIRECTORY/serve.log" \
			ps.txt || { echo "found a secret: ${s%"${s#????????}"}..."; return 1; }
	done
}
