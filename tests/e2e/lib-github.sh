# lib-github.sh: GitHub's side of the webhook, sourced after lib-web.sh: payloads
# shaped like GitHub's published examples, signed with openssl, sent with curl.

GH_FIXTURES=$SRC_ROOT/tests/fixtures/github

# gh_push FILE FULL_NAME REF AFTER PUSHED_AT [DELETED]: a push payload into FILE.
gh_push() {
	sed -e "s|@FULL_NAME@|$2|g" -e "s|@OWNER@|${2%%/*}|g" -e "s|@NAME@|${2#*/}|g" \
		-e "s|@REF@|$3|g" -e "s|@AFTER@|$4|g" -e "s|@PUSHED_AT@|$5|g" \
		-e "s|@DELETED@|${6:-false}|g" \
		-e "s|@BEFORE@|0123456789abcdef0123456789abcdef01234567|g" \
		"$GH_FIXTURES/push.json.in" >"$1"
}

# gh_sign FILE [SECRET]: the X-Hub-Signature-256 value of FILE (GH_SECRET by default).
gh_sign() {
	printf 'sha256=%s' "$(openssl dgst -sha256 -hmac "${2:-$GH_SECRET}" -r <"$1" | cut -d' ' -f1)"
}

# gh_send EVENT GUID FILE [CURL ARGS...]: post FILE signed as GitHub does; prints the
# status, the answer goes to resp.txt.
gh_send() {
	event=$1 guid=$2 file=$3
	shift 3
	curl -s -o resp.txt -w '%{http_code}' -H "X-GitHub-Event: $event" \
		-H "X-GitHub-Delivery: $guid" -H "X-Hub-Signature-256: $(gh_sign "$file")" \
		-H 'Content-Type: application/json' -H 'User-Agent: GitHub-Hookshot/044aadd' \
		"$@" --data-binary "@$file" "$WEB/hooks/github"
}

# gh_rows [WHERE]: the deliveries' rows, one a line, oldest first.
gh_rows() {
	sqlite3 "$DB" "SELECT guid, event, ifnull(repo_id, '-'), status, ifnull(ref, '-'),
		ifnull(commit_id, '-'), ifnull(pushed_at, '-'), detail FROM deliveries
		${1:+WHERE $1} ORDER BY id"
}
