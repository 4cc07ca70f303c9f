#!/bin/sh
test_description='roster import: every row or none'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	lifebelt init >/dev/null && lifebelt course add cs101 >/dev/null &&
	test_make_key k1 && test_make_key k2 && test_make_key k3 &&
	test_make_tests_dir tests &&
	lifebelt assignment add cs101 hw1 --tests tests --due 2030-01-01T00:00:00Z >/dev/null
'

test_expect_success 'a good roster with quoting imports everyone, with repositories' '
	{
		printf "login,name,email,ssh_key,github\r\n"
		printf "ann,\"Smith, Ann\",ann@example.com,\"%s\",ann-gh\r\n" "$(cat k1.key.pub)"
		printf "ben,\"Ben \"\"the Brave\"\"\",ben@example.com,,\r\n"
		printf "cat,Cat,,\"%s\",\r\n" "$(cat k2.key.pub)"
	} >roster.csv &&
	lifebelt roster import cs101 roster.csv >out &&
	test_grep "imported 3 students into cs101 (3 new, 3 repositories created)" out &&
	test "$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT name FROM people WHERE login = \"ann\"")" = "Smith, Ann" &&
	test "$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT name FROM people WHERE login = \"ben\"")" = "Ben \"the Brave\"" &&
	test "$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT count(*) FROM ssh_keys")" = 2 &&
	test -d "$LIFEBELT_HOME/repos/cs101/hw1/ben.git"
'

test_expect_success 'importing the same roster again changes nothing' '
	test_snapshot before &&
	lifebelt roster import cs101 roster.csv >out &&
	test_grep "(0 new, 0 repositories created)" out &&
	test_snapshot after &&
	test_cmp before after
'

test_expect_success 'columns may come in any order, and only login is required' '
	printf "github,login\nDee-GH,dee\n" >r2.csv &&
	lifebelt roster import cs101 r2.csv &&
	test "$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT github FROM people WHERE login = \"dee\"")" = "Dee-GH"
'

# Each bad file must name its line (and column) and import nothing at all.
bad_roster() {
	test_snapshot before &&
	test_must_fail lifebelt roster import cs101 "$1" 2>err &&
	test $(wc -l <err) -eq 1 &&
	test_grep "$2" err &&
	test_grep "nothing was imported" err &&
	test_snapshot after &&
	test_cmp before after
}

test_expect_success 'unknown column' '
	printf "login,name,phone\nzed,Zed,123\n" >bad.csv &&
	bad_roster bad.csv "line 1: unknown column .phone."
'

test_expect_success 'bad login on line 3' '
	printf "login,name\nyan,Yan\nBad Login,X\nzoe,Zoe\n" >bad.csv &&
	bad_roster bad.csv "line 3, column login: .Bad Login. is not a valid login"
'

test_expect_success 'malformed key' '
	printf "login,ssh_key\nyan,ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZ2\n" >bad.csv &&
	bad_roster bad.csv "line 2, column ssh_key: malformed key"
'

test_expect_success 'duplicate login in the file' '
	printf "login\nyan\nzoe\nyan\n" >bad.csv &&
	bad_roster bad.csv "line 4, column login: duplicate of line 2"
'

test_expect_success 'duplicate key in the file' '
	printf "login,ssh_key\nyan,%s\nzoe,%s\n" "$(cat k3.key.pub)" "$(cat k3.key.pub)" >bad.csv &&
	bad_roster bad.csv "line 3, column ssh_key: duplicate of line 2"
'

test_expect_success 'a key that belongs to someone already stored' '
	printf "login,ssh_key\nyan,%s\n" "$(cat k1.key.pub)" >bad.csv &&
	bad_roster bad.csv "line 2, column ssh_key: key SHA256:.* already registered to someone else"
'

test_expect_success 'a GitHub name that belongs to someone already stored' '
	printf "login,github\nyan,ANN-GH\n" >bad.csv &&
	bad_roster bad.csv "line 2, column github: GitHub user .ANN-GH. already belongs"
'

test_expect_success 'wrong number of fields, broken quotes, empty file, missing login column' '
	printf "login,name\nyan\n" >bad.csv &&
	bad_roster bad.csv "line 2: expected 2 fields, found 1" &&
	printf "login,name\nyan,\"Yan\n" >bad.csv &&
	bad_roster bad.csv "unterminated quoted field" &&
	printf "name\nYan\n" >bad.csv &&
	bad_roster bad.csv "no .login. column" &&
	: >empty.csv &&
	test_must_fail lifebelt roster import cs101 empty.csv 2>err &&
	test_grep "empty" err &&
	test_must_fail lifebelt roster import cs101 missing.csv 2>err &&
	test_grep "cannot read missing.csv" err &&
	test_must_fail lifebelt roster import nocourse roster.csv 2>err &&
	test_grep "no course" err
'

test_expect_success 'a teacher listed as a student fails the whole import' '
	lifebelt teacher add cs101 tom >/dev/null &&
	printf "login\nyan\ntom\n" >bad.csv &&
	test_snapshot before &&
	test_must_fail lifebelt roster import cs101 bad.csv 2>err &&
	test_grep "line 3" err &&
	test_snapshot after &&
	test_cmp before after &&
	test ! -e "$LIFEBELT_HOME/repos/cs101/hw1/yan.git"
'

test_expect_success 'a generated roster of 1000 students' '
	awk "BEGIN { print \"login,name,email\"; for (i = 0; i < 1000; i++) printf \"s%04d,Student %d,s%d@example.com\n\", i, i, i }" >big.csv &&
	lifebelt roster import cs101 big.csv >out &&
	test_grep "imported 1000 students" out &&
	test "$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT count(*) FROM repos")" = 1004
'

test_done
