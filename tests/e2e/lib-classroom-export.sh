# lib-classroom-export.sh: GitHub Classroom exports for the import's tests, and its refusals.
#
# Source after test-lib.sh. groups_export's files follow the REST API's
# accepted assignments (a group's students and repository) and the grades
# download (a row per student, with group_name).

# import_snapshot FILE: the data directory's rows and file names, into FILE.
import_snapshot() {
	sqlite3 "$LIFEBELT_HOME/lifebelt.db" .dump >"$1" &&
	(cd "$LIFEBELT_HOME" && find . -path ./lifebelt.db\* -prune -o -print | LC_ALL=C sort) >>"$1"
}

# import_refused LINE: the import of ./export fails with exactly LINE, and nothing changed.
import_refused() {
	import_snapshot before &&
	test_must_fail lifebelt import github-classroom export --teacher tina >out 2>err &&
	import_snapshot after &&
	test_cmp before after &&
	echo "error: $1; nothing was imported" >expect &&
	test_cmp expect err
}

# groups_export DIR SPEC: the export in DIR of classroom 7001 "Systems Lab",
# its group assignment 71 "Shell Project" (slug shell-project, due
# 2030-06-01, starter octo-org/shell-starter). Each line of SPEC is one
# accepted assignment: REPO|GROUP NAME|POINTS|OF|GITHUB LOGINS (space
# separated), REPO under octo-org; an empty GROUP NAME or POINTS is left
# empty in grades.csv, as GitHub leaves it.
groups_export() {
	python3 - "$1" "$2" <<-\EOF
	import csv, json, os, sys

	out, spec = sys.argv[1], sys.argv[2]
	cls = {"id": 7001, "name": "Systems Lab", "archived": False,
	       "url": "https://classroom.github.com/classrooms/7001-systems-lab"}
	assign = {"id": 71, "public_repo": False, "title": "Shell Project", "type": "group",
	          "invite_link": "https://classroom.github.com/a/shellprj", "invitations_enabled": True,
	          "slug": "shell-project", "students_are_repo_admins": False,
	          "feedback_pull_requests_enabled": False, "max_teams": 10, "max_members": 3,
	          "editor": None, "accepted": 0, "submitted": 0, "passing": 0, "language": "shell",
	          "deadline": "2030-06-01T00:00:00Z"}
	starter = {"id": 7100, "full_name": "octo-org/shell-starter",
	           "html_url": "https://github.com/octo-org/shell-starter",
	           "node_id": "MDEwOlJlcG9zaXRvcnk3MTAw", "private": False, "default_branch": "main"}
	rows = [l.rstrip("\n").split("|") for l in open(spec) if l.strip()]
	adir = os.path.join(out, "classroom-7001", "assignment-71")
	os.makedirs(adir)
	ids = {}
	accepted = []
	for n, (repo, group, points, of, logins) in enumerate(rows):
	    students = [{"id": ids.setdefault(l, 5100 + len(ids)), "login": l, "name": l,
	                 "avatar_url": "https://avatars.githubusercontent.com/u/%d" % ids[l],
	                 "html_url": "https://github.com/" + l} for l in logins.split()]
	    accepted.append({"id": 8100 + n, "submitted": True, "passing": False, "commit_count": 2,
	                     "grade": "%s/%s" % (points, of) if points else "",
	                     "students": students,
	                     "repository": {"id": 72000 + n, "full_name": "octo-org/" + repo,
	                                    "html_url": "https://github.com/octo-org/" + repo,
	                                    "node_id": "MDEwOlJlcG9zaXRvcnk%d" % (72000 + n),
	                                    "private": True, "default_branch": "main"},
	                     "assignment": {k: assign[k] for k in ("id", "public_repo", "title", "type",
	                                    "invite_link", "slug", "deadline")}})
	assign["accepted"] = len(accepted)
	with open(os.path.join(out, "classrooms.json"), "w") as f:
	    json.dump([cls], f, indent=2)
	with open(os.path.join(out, "classroom-7001", "classroom.json"), "w") as f:
	    json.dump(dict(cls, organization={"id": 1, "login": "octo-org"}), f, indent=2)
	with open(os.path.join(out, "classroom-7001", "assignments.json"), "w") as f:
	    json.dump([dict(assign, classroom=cls, starter_code_repository=starter)], f, indent=2)
	with open(os.path.join(adir, "assignment.json"), "w") as f:
	    json.dump(dict(assign, starter_code_repository=starter, classroom=cls), f, indent=2)
	with open(os.path.join(adir, "accepted-assignments.json"), "w") as f:
	    json.dump(accepted, f, indent=2)
	with open(os.path.join(adir, "grades.csv"), "w", newline="") as f:
	    w = csv.writer(f, lineterminator="\n")
	    w.writerow(["assignment_name", "assignment_url", "starter_code_url", "github_username",
	                "roster_identifier", "student_repository_name", "student_repository_url",
	                "submission_timestamp", "points_awarded", "points_available", "group_name"])
	    for repo, group, points, of, logins in rows:
	        for l in logins.split():
	            w.writerow(["Shell Project",
	                        "https://classroom.github.com/classrooms/7001-systems-lab/assignments/shell-project",
	                        "https://github.com/octo-org/shell-starter", l, l.lower() + "@school.example",
	                        repo, "https://github.com/octo-org/" + repo, "2026-11-02T12:00:00Z",
	                        points, of if points else "", group])
	EOF
}

# groups_starter: octo-org/shell-starter on the GitHub stand-in (gh_start), its
# autograding.json worth 10 points: 6 for run.sh printing ok, 4 for NOTES saying ours.
groups_starter() {
	gh_commit octo-org/shell-starter .github/classroom/autograding.json \
		'{"tests": [{"name": "prints ok", "setup": "", "run": "sh run.sh", "input": "",
		  "output": "ok", "comparison": "exact", "timeout": 5, "points": 6},
		 {"name": "has notes", "setup": "", "run": "cat NOTES", "input": "",
		  "output": "ours", "comparison": "exact", "timeout": 5, "points": 4}]}' &&
	gh_commit octo-org/shell-starter run.sh "echo todo"
}
