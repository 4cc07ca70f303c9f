# lib-github-git.sh: a stand-in for GitHub's git side (real git behind HTTP with a token), and the queue's rows.
#
# Source after test-lib.sh. Lifebelt knows the stand-in only by its settings
# (github.git_url, github.ssh_url), as it would know github.com.

GH_TOKEN=ghp_standin_0123456789abcdefSECRETtoken

db() { sqlite3 "$LIFEBELT_HOME/lifebelt.db" "$@"; }

# gh_course: cs101 with hw1 (due in 2030) and students alice and bob.
gh_course() {
	lifebelt init >/dev/null &&
	lifebelt course add cs101 >/dev/null &&
	test_make_tests_dir tests-hw1 &&
	lifebelt assignment add cs101 hw1 --tests tests-hw1 --due 2030-01-01T00:00:00Z >/dev/null &&
	lifebelt student add cs101 alice >/dev/null &&
	lifebelt student add cs101 bob >/dev/null
}

# gh_start: the HTTP stand-in on a free port, wanting $GH_TOKEN; GH_ROOT holds its repositories.
gh_start() {
	GH_ROOT=$TRASH_DIRECTORY/gh &&
	mkdir -p "$GH_ROOT" &&
	echo "$GH_TOKEN" >"$TRASH_DIRECTORY/gh-token" &&
	GH_PORT=$(test_free_port) &&
	test_bg python3 "$TEST_DIRECTORY/lib-github-git.py" "$GH_PORT" "$GH_ROOT" \
		"$TRASH_DIRECTORY/gh-token" "$TRASH_DIRECTORY/gh.log" &&
	test_wait_port "$GH_PORT" &&
	lifebelt config set github.git_url "http://127.0.0.1:$GH_PORT" >/dev/null
}

# gh_commit OWNER/NAME FILE CONTENT: a commit of FILE pushed to the stand-in's main; its id in GH_COMMIT.
gh_commit() {
	_w=$TRASH_DIRECTORY/work-$(echo "$1" | tr / -) &&
	if ! test -d "$GH_ROOT/$1.git"; then
		git init -q --bare -b main "$GH_ROOT/$1.git" &&
		git init -q -b main "$_w" || return 1
	fi &&
	mkdir -p "$(dirname "$_w/$2")" &&
	echo "$3" >"$_w/$2" &&
	git -C "$_w" add "$2" &&
	git -C "$_w" -c user.name=S -c user.email=s@example.org commit -q -m "$3" &&
	git -C "$_w" push -q -f "$GH_ROOT/$1.git" HEAD:main &&
	GH_COMMIT=$(git -C "$_w" rev-parse HEAD)
}

# gh_export_repos: on the stand-in, the repositories that the export in
# tests/fixtures/github-classroom-export names: the starters (intro-to-binaries'
# with an autograding.json worth 10 points for printing ok) and each accepted
# assignment's repository (pair-project-team-1 is a group's), a few commits each.
gh_export_repos() {
	gh_commit octo-org/binaries-starter .github/classroom/autograding.json \
		'{"tests": [{"name": "prints ok", "setup": "", "run": "sh binaries.sh", "input": "",
		  "output": "ok", "comparison": "included", "timeout": 1, "points": 10}]}' &&
	gh_commit octo-org/binaries-starter binaries.sh "echo todo" &&
	gh_commit octo-org/lists-starter README "a list, linked" &&
	gh_commit octo-org/pairs-starter pair.c "int main(void);" &&
	for _r in intro-to-binaries-Alice-Smith intro-to-binaries-bob; do
		gh_commit octo-org/$_r binaries.sh "echo todo" &&
		gh_commit octo-org/$_r binaries.sh "echo almost" &&
		gh_commit octo-org/$_r notes.txt "$_r" || return 1
	done &&
	gh_commit octo-org/linked-lists-Alice-Smith list.c "struct node;" &&
	gh_commit octo-org/linked-lists-Carol99 list.c "struct node *next;" &&
	gh_commit octo-org/pair-project-team-1 pair.c "int main;"
}

