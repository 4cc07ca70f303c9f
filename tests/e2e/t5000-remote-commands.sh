#!/bin/bash
test_description='ssh git@host lifebelt ...: course commands for their teachers, me for students, one refusal'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"

db() { sqlite3 "$LIFEBELT_HOME/lifebelt.db" "$@"; }
# remote WHO ARGS...: ssh WHO@server lifebelt ARGS (as one command line, as ssh sends it).
# One connection per person, shared by their sessions (each still gets the forced command).
remote() {
	who=$1
	shift
	ssh_as $who -o ControlMaster=auto -o ControlPath="$TRASH_DIRECTORY/cm-$who" \
		-o ControlPersist=30 $SSH_USER@127.0.0.1 "$@"
}
stop_masters() {
	for m in "$TRASH_DIRECTORY"/cm-*; do
		test -S "$m" && ssh -o ControlPath="$m" -O exit x 2>/dev/null
	done
	return 0
}

refusal() {
	printf "%s\n" "lifebelt: not allowed: you may run 'lifebelt me', and for the courses you teach 'lifebelt grades|submissions|extend|regrade|assignment list|show|edit|override COURSE ...' (see: ssh $SSH_USER@localhost lifebelt help)"
}

# refused WHO COMMAND: refused with the one line, nothing run.
refused() {
	test_expect_code 1 remote "$1" "$2" >out 2>err &&
	test_cmp expect-refusal err && test_must_be_empty out || { echo "$1: $2"; return 1; }
}
test_must_be_empty() { test ! -s "$1" || { cat "$1"; return 1; }; }
test_expect_code() { want=$1; shift; "$@"; got=$?; test $got = $want || { echo "exit $got, not $want"; return 1; }; }

gitd_course && start_sshd || { echo "Bail out! cannot set up a course and sshd"; exit 1; }

test_expect_success 'setup: a second course with its own teacher; alice hands work in, graded' '
	lifebelt course add cs102 >/dev/null &&
	lifebelt assignment add cs102 hw1 --tests tests-hw1 --due 2030-01-01T00:00:00Z >/dev/null &&
	lifebelt teacher add cs102 mallory --key mallory.key.pub >/dev/null &&
	lifebelt student add cs102 bob >/dev/null &&
	git_as alice clone -q $SSH_USER@127.0.0.1:cs101/hw1 hw1 &&
	(cd hw1 && echo "// done" >>main.c && git commit -qam work && git_as alice push -q 2>../push.out) &&
	lifebelt runner --drain 2>/dev/null &&
	lifebelt grades cs101 hw1 >out && test_grep "^alice .* 1/1" out
'

test_expect_success 'a teacher runs each read command remotely and sees what the server prints' '
	for cmd in "grades cs101 hw1" "grades cs101 hw1 --csv" "submissions cs101 hw1" \
		"submissions cs101 hw1 alice" "assignment list cs101" "assignment show cs101 hw1" \
		"help grades" "help assignment edit"
	do
		lifebelt $cmd >expect &&
		remote carol "lifebelt $cmd" >actual &&
		test_cmp expect actual || { echo "command: $cmd"; return 1; }
	done
'

test_expect_success 'a teacher changes their course remotely; the log names them' '
	remote carol lifebelt extend cs101 hw1 bob --until 2031-01-01T00:00:00Z >out &&
	test_grep "^bob has until 2031-01-01 00:00:00 UTC for cs101/hw1$" out &&
	test "$(db "SELECT until FROM extensions")" = 1924992000 &&
	remote carol lifebelt assignment edit cs101 hw1 --late-penalty 5 --points 4 >out &&
	test_grep "^cs101/hw1: late_penalty 0 -> 5$" out &&
	remote carol lifebelt grades cs101 hw1 >out && test_grep "^alice .* 4/4" out &&
	remote carol lifebelt assignment show cs101 hw1 >out &&
	test_grep "UTC  carol via ssh: late_penalty 0 -> 5$" out &&
	remote carol lifebelt regrade cs101 hw1 --no-wait >out &&
	test_grep "^requeued 1 submission of cs101/hw1$" out &&
	lifebelt runner --drain 2>/dev/null
'

test_expect_success 'a teacher overrides a grade remotely; the override names them' '
	remote carol "lifebelt override cs101 hw1 alice --score 1 --reason '\''oral exam'\''" >out &&
	test_grep "^override 1 of alice for cs101/hw1: score 1 of " out &&
	test "$(db "SELECT by FROM overrides")" = "carol via ssh" &&
	remote carol lifebelt override cs101 hw1 alice --undo >out &&
	test_grep "undone" out
'

test_expect_success 'quoted words reach the command as one argument' '
	remote carol "lifebelt assignment edit cs101 hw1 --due \"2030-02-01T00:00:00Z\" --close '\''never'\''" >out &&
	test_grep "due 2030-01-01 00:00:00 UTC -> 2030-02-01 00:00:00 UTC" out
'

test_expect_success 'errors and the exit status come through' '
	test_expect_code 1 remote carol lifebelt grades cs101 nope >out 2>err &&
	test_grep "^error: no assignment cs101/nope" err &&
	test_expect_code 1 remote carol lifebelt assignment edit cs101 hw1 --close 2020-01-01T00:00:00Z 2>err &&
	test_grep "would be before the due time" err
