#!/bin/sh
test_description='backup, restore and fsck refuse what they cannot do safely, in one line, and lose nothing'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"

HOME2=$TRASH_DIRECTORY/home2

# one_line_error FILE TEXT: FILE is one line, an error containing TEXT.
one_line_error() {
	test "$(wc -l <"$1")" = 1 && test_grep "^error: .*$2" "$1"
}

test_expect_success 'setup: a course and a backup of it' '
	gitd_course &&
	lifebelt backup bk >/dev/null &&
	test -f bk/manifest.json
'

test_expect_success 'backup, restore and fsck name their usage on bad arguments' '
	test_must_fail lifebelt backup 2>err &&
	one_line_error err "usage: lifebelt backup DIR" &&
	test_must_fail lifebelt backup a b 2>err &&
	one_line_error err "unexpected argument b; usage: lifebelt backup DIR" &&
	test_must_fail lifebelt backup --fast x 2>err &&
	one_line_error err "--fast" &&
	test_must_fail lifebelt restore 2>err &&
	one_line_error err "usage: lifebelt restore DIR \[--force\]" &&
	test_must_fail lifebelt fsck now 2>err &&
	one_line_error err "unexpected argument now; usage: lifebelt fsck \[--repair\]"
'

test_expect_success 'backup refuses a folder that is not empty, or inside the data directory' '
	mkdir full && echo keep >full/file &&
	test_must_fail lifebelt backup full 2>err &&
	one_line_error err "backup folder full is not empty; name a new or an empty folder" &&
	test "$(cat full/file)" = keep && test "$(ls full)" = file &&
	test_must_fail lifebelt backup "$LIFEBELT_HOME/logs/bk" 2>err &&
	one_line_error err "is inside the data directory $LIFEBELT_HOME; name one outside it" &&
	! test -e "$LIFEBELT_HOME/logs/bk" &&
	test_must_fail lifebelt backup no/such/parent/bk 2>err &&
	one_line_error err "cannot make the backup folder no/such/parent/bk"
'

test_expect_success 'backup refuses a data directory that is not one' '
	test_must_fail env LIFEBELT_HOME=$TRASH_DIRECTORY/nothing lifebelt backup bk2 2>err &&
	one_line_error err "no Lifebelt data directory at $TRASH_DIRECTORY/nothing" &&
	! test -e bk2
'

test_expect_success 'backup into an empty folder that exists' '
	mkdir empty &&
	lifebelt backup empty >out &&
	test -f empty/manifest.json
'

test_expect_success 'restore refuses a folder that is not a complete backup' '
	mkdir half && cp bk/lifebelt.db half/ &&
	test_must_fail env LIFEBELT_HOME=$HOME2 lifebelt restore half 2>err &&
	one_line_error err "half is not a complete Lifebelt backup (no manifest.json)" &&
	test_must_fail env LIFEBELT_HOME=$HOME2 lifebelt restore no-such-dir 2>err &&
	one_line_error err "no-such-dir is not a complete Lifebelt backup" &&
	cp -a bk newer && sed -i "s/\"format\": 1/\"format\": 9/" newer/manifest.json &&
	test_must_fail env LIFEBELT_HOME=$HOME2 lifebelt restore newer 2>err &&
	one_line_error err "backup newer has format 9; this lifebelt reads format 1" &&
	cp -a bk future && sed -i "s/\"schema\": [0-9]*/\"schema\": 9999/" future/manifest.json &&
	test_must_fail env LIFEBELT_HOME=$HOME2 lifebelt restore future 2>err &&
	one_line_error err "backup future was made by a newer lifebelt" &&
	cp -a bk broken && echo "{" >broken/manifest.json &&
	test_must_fail env LIFEBELT_HOME=$HOME2 lifebelt restore broken 2>err &&
	one_line_error err "broken/manifest.json is not a Lifebelt backup.s manifest" &&
	! test -e "$HOME2"
'

test_expect_success 'restore refuses a data directory that is not empty, and changes nothing in it' '
	test_snapshot before &&
	test_must_fail lifebelt restore bk 2>err &&
	one_line_error err "data directory $LIFEBELT_HOME is not empty; restore into a new or empty one" &&
	test_snapshot after &&
	test_cmp before after
'

test_expect_success 'restore refuses while a server uses the data directory, even with --force' '
	start_serve &&
	test_must_fail lifebelt restore --force bk 2>err &&
	one_line_error err "a Lifebelt server or runner is using $LIFEBELT_HOME; stop it before restoring" &&
	test_must_fail lifebelt fsck --repair 2>err &&
	one_line_error err "a Lifebelt server or runner is using $LIFEBELT_HOME; stop it before" &&
	lifebelt fsck >out &&
	test_grep "no problems" out &&
	kill -TERM $SERVE_PID &&
	test_wait_until test_must_fail kill -0 $SERVE_PID 2>/dev/null &&
	test "$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT name FROM courses")" = cs101
'

test_expect_success 'a backup whose database is damaged is refused before anything is touched' '
	cp -a bk baddb && echo "not a database" >baddb/lifebelt.db &&
	test_must_fail env LIFEBELT_HOME=$HOME2 lifebelt restore baddb 2>err &&
	one_line_error err "backup baddb: its database baddb/lifebelt.db is damaged (file is not a database); restore another backup" &&
	! test -e "$HOME2"
'

test_expect_success 'a restore that fails half-way leaves nothing, and --force puts the old data back' '
	cp -a bk badrepo && echo "[broken" >badrepo/repos/cs101/hw1/alice.git/config &&
	test_must_fail env LIFEBELT_HOME=$HOME2 lifebelt restore badrepo 2>err &&
	test_grep "^error: .*alice.git/config" err &&
	test -d "$HOME2" && test -z "$(ls -A "$HOME2")" &&
	test_snapshot before &&
	test_must_fail lifebelt restore --force badrepo 2>err &&
	test_grep "^error: .*alice.git/config" err &&
	test_snapshot after &&
	test_cmp before after &&
	! ls -d "$LIFEBELT_HOME".before-restore-* 2>/dev/null
'

test_expect_success 'restore --force sets the data directory aside, never deletes it' '
	lifebelt course add cs202 >/dev/null &&
	lifebelt restore --force bk >out &&
	aside=$(sed -n "s/^the data directory that was at .* is now //p" out) &&
	test -n "$aside" && test -d "$aside" &&
	sqlite3 "$aside/lifebelt.db" "SELECT name FROM courses ORDER BY name" >courses &&
	printf "cs101\ncs202\n" >expect && test_cmp expect courses &&
	test "$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT name FROM courses")" = cs101 &&
	lifebelt fsck >out && test_grep "no problems" out
'

test_done
