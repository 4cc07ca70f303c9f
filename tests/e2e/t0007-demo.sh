#!/bin/sh
test_description='make run: the demo sets itself up and its clone line works'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'the demo sets up a course and prints a clone line' '
	DEMO_DIR="$TRASH_DIRECTORY/demo" DEMO_NO_SERVE=1 "$SRC_ROOT/cli/demo.sh" >out &&
	test_grep "git clone .*/repos/cs101/hello/alice.git hello" out
'

test_expect_success 'the printed clone and push lines work' '
	line=$(sed -n "s/^ *git clone //p" out) &&
	(cd "$TRASH_DIRECTORY" && git clone -q $line) &&
	(cd hello && test -f hello.c && echo "/* ok */" >>hello.c &&
	 git commit -qam "Greet" && git push origin main 2>../push.out) &&
	test_grep "submission 1 for cs101/hello received" push.out
'

test_expect_success 'running the demo again keeps what is there' '
	DEMO_DIR="$TRASH_DIRECTORY/demo" DEMO_NO_SERVE=1 "$SRC_ROOT/cli/demo.sh" >out2 &&
	! grep -q "Setting up" out2 &&
	LIFEBELT_HOME="$TRASH_DIRECTORY/demo/home" lifebelt submissions cs101 hello >subs &&
	test $(wc -l <subs) -eq 1
'

test_expect_success 'the server starts and answers its health check' '
	port=$(test_free_port) &&
	DEMO_DIR="$TRASH_DIRECTORY/demo" DEMO_PORT=$port test_bg "$SRC_ROOT/cli/demo.sh" >serve.out 2>&1 &&
	test_wait_port $port &&
	test "$(curl -s http://127.0.0.1:$port/healthz)" = ok
'

test_done
