#!/bin/sh
test_description='courses, students, teachers, keys and tokens'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	lifebelt init >/dev/null &&
	test_make_key alice && test_make_key bob && test_make_key tina
'

test_expect_success 'course add' '
	lifebelt course add cs101 >out &&
	test_grep "course cs101 created" out
'

test_expect_success 'a course name twice, or a bad one, is refused and changes nothing' '
	test_snapshot before &&
	test_must_fail lifebelt course add cs101 2>err &&
	test_grep "already exists" err &&
	test_must_fail lifebelt course add "CS 101" 2>err &&
	test_grep "course .CS 101. is not valid" err &&
	test_must_fail lifebelt course add ../x 2>err &&
	test_snapshot after &&
	test_cmp before after
'

test_expect_success 'student add creates and enrols the person with a key' '
	lifebelt student add cs101 alice --name "Alice Liddell" --email alice@example.com \
		--key alice.key.pub --github alice-gh >out &&
	test_grep "student alice enrolled in cs101" out &&
	test "$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT name || \"|\" || email || \"|\" || github FROM people WHERE login = \"alice\"")" = "Alice Liddell|alice@example.com|alice-gh" &&
	test "$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT count(*) FROM ssh_keys")" = 1
'

test_expect_success 'adding the same student again is harmless' '
	lifebelt student add cs101 alice >out &&
	test "$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT count(*) FROM enrolments")" = 1
'

test_expect_success 'one person in two courses' '
	lifebelt course add cs102 &&
	lifebelt student add cs102 alice &&
	test "$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT count(*) FROM people")" = 1 &&
	test "$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT count(*) FROM enrolments")" = 2
'

test_expect_success 'bad student input is refused with one line and changes nothing' '
	test_snapshot before &&
	test_must_fail lifebelt student add nocourse bob 2>err &&
	test_grep "no course .nocourse." err &&
	test_must_fail lifebelt student add cs101 Bob 2>err &&
	test_grep "login .Bob. is not valid" err &&
	test_must_fail lifebelt student add cs101 bob --key missing.pub 2>err &&
	test_grep "cannot read key file missing.pub" err &&
	echo "ssh-ed25519 AAAAnotbase64!!" >bad.pub &&
	test_must_fail lifebelt student add cs101 bob --key bad.pub 2>err &&
	test_grep "bad.pub: key data is not valid base64" err &&
	test_must_fail lifebelt student add cs101 bob --key alice.key.pub 2>err &&
	test_grep "already registered" err &&
	test_must_fail lifebelt student add cs101 bob --github alice-gh 2>err &&
	test_grep "already belongs to someone else" err &&
	test_must_fail lifebelt student add cs101 bob --github "-bad-" 2>err &&
	test_grep "not a GitHub user name" err &&
	test_must_fail lifebelt student add cs101 bob --email nope 2>err &&
	test_grep "not an e-mail address" err &&
	test_snapshot after &&
	test_cmp before after
'

test_expect_success 'teacher add; a teacher cannot also be a student of the course' '
	lifebelt teacher add cs101 tina --key tina.key.pub >out &&
	test_grep "teacher tina enrolled in cs101" out &&
	test_snapshot before &&
	test_must_fail lifebelt student add cs101 tina 2>err &&
	test_grep "tina is already enrolled in cs101 as a teacher" err &&
	test_must_fail lifebelt teacher add cs101 alice 2>err &&
	test_grep "as a student" err &&
	test_snapshot after &&
	test_cmp before after
'

test_expect_success 'key add' '
	lifebelt student add cs101 bob &&
	lifebelt key add bob bob.key.pub >out &&
	test_grep "key added for bob" out &&
	test_must_fail lifebelt key add bob bob.key.pub 2>err &&
	test_grep "already registered" err &&
	test_must_fail lifebelt key add nobody bob.key.pub 2>err &&
	test_grep "no person with login .nobody." err &&
	cat alice.key.pub bob.key.pub >two.pub &&
	test_must_fail lifebelt key add bob two.pub 2>err &&
	test_grep "more than one line" err
'

test_expect_success 'token prints a fresh secret and stores only its hash' '
	lifebelt token bob >out &&
	token=$(sed -n "s/^token: *//p" out) &&
	test -n "$token" &&
	stored=$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT token_hash FROM people WHERE login = \"bob\"") &&
	test "$stored" = "$(printf %s "$token" | sha256sum | cut -d" " -f1)" &&
	! grep -r -q "$token" "$LIFEBELT_HOME" &&
	test_grep "^web: *http://127.0.0.1:8080/me/bob/" out
'

test_expect_success 'a new token replaces the old one and its link' '
	lifebelt token bob >out1 && lifebelt token bob >out2 &&
	test "$(sed -n "s/^token: *//p" out1)" != "$(sed -n "s/^token: *//p" out2)" &&
	test "$(sed -n "s/^web: *//p" out1)" != "$(sed -n "s/^web: *//p" out2)" &&
	test_must_fail lifebelt token nobody 2>err &&
	test_grep "no person" err
'

test_done
