# test-lib.sh: the harness for end-to-end tests, in the manner of git's t/.
#
# A script sets test_description, sources this file, calls
# test_expect_success 'title' 'commands' as often as it likes and ends with
# test_done. Each script runs in its own trash directory with its own
# LIFEBELT_HOME; every process started with test_bg is killed at exit.
# Output is TAP, for prove.

set -u
TEST_DIRECTORY=$(cd "$(dirname "$0")" && pwd)
SRC_ROOT=$(cd "$TEST_DIRECTORY/../.." && pwd)
: "${LIFEBELT_BUILD:=$SRC_ROOT/build}"
LIFEBELT_BIN=$LIFEBELT_BUILD/lifebelt
if ! test -x "$LIFEBELT_BIN"; then
	echo "Bail out! no lifebelt binary at $LIFEBELT_BIN (run make first)"
	exit 1
fi
PATH=$LIFEBELT_BUILD:$PATH
export PATH LIFEBELT_BIN

test_name=$(basename "$0" .sh)
TRASH_DIRECTORY=${TMPDIR:-/tmp}/lifebelt-test.$test_name.$$
rm -rf "$TRASH_DIRECTORY"
mkdir -p "$TRASH_DIRECTORY" || exit 1
cd "$TRASH_DIRECTORY" || exit 1
LIFEBELT_HOME=$TRASH_DIRECTORY/home
HOME=$TRASH_DIRECTORY
GIT_CONFIG_NOSYSTEM=1
GIT_AUTHOR_NAME='A U Thor'
GIT_AUTHOR_EMAIL=author@example.com
GIT_COMMITTER_NAME='C O Mitter'
GIT_COMMITTER_EMAIL=committer@example.com
export LIFEBELT_HOME HOME GIT_CONFIG_NOSYSTEM GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL \
	GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
git config --global init.defaultBranch main
git config --global advice.detachedHead false
# ASan builds: fail loudly, keep going in hooks' children.
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS

test_count=0
test_failures=0
test_bg_pids=

say() { echo "# $*"; }

# Prerequisites, as in git's t/: a test that needs one is skipped without it.
# LOCAL_EXECUTOR: the jobs run in the local sandbox (bubblewrap on this
# host), not with LIFEBELT_TEST_EXECUTOR's executor (tests/slurm/), so a
# test may look at the sandbox's own machinery here: its cgroups, holder,
# mounts, CPU shares. A verdict is never such a test's only check.
test_prereqs=
case ${LIFEBELT_TEST_EXECUTOR:-bwrap} in
bwrap) test_prereqs=LOCAL_EXECUTOR ;;
esac

test_have_prereq() {
	case " $test_prereqs " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

# test_expect_success [PREREQ] 'title' 'commands'
test_expect_success() {
	test_count=$((test_count + 1))
	if test $# = 3; then
		if ! test_have_prereq "$1"; then
			echo "ok $test_count # skip $2 (missing $1: jobs run with the" \
				"${LIFEBELT_TEST_EXECUTOR:-} executor)"
			return 0
		fi
		shift
	fi
	if (eval "$2") >"$TRASH_DIRECTORY/.out.$test_count" 2>&1; then
		echo "ok $test_count - $1"
	else
		test_failures=$((test_failures + 1))
		echo "not ok $test_count - $1"
		sed -e 's/^/#   /' "$TRASH_DIRECTORY/.out.$test_count" | tail -n 40
	fi
}

# Run a command that must fail with a normal error exit (not a signal or crash).
test_must_fail() {
	"$@"
	code=$?
	if test $code -eq 0; then
		echo "test_must_fail: command succeeded: $*" >&2
		return 1
	elif test $code -gt 128 && test $code -le 192; then
		echo "test_must_fail: died by signal: $*" >&2
		return 1
	elif test $code -eq 127; then
		echo "test_must_fail: command not found: $*" >&2
		return 1
	fi
	return 0
}

test_cmp() {
	diff -u "$@"
}

# test_grep PATTERN FILE: grep that shows the file when it does not match.
test_grep() {
	if ! grep -q -e "$1" "$2"; then
		echo "test_grep: no '$1' in $2:" >&2
		sed 's/^/| /' "$2" >&2
		return 1
	fi
}

# Start a background process that is killed (with its group) when the script ends.
# The pid goes to a file because test bodies run in subshells.
test_bg() {
	setsid "$@" &
	test_bg_pids="$test_bg_pids $!"
	echo $! >>"$TRASH_DIRECTORY/.bg-pids"
}

test_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Wait until a TCP port on 127.0.0.1 accepts connections (10 s at most).
test_wait_port() {
	python3 - "$1" <<-\PY
	import socket, sys, time
	end = time.time() + 10
	while time.time() < end:
	    try:
	        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.5).close()
	        sys.exit(0)
	    except OSError:
	        time.sleep(0.02)
	print("port %s never opened" % sys.argv[1], file=sys.stderr)
	sys.exit(1)
	PY
}

