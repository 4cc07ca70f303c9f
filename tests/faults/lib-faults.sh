# lib-faults.sh: a course under load and the invariants that must hold
# whatever was killed, for the fault suite (tests/faults/). Sourced after
# test-lib.sh and lib-gitd.sh. Every daemon is started with test_bg and so
# stopped by its PID when the script ends.

FAULTS_DIR=$SRC_ROOT/tests/faults
GIT_TERMINAL_PROMPT=0
export GIT_TERMINAL_PROMPT

db() { sqlite3 -cmd ".timeout 20000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

# faults_course N: course c1, assignment a1 (one quick test), students s1..sN
# with an SSH key and an HTTPS token each (in tokens/LOGIN).
faults_course() {
	lifebelt init >/dev/null &&
	lifebelt config set ssh.user "$(id -un)" >/dev/null &&
	lifebelt course add c1 >/dev/null &&
	mkdir -p tests-a1 starter tokens &&
	echo '{ "tests": [ { "name": "t", "run": "sh run.sh", "output": "ok", "points": 1 } ] }' \
		>tests-a1/lifebelt.json &&
	printf 'sleep 0.2\necho ok\n' >starter/run.sh &&
	lifebelt assignment add c1 a1 --tests tests-a1 --starter starter \
		--due 2030-01-01T00:00:00Z >/dev/null &&
	for i in $(seq 1 "$1"); do
		test_make_key s$i &&
		lifebelt student add c1 s$i --key s$i.key.pub >/dev/null &&
		lifebelt token s$i | sed -n "s/^token: *//p" >tokens/s$i &&
		test -s tokens/s$i || return 1
	done
}

# serve_supervised [ARGS]: `lifebelt serve` on HTTP_PORT, started again
# whenever it ends (as systemd's Restart=always would) until the file
# serve.stop exists; its log in serve.log.
serve_supervised() {
	HTTP_PORT=${HTTP_PORT:-$(test_free_port)} &&
	test_bg sh -c 'while ! test -e serve.stop; do
		"$LIFEBELT_BIN" serve --listen 127.0.0.1:'"$HTTP_PORT"' "$@" 2>>serve.log
		sleep 0.1
	done' serve "$@" &&
	SUPERVISOR_PID=$(tail -n 1 "$TRASH_DIRECTORY/.bg-pids") &&
	echo "$SUPERVISOR_PID" >supervisor.pid &&
	test_wait_port "$HTTP_PORT"
}

# serve_stop: SIGTERM to the serve of the supervisor, which then ends; both
# must be gone within 60 s.
serve_stop() {
	touch serve.stop &&
	sup=$(cat supervisor.pid) &&
	for p in $(pgrep -P "$sup"); do kill -TERM "$p"; done;
	i=0
	while kill -0 "$sup" 2>/dev/null; do
		i=$((i + 1))
		test $i -le 600 || { echo "serve still running 60 s after SIGTERM" >&2; return 1; }
		sleep 0.1
	done
}

# start_pushers N: s1..sN push at once, over SSH and HTTPS in turn, until
# the file pushers.stop exists (see lib-pusher.sh); each push git reported
# as successful is a line "LOGIN COMMIT VIA" in acked, each other in refused.
start_pushers() {
	: >acked && : >refused &&
	export HTTP_PORT SSHD_PORT SSH_USER TRASH_DIRECTORY &&
	for i in $(seq 1 "$1"); do
		test_bg sh "$FAULTS_DIR/lib-pusher.sh" s$i || return 1
	done
}

# wait_pushers: until every pusher has ended (two minutes at most).
wait_pushers() {
	touch pushers.stop &&
	i=0 &&
	while pgrep -f "^sh $FAULTS_DIR/lib-pusher.sh" >/dev/null; do
		i=$((i + 1))
		test $i -lt 1200 || { echo "pushers still running" >&2; return 1; }
		sleep 0.1
	done
}

# tmpfs_home SIZE: the data directory on a tmpfs of SIZE (mount's size=),
# unmounted when the script ends, whatever happened (test-lib.sh's trap).
tmpfs_home() {
	mkdir -p "$LIFEBELT_HOME" &&
	mount -t tmpfs -o size="$1" tmpfs "$LIFEBELT_HOME" &&
	echo "$LIFEBELT_HOME" >"$TRASH_DIRECTORY/.tmpfs-home"
}
test_cleanup_more() {
	test -f "$TRASH_DIRECTORY/.tmpfs-home" || return 0
	umount "$LIFEBELT_HOME" 2>/dev/null || umount -l "$LIFEBELT_HOME"
	rm -f "$TRASH_DIRECTORY/.tmpfs-home"
}

# fill_up: not a byte left on the data directory's file system.
fill_up() {
	{ dd if=/dev/zero of="$LIFEBELT_HOME/filler" bs=4096 2>/dev/null; true; } &&
	{ dd if=/dev/zero of="$LIFEBELT_HOME/filler2" bs=512 2>/dev/null; true; } &&
	test_must_fail sh -c "echo x >'$LIFEBELT_HOME/more'"
}
make_room() { rm -f "$LIFEBELT_HOME/filler" "$LIFEBELT_HOME/filler2"; }

# push_as LOGIN VIA [OPTION...]: a new commit of LOGIN's pushed over ssh or
# http, with git push's OPTIONs; git's output in push.out.
push_as() {
	login=$1 via=$2 &&
	shift 2 &&
	echo "# $(date +%s%N)" >>"w-$login/run.sh" &&
	git -C "w-$login" commit -q -am more &&
	if test "$via" = ssh; then
		url="ssh://$SSH_USER@127.0.0.1:$SSHD_PORT/c1/a1.git"
	else
		url="http://$login:$(cat tokens/$login)@127.0.0.1:$HTTP_PORT/git/c1/a1.git"
	fi &&
	GIT_SSH_COMMAND="ssh -i $TRASH_DIRECTORY/$login.key -o IdentitiesOnly=yes -o StrictHostKeyChecking=no \
-o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR" \
	git -C "w-$login" push "$@" "$url" HEAD:main >push.out 2>&1
}

# The checks. Each says what is wrong on stderr and fails; none changes anything.

# check_integrity: PRAGMA integrity_check of the database.
check_integrity() {
	r=$(db "PRAGMA integrity_check") &&
	test "$r" = ok || { echo "integrity_check: $r" >&2; return 1; }
}

# check_fsck: git fsck of every repository.
check_fsck() {
	ok=0
	for r in "$LIFEBELT_HOME"/repos/*/*/*.git; do
		git --git-dir="$r" fsck --no-progress --strict >fsck.out 2>&1 ||
			{ echo "git fsck $r:" >&2; cat fsck.out >&2; ok=1; }
	done
	return $ok
}

# pushed_refs: "PATH COMMIT" of every ref update git accepted from a push
# (the reflogs of the graded branches), sorted.
pushed_refs() {
	for r in "$LIFEBELT_HOME"/repos/*/*/*.git; do
		p=${r#$LIFEBELT_HOME/repos/}
		git --git-dir="$r" reflog show --format="%H %gs" refs/heads/main -- 2>/dev/null |
			awk -v p="$p" '$2 ~ /^push/ { print p, $1 }'
	done | LC_ALL=C sort
}

# check_submissions: every accepted ref update has exactly one submission, and no submission is
# of a commit git never accepted.
check_submissions() {
	pushed_refs >refs.pushed &&
	db "SELECT r.path, s.commit_id FROM submissions s JOIN repos r ON r.id = s.repo_id" |
		tr '|' ' ' | LC_ALL=C sort >refs.recorded &&
	if ! test_cmp refs.pushed refs.recorded >refs.diff; then
		echo "accepted ref updates (-) against submissions (+):" >&2
		cat refs.diff >&2
		return 1
	fi
}

# check_acked: every push git reported as successful to the client is on the
# server's branch and has its submission.
check_acked() {
	bad=0
	while read -r login sha via; do
		git --git-dir="$LIFEBELT_HOME/repos/c1/a1/$login.git" merge-base --is-ancestor "$sha" main \
			2>/dev/null || { echo "acked push $login $sha ($via) is not on the server" >&2; bad=1; }
		test "$(db "SELECT count(*) FROM submissions WHERE commit_id = '$sha'")" = 1 ||
			{ echo "acked push $login $sha ($via) has no submission" >&2; bad=1; }
	done <acked
	return $bad
}

# check_graded_once: every submission has one job, every job is done (or
# superseded by a newer one), each done job has its one result, each
# student's latest submission is graded, and no job was finished twice (the
# runners' log lines).
check_graded_once() {
	bad=0
	n=$(db "SELECT count(*) FROM submissions s WHERE (SELECT count(*) FROM jobs j
		WHERE j.submission_id = s.id) != 1") &&
	test "$n" = 0 || { echo "$n submissions without exactly one job" >&2; bad=1; }
	db "SELECT id, state, attempts, error FROM jobs WHERE state NOT IN ('done', 'superseded')" >jobs.bad
	test -s jobs.bad && { echo "jobs not graded:" >&2; cat jobs.bad >&2; bad=1; }
	n=$(db "SELECT count(*) FROM jobs j WHERE state = 'done' AND (status IS NULL OR
		(SELECT count(*) FROM results WHERE job_id = j.id) != 1)") &&
	test "$n" = 0 || { echo "$n done jobs without exactly one result" >&2; bad=1; }
	for r in "$LIFEBELT_HOME"/repos/*/*/*.git; do
		tip=$(git --git-dir="$r" rev-parse main) &&
		test "$(db "SELECT j.state FROM jobs j JOIN submissions s ON s.id = j.submission_id
			WHERE s.commit_id = '$tip'")" = done ||
			{ echo "the latest push of $r is not graded" >&2; bad=1; }
	done
	sed -n 's/.*job \([0-9][0-9]*\) ([^)]*): .* in [0-9.]* s$/\1/p' serve.log* 2>/dev/null |
		sort | uniq -d >graded.twice
	test -s graded.twice && { echo "jobs graded twice:" $(cat graded.twice) >&2; bad=1; }
	return $bad
}

# wait_graded SECONDS: until no job is queued or running.
wait_graded() {
	i=0
	while test "$(db "SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')")" != 0; do
		i=$((i + 1))
		test $i -le $(($1 * 10)) || { echo "jobs still waiting after $1 s" >&2; return 1; }
		sleep 0.1
	done
}

# seen_pids: every process of this data directory's serve and its runners
# seen so far (the killer's notes).
seen_pids() { cat pids.seen 2>/dev/null; }

# check_leftovers: with everything stopped, nothing of this data directory
# runs, is mounted, or has a cgroup.
check_leftovers() {
	bad=0
	if grep -q " $LIFEBELT_HOME/" /proc/mounts; then
		echo "mounts left:" >&2; grep " $LIFEBELT_HOME/" /proc/mounts >&2; bad=1
	fi
	for p in $(seen_pids | sort -u); do
		grep " /run/lifebelt/.*-$p " /proc/mounts >&2 && { echo "stage mount of $p left" >&2; bad=1; }
		for c in $(find /sys/fs/cgroup -maxdepth 6 -type d -name "lifebelt-*-$p" 2>/dev/null); do
			echo "cgroup left: $c" >&2; bad=1
		done
		if test -d /proc/$p && grep -qz "^LIFEBELT_HOME=$LIFEBELT_HOME\$" /proc/$p/environ 2>/dev/null; then
			echo "process left: $(ps -o pid=,ppid=,stat=,lstart=,args= -p $p)" >&2; bad=1
		fi
	done
	for e in /proc/[0-9]*/environ; do
		grep -qz "^LIFEBELT_HOME=$LIFEBELT_HOME\$" "$e" 2>/dev/null || continue
		q=${e%/environ}
		case " $(cat "$q/cmdline" 2>/dev/null | tr '\0' ' ')" in
		*lifebelt*|*git*|*holder*) echo "process left: $(ps -o pid=,ppid=,stat=,wchan:24=,lstart=,args= -p ${q#/proc/})" >&2; cat "$q/stack" >&2 2>/dev/null; ps -o pid=,args= -p "$(cut -d" " -f4 "$q/stat")" >&2; bad=1 ;;
		esac
	done
	for q in $(pgrep -x lifebelt-holder); do
		grep -q "$LIFEBELT_HOME" /proc/$q/mountinfo 2>/dev/null &&
			{ echo "holder left: $q" >&2; bad=1; }
	done
	return $bad
}