# gh_git_push OWNER/NAME FILE-CONTENT: a student's commit of main.c (gh_commit).
gh_git_push() {
	gh_commit "$1" main.c "$2"
}

# gh_map PATH OWNER/NAME: map the student repository COURSE/NAME/LOGIN.git to GitHub.
gh_map() {
	_p=${1%.git} &&
	lifebelt github link "${_p%%/*}" "$(echo "$_p" | cut -d/ -f2)" "${_p##*/}" "$2" >/dev/null &&
	test "$(db "SELECT github_repo FROM repos WHERE path = '$1'")" = "$2"
}

# gh_deliver GUID PATH PUSHED_AT [RECEIVED]: a push delivery of GH_COMMIT as the webhook
# queues it (GH_STATUS, default queued), for tests of the mirror alone (t1053 sends real ones).
gh_deliver() {
	db "INSERT INTO deliveries (guid, event, received, repo_id, status, ref, commit_id, pushed_at)
	    SELECT '$1', 'push', ${4:-$(date +%s)}, id, '${GH_STATUS:-queued}', 'refs/heads/main',
	    '$GH_COMMIT', $3
	    FROM repos WHERE path = '$2'"
}

# gh_wait_status GUID STATUS: until the delivery has that status.
gh_wait_status() {
	test_wait_until eval "test \"\$(db \"SELECT status FROM deliveries WHERE guid = '$1'\")\" = $2"
}

# gh_wait_graded COMMIT: until the submission of COMMIT has a finished job.
gh_wait_graded() {
	test_wait_until eval "test \"\$(db \"SELECT j.state FROM jobs j JOIN submissions s ON s.id = j.submission_id
		WHERE s.commit_id = '$1' ORDER BY j.id DESC LIMIT 1\")\" = done"
}

# gh_start_serve: `lifebelt serve` with one grading worker; SERVE_PID.
gh_start_serve() {
	HTTP_PORT=$(test_free_port) &&
	test_bg "$LIFEBELT_BIN" serve --listen 127.0.0.1:$HTTP_PORT 2>>"$TRASH_DIRECTORY/serve.log" &&
	SERVE_PID=$(tail -n 1 "$TRASH_DIRECTORY/.bg-pids") &&
	test_wait_port "$HTTP_PORT"
}

# gh_ssh_side: GitHub's SSH side for a test's own sshd: gh-ssh/serve, the forced
# command of its deploy keys, which may only fetch, from the repositories under
# GH_ROOT (set here). Also lets ASan pass what libgit2 leaks on connecting over SSH.
gh_ssh_side() {
	# Under ASan: Debian 12's libgit2 1.5 leaks what it allocates to read
	# ~/.ssh/known_hosts when an SSH connection opens (a git_str and libssh2's
	# knownhost list, ~150 bytes), whatever its caller does. Only allocations
	# made while libgit2 connects are let pass, and finding that out takes the
	# full stack (libgit2 has no frame pointers).
	echo "leak:git_remote_connect_ext" >"$TRASH_DIRECTORY/lsan.supp"
	LSAN_OPTIONS=suppressions=$TRASH_DIRECTORY/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}
	ASAN_OPTIONS=$ASAN_OPTIONS:fast_unwind_on_malloc=0
	export LSAN_OPTIONS ASAN_OPTIONS
	GH_ROOT=$TRASH_DIRECTORY/gh
	mkdir -p "$GH_ROOT" "$TRASH_DIRECTORY/gh-ssh"
	cat >"$TRASH_DIRECTORY/gh-ssh/serve" <<-EOF
	#!/bin/sh
	set -- \$SSH_ORIGINAL_COMMAND
	test "\$1" = git-upload-pack || { echo "deploy keys here only fetch" >&2; exit 1; }
	path=\$(echo "\$2" | tr -d "'")
	exec git-upload-pack "$GH_ROOT/\${path#/}"
	EOF
	chmod +x "$TRASH_DIRECTORY/gh-ssh/serve"
}
