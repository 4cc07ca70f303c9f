#!/bin/sh
test_description='make run: the demo sets itself up and its clone line works'
. "$(dirname "$0")/test-lib.sh"

port=$(test_free_port)

test_expect_success 'the demo sets up a course, prints a clone line and serves' '
	# (The demo makes its data directory itself: its executor is set before it serves.)
	if test -n "${LIFEBELT_TEST_EXECUTOR:-}"; then
		DEMO_DIR="$TRASH_DIRECTORY/demo" DEMO_NO_SERVE=1 "$SRC_ROOT/cli/demo.sh" >/dev/null &&
		LIFEBELT_HOME="$TRASH_DIRECTORY/demo/home" \
			"$LIFEBELT_BIN" config set runner.executor "$LIFEBELT_TEST_EXECUTOR" >/dev/null
	fi &&
	DEMO_DIR="$TRASH_DIRECTORY/demo" DEMO_PORT=$port test_bg "$SRC_ROOT/cli/demo.sh" >out 2>serve.err &&
	test_wait_port $port &&
	test_grep "git clone http://alice:lbt_[0-9a-f]*@127.0.0.1:$port/git/cs101/hello.git hello" out &&
	test "$(curl -s http://127.0.0.1:$port/healthz)" = ok
'

test_expect_success 'the printed clone and push lines work, and the push is graded' '
	line=$(sed -n "s/^ *git clone //p" out) &&
	git clone -q $line &&
	(cd hello && test -f hello.c &&
	 cat >hello.c <<-\EOF &&
	#include <stdio.h>
	int main(int argc, char **argv)
	{
		if (argc > 1 && argv[1][0])
			printf("Hello, %s!\n", argv[1]);
		else
			printf("Hello, world!\n");
		return 0;
	}
	EOF
	 git commit -qam "Greet by name" && git push -o wait origin main 2>../push.out) &&
	test_grep "submission 1 for cs101/hello received" push.out &&
	test_grep "verdict: passed, score 10/10" push.out
'

test_expect_success 'the student page printed by the demo shows the result' '
	page=$(sed -n "s/^Alice.s own page: *//p" out) &&
	curl -s "$page" >page.html &&
	test_grep "10 / 10" page.html
'

test_expect_success 'running the demo again keeps what is there' '
	DEMO_DIR="$TRASH_DIRECTORY/demo" DEMO_NO_SERVE=1 "$SRC_ROOT/cli/demo.sh" >out2 &&
	! grep -q "Setting up" out2 &&
	LIFEBELT_HOME="$TRASH_DIRECTORY/demo/home" lifebelt submissions cs101 hello >subs &&
	test $(wc -l <subs) -eq 1
'

test_done
