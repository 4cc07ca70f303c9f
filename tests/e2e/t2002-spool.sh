#!/bin/sh
test_description='never lose a push: spool when the database cannot take it, import later'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

DB=$LIFEBELT_HOME/lifebelt.db

# Make the database file read-only (root ignores modes, so it gets the immutable bit).
db_readonly() {
	if test "$(id -u)" = 0; then chattr +i "$DB"; else chmod a-w "$DB"; fi
}
db_writable() {
	if test "$(id -u)" = 0; then chattr -i "$DB"; else chmod u+w "$DB"; fi
}

nr_submissions() {
	db "SELECT count(*) FROM submissions"
}

# The epoch seconds of the "received YYYY-MM-DD HH:MM:SS UTC" in file $1.
received_in() {
	date -u -d "$(sed -n "s/.* received \([0-9-]* [0-9:]*\) UTC.*/\1/p" "$1" | head -n 1)Z" +%s
}

test_expect_success 'setup' '
	hooks_setup cs101 hw1 "$(iso_in 86400)" "" alice bob carol dave &&
	clone_for alice && clone_for bob && clone_for carol && clone_for dave
'

test_expect_success 'a push while the database is read-only succeeds and is spooled' '
	commit_in alice one &&
	db_readonly &&
	git -C alice push -o wait origin main 2>err; rc=$?; db_writable; test $rc = 0 &&
	test_grep "cannot wait for the verdict now" err &&
	test_grep "push for cs101/hw1 received .* UTC; the server is busy, so it will be graded shortly" err &&
	test_grep "receipt: lb1 cs101/hw1 alice $(git -C alice rev-parse HEAD)" err &&
	test "$(git -C "$LIFEBELT_HOME/repos/cs101/hw1/alice.git" rev-parse main)" = "$(git -C alice rev-parse HEAD)" &&
	test "$(nr_submissions)" = 0 &&
	ls "$LIFEBELT_HOME/spool/"*.push >spooled && test $(wc -l <spooled) = 1
'

test_expect_success 'once writable, the reconciler records it with the hook'"'"'s receive time' '
	lifebelt reconcile >out &&
	test_grep "recorded 1 spooled and 0 missing pushes" out &&
	test "$(nr_submissions)" = 1 &&
	test "$(db "SELECT commit_id, via, received FROM submissions")" = \
		"$(git -C alice rev-parse HEAD)|local|$(received_in err)" &&
	test "$(db "SELECT state FROM jobs")" = queued &&
	! ls "$LIFEBELT_HOME/spool/"*.push 2>/dev/null &&
	lifebelt reconcile >out && test_grep "recorded 0 spooled and 0 missing" out &&
	test "$(nr_submissions)" = 1
'

test_expect_success 'the receipt of a spooled push verifies' '
	sed -n "s/^remote: receipt: \(.*[0-9a-f]\) *$/\1/p" err >receipt &&
	lifebelt receipt verify "$(cat receipt)" >out &&
	test_grep "recorded as a submission" out
'

test_expect_success 'a push while the database is missing is spooled; the rules still hold' '
	mkdir away && mv "$DB" "$DB-wal" "$DB-shm" away/ 2>/dev/null; mv "$DB" away/ 2>/dev/null;
	! test -e "$DB" &&
	test_must_fail git -C bob push origin :main 2>err &&
	test_grep "refusing to delete refs/heads/main" err &&
	commit_in bob two &&
	git -C bob push origin main 2>err &&
	test_grep "will be graded shortly" err &&
	mv away/* "$LIFEBELT_HOME/" &&
	test "$(nr_submissions)" = 1 &&
	lifebelt reconcile >out && test_grep "recorded 1 spooled" out &&
	test "$(db "SELECT count(*) FROM submissions s JOIN repos r ON r.id = s.repo_id WHERE r.path = '"'cs101/hw1/bob.git'"' AND s.received = $(received_in err)")" = 1
'

test_expect_success 'a push while the database is locked past the busy timeout is spooled' '
	commit_in carol three &&
	{ echo "BEGIN IMMEDIATE; INSERT INTO settings VALUES ('"'lock'"', '"'x'"');"; sleep 8; echo "ROLLBACK;"; } |
		sqlite3 "$DB" &
	lock=$! &&
	sleep 0.5 &&
	git -C carol push origin main 2>err &&
	wait $lock &&
	test_grep "will be graded shortly" err &&
	test "$(nr_submissions)" = 2 &&
	lifebelt reconcile >out && test_grep "recorded 1 spooled" out &&
	test "$(nr_submissions)" = 3
'

test_expect_success 'lifebelt serve imports the spool at start-up' '
	commit_in dave four &&
	db_readonly &&
	git -C dave push origin main 2>err; rc=$?; db_writable; test $rc = 0 &&
	test_grep "will be graded shortly" err &&
	port=$(test_free_port) || return 1
	"$LIFEBELT_BIN" serve --listen 127.0.0.1:$port 2>serve.log &
	serve=$!
	i=0 && while ! curl -sf http://127.0.0.1:$port/healthz >/dev/null; do
		i=$((i + 1)) && test $i -lt 100 && sleep 0.1 || break
	done &&
	test "$(nr_submissions)" = 4 &&
	test_grep "reconcile: 1 spooled and 0 missing pushes recorded" serve.log
	rc=$?
	kill $serve && wait $serve
	test $rc = 0
'

test_expect_success 'with the spool unwritable too, the reflog still has the push' '
	commit_in alice five &&
	spool="$LIFEBELT_HOME/spool" &&
	db_readonly &&
	if test "$(id -u)" = 0; then chattr +i "$spool"; else chmod a-w "$spool"; fi &&
	git -C alice push origin main 2>err; rc=$?
	if test "$(id -u)" = 0; then chattr -i "$spool"; else chmod u+w "$spool"; fi
	db_writable
	test $rc = 0 &&
	test_grep "could not record this push yet (received .*); it will be found and graded shortly" err &&
	test_grep "receipt: lb1 cs101/hw1 alice $(git -C alice rev-parse HEAD)" err &&
	lifebelt reconcile --grace 0 >out &&
	test_grep "recorded 0 spooled and 1 missing pushes" out &&
	test "$(db "SELECT commit_id, via FROM submissions ORDER BY id DESC LIMIT 1")" = \
		"$(git -C alice rev-parse HEAD)|reconciled"
'

test_expect_success 'a spool file that is not a push is set aside, not lost' '
	echo garbage >"$LIFEBELT_HOME/spool/000000000001-1-0-x.push" &&
	lifebelt reconcile 2>log >out &&
	test_grep "moved to .*spool/failed: not a spooled push" log &&
	test -f "$LIFEBELT_HOME/spool/failed/000000000001-1-0-x.push"
'

test_done
