#!/bin/bash
test_description='github: the webhook verifies, caps, records and answers at once'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"
. "$TEST_DIRECTORY/lib-github.sh"

GH_SECRET="lifebelt's webhook secret, $$"
ALICE_COMMIT=3f2a9c1e5b7d4f6a8c0e2b4d6f8a0c2e4b6d8f0a
GUID1=6a3f8e2c-d1b4-11f0-8a7e-0242ac120002

web_home
lifebelt student add c1 alice --github alice-gh >/dev/null
lifebelt github link c1 hw1 alice lifebelt-course/hw1-alice-gh >/dev/null
# The mirror is t105x's: here GitHub's git side leads nowhere (a port nothing listens on).
lifebelt config set github.git_url http://127.0.0.1:1 >/dev/null
web_start

test_expect_success 'without a secret the webhook answers 503 and stores nothing' '
	gh_push push.json lifebelt-course/hw1-alice-gh refs/heads/main $ALICE_COMMIT 1764540291 &&
	test "$(gh_send push $GUID1 push.json)" = 503 &&
	test_grep "no webhook secret" resp.txt &&
	test "$(wc -l <resp.txt)" = 1 &&
	test -z "$(gh_rows)"
'

test_expect_success 'setup: the secret, from stdin' '
	printf "%s\n" "$GH_SECRET" | lifebelt github secret - >out &&
	! grep -F "$GH_SECRET" out
'

test_expect_success 'a ping is 200 and recorded as ignored' '
	printf "%s" "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":510200300,\"hook\":{\"type\":\"Organization\",\"id\":510200300,\"active\":true,\"events\":[\"push\"],\"config\":{\"content_type\":\"json\",\"insecure_ssl\":\"0\",\"url\":\"$WEB/hooks/github\"}},\"organization\":{\"login\":\"lifebelt-course\",\"id\":150200300},\"sender\":{\"login\":\"tom-gh\",\"id\":160300401,\"type\":\"User\"}}" >ping.json &&
	test "$(gh_send ping ping-0001 ping.json)" = 200 &&
	test_grep "^pong" resp.txt &&
	test "$(gh_rows "guid = '\''ping-0001'\''")" = "ping-0001|ping|-|ignored|-|-|-|ping"
'

# refused CASE-NAME EXPECTED-STATUS CURL-ARGS...: nothing is stored.
refused() {
	want=$1
	shift
	got=$(curl -s -o resp.txt -w "%{http_code}" "$@" "$WEB/hooks/github") &&
	test "$got" = "$want" || { echo "got $got, want $want: $(cat resp.txt)"; return 1; }
	test "$(wc -l <resp.txt)" = 1 &&
	test "$(sqlite3 "$DB" "SELECT count(*) FROM deliveries WHERE event <> 'ping'")" = 0
}

test_expect_success 'a bad signature is 401 and nothing is stored' '
	refused 401 -H "X-GitHub-Event: push" -H "X-GitHub-Delivery: $GUID1" \
		-H "X-Hub-Signature-256: $(gh_sign push.json "not the secret")" \
		-H "Content-Type: application/json" --data-binary @push.json &&
	test_grep "signature does not match" resp.txt
'

test_expect_success 'a body changed by one byte after signing is 401, nothing stored' '
	sed "s/\"forced\": false/\"forced\": falsf/" push.json >changed.json &&
	test "$(cmp -l push.json changed.json | wc -l)" = 1 &&
	refused 401 -H "X-GitHub-Event: push" -H "X-GitHub-Delivery: $GUID1" \
		-H "X-Hub-Signature-256: $(gh_sign push.json)" \
		-H "Content-Type: application/json" --data-binary @changed.json
'

test_expect_success 'a missing or malformed signature header is 401' '
	refused 401 -H "X-GitHub-Event: push" -H "X-GitHub-Delivery: $GUID1" \
		--data-binary @push.json &&
	test_grep "X-Hub-Signature-256" resp.txt &&
	sig=$(gh_sign push.json) &&
	refused 401 -H "X-GitHub-Event: push" -H "X-GitHub-Delivery: $GUID1" \
		-H "X-Hub-Signature-256: ${sig%?}" --data-binary @push.json &&
	refused 401 -H "X-GitHub-Event: push" -H "X-GitHub-Delivery: $GUID1" \
		-H "X-Hub-Signature: sha1=0123" --data-binary @push.json
'

