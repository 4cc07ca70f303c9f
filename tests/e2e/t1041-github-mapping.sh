#!/bin/sh
test_description='github: the mapping of students to GitHub repositories, and the webhook secret'
. "$(dirname "$0")/test-lib.sh"

DB=$LIFEBELT_HOME/lifebelt.db

# map: every student repository of c1 with the GitHub repository it mirrors, one a line.
map() {
	sqlite3 "$DB" "SELECT path, ifnull(github_repo, '-') FROM repos ORDER BY path"
}

# refused CMD...: fails with one line on stderr, and nothing stored changed.
refused() {
	test_snapshot before &&
	test_must_fail lifebelt "$@" 2>err &&
	cat err &&
	test "$(wc -l <err)" = 1 &&
	test_snapshot after &&
	test_cmp before after
}

test_expect_success 'setup' '
	lifebelt init >/dev/null && lifebelt course add c1 >/dev/null &&
	lifebelt student add c1 alice --github alice-gh >/dev/null &&
	lifebelt student add c1 bob >/dev/null &&
	lifebelt teacher add c1 tom >/dev/null &&
	test_make_tests_dir tests
'

test_expect_success 'a pattern without {github} is refused, nothing stored' '
	refused assignment add c1 hw1 --tests tests --due 2099-01-01T00:00:00Z \
		--github lifebelt-course/hw1 &&
	test_grep "must have {github} once" err
'

test_expect_success 'a pattern without ORG/ or with names GitHub refuses is refused' '
	refused assignment add c1 hw1 --tests tests --due 2099-01-01T00:00:00Z \
		--github "hw1-{github}" &&
	test_grep "is not ORG/PATTERN" err &&
	refused assignment add c1 hw1 --tests tests --due 2099-01-01T00:00:00Z \
		--github "lifebelt-course/hw 1-{github}" &&
	test_grep "names GitHub does not allow" err
'

test_expect_success 'assignment add --github maps every student with a GitHub login' '
	lifebelt assignment add c1 hw1 --tests tests --due 2099-01-01T00:00:00Z \
		--github "lifebelt-course/hw1-{github}" >out &&
	test_grep "^1 of 2 mirror GitHub.s lifebelt-course/hw1-{github}; .lifebelt github status c1 hw1. says why the others do not$" out &&
	cat >expect <<-\EOF &&
	c1/hw1/alice.git|lifebelt-course/hw1-alice-gh
	c1/hw1/bob.git|-
	EOF
	map >actual &&
	test_cmp expect actual &&
	test "$(sqlite3 "$DB" "SELECT github FROM assignments")" = "lifebelt-course/hw1-{github}"
'

test_expect_success 'a second assignment may not take the same pattern' '
	refused assignment add c1 hw2 --tests tests --due 2099-01-01T00:00:00Z \
		--github "Lifebelt-Course/hw1-{github}" &&
	test_grep "already names its repositories" err
'

test_expect_success 'a student enrolled later is mapped, and one given a login later too' '
	lifebelt student add c1 carol --github Carol-GH >/dev/null &&
	lifebelt student add c1 bob --github bob-gh >/dev/null &&
	lifebelt student add c1 erin >/dev/null &&
	cat >expect <<-\EOF &&
	c1/hw1/alice.git|lifebelt-course/hw1-alice-gh
	c1/hw1/bob.git|lifebelt-course/hw1-bob-gh
	c1/hw1/carol.git|lifebelt-course/hw1-Carol-GH
	c1/hw1/erin.git|-
	EOF
	map >actual &&
	test_cmp expect actual
'

test_expect_success 'a roster import maps the students it enrols' '
	printf "login,name,email,ssh_key,github\nfrank,Frank F,,,frank-gh\n" >roster.csv &&
	lifebelt roster import c1 roster.csv >/dev/null &&
	test "$(sqlite3 "$DB" "SELECT github_repo FROM repos WHERE path = '\''c1/hw1/frank.git'\''")" = \
		lifebelt-course/hw1-frank-gh
'

test_expect_success 'github link maps one student' '
	lifebelt github link c1 hw1 erin erin-private/c-exercises >out &&
	echo "c1/hw1/erin.git mirrors GitHub'\''s erin-private/c-exercises" >expect &&
	test_cmp expect out &&
	test "$(sqlite3 "$DB" "SELECT github_repo FROM repos WHERE path = '\''c1/hw1/erin.git'\''")" = \
		erin-private/c-exercises
'

