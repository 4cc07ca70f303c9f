# lib-hooks.sh: set-up shared by the hook tests (sourced after test-lib.sh).

# hooks_setup COURSE NAME DUE [CLOSE] [STUDENTS...]: a home with one assignment.
hooks_setup() {
	course=$1 name=$2 due=$3 close=$4
	shift 4
	lifebelt init >/dev/null &&
	lifebelt course add "$course" >/dev/null &&
	for s in "$@"; do lifebelt student add "$course" "$s" >/dev/null || return 1; done &&
	test_make_tests_dir tests-dir &&
	mkdir -p starter && echo "starter" >starter/README &&
	if test -n "$close"; then
		lifebelt assignment add "$course" "$name" --tests tests-dir --starter starter \
			--due "$due" --close "$close" >/dev/null
	else
		lifebelt assignment add "$course" "$name" --tests tests-dir --starter starter \
			--due "$due" >/dev/null
	fi
}

# An ISO time N seconds from now (negative: in the past).
iso_in() {
	date -u -d "@$(( $(date +%s) + $1 ))" +%Y-%m-%dT%H:%M:%SZ
}

# clone_for LOGIN: a clone of LOGIN's repository in ./LOGIN.
clone_for() {
	git clone -q "$LIFEBELT_HOME/repos/$course/$name/$1.git" "$1"
}

# commit_in DIR FILE: a new commit adding FILE.
commit_in() {
	echo "$2 $(date +%s%N)" >"$1/$2" && git -C "$1" add "$2" && git -C "$1" commit -q -m "$2"
}

db() {
	sqlite3 -cmd ".timeout 5000" "$LIFEBELT_HOME/lifebelt.db" "$@"
}