'


COMMANDS="grades cs101 hw1|grades cs101 hw1 --csv|submissions cs101 hw1|submissions cs101 hw1 alice|extend cs101 hw1 alice --until 2040-01-01T00:00:00Z|regrade cs101 hw1 --no-wait|assignment list cs101|assignment show cs101 hw1|assignment edit cs101 hw1 --late-days 9|override cs101 hw1 alice"

test_expect_success 'a student and another course'\''s teacher are refused every command alike' '
	refusal >expect-refusal &&
	test_snapshot before &&
	IFS="|" && for cmd in $COMMANDS; do
		unset IFS &&
		refused alice "lifebelt $cmd" && refused mallory "lifebelt $cmd" || return 1
	done &&
	unset IFS &&
	test_snapshot after && test_cmp before after
'

test_expect_success 'no other command, course or spelling reaches anything' '
	test_snapshot before &&
	for cmd in "lifebelt init" "lifebelt config set ssh.host evil" "lifebelt token alice" \
		"lifebelt course add x" "lifebelt shell alice" "lifebelt student add cs101 mallory" \
		"lifebelt grades cs102/../cs101 hw1" "lifebelt grades CS101 hw1" "lifebelt grades Cs101 hw1" \
		"lifebelt grades \"cs101 \" hw1" "lifebelt grades '\''cs101 '\'' hw1" "lifebelt grades cs101/ hw1" \
		"lifebelt grades ./cs101 hw1" "lifebelt grades сs101 hw1" "lifebelt grades cs101%00 hw1" \
		"lifebelt grades --csv cs101 hw1" "lifebelt grades -- cs101 hw1" "lifebelt grades" \
		"lifebelt me alice" "lifebelt me bob" "lifebelt nope" "lifebelt help init" "lifebelt help grades x"
	do
		refused mallory "$cmd" || return 1
	done &&
	for cmd in "lifebelt grades cs101 hw1; touch pwned" "lifebelt grades cs101 hw1 \$(touch pwned)" \
		"lifebelt grades cs101 hw1 \`touch pwned\`" "lifebelt grades cs101 hw1 | touch pwned" \
		"lifebelt grades cs101 hw1 && touch pwned" "lifebelt grades cs101 hw1 >pwned" \
		"lifebelt grades cs101 hw1 \"\$(touch pwned)\"" "lifebelt grades cs101 hw1 \"unclosed" \
		"lifebelt grades cs101 hw1 \\" "lifebelt;touch pwned" "lifebelt	grades cs101 hw1" \
		"lifebelt grades cs101 hw1
touch pwned" "lifebelt grades cs101 hw1 *" "lifebelt grades cs101 hw1 ~"
	do
		refused carol "$cmd" || return 1
	done &&
	test_snapshot after && test_cmp before after &&
	! test -e "$(getent passwd $SSH_USER | cut -d: -f6)/pwned" && ! test -e "$LIFEBELT_HOME/pwned"
'

test_expect_success 'lifebelt help lists what that login may run' '
	remote carol lifebelt help >out &&
	test_grep "^hello carol" out &&
	test_grep "for the courses you teach (cs101)" out &&
	test_grep "^   lifebelt assignment edit COURSE NAME" out &&
	test_grep "^   lifebelt me " out &&
	remote alice lifebelt >out &&
	test_grep "^   lifebelt me " out &&
	! grep "grades" out
'

test_expect_success 'lifebelt me: a student sees their courses, submissions, scores and receipts' '
	remote alice lifebelt me >out &&
	test_grep "^cs101:$" out &&
	test_grep "^  hw1: due 2030-02-01 00:00:00 UTC" out &&
	test_grep "^    counts: 4/4$" out &&
	test_grep "^    20[0-9-]* [0-9:]* UTC  [0-9a-f]\{10\}  on time  passed 1/1$" out &&
	receipt=$(sed -n "s/^ *receipt: //p" out) &&
	grep "receipt: $receipt" push.out &&
	lifebelt receipt verify "$receipt" &&
	! grep bob out && ! grep cs102 out &&
	lifebelt me alice >expect && test_cmp expect out &&
	remote bob lifebelt me >out &&
	test_grep "^cs102:$" out && ! grep receipt out &&
	remote carol lifebelt me >out && test_grep "^cs101: you teach it" out
'

test_expect_success 'through lifebelt shell too, when lifebelt-shell is not installed' '
	stop_masters &&
	mkdir bin && cp "$LIFEBELT_BIN" bin/lifebelt &&
	sed -i "s|command=\"[^ ]* --home|command=\"$TRASH_DIRECTORY/bin/lifebelt shell --home|" \
		"$LIFEBELT_HOME/ssh/authorized_keys" &&
	test_grep "bin/lifebelt shell --home" "$LIFEBELT_HOME/ssh/authorized_keys" &&
	lifebelt grades cs101 hw1 >expect &&
	remote carol lifebelt grades cs101 hw1 >actual && test_cmp expect actual &&
	refused mallory "lifebelt grades cs101 hw1" &&
	stop_masters
'

stop_masters
test_done
