#!/bin/sh
test_description='pre-receive: a time limit, and an end with the push that started it'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

repo=$TRASH_DIRECTORY/home/repos/cs101/hw1/alice.git
hook=$TRASH_DIRECTORY/home/hooks/pre-receive

# The hook run as git runs it, on an object directory whose list of
# alternates is a FIFO nobody writes: opening the repository then never
# finishes, standing for any check that takes too long.
cat >stuck-hook.sh <<-\EOF
cd "$1" && GIT_DIR=. GIT_OBJECT_DIRECTORY=$2 exec "$3" <"$4"
EOF

# gone PID: the process has ended (a zombie waiting for its reaper counts).
gone() {
	! test -e "/proc/$1" || grep -q "^[0-9]* (.*) Z" "/proc/$1/stat"
}

test_expect_success 'setup' '
	hooks_setup cs101 hw1 "$(iso_in 86400)" "" alice &&
	mkdir -p stuck/info && mkfifo stuck/info/alternates &&
	tip=$(git -C "$repo" rev-parse main) &&
	echo "$tip $tip refs/heads/main" >updates
'

test_expect_success 'a check longer than push.check_seconds refuses the push with one line' '
	lifebelt config set push.check_seconds 1 >/dev/null &&
	{ timeout 60 sh stuck-hook.sh "$repo" "$PWD/stuck" "$hook" "$PWD/updates" 2>err; code=$?; } &&
	test "$code" = 1 &&
	test_grep "^refusing the push: the server took too long checking this push (more than 1 seconds); push fewer branches or commits at a time$" err
'

test_expect_success 'a hook whose git-receive-pack is gone ends at once' '
	lifebelt config set push.check_seconds 600 >/dev/null &&
	rm -f hook.pid &&
	sh -c "sh stuck-hook.sh \"\$@\" 2>err & echo \$! >hook.pid; wait" sh \
		"$repo" "$PWD/stuck" "$hook" "$PWD/updates" &
	parent=$! &&
	i=0 && while ! grep -qs wait_for_partner "/proc/$(cat hook.pid 2>/dev/null)/wchan" &&
		test $i -lt 300; do sleep 0.1; i=$((i + 1)); done &&
	pid=$(cat hook.pid) &&
	grep -q wait_for_partner "/proc/$pid/wchan" &&
	kill -KILL $parent &&
	i=0 && while ! gone $pid && test $i -lt 300; do sleep 0.1; i=$((i + 1)); done &&
	{ gone $pid; ok=$?; } &&
	{ kill -KILL $pid 2>/dev/null; test $ok = 0; }
'

test_done
