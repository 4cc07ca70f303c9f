# lib-httpgit.sh: watching `lifebelt serve`'s git backends; sourced after lib-gitd.sh.

# serve_backends: the git processes (http-backend and what it runs) below SERVE_PID, one a line.
serve_backends() {
	ps -eo pid=,ppid=,args= | awk -v root="$SERVE_PID" '
		{ parent[$1] = $2; line[$1] = $0 }
		END {
			for (p in parent) {
				q = p
				for (n = 0; n < 20 && q != "" && q != root && q > 1; n++) q = parent[q]
				if (q == root && line[p] ~ /http-backend|receive-pack|upload-pack|hooks\//)
					print line[p]
			}
		}'
}

# cgi_procs: pids of processes run for this data directory's HTTP git requests, wherever they are now.
cgi_procs() {
	for e in /proc/[0-9]*/environ; do
		tr '\0' '\n' <"$e" 2>/dev/null | grep -qx "LIFEBELT_VIA=http" &&
		tr '\0' '\n' <"$e" 2>/dev/null | grep -qx "LIFEBELT_HOME=$LIFEBELT_HOME" &&
		echo "${e%/environ}"
	done
	return 0
}

# wait_no_backends SECONDS: until serve has no git process left (fails, listing them, after SECONDS).
wait_no_backends() {
	i=0
	while test -n "$(serve_backends)"; do
		i=$((i + 1))
		if test $i -gt $(($1 * 10)); then
			echo "git processes left:" >&2
			serve_backends >&2
			return 1
		fi
		sleep 0.1
	done
}

# timed_get URL MAX: GET URL within MAX seconds with a 200; its seconds go to the file timed.
timed_get() {
	curl -s -o /dev/null -m "$2" -w "%{http_code} %{time_total}\n" "$1" >timed.out
	read -r code secs <timed.out
	echo "$secs" >timed
	test "$code" = 200 || { echo "GET $1: $code after $secs s (limit $2 s)" >&2; return 1; }
}

# stop_serve SECONDS: SIGTERM to serve; it must be gone within SECONDS.
stop_serve() {
	kill -TERM "$SERVE_PID" &&
	i=0 &&
	while kill -0 "$SERVE_PID" 2>/dev/null; do
		i=$((i + 1))
		test $i -le $(($1 * 10)) || { echo "serve still running after SIGTERM" >&2; return 1; }
		sleep 0.1
	done
}

# basic_auth LOGIN TOKEN: the value of an Authorization header.
basic_auth() {
	printf 'Basic %s' "$(printf '%s:%s' "$1" "$2" | base64 -w0)"
}
