#!/bin/sh
test_description='assignments: repositories with starter files, policy config, extensions'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	lifebelt init >/dev/null && lifebelt course add cs101 >/dev/null &&
	lifebelt student add cs101 alice >/dev/null &&
	lifebelt student add cs101 bob >/dev/null &&
	test_make_tests_dir tests &&
	mkdir -p starter/src && echo "int main(void) { return 0; }" >starter/src/main.c &&
	printf "#!/bin/sh\necho hi\n" >starter/run.sh && chmod +x starter/run.sh &&
	ln -s src/main.c starter/link.c
'

test_expect_success 'assignment add makes one repository per student with the starter commit' '
	lifebelt assignment add cs101 hw1 --tests tests --starter starter \
		--due 2030-12-01T23:59:00+01:00 --late-days 2 --late-penalty 10 >out &&
	test_grep "assignment cs101/hw1 created: due 2030-12-01 22:59:00 UTC, closes 2030-12-03 22:59:00 UTC; 2 student repositories" out &&
	for s in alice bob; do
		r="$LIFEBELT_HOME/repos/cs101/hw1/$s.git" &&
		test "$(git --git-dir="$r" rev-parse --is-bare-repository)" = true &&
		test "$(git --git-dir="$r" log --format=%s main)" = "Starter files for cs101/hw1" || return 1
	done &&
	git clone -q "$LIFEBELT_HOME/repos/cs101/hw1/alice.git" alice &&
	test_cmp starter/src/main.c alice/src/main.c &&
	test -x alice/run.sh &&
	test "$(readlink alice/link.c)" = src/main.c
'

test_expect_success 'the repositories carry the push policy and the hooks' '
	r="$LIFEBELT_HOME/repos/cs101/hw1/bob.git" &&
	for k in receive.denyNonFastForwards receive.denyDeletes receive.fsckObjects receive.advertisePushOptions; do
		test "$(git --git-dir="$r" config --bool $k)" = true || return 1
	done &&
	test "$(git --git-dir="$r" config receive.maxInputSize)" = $((4 * 52428800)) &&
	test "$(git --git-dir="$r" config core.logAllRefUpdates)" = always &&
	test "$(git --git-dir="$r" config core.hooksPath)" = "$LIFEBELT_HOME/hooks"
'

test_expect_success 'the tests are copied into the data directory with a version' '
	test_cmp tests/lifebelt.json "$LIFEBELT_HOME/tests/cs101/hw1/lifebelt.json" &&
	v=$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT tests_version FROM assignments WHERE name = \"hw1\"") &&
	test ${#v} -eq 64
'

test_expect_success 'a student added later gets the repository too' '
	lifebelt student add cs101 carol >out &&
	test_grep "1 repository created" out &&
	git --git-dir="$LIFEBELT_HOME/repos/cs101/hw1/carol.git" log --oneline main >log &&
	test $(wc -l <log) -eq 1
'

test_expect_success 'without a starter the repository is empty, on the chosen branch' '
	lifebelt assignment add cs101 hw2 --tests tests --due 2030-12-01T00:00:00Z --branch trunk >/dev/null &&
	r="$LIFEBELT_HOME/repos/cs101/hw2/alice.git" &&
	test "$(git --git-dir="$r" symbolic-ref HEAD)" = refs/heads/trunk &&
	test_must_fail git --git-dir="$r" rev-parse --verify -q trunk &&
	test "$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT close IS NULL FROM assignments WHERE name = \"hw2\"")" = 1
'

