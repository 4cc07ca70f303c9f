# lib-web.sh: helpers for the web view's tests, sourced after test-lib.sh.

DB=$LIFEBELT_HOME/lifebelt.db

# web_home: a data directory with course c1, assignment hw1 (due in 2099),
# students alice and bob and teacher tom; the web URL points at WEB_PORT.
web_home() {
	WEB_PORT=$(test_free_port)
	WEB=http://127.0.0.1:$WEB_PORT
	lifebelt init >/dev/null &&
	lifebelt config set web.url "$WEB" >/dev/null &&
	lifebelt course add c1 >/dev/null &&
	test_make_tests_dir tests-hw1 &&
	lifebelt assignment add c1 hw1 --tests tests-hw1 --due 2099-01-01T00:00:00Z \
		--late-penalty 10 >/dev/null &&
	lifebelt student add c1 alice --name "Alice A" >/dev/null &&
	lifebelt student add c1 bob --name "Bob B" >/dev/null &&
	lifebelt teacher add c1 tom --name "Tom T" >/dev/null &&
	web_token alice && web_token bob && web_token tom
}

# web_token LOGIN: a fresh token; sets LOGIN_token and LOGIN_link (the path of the personal link).
web_token() {
	lifebelt token "$1" >"$1.token" || return 1
	eval "$1_token=\$(sed -n 's/^token: *//p' \"$1.token\")"
	eval "$1_link=\$(sed -n 's|^web: *$WEB||p' \"$1.token\")"
}

web_start() {
	test_bg lifebelt serve --workers 0 --listen "127.0.0.1:$WEB_PORT" 2>"$TRASH_DIRECTORY/serve.log"
	test_wait_port "$WEB_PORT"
}

# web_push LOGIN MESSAGE [FILE CONTENT]: commit in LOGIN's clone and push the
# graded branch to the repository on disk (the hooks record it); prints the
# push output to LOGIN.push.
web_push() {
	login=$1 msg=$2
	if ! test -d "work-$login"; then
		git clone -q "$LIFEBELT_HOME/repos/c1/hw1/$login.git" "work-$login" 2>/dev/null || return 1
	fi
	(
		cd "work-$login" &&
		printf '%s\n' "${4:-$msg}" >"${3:-main.c}" &&
		git add -A && git commit -q -m "$msg" && git push origin HEAD:main
	) >"$login.push" 2>&1
}

# The id of the newest submission (all students).
web_last_submission() {
	sqlite3 "$DB" "SELECT max(id) FROM submissions"
}

# web_finish SUBMISSION STATUS SCORE MAX [RESULT...]: finish the submission's
# newest job as the runner would. The runner is not part of these tests, so
# this fixture writes its rows with sqlite3 on the real database file, then
# has `lifebelt recount` bring the counted grades up to date as the runner does. Each
# RESULT is SQL for: name, verdict, points, max_points, hidden, output, detail.
web_finish() {
	sub=$1 status=$2 score=$3 max=$4
	shift 4
	job=$(sqlite3 "$DB" "SELECT max(id) FROM jobs WHERE submission_id = $sub")
	sqlite3 "$DB" "UPDATE jobs SET state = 'done', status = '$status', score = $score,
		max_score = $max, started = queued + 1, finished = queued + 4,
		build_log = 'cc -Wall -o main main.c' || char(10) || char(27) || '[33mwarning' ||
		char(27) || '[0m: <unused> & stuff' || char(10)
		WHERE id = $job" || return 1
	seq=0
	for r in "$@"; do
		seq=$((seq + 1))
		sqlite3 "$DB" "INSERT INTO results (job_id, seq, name, verdict, points, max_points,
			hidden, output, detail) VALUES ($job, $seq, $r)" || return 1
	done &&
	# The runner brings the student's counted grade up to date as it finishes a job.
	"$LIFEBELT_BIN" recount c1 "$(sqlite3 "$DB" "SELECT a.name FROM assignments a
		JOIN jobs j ON j.assignment_id = a.id WHERE j.id = $job")" >/dev/null
}

# web_get PATH [CURL ARGS...]: fetch into out.html (headers into out.hdr), print the status.
web_get() {
	p=$1
	shift
	curl -s -D out.hdr -o out.html -w '%{http_code}' "$@" "$WEB$p"
}

# web_hits: how many requests the server has answered with a kept page (/metrics).
web_hits() {
	curl -s "$WEB/metrics" | sed -n 's/^lifebelt_web_page_hits_total //p'
}

# web_sign_in LOGIN TOKEN: sign in at /login; prints the session cookie (NAME=VALUE).
web_sign_in() {
	curl -s -D - -o /dev/null -d "login=$1&token=$2" "$WEB/login" |
		sed -n 's/^Set-Cookie: \([^;]*\);.*/\1/p' | tr -d '\r'
}