# Remove PATH (outside the trash directory) when the script ends.
test_cleanup_path() {
	echo "$1" >>"$TRASH_DIRECTORY/.cleanup-paths"
}

test_cleanup() {
	if test -f "$TRASH_DIRECTORY/.cleanup-paths"; then
		while read -r p; do rm -rf "$p"; done <"$TRASH_DIRECTORY/.cleanup-paths"
		rm -f "$TRASH_DIRECTORY/.cleanup-paths"
	fi
	test -f "$TRASH_DIRECTORY/.bg-pids" && test_bg_pids=$(cat "$TRASH_DIRECTORY/.bg-pids")
	rm -f "$TRASH_DIRECTORY/.bg-pids"
	for p in $test_bg_pids; do
		kill -TERM "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null
	done
	for p in $test_bg_pids; do
		i=0
		while kill -0 "$p" 2>/dev/null && test $i -lt 50; do sleep 0.1; i=$((i + 1)); done
		kill -KILL "-$p" 2>/dev/null
	done
	test_bg_pids=
	# What a suite's own library starts out of test_bg's reach (its daemons' children).
	if command -v test_cleanup_more >/dev/null 2>&1; then test_cleanup_more; fi
}
trap test_cleanup EXIT

# With LIFEBELT_TEST_EXECUTOR, every job a script graded must have been
# graded by that executor, as its provenance says ("sandbox": {"kind": ...}),
# in every data directory of the script; a job with no sandbox (a checkout
# refused before one was opened) ran nowhere. A script that grades nothing
# passes. Checked once every daemon is stopped.
test_check_executor() {
	find "$TRASH_DIRECTORY" -name lifebelt.db -type f >"$TRASH_DIRECTORY/.dbs" 2>/dev/null
	: >"$TRASH_DIRECTORY/.other"
	_graded=0
	while read -r _db; do
		_n=$(sqlite3 -readonly "$_db" "SELECT count(*) FROM jobs
			WHERE json_extract(provenance, '$.sandbox.kind') = '$LIFEBELT_TEST_EXECUTOR'" 2>/dev/null) ||
			continue
		_graded=$((_graded + _n))
		sqlite3 -readonly -separator ' ' "$_db" "SELECT '$_db: job', id, 'graded by',
			coalesce(json_extract(provenance, '$.sandbox.kind'), 'null')
			FROM jobs WHERE json_type(provenance, '$.sandbox') = 'object' AND
			coalesce(json_extract(provenance, '$.sandbox.kind'), '') <> '$LIFEBELT_TEST_EXECUTOR'" \
			>>"$TRASH_DIRECTORY/.other"
	done <"$TRASH_DIRECTORY/.dbs"
	# What lifebelt try graded (test_try_with_executor).
	if test -f "$TRASH_DIRECTORY/.try-kinds"; then
		_n=$(grep -cx "$LIFEBELT_TEST_EXECUTOR" "$TRASH_DIRECTORY/.try-kinds")
		_graded=$((_graded + _n))
		grep -vx "$LIFEBELT_TEST_EXECUTOR" "$TRASH_DIRECTORY/.try-kinds" |
			sed 's/^/lifebelt try: graded by /' >>"$TRASH_DIRECTORY/.other"
	fi
	echo "# $_graded jobs graded by the $LIFEBELT_TEST_EXECUTOR executor"
	test -s "$TRASH_DIRECTORY/.other" || return 0
	sed 's/^/# /' "$TRASH_DIRECTORY/.other"
	return 1
}

test_done() {
	test_cleanup
	if test -n "${LIFEBELT_TEST_EXECUTOR:-}"; then
		test_count=$((test_count + 1))
		if test_check_executor; then
			echo "ok $test_count - every job was graded by the $LIFEBELT_TEST_EXECUTOR executor"
		else
			test_failures=$((test_failures + 1))
			echo "not ok $test_count - every job was graded by the $LIFEBELT_TEST_EXECUTOR executor"
		fi
	fi
	echo "1..$test_count"
	if test $test_failures -eq 0; then
		cd / && chmod -R u+rwx "$TRASH_DIRECTORY" 2>/dev/null
		rm -rf "$TRASH_DIRECTORY"
		exit 0
	fi
	say "failed $test_failures of $test_count; trash kept in $TRASH_DIRECTORY"
	exit 1
}

# Helpers for the common setup: an initialised home with a course.
# LIFEBELT_TEST_EXECUTOR=slurm (tests/slurm/) runs a script's jobs with that executor.
# A job that met a fault is retried after 1 s, then 2 s, rather than 10 and 20.
lifebelt() {
	if test "${1:-}" = try && test -n "${LIFEBELT_TEST_EXECUTOR:-}"; then
		test_try_with_executor "$@"
		return
	fi
	"$LIFEBELT_BIN" "$@" || return
	test "$1" = init || return 0
	"$LIFEBELT_BIN" config set runner.retry_seconds 1 >/dev/null || return
	if test -n "${LIFEBELT_TEST_EXECUTOR:-}"; then
		"$LIFEBELT_BIN" config set runner.executor "$LIFEBELT_TEST_EXECUTOR" >/dev/null
	fi
}

# lifebelt try with LIFEBELT_TEST_EXECUTOR: try grades where a server's
# jobs are graded, so a script with no data directory of its own tries in
# one whose runner.executor is that executor. The executor try used (its
# "sandbox:" line) is kept for test_check_executor.
test_try_with_executor() {
	_home=$LIFEBELT_HOME
	if ! test -f "$_home/lifebelt.db"; then
		_home=$TRASH_DIRECTORY/.try-home
		test -f "$_home/lifebelt.db" || {
			LIFEBELT_HOME=$_home "$LIFEBELT_BIN" init >/dev/null &&
			LIFEBELT_HOME=$_home "$LIFEBELT_BIN" config set runner.executor \
				"$LIFEBELT_TEST_EXECUTOR" >/dev/null
		} || return
	fi
	_out=$(mktemp "$TRASH_DIRECTORY/.try-out.XXXXXX") || return
	LIFEBELT_HOME=$_home "$LIFEBELT_BIN" "$@" >"$_out"
	_rc=$?
	cat "$_out"
	sed -n 's/^sandbox: {"kind":"\([a-z]*\)".*/\1/p' "$_out" >>"$TRASH_DIRECTORY/.try-kinds"
	rm -f "$_out"
	return $_rc
}

test_make_key() {
	ssh-keygen -q -t ed25519 -N '' -C "$1@test" -f "$TRASH_DIRECTORY/$1.key" </dev/null >/dev/null
}

test_make_tests_dir() {
	mkdir -p "$1"
	cat >"$1/lifebelt.json" <<-\JSON
	{ "build": "true", "tests": [ { "name": "runs", "run": "true", "points": 1 } ] }
	JSON
}

# A snapshot of everything stored: the database's rows and the data directory's files.
test_snapshot() {
	{
		sqlite3 "$LIFEBELT_HOME/lifebelt.db" .dump
		(cd "$LIFEBELT_HOME" && find . -path ./lifebelt.db-wal -prune -o -path ./lifebelt.db-shm -prune \
			-o -path ./lifebelt.db -prune -o -print | LC_ALL=C sort)
	} >"$1"
}

# test_wait_until COMMAND...: run COMMAND until it succeeds, 20 s at most (then say so and fail).
test_wait_until() {
	_i=0
	until "$@"; do
		_i=$((_i + 1))
		test $_i -lt 400 || { echo "timed out waiting until: $*"; return 1; }
		sleep 0.05
	done
}