test_expect_success 'bad assignment input is refused with one line and leaves no trace' '
	test_snapshot before &&
	test_must_fail lifebelt assignment add cs101 hw1 --tests tests --due 2030-12-01T00:00:00Z 2>err &&
	test_grep "assignment cs101/hw1 already exists" err &&
	test_must_fail lifebelt assignment add cs101 hw9 --due 2030-12-01T00:00:00Z 2>err &&
	test_grep "missing --tests" err &&
	test_must_fail lifebelt assignment add cs101 hw9 --tests tests 2>err &&
	test_grep "missing --due" err &&
	test_must_fail lifebelt assignment add cs101 hw9 --tests tests --due "next friday" 2>err &&
	test_grep "bad time for --due: .next friday." err &&
	test_must_fail lifebelt assignment add cs101 hw9 --tests tests --due 2030-12-01T23:59:00 2>err &&
	test_grep "with an offset" err &&
	test_must_fail lifebelt assignment add cs101 hw9 --tests tests --due 2030-12-02T00:00:00Z --close 2030-12-01T00:00:00Z 2>err &&
	test_grep "before --due" err &&
	test_must_fail lifebelt assignment add cs101 hw9 --tests tests --due 2030-12-01T00:00:00Z --late-penalty 150 2>err &&
	test_grep "bad value for --late-penalty" err &&
	test_must_fail lifebelt assignment add cs101 hw9 --tests tests --due 2030-12-01T00:00:00Z --late-days 1.5 2>err &&
	test_grep "whole number" err &&
	test_must_fail lifebelt assignment add cs101 hw9 --tests nowhere --due 2030-12-01T00:00:00Z 2>err &&
	test_grep "tests .nowhere. is not a directory" err &&
	mkdir empty &&
	test_must_fail lifebelt assignment add cs101 hw9 --tests empty --due 2030-12-01T00:00:00Z 2>err &&
	test_grep "has no lifebelt.json" err &&
	mkdir badjson && echo "{ \"tests\": [ }" >badjson/lifebelt.json &&
	test_must_fail lifebelt assignment add cs101 hw9 --tests badjson --due 2030-12-01T00:00:00Z 2>err &&
	test_grep "badjson/lifebelt.json: line 1" err &&
	test_must_fail lifebelt assignment add cs101 hw9 --tests tests --starter nowhere --due 2030-12-01T00:00:00Z 2>err &&
	test_grep "starter .nowhere. is not a directory" err &&
	test_must_fail lifebelt assignment add cs101 HW9 --tests tests --due 2030-12-01T00:00:00Z 2>err &&
	test_grep "assignment .HW9. is not valid" err &&
	test_must_fail lifebelt assignment add nocourse hw9 --tests tests --due 2030-12-01T00:00:00Z 2>err &&
	test_grep "no course" err &&
	test_snapshot after &&
	test_cmp before after
'

test_expect_success 'a failure half way removes every repository made' '
	mkdir -p "$LIFEBELT_HOME/repos/cs101/hw3" &&
	mkdir "$LIFEBELT_HOME/repos/cs101/hw3/carol.git" &&
	test_snapshot before &&
	test_must_fail lifebelt assignment add cs101 hw3 --tests tests --due 2030-12-01T00:00:00Z 2>err &&
	test_grep "already exists" err &&
	test_snapshot after &&
	test_cmp before after &&
	test ! -e "$LIFEBELT_HOME/repos/cs101/hw3/alice.git"
'

test_expect_success 'extend gives one student more time' '
	lifebelt extend cs101 hw1 bob --until 2030-12-10T12:00:00Z >out &&
	test_grep "bob has until 2030-12-10 12:00:00 UTC for cs101/hw1" out &&
	lifebelt extend cs101 hw1 bob --until 2030-12-11T12:00:00Z >/dev/null &&
	test "$(sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT count(*) || \" \" || max(until) FROM extensions")" = "1 1923220800"
'

test_expect_success 'extend refuses unknown names and bad times, changing nothing' '
	test_snapshot before &&
	test_must_fail lifebelt extend cs101 hw1 dave --until 2030-12-10T12:00:00Z 2>err &&
	test_grep "dave is not a student of cs101" err &&
	test_must_fail lifebelt extend cs101 hw7 bob --until 2030-12-10T12:00:00Z 2>err &&
	test_grep "no assignment cs101/hw7" err &&
	test_must_fail lifebelt extend cs101 hw1 bob --until soon 2>err &&
	test_grep "bad time for --until" err &&
	test_must_fail lifebelt extend cs101 hw1 bob 2>err &&
	test_grep "missing --until" err &&
	test_snapshot after &&
	test_cmp before after
'

test_done
