# lib-teams.sh: checking that a refused team or roster command changed nothing; source after test-lib.sh.

# teams_state: the people, teams, members and repositories rows, and the repositories on disk.
teams_state() {
	sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT login FROM people ORDER BY login;
		SELECT * FROM teams; SELECT * FROM team_members;
		SELECT id, path, person_id, team_id FROM repos ORDER BY id" &&
	(cd "$LIFEBELT_HOME/repos" && find . -maxdepth 3 -name "*.git" | sort)
}

# teams_refused PATTERN COMMAND...: the command fails with one line matching PATTERN
# on stderr, and teams_state is as it was.
teams_refused() {
	pattern=$1 && shift &&
	teams_state >before &&
	test_must_fail "$@" >out 2>err &&
	test $(wc -l <err) -eq 1 &&
	test_grep "$pattern" err &&
	teams_state >after &&
	test_cmp before after
}
