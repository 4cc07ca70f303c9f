#!/bin/sh
test_description='the sandbox shows its memory and CPU limits, read-only, where the JVM and node look for them'
. "$(dirname "$0")/test-lib.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

if ! command -v javac >/dev/null || ! command -v node >/dev/null; then
	echo "1..0 # SKIP javac or node missing (tests/deps.sh installs them)"
	exit 0
fi

# A correct Java program that makes garbage: ten times the job's memory (256 MiB) in
# 64 KiB arrays, the last 24 MiB of them alive. A JVM that sizes its heap from the
# host's memory lets dead arrays pile up past the limit before it collects them (its
# young generation alone is a third of its first heap, 1/64 of the host's memory),
# and is killed. It prints the CPUs the JVM counts.
cat >Garbage.java <<\EOF_JAVA
public class Garbage {
	public static void main(String[] args) {
		byte[][] alive = new byte[384][];
		long sum = 0;

		for (int i = 0; i < 2560 * 16; i++) {
			alive[i % alive.length] = new byte[65536];
			alive[i % alive.length][i % 65536] = (byte)i;
			sum += alive[(i + 1) % alive.length] == null ? 0 : 1;
		}
		System.out.println("made 2560 MiB of garbage, " + sum);
		System.out.println("cpus " + Runtime.getRuntime().availableProcessors());
	}
}
EOF_JAVA

# Tries to make each cgroup mount writable again, with the old and the new mount calls.
cat >remount.c <<\EOF_C
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct mount_attr ma = { 0, MOUNT_ATTR_RDONLY, 0, 0 };
	int i;

	for (i = 1; i < argc; i++) {
		if (!mount(NULL, argv[i], NULL, MS_REMOUNT | MS_BIND, NULL))
			printf("REMOUNTED %s\n", argv[i]);
		else
			printf("remount %s: %s\n", argv[i], strerror(errno));
		if (!syscall(SYS_mount_setattr, AT_FDCWD, argv[i], 0, &ma, sizeof(ma)))
			printf("REMOUNTED %s\n", argv[i]);
		else
			printf("mount_setattr %s: %s\n", argv[i], strerror(errno));
	}
	return 0;
}
EOF_C

# Two students, two jobs graded side by side by two workers, each with its share of the CPUs.
test_expect_success 'set up a Java assignment with a 256 MiB memory limit, graded by two workers' '
	lifebelt init &&
	lifebelt course add c1 &&
	lifebelt student add c1 ann &&
	lifebelt student add c1 ben &&
	mkdir tests &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "build": "javac Garbage.java && cc -o remount remount.c",
	  "limits": { "memory_mb": 256, "wall_seconds": 20, "cpu_seconds": 20 },
	  "tests": [
	    { "name": "garbage", "run": "java Garbage; nproc", "output": "made 2560 MiB of garbage",
	      "comparison": "included" },
	    { "name": "container", "run": "java -Xlog:os+container=trace -XX:+PrintFlagsFinal -version 2>&1" },
	    { "name": "node", "run": "node -e \"console.log(process.constrainedMemory(), require(String.fromCharCode(118, 56)).getHeapStatistics().heap_size_limit)\"" },
	    { "name": "env", "run": "printenv GOMEMLIMIT" },
	    { "name": "mountinfo", "run": "cat /proc/self/mountinfo" },
	    { "name": "write", "run": "for f in /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory.max; do test -e $f || continue; echo 9999999999 >$f && echo WROTE $f; ./remount ${f%/*}; cat $f; done 2>&1" }
	  ] }
	JSON
	lifebelt assignment add c1 h --tests tests --due 2030-01-01T00:00:00Z &&
	git clone -q "$LIFEBELT_HOME/repos/c1/h/ann.git" m 2>/dev/null &&
	cp Garbage.java remount.c m/ &&
	(cd m && git add -A && git commit -q -m garbage && git push -q origin HEAD:main &&
	 git push -q "$LIFEBELT_HOME/repos/c1/h/ben.git" HEAD:main) 2>/dev/null &&
	lifebelt runner --workers 2 --drain 2>runner.log &&
	test "$(db "SELECT group_concat(state) FROM jobs")" = done,done &&
	db "SELECT job_id, name, verdict, detail FROM results"