test_expect_success 'a missing event or delivery header is 400' '
	sig=$(gh_sign push.json) &&
	refused 400 -H "X-GitHub-Delivery: $GUID1" -H "X-Hub-Signature-256: $sig" \
		--data-binary @push.json &&
	refused 400 -H "X-GitHub-Event: push" -H "X-Hub-Signature-256: $sig" \
		--data-binary @push.json &&
	refused 400 -H "X-GitHub-Event: push" -H "X-GitHub-Delivery: ../../etc" \
		-H "X-Hub-Signature-256: $sig" --data-binary @push.json &&
	test_grep "X-GitHub-Delivery" resp.txt
'

test_expect_success 'only POST is served' '
	refused 405 -X GET
'

test_expect_success 'a good push is 202 and queued with its ref, after and pushed_at' '
	before=$(date +%s) &&
	test "$(gh_send push $GUID1 push.json)" = 202 &&
	after=$(date +%s) &&
	test_grep "^queued: refs/heads/main $ALICE_COMMIT of lifebelt-course/hw1-alice-gh$" resp.txt &&
	alice_repo=$(sqlite3 "$DB" "SELECT id FROM repos WHERE path = '\''c1/hw1/alice.git'\''") &&
	echo "$GUID1|push|$alice_repo|refs/heads/main|$ALICE_COMMIT|1764540291" >expect &&
	sqlite3 "$DB" "SELECT guid, event, repo_id, ref, commit_id, pushed_at FROM deliveries
		WHERE guid = '\''$GUID1'\''" >actual &&
	test_cmp expect actual &&
	# Queued for the mirror, which may have tried it already (github.git_url leads nowhere here).
	status=$(sqlite3 "$DB" "SELECT status FROM deliveries WHERE guid = '\''$GUID1'\''") &&
	case "$status" in queued|retry) ;; *) false ;; esac &&
	received=$(sqlite3 "$DB" "SELECT received FROM deliveries WHERE guid = '\''$GUID1'\''") &&
	test "$received" -ge "$before" && test "$received" -le "$after" &&
	# The payload names a clone_url elsewhere: only the mapping counts, nothing keeps it.
	test_grep attacker.example push.json &&
	! sqlite3 "$DB" .dump | grep attacker
'

test_expect_success 'the same delivery again is 202 "already recorded", one row' '
	test "$(gh_send push $GUID1 push.json)" = 202 &&
	test_grep "^already recorded" resp.txt &&
	test "$(sqlite3 "$DB" "SELECT count(*) FROM deliveries WHERE guid = '\''$GUID1'\''")" = 1
'

test_expect_success 'the mapping ignores case, as GitHub does' '
	gh_push upper.json LifeBelt-Course/HW1-Alice-GH refs/heads/main $ALICE_COMMIT 1764540300 &&
	test "$(gh_send push upper-0001 upper.json)" = 202 &&
	test "$(sqlite3 "$DB" "SELECT repo_id FROM deliveries WHERE guid = '\''upper-0001'\''
		AND status IN ('\''queued'\'', '\''retry'\'')")" = \
		"$(sqlite3 "$DB" "SELECT id FROM repos WHERE path = '\''c1/hw1/alice.git'\''")"
'

test_expect_success 'an unmapped repository is 202 and ignored, with the reason' '
	gh_push other.json lifebelt-course/hw1-mallory refs/heads/main $ALICE_COMMIT 1764540291 &&
	test "$(gh_send push unmapped-0001 other.json)" = 202 &&
	test_grep "^ignored: lifebelt-course/hw1-mallory is not mapped" resp.txt &&
	gh_rows "guid = '\''unmapped-0001'\''" >actual &&
	echo "unmapped-0001|push|-|ignored|-|-|-|lifebelt-course/hw1-mallory is not mapped to a student repository" >expect &&
	test_cmp expect actual
'

test_expect_success 'a name GitHub would not give is ignored, and not repeated' '
	gh_push bad.json "lifebelt-course/hw1 alice" refs/heads/main $ALICE_COMMIT 1764540291 &&
	test "$(gh_send push badname-0001 bad.json)" = 202 &&
	test "$(gh_rows "guid = '\''badname-0001'\''")" = \
		"badname-0001|push|-|ignored|-|-|-|repository.full_name is missing or not a GitHub repository name"
'

test_expect_success 'a tag, a deleted branch and another event are 202 and ignored' '
	gh_push tag.json lifebelt-course/hw1-alice-gh refs/tags/v1 $ALICE_COMMIT 1764540291 &&
	test "$(gh_send push tag-0001 tag.json)" = 202 &&
	gh_push del.json lifebelt-course/hw1-alice-gh refs/heads/main 0000000000000000000000000000000000000000 1764540291 true &&
	test "$(gh_send push del-0001 del.json)" = 202 &&
	test "$(gh_send issues issues-0001 push.json)" = 202 &&
	sqlite3 "$DB" "SELECT guid, status, detail FROM deliveries WHERE guid IN
		('\''tag-0001'\'', '\''del-0001'\'', '\''issues-0001'\'') ORDER BY id" >actual &&
	cat >expect <<-\EOF &&
	tag-0001|ignored|not a branch: refs/tags/v1
	del-0001|ignored|the push deletes refs/heads/main
	issues-0001|ignored|event issues is not used
	EOF
	test_cmp expect actual
