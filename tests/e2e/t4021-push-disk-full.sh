#!/bin/sh
test_description='a push while the database'"'"'s disk is full is kept, and the student is told so, not "busy"'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

DB=$LIFEBELT_HOME/lifebelt.db

if test "$(id -u)" != 0; then
	echo "1..0 # SKIP mounting a small file system takes root"
	exit 0
fi

nr_submissions() {
	db "SELECT count(*) FROM submissions"
}

# fill_up: not a byte left on the database's file system.
fill_up() {
	{ dd if=/dev/zero of=dbfs/filler bs=4096 2>/dev/null; true; } &&
	test_must_fail sh -c "echo x >dbfs/more"
}

# pushed_while_full COMMIT: push a new commit; the student is told the disk is full, not busy.
pushed_while_full() {
	commit_in alice "$1" &&
	git -C alice push origin main 2>err &&
	test_grep "push for cs101/hw1 received .* UTC; the server is out of disk space, so it will be graded once there is room: tell your teacher" err &&
	! grep "busy" err
}

test_expect_success 'setup' '
	hooks_setup cs101 hw1 "$(iso_in 86400)" "" alice &&
	clone_for alice
'

# The database alone on a small file system (SQLite follows the link, and
# keeps its -wal and -shm files beside the real file): the repositories and
# the spool stay where they were, with room to spare.
test_expect_success 'setup: the database on a file system of its own, filled up' '
	mkdir dbfs &&
	mount -t tmpfs -o size=2m tmpfs dbfs &&
	test "$(db "PRAGMA wal_checkpoint(TRUNCATE)")" = "0|0|0" &&
	mv "$DB" dbfs/ && rm -f "$DB-wal" "$DB-shm" &&
	ln -s "$PWD/dbfs/lifebelt.db" "$DB" &&
	test "$(db "SELECT count(*) FROM repos")" = 1 &&
	fill_up
'

test_expect_success 'a push then is kept, and the student learns why it is not graded yet' '
	pushed_while_full one &&
	test_grep "receipt: lb1 cs101/hw1 alice $(git -C alice rev-parse HEAD)" err &&
	test "$(git -C "$LIFEBELT_HOME/repos/cs101/hw1/alice.git" rev-parse main)" = "$(git -C alice rev-parse HEAD)" &&
	ls "$LIFEBELT_HOME/spool/"*.push >spooled && test $(wc -l <spooled) = 1
'

# No connection was open: the full disk showed when SQLite made its -shm file.
test_expect_success 'the teacher importing it meanwhile is told the disk is full' '
	test_must_fail lifebelt reconcile 2>err &&
	test_grep "^error: the disk holding database .*lifebelt.db is full; make room and try again" err &&
	ls "$LIFEBELT_HOME/spool/"*.push
'

test_expect_success 'once there is room, the push is recorded with its receive time' '
	rm dbfs/filler &&
	lifebelt reconcile >out &&
	test_grep "recorded 1 spooled and 0 missing pushes" out &&
	test "$(nr_submissions)" = 1 &&
	test "$(db "SELECT commit_id FROM submissions")" = "$(git -C alice rev-parse HEAD)"
'

# A connection held open, as the server's are, keeps the -wal and -shm
# files: now the full disk shows when a write runs out of room.
test_bg sh -c "{ echo 'SELECT count(*) FROM repos;'; sleep 60; } | sqlite3 '$DB' >/dev/null"
holder=$!

test_expect_success 'setup: the disk full again, the database open elsewhere' '
	sleep 0.5 &&
	test -e dbfs/lifebelt.db-shm &&
	fill_up
'

test_expect_success 'a push is kept, and the student told why, when the write finds no room' '
	pushed_while_full two &&
	test "$(nr_submissions)" = 1 &&
	ls "$LIFEBELT_HOME/spool/"*.push
'

test_expect_success 'the teacher'"'"'s import is told the disk is full' '
	test_must_fail lifebelt reconcile 2>err &&
	test_grep "^error: the disk holding the database is full; nothing more was recorded" err
'

test_expect_success 'once there is room again, it is recorded too' '
	rm dbfs/filler &&
	lifebelt reconcile >out &&
	test_grep "recorded 1 spooled and 0 missing pushes" out &&
	test "$(nr_submissions)" = 2
'

kill -TERM "-$holder" 2>/dev/null
wait "$holder" 2>/dev/null

umount "$TRASH_DIRECTORY/dbfs"
test_done
