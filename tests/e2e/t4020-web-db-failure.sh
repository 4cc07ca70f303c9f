#!/bin/bash
test_description='web: a database failure on a submission page is a 500 or a 503, never a kept page'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

# The page of index $1: its number in the file (the first page is 1).
index_page() {
	sqlite3 "$DB" "SELECT rootpage FROM sqlite_master WHERE name = '$1'"
}

web_home
test_expect_success 'setup: two graded submissions, all in the database file' '
	web_push alice "first try" &&
	web_push alice "second try" main.c "int main(void) { return 0; }" &&
	web_finish 1 passed 1 1 "'\''compiles'\'', '\''pass'\'', 1, 1, 0, '\'''\'', '\'''\''" &&
	web_finish 2 passed 1 1 "'\''compiles'\'', '\''pass'\'', 1, 1, 0, '\'''\'', '\'''\''" &&
	test "$(sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)")" = "0|0|0"
'

# The index that finds a submission's predecessor ("changes since #1"),
# zeroed on disk: the submission itself is still read by its id, so the
# page fails halfway, after its first queries went well.
test_expect_success 'setup: the index of submissions by repository is broken' '
	page=$(index_page submissions_repo) && test -n "$page" &&
	size=$(sqlite3 "$DB" "PRAGMA page_size") &&
	dd if="$DB" of=index.page bs="$size" skip=$((page - 1)) count=1 2>/dev/null &&
	dd if=/dev/zero of="$DB" bs="$size" seek=$((page - 1)) count=1 conv=notrunc 2>/dev/null &&
	test_must_fail sqlite3 "$DB" "SELECT count(*) FROM submissions INDEXED BY submissions_repo WHERE repo_id > 0"
'

web_start

test_expect_success 'the page the database failed is a 500, not a page with a part left out' '
	test "$(web_get "$alice_link/s/2")" = 500 &&
	test_grep "Something went wrong" out.html &&
	! grep "changes since" out.html &&
	test_grep "malformed" "$TRASH_DIRECTORY/serve.log"
'

test_expect_success 'and it is not kept: asked again, the page is rendered again' '
	test "$(web_get "$alice_link/s/2")" = 500 &&
	test "$(grep -c "malformed" "$TRASH_DIRECTORY/serve.log")" -ge 2
'

test_expect_success 'the raw log, which needs nothing broken, is served' '
	test "$(web_get "$alice_link/s/2/log")" = 200 &&
	test_grep "cc -Wall" out.html
'

test_expect_success 'setup: the index is whole again' '
	page=$(index_page submissions_repo) &&
	size=$(sqlite3 "$DB" "PRAGMA page_size") &&
	dd if=index.page of="$DB" bs="$size" seek=$((page - 1)) count=1 conv=notrunc 2>/dev/null &&
	test "$(sqlite3 "$DB" "PRAGMA integrity_check")" = ok
'

# A server that reads the file afresh (the first keeps the broken page in memory).
WEB_PORT=$(test_free_port)
WEB=http://127.0.0.1:$WEB_PORT
web_start

test_expect_success 'then the page is whole' '
	test "$(web_get "$alice_link/s/2")" = 200 &&
	test_grep "changes since submission #1" out.html &&
	test_grep "st-passed\">passed" out.html
'

test_done
