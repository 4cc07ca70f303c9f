/* t-auth.c: canonical repository names and the access rule shared by SSH and HTTPS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "../../db/db.h"
#include "../../db/model.h"
#include "../../gitd/auth.h"
#include "../../lib/buf.h"
#include "../../lib/fsutil.h"
#include "../../lib/banned.h"

static void canon(const char *login, const char *path, const char *want)
{
	struct buf out = BUF_INIT, shown = BUF_INIT;
	int rc = auth_canonical(login, path, &out);
	const char *p;

	for (p = path; *p; p++)
		if (*p == '\n')
			buf_adds(&shown, "\\n");
		else
			buf_addch(&shown, *p);
	if (want)
		is_str(rc ? "(refused)" : out.buf, want, "canonical %s as %s", shown.buf, login);
	else
		ok(rc == AUTH_EDENIED && !out.len, "refuses '%s' as %s", shown.buf, login);
	buf_release(&out);
	buf_release(&shown);
}

static int64_t person(struct db *db, int64_t course, const char *login, const char *role)
{
	int64_t id;

	db_person_upsert(db, login, NULL, NULL, NULL, &id);
	db_enrol(db, course, id, role);
	return id;
}

static void access_is(struct db *db, const char *login, const char *path, int want_write,
		      const char *want)
{
	struct buf out = BUF_INIT;
	int rc = auth_repo(db, login, path, want_write, &out);

	if (want)
		is_str(rc ? "(refused)" : out.buf, want, "%s may %s %s", login,
		       want_write ? "write" : "read", path);
	else
		ok(rc == AUTH_EDENIED && !out.len, "%s may not %s %s", login,
		   want_write ? "write" : "read", path);
	buf_release(&out);
}

int main(void)
{
	char dir[] = "/tmp/t-auth.XXXXXX";
	struct buf path = BUF_INIT;
	struct assignment a;
	struct db *db;
	int64_t cs101, cs202, alice, bob, carol, id;

	canon("alice", "cs101/hw1", "cs101/hw1/alice.git");
	canon("alice", "cs101/hw1.git", "cs101/hw1/alice.git");
	canon("alice", "/cs101/hw1", "cs101/hw1/alice.git");
	canon("alice", "/cs101/hw1.git/", "cs101/hw1/alice.git");
	canon("alice", "cs101/hw1/alice", "cs101/hw1/alice.git");
	canon("alice", "cs101/hw1/bob.git", "cs101/hw1/bob.git");
	canon("alice", "/cs101/hw1/bob/", "cs101/hw1/bob.git");
	canon("alice", "cs101/hw1/BOB", NULL);
	canon("alice", "CS101/hw1", NULL);
	canon("alice", "cs101/hw1/../bob", NULL);
	canon("alice", "cs101/../../etc", NULL);
	canon("alice", "../cs101/hw1", NULL);
	canon("alice", "cs101/..", NULL);
	canon("alice", "cs101//hw1", NULL);
	canon("alice", "//cs101/hw1", NULL);
	canon("alice", "cs101/hw1//", NULL);
	canon("alice", "cs101", NULL);
	canon("alice", "", NULL);
	canon("alice", "/", NULL);
	canon("alice", "cs101/hw1/bob/x", NULL);
	canon("alice", "-cs101/hw1", NULL);
	canon("alice", "cs101/-u", NULL);
	canon("alice", "cs101/hw1 bob", NULL);
	canon("alice", "cs101/hw1\nbob", NULL);
	canon("alice", "cs101/hw1'", NULL);
	canon("alice", "cs101/hw1%2fbob", NULL);
	canon("alice", "cs101/hw1.git.git", NULL);
	canon("alice", "cs101/.git", NULL);
	canon("alice", "cs101/hw1/.git", NULL);
	canon("alice", "cs101/hw1/bob.git.git", NULL);
	canon("carol", "cs101/hw1/tests", "cs101/hw1/.tests.git");
	canon("carol", "/cs101/hw1/tests.git/", "cs101/hw1/.tests.git");
	canon("tests", "cs101/hw1", "cs101/hw1/tests.git");
	canon("carol", "cs101/hw1/.tests", NULL);
	canon("carol", "cs101/hw1/.tests.git", NULL);
	canon("ALICE", "cs101/hw1", NULL);
	canon("../x", "cs101/hw1", NULL);

	if (!mkdtemp(dir))
		return 1;
	buf_addf(&path, "%s/lifebelt.db", dir);
	if (db_open(&db, path.buf, DB_CREATE))
		return 1;
	db_course_add(db, "cs101", &cs101);
	db_course_add(db, "cs202", &cs202);
	alice = person(db, cs101, "alice", ROLE_STUDENT);
	bob = person(db, cs101, "bob", ROLE_STUDENT);
	carol = person(db, cs101, "carol", ROLE_TEACHER);
	person(db, cs202, "dave", ROLE_TEACHER);
	person(db, cs202, "alice", ROLE_STUDENT);
	memset(&a, 0, sizeof(a));
	a.course_id = cs101;
	a.name = (char *)"hw1";
	a.tests_dir = (char *)"/nonexistent";
	a.branch = (char *)"main";
	a.due = 1;
	a.max_input_size = 1;
	if (db_assignment_add(db, &a))
		return 1;
	db_repo_add(db, a.id, alice, "cs101/hw1/alice.git", &id);
	db_repo_add(db, a.id, bob, "cs101/hw1/bob.git", &id);
	db_repo_add(db, a.id, carol, "cs101/hw1/carol.git", &id);

	access_is(db, "alice", "cs101/hw1", 1, "cs101/hw1/alice.git");
	access_is(db, "alice", "cs101/hw1", 0, "cs101/hw1/alice.git");
	access_is(db, "alice", "/cs101/hw1/alice.git", 1, "cs101/hw1/alice.git");
	access_is(db, "alice", "cs101/hw1/bob", 0, NULL);
	access_is(db, "alice", "cs101/hw1/bob.git", 1, NULL);
	access_is(db, "alice", "/cs101/hw1/bob/", 0, NULL);
	access_is(db, "alice", "cs101/hw1/BOB", 0, NULL);
	access_is(db, "alice", "cs101/hw2", 0, NULL);
	access_is(db, "alice", "cs202/hw1", 0, NULL);
	access_is(db, "alice", "cs101/hw1/nobody", 0, NULL);
	access_is(db, "bob", "cs101/hw1", 1, "cs101/hw1/bob.git");
	access_is(db, "carol", "cs101/hw1/alice", 0, "cs101/hw1/alice.git");
	access_is(db, "carol", "cs101/hw1/bob.git", 0, "cs101/hw1/bob.git");
	access_is(db, "carol", "cs101/hw1/alice", 1, NULL);
	/* A stray repository row for a teacher is not theirs to write either. */
	access_is(db, "carol", "cs101/hw1", 1, NULL);
	access_is(db, "dave", "cs101/hw1/alice", 0, NULL);
	access_is(db, "nobody", "cs101/hw1/alice", 0, NULL);
	access_is(db, "nobody", "cs101/hw1", 0, NULL);
	/* The tests repository: the course's teachers, reading and writing; nobody else. */
	access_is(db, "carol", "cs101/hw1/tests", 1, "cs101/hw1/.tests.git");
	access_is(db, "carol", "cs101/hw1/tests.git", 0, "cs101/hw1/.tests.git");
	access_is(db, "carol", "cs101/hw2/tests", 0, NULL);
	access_is(db, "alice", "cs101/hw1/tests", 0, NULL);
	access_is(db, "alice", "cs101/hw1/tests", 1, NULL);
	access_is(db, "dave", "cs101/hw1/tests", 0, NULL);
	access_is(db, "nobody", "cs101/hw1/tests", 0, NULL);

	db_close(db);
	fs_remove_tree(dir);
	buf_release(&path);
	return done_testing();
}