'

# shown NAME [JOB]: what test NAME printed (in job JOB, else the first).
shown() { db "SELECT output FROM results WHERE job_id = ${2:-1} AND name = '$1'"; }
verdict() { db "SELECT verdict FROM results WHERE job_id = ${2:-1} AND name = '$1'"; }

test_expect_success 'the JVM sizes its heap from the job'"'"'s memory limit, not the host'"'"'s' '
	shown container >container && cat container &&
	test_grep "Memory Limit is: 268435456" container &&
	heap=$(awk "\$2 == \"MaxHeapSize\" { print \$4 }" container) &&
	test "$heap" -gt 0 && test "$heap" -le 134217728
'

test_expect_success 'a Java program that makes ten times the limit in garbage passes' '
	shown garbage >garbage && cat garbage &&
	test "$(verdict garbage)" = pass
'

# cpus FILE: the CPUs the JVM counted, and nproc's, in the garbage test's output FILE.
cpus() { echo "$(sed -n "s/^cpus //p" "$1") $(grep -x "[0-9][0-9]*" "$1")"; }

# The runner sets no CPU quota: a worker's share of the CPUs is where its steps may run.
test_expect_success LOCAL_EXECUTOR 'the JVM counts the CPUs of its worker'"'"'s share, as nproc does' '
	for job in 1 2; do
		shown garbage $job >garbage$job && cat garbage$job &&
		test "$(verdict garbage $job)" = pass &&
		share=$(db "SELECT provenance FROM jobs WHERE id = $job" | sed -n "s/.*\"cpus\":\([0-9]*\).*/\1/p") &&
		test "$(cpus garbage$job)" = "$share $share" || return 1
	done &&
	if test "$(nproc)" -ge 2; then test "$share" -lt "$(nproc)"; fi
'

test_expect_success 'node sees the memory limit, and sizes its heap by it' '
	shown node >node && cat node &&
	test "$(cut -d" " -f1 node)" = 268435456 &&
	test "$(cut -d" " -f2 node)" -le 536870912
'

test_expect_success 'GOMEMLIMIT is nine tenths of the memory limit' '
	test "$(shown env)" = 230MiB
'

test_expect_success 'the limits cannot be raised from inside, neither by writing nor by remounting' '
	shown write >write && cat write &&
	test_grep "Read-only file system" write &&
	test_grep "^remount /sys/fs/cgroup.*: Operation not permitted" write &&
	test_grep "^mount_setattr /sys/fs/cgroup.*: Operation not permitted" write &&
	! grep -e WROTE -e REMOUNTED write &&
	test_grep "^268435456\$" write
'

test_expect_success 'the cgroup mounts show the job'"'"'s own cgroup as their root, and no host path' '
	shown mountinfo >mountinfo && cat mountinfo &&
	grep " / /sys/fs/cgroup[/ ]" mountinfo >cgroups &&
	! grep -v " ro," cgroups &&
	! grep " /sys/fs/cgroup" mountinfo | grep -v " / /sys/fs/cgroup[/ ]" &&
	for p in "$LIFEBELT_HOME" "$TRASH_DIRECTORY" "$LIFEBELT_BUILD" "$SRC_ROOT" /run/lifebelt; do
		! grep -F "$p" mountinfo || return 1
	done &&
	! grep "lifebelt-w[0-9]" mountinfo
'

# A root runner without lifebelt-holder installed gives each step a bubblewrap sandbox of its own.
test_expect_success LOCAL_EXECUTOR 'a sandbox per step (no lifebelt-holder) shows the same, read-only, and GOMEMLIMIT' '
	mkdir bin tests2 &&
	cp "$LIFEBELT_BUILD/lifebelt" bin/ &&
	cat >tests2/lifebelt.json <<-\JSON &&
	{ "limits": { "memory_mb": 256 },
	  "tests": [
	    { "name": "container", "run": "java -Xlog:os+container=trace -version 2>&1" },
	    { "name": "mountinfo", "run": "cat /proc/self/mountinfo" },
	    { "name": "write", "run": "echo 9999999999 >/sys/fs/cgroup/memory/memory.limit_in_bytes || echo 9999999999 >/sys/fs/cgroup/memory.max || echo refused" },
	    { "name": "env", "run": "printenv GOMEMLIMIT" }
	  ] }
	JSON
	lifebelt assignment add c1 h2 --tests tests2 --due 2030-01-01T00:00:00Z &&
	git -C m push -q "$LIFEBELT_HOME/repos/c1/h2/ann.git" HEAD:main 2>/dev/null &&
	bin/lifebelt runner --drain 2>runner.log &&
	job=$(db "SELECT max(id) FROM jobs") &&
	db "SELECT provenance FROM jobs WHERE id = $job" | grep "\"sandbox_per\":\"step\"" &&
	shown container $job >container2 &&
	test_grep "Memory Limit is: 268435456" container2 &&
	shown write $job >write2 && cat write2 &&
	test_grep "Read-only file system" write2 && test_grep "^refused\$" write2 &&
	shown mountinfo $job >mountinfo2 && cat mountinfo2 &&
	grep " /sys/fs/cgroup" mountinfo2 >cgroups2 &&
	test -s cgroups2 && ! grep -v " / /sys/fs/cgroup[/ ].* ro," cgroups2 &&
	! grep "lifebelt-w[0-9]" mountinfo2 &&
	test "$(shown env $job)" = 230MiB
'

# gone NAME: no cgroup named NAME is left in the hierarchies made only to be shown.
gone() { ! ls -d /sys/fs/cgroup/cpu/$1 /sys/fs/cgroup/cpuacct/$1 /sys/fs/cgroup/cpuset/$1 2>/dev/null; }

test_expect_success LOCAL_EXECUTOR 'the cgroups a dead runner made to be shown are removed by the next runner' '
	test -d /sys/fs/cgroup/cpuset || { echo "no cgroup v1: nothing is made only to be shown"; return 0; }
	mkdir tests3 &&
	echo "{ \"tests\": [ { \"name\": \"slow\", \"run\": \"sleep 30\" } ] }" >tests3/lifebelt.json &&
	lifebelt assignment add c1 h3 --tests tests3 --due 2030-01-01T00:00:00Z &&
	git -C m push -q "$LIFEBELT_HOME/repos/c1/h3/ann.git" HEAD:main 2>/dev/null &&
	test_bg lifebelt runner --lease 2 &&
	dead=${test_bg_pids##* } &&
	test_wait_until eval "ls -d /sys/fs/cgroup/cpuset/lifebelt-w*-$dead >views 2>/dev/null" &&
	job=$(db "SELECT max(id) FROM jobs") &&
	test_wait_until eval "test \"\$(db \"SELECT state FROM jobs WHERE id = $job\")\" = running" &&
	name=$(basename "$(cat views)") &&
	kill -KILL -$dead &&
	test_wait_until test ! -d /proc/$dead &&
	# Any runner that starts on this host sweeps a dead one: with tests run
	# side by side, another test'"'"'s runner may have done it already.
	{ ! gone $name || echo "already swept by another runner on this host"; } &&
	test_bg lifebelt runner --lease 2 &&
	next=${test_bg_pids##* } &&
	test_wait_until gone $name &&
	# Stopped only once it grades the dead one'"'"'s job (its lease over) in
	# views of its own: before, it has no handler for SIGTERM yet, or
	# nothing of its own to remove.
	test_wait_until eval "ls -d /sys/fs/cgroup/cpuset/lifebelt-w*-$next >/dev/null 2>&1" &&
	kill -TERM $next &&
	wait $next &&
	gone "lifebelt-w*-$next"
'

test_done