'

test_expect_success 'a signed body that is not JSON is 400 and not stored' '
	printf "not json" >junk &&
	test "$(gh_send push junk-0001 junk)" = 400 &&
	test -z "$(gh_rows "guid = '\''junk-0001'\''")"
'

test_expect_success 'a 30 MB body is 413 at once, before its body is read' '
	head -c 31457280 /dev/zero >big &&
	curl -s -o resp.txt -w "%{http_code} %{time_total} %{size_upload}\n" \
		-H "X-GitHub-Event: push" -H "X-GitHub-Delivery: big-0001" \
		-H "X-Hub-Signature-256: $(gh_sign big)" --data-binary @big \
		"$WEB/hooks/github" >took &&
	cat took &&
	read code secs sent <took &&
	test "$code" = 413 &&
	test_grep "github.webhook_max_mb" resp.txt &&
	awk -v s="$secs" "BEGIN { exit !(s < 0.5) }" &&
	test "$sent" -lt 1048576 &&
	test -z "$(gh_rows "guid = '\''big-0001'\''")"
'

test_expect_success 'a body sent without a length is 413 once it passes the cap' '
	head -c 6291456 /dev/zero >six &&
	code=$(curl -s -o resp.txt -w "%{http_code}" -H "Transfer-Encoding: chunked" \
		-H "Content-Type: application/json" \
		-H "X-GitHub-Event: push" -H "X-GitHub-Delivery: chunked-0001" \
		-H "X-Hub-Signature-256: $(gh_sign six)" --data-binary @six "$WEB/hooks/github") ||
		code="closed $code" &&
	echo "$code" &&
	test "$code" = 413 &&
	test -z "$(gh_rows "guid = '\''chunked-0001'\''")"
'

test_expect_success 'the cap is a setting' '
	lifebelt config set github.webhook_max_mb 1 >/dev/null &&
	head -c 1100000 /dev/zero >onemore &&
	test "$(gh_send push cap-0001 onemore)" = 413 &&
	test_grep "1 MiB" resp.txt &&
	test_must_fail lifebelt config set github.webhook_max_mb 26 2>err &&
	test_grep "from 1 to 25" err &&
	lifebelt config set github.webhook_max_mb 5 >/dev/null
'

test_expect_success 'github deliveries lists them newest first' '
	lifebelt github deliveries >out &&
	head -n 1 out >first &&
	test_grep " issues-0001 " first &&
	grep -E "$GUID1  push   lifebelt-course/hw1-alice-gh (queued|retry) +refs/heads/main 3f2a9c1e5b7d" out &&
	test_grep "unmapped-0001  push   -  *ignored  lifebelt-course/hw1-mallory is not mapped" out &&
	lifebelt github deliveries --limit 2 >two &&
	test "$(wc -l <two)" = 2 &&
	test_must_fail lifebelt github deliveries --limit 0 2>err &&
	test "$(wc -l <err)" = 1
'

test_expect_success 'github status shows the last delivery and the last mirrored commit' '
	# The mirror is not part of this test: its submission row is written as it would.
	sqlite3 "$DB" "INSERT INTO submissions (repo_id, ref, commit_id, received, via)
		SELECT id, '\''refs/heads/main'\'', '\''$ALICE_COMMIT'\'', 1764540291, '\''webhook'\''
		FROM repos WHERE path = '\''c1/hw1/alice.git'\''" &&
	lifebelt github status c1 hw1 >out &&
	test_grep "^alice (GitHub alice-gh): lifebelt-course/hw1-alice-gh$" out &&
	test_grep "last delivery: .* UTC ignored: the push deletes refs/heads/main$" out &&
	test_grep "last mirrored: 3f2a9c1e5b7d received 2025-11-30 22:04:51 UTC" out
'

test_expect_success 'the log has one line per delivery and never the secret' '
	test_grep "github delivery $GUID1 (push): 202 queued" serve.log &&
	test_grep "github delivery unmapped-0001 (push): 202 ignored" serve.log &&
	test "$(grep -c "github delivery $GUID1 (push): 202 " serve.log)" = 2 &&
	test_grep "github delivery $GUID1 (push): 401 the signature does not match" serve.log &&
	! grep -F "$GH_SECRET" serve.log
'

test_done
