#!/bin/sh
test_description='lifebelt init, help and the command table'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'init creates the data directory' '
	lifebelt init >out &&
	test_grep "initialised" out &&
	test -f "$LIFEBELT_HOME/lifebelt.db" &&
	test -d "$LIFEBELT_HOME/repos" && test -d "$LIFEBELT_HOME/tests" &&
	test -d "$LIFEBELT_HOME/spool" &&
	test "$(stat -c %a "$LIFEBELT_HOME/server.key")" = 600 &&
	test -L "$LIFEBELT_HOME/hooks/pre-receive" && test -L "$LIFEBELT_HOME/hooks/post-receive"
'

test_expect_success 'the database uses WAL and the current schema' '
	test "$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "PRAGMA journal_mode")" = wal &&
	test "$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "PRAGMA user_version")" -ge 1
'

test_expect_success 'init a second time changes nothing' '
	lifebelt course add cs101 &&
	test_snapshot before &&
	cp "$LIFEBELT_HOME/server.key" key.before &&
	lifebelt init >out &&
	test_grep "already initialised" out &&
	test_snapshot after &&
	test_cmp before after &&
	test_cmp key.before "$LIFEBELT_HOME/server.key"
'

test_expect_success 'commands other than init need an initialised home' '
	test_must_fail env LIFEBELT_HOME="$TRASH_DIRECTORY/nowhere" "$LIFEBELT_BIN" course add x 2>err &&
	test_grep "lifebelt init" err &&
	test ! -e "$TRASH_DIRECTORY/nowhere"
'

test_expect_success 'help lists the commands and explains one' '
	lifebelt help >out &&
	test_grep "lifebelt roster import" out &&
	test_grep "LIFEBELT_HOME" out &&
	lifebelt help assignment add >out &&
	test_grep "ISO 8601" out
'

test_expect_success '--help or -h after a command explains it, even without a home' '
	lifebelt assignment add --help >out &&
	lifebelt help assignment add >expect &&
	test_cmp expect out &&
	env LIFEBELT_HOME="$TRASH_DIRECTORY/nowhere" "$LIFEBELT_BIN" runner -h >out &&
	test_grep "^usage: lifebelt runner \[--workers N\]" out &&
	test ! -e "$TRASH_DIRECTORY/nowhere"
'

test_expect_success 'unknown commands, options and missing arguments fail with one line' '
	test_must_fail lifebelt frobnicate 2>err &&
	test_grep "no such command .frobnicate." err &&
	test_must_fail lifebelt course add 2>err &&
	test_grep "missing argument" err && test $(wc -l <err) -eq 1 &&
	test_must_fail lifebelt course add a b 2>err &&
	test_grep "unexpected argument b" err &&
	test_must_fail lifebelt course add --colour a 2>err &&
	test_grep "unknown option --colour" err &&
	test_must_fail lifebelt course 2>err &&
	test_grep "needs a verb" err &&
	test_must_fail lifebelt 2>err &&
	test_grep "usage" err
'

test_done
