#!/bin/bash
test_description='lifebelt import github-classroom refuses a bad or partial export, naming the file and field, before anything is created'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-classroom-export.sh"

FIXTURE=$SRC_ROOT/tests/fixtures/github-classroom-export
A12=classroom-1296269/assignment-12
db() { sqlite3 "$LIFEBELT_HOME/lifebelt.db" "$@"; }


# edit FILE PYTHON: change one JSON file of a fresh copy of the export (x is its content).
edit() {
	rm -rf export && cp -R "$FIXTURE" export &&
	python3 - "export/$1" "$2" <<-\EOF
	import json, sys
	path, code = sys.argv[1], sys.argv[2]
	x = json.load(open(path))
	exec(code)
	json.dump(x, open(path, "w"), indent=2)
	EOF
}

lifebelt init >/dev/null &&
	lifebelt config set github.git_url "http://127.0.0.1:$(test_free_port)" >/dev/null ||
	{ echo "Bail out! cannot make a data directory"; exit 1; }

test_expect_success 'a folder that is no export, or a missing classrooms.json' '
	test_must_fail lifebelt import github-classroom nowhere 2>err &&
	test_grep "'\''nowhere'\'' is not a directory" err &&
	mkdir export && import_refused "classrooms.json: cannot read it (No such file or directory): the export is not whole; export it again"
'

test_expect_success 'invalid JSON is refused with its line' '
	edit classrooms.json "" && printf "[\n  {\"id\": 1,\n" >export/classrooms.json &&
	import_snapshot before &&
	test_must_fail lifebelt import github-classroom export 2>err &&
	test_grep "^error: classrooms.json: line 3: .*; nothing was imported$" err
'

test_expect_success 'a missing field of an accepted assignment: file and field named' '
	edit $A12/accepted-assignments.json "del x[1][\"students\"][0][\"login\"]" &&
	import_refused "$A12/accepted-assignments.json: [1].students[0].login: missing"
'

test_expect_success 'a partial export: an assignment without its assignment.json' '
	edit classrooms.json "" && rm export/classroom-1296270/assignment-21/assignment.json &&
	import_refused "classroom-1296270/assignment-21/assignment.json: cannot read it (No such file or directory): the export is not whole; export it again"
'

test_expect_success 'a classroom without its assignments.json' '
	edit classrooms.json "" && rm export/classroom-1296270/assignments.json &&
	import_refused "classroom-1296270/assignments.json: cannot read it (No such file or directory): the export is not whole; export it again"
'

test_expect_success 'an id that is not one, and an assignment.json of another assignment' '
	edit classrooms.json "x[1][\"id\"] = \"twelve\"" &&
	import_refused "classrooms.json: [1].id: not an id (a positive whole number)" &&
	edit $A12/assignment.json "x[\"id\"] = 99" &&
	import_refused "$A12/assignment.json: id: 99, but the folder and assignments.json say 12"
'

test_expect_success 'an unknown type, a deadline that is no time, a starter that is no repository' '
	edit $A12/assignment.json "x[\"type\"] = \"solo\"" &&
	import_refused "$A12/assignment.json: .type: '\''solo'\'', expected individual or group" &&
	edit $A12/assignment.json "x[\"deadline\"] = \"next friday\"" &&
	import_refused "$A12/assignment.json: .deadline: '\''next friday'\'' is not a time (ISO 8601 with an offset)" &&
	edit $A12/assignment.json "x[\"stater_code_repository\"][\"full_name\"] = \"../etc\"" &&
	import_refused "$A12/assignment.json: .starter_code_repository.full_name: '\''../etc'\'' is not OWNER/REPO"
'

test_expect_success 'a repository that is no GitHub name, a login that is no GitHub user' '
	edit $A12/accepted-assignments.json "x[0][\"repository\"][\"full_name\"] = \"octo-org/a b\"" &&
	import_refused "$A12/accepted-assignments.json: [0].repository.full_name: '\''octo-org/a b'\'' is not OWNER/REPO" &&
	edit $A12/accepted-assignments.json "x[1][\"students\"][0][\"login\"] = \"-bob\"" &&
	import_refused "$A12/accepted-assignments.json: [1].students[0].login: '\''-bob'\'' is not a GitHub user name" &&
	edit $A12/accepted-assignments.json "x[1][\"students\"].append(x[0][\"students\"][0])" &&
	import_refused "$A12/accepted-assignments.json: [1].students: an individual assignment'\''s repository has one student, not 2"
'

test_expect_success 'grades.csv: points that are no number, a user who never accepted' '
	edit classrooms.json "" &&
	sed -i "s/,8,10$/,eight,10/" export/$A12/grades.csv &&
	import_refused "$A12/grades.csv: line 2, column points_awarded: '\''eight'\'' is not a number of points" &&
	edit classrooms.json "" &&
	sed -i "s/,bob,bob@/,robert,bob@/" export/$A12/grades.csv &&
	import_refused "$A12/grades.csv: line 3, column github_username: '\''robert'\'' has no accepted assignment in accepted-assignments.json" &&
	edit classrooms.json "" &&
	head -n 1 export/$A12/grades.csv | cut -d, -f1-8 >header.csv &&
	cp header.csv export/$A12/grades.csv &&
	import_refused "$A12/grades.csv: line 1: the header lacks github_username, points_awarded or points_available" &&
	: >export/$A12/grades.csv &&
	import_refused "$A12/grades.csv: the file: empty, without even its header row: the export is not whole; export it again"
'

test_expect_success 'a GitHub login whose Lifebelt login is someone else'\''s' '
	lifebelt course add other >/dev/null &&
	lifebelt student add other bob --github robert-b >/dev/null &&
	edit classrooms.json "" &&
	import_snapshot before &&
	test_must_fail lifebelt import github-classroom export 2>err &&
	import_snapshot after && test_cmp before after &&
	test_grep "GitHub user bob would be login bob, which is bob'\''s (GitHub robert-b); enrol bob by hand first" err
'

test_expect_success 'a starter GitHub does not give: refused before anything is created' '
	db "UPDATE people SET github = NULL WHERE login = '\''bob'\''" &&
	edit classrooms.json "" &&
	import_snapshot before &&
	test_must_fail lifebelt import github-classroom export 2>err &&
	import_snapshot after && test_cmp before after &&
	test_grep "^error: assignment 12 (Intro to Binaries): cannot fetch its starter: cannot fetch octo-org/binaries-starter.*; nothing was imported$" err &&
	test "$(db "SELECT count(*) FROM courses")" = 1
'

test_done