test_expect_success 'github link refuses bad input with one line, nothing stored' '
	refused github link c9 hw1 erin o/r && test_grep "no course .c9." err &&
	refused github link c1 hw9 erin o/r && test_grep "no assignment c1/hw9" err &&
	refused github link c1 hw1 zoe o/r && test_grep "no person with login .zoe." err &&
	refused github link c1 hw1 tom o/r && test_grep "tom is not a student of c1" err &&
	refused github link c1 hw1 erin not-a-repo && test_grep "is not OWNER/REPO" err &&
	refused github link c1 hw1 erin a/b/c &&
	refused github link c1 hw1 erin "own er/x" &&
	refused github link c1 hw1 erin "o/.." &&
	refused github link c1 hw1 "Bad Login" o/r &&
	refused github link c1 hw1 erin &&
	refused github link c1 hw1 erin LIFEBELT-course/hw1-alice-gh &&
	test_grep "already mapped to another student repository" err
'

test_expect_success 'github status says who is mapped, and for the others why and what to do' '
	lifebelt student add c1 gina >/dev/null &&
	lifebelt github status c1 hw1 >out &&
	test_grep "^c1/hw1: GitHub repositories named lifebelt-course/hw1-{github}$" out &&
	test_grep "^alice (GitHub alice-gh): lifebelt-course/hw1-alice-gh$" out &&
	test_grep "^erin (GitHub -): erin-private/c-exercises$" out &&
	test_grep "^gina (GitHub -): none: no GitHub login; give one with .lifebelt student add c1 gina --github USER." out &&
	test "$(grep -c "last delivery: none" out)" = 6 &&
	test "$(grep -c "last mirrored: none" out)" = 6 &&
	! grep tom out &&
	refused github status c1 nope && test_grep "no assignment c1/nope" err
'

test_expect_success 'a name the pattern gives that is linked already stays with its link' '
	lifebelt github link c1 hw1 gina lifebelt-course/hw1-henry-gh >/dev/null &&
	lifebelt student add c1 henry --github henry-gh >/dev/null &&
	test "$(sqlite3 "$DB" "SELECT ifnull(github_repo, '\''-'\'') FROM repos WHERE path = '\''c1/hw1/henry.git'\''")" = - &&
	lifebelt github status c1 hw1 >out &&
	test_grep "^henry (GitHub henry-gh): none: the name the pattern gives is mapped to another repository" out &&
	test_grep "^gina (GitHub -): lifebelt-course/hw1-henry-gh$" out
'

test_expect_success 'github status of an assignment without a pattern' '
	lifebelt assignment add c1 hw2 --tests tests --due 2099-01-01T00:00:00Z >/dev/null &&
	lifebelt github status c1 hw2 >out &&
	test_grep "^c1/hw2: no --github pattern" out &&
	test_grep "^alice (GitHub alice-gh): none: the assignment has no --github pattern; link one with .lifebelt github link c1 hw2 alice OWNER/REPO.$" out
'

test_expect_success 'github secret from a file: stored 0600, never echoed' '
	printf "s3cr3t-from-a-file\n" >secret.txt &&
	lifebelt github secret secret.txt >out 2>&1 &&
	! grep s3cr3t out &&
	test_grep "webhook secret stored (18 bytes" out &&
	printf "s3cr3t-from-a-file" >expect &&
	test_cmp expect "$LIFEBELT_HOME/github/webhook-secret" &&
	test "$(stat -c %a "$LIFEBELT_HOME/github/webhook-secret")" = 600 &&
	test "$(stat -c %a "$LIFEBELT_HOME/github")" = 700
'

test_expect_success 'github secret from stdin replaces it' '
	printf "another secret" | lifebelt github secret - >out 2>&1 &&
	! grep "another" out &&
	printf "another secret" >expect &&
	test_cmp expect "$LIFEBELT_HOME/github/webhook-secret"
'

test_expect_success 'github secret refuses an empty or missing file, and keeps the old one' '
	: >empty &&
	test_must_fail lifebelt github secret empty 2>err &&
	test "$(wc -l <err)" = 1 && test_grep "is empty" err &&
	test_must_fail lifebelt github secret no-such-file 2>err &&
	test "$(wc -l <err)" = 1 &&
	test_must_fail lifebelt github secret 2>err &&
	test "$(wc -l <err)" = 1 &&
	test_cmp expect "$LIFEBELT_HOME/github/webhook-secret"
'

test_expect_success 'github deliveries with none yet says where GitHub posts' '
	lifebelt github deliveries >out &&
	test_grep "no deliveries yet" out
'

test_expect_success 'the commands are in the help and the man page' '
	lifebelt help >out &&
	test_grep "lifebelt github link COURSE NAME LOGIN OWNER/REPO" out &&
	test_grep "lifebelt github secret FILE|-" out &&
	lifebelt help assignment add >out &&
	test_grep "{github} in PATTERN" out
'

test_done
