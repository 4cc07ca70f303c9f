/* access.c: repository access and key ownership queries for the git transports. */
#include <string.h>

#include "access.h"
#include "model.h"
#include "../lib/buf.h"
#include "../lib/banned.h"

/*
 * Does me own repository r: it is their own, or their team's? The first
 * member is also the team repository's person_id, which is bookkeeping
 * only: a team's repository is reached through membership.
 */
#define OWNS "(CASE WHEN r.team_id IS NULL THEN r.person_id = me.id ELSE EXISTS (" \
	"SELECT 1 FROM team_members tm WHERE tm.team_id = r.team_id AND tm.person_id = me.id) END)"

int db_access_repo(struct db *db, const char *login, const char *relpath,
		   const char **role, int *own)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT e.role = 'teacher', " OWNS " "
				   "FROM repos r "
				   "JOIN assignments a ON a.id = r.assignment_id "
				   "JOIN people me ON me.login = ? "
				   "JOIN enrolments e ON e.course_id = a.course_id AND e.person_id = me.id "
				   "WHERE r.path = ?", "tt", login, relpath);
	int rc;

	if (!st)
		return -1;
	if (!(rc = db_row(db, st))) {
		*role = sqlite3_column_int(st, 0) ? ROLE_TEACHER : ROLE_STUDENT;
		*own = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	return rc;
}

int db_access_tests(struct db *db, const char *login, const char *course, const char *name)
{
	int64_t one;

	return db_int(db, &one, "SELECT 1 FROM assignments a "
		      "JOIN courses c ON c.id = a.course_id "
		      "JOIN people me ON me.login = ? "
		      "JOIN enrolments e ON e.course_id = a.course_id AND e.person_id = me.id "
		      "WHERE c.name = ? AND a.name = ? AND e.role = 'teacher'", "ttt",
		      login, course, name);
}

int db_access_teaches(struct db *db, const char *login, const char *course)
{
	int64_t one;

	return db_int(db, &one, "SELECT 1 FROM courses c "
		      "JOIN people me ON me.login = ? "
		      "JOIN enrolments e ON e.course_id = c.id AND e.person_id = me.id "
		      "WHERE c.name = ? AND e.role = 'teacher'", "tt", login, course);
}

int db_access_courses_each(struct db *db, const char *login,
			   int (*fn)(const char *course, const char *role, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT c.name, e.role FROM enrolments e "
				   "JOIN courses c ON c.id = e.course_id "
				   "JOIN people me ON me.id = e.person_id "
				   "WHERE me.login = ? ORDER BY c.name", "t", login);

	return db_walk_texts(db, st, fn, data);
}

int db_access_each(struct db *db, const char *login,
		   int (*fn)(const char *relpath, int writable, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT r.path, e.role = 'student' "
				   "FROM repos r "
				   "JOIN assignments a ON a.id = r.assignment_id "
				   "JOIN people me ON me.login = ? "
				   "JOIN enrolments e ON e.course_id = a.course_id AND e.person_id = me.id "
				   "WHERE e.role = 'teacher' OR " OWNS " "
				   "ORDER BY r.path", "t", login);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW)
		if ((rc = fn(db_text(st, 0), sqlite3_column_int(st, 1), data)))
			break;
	return db_walk_done(st, rc);
}

int db_access_tests_each(struct db *db, const char *login,
			 int (*fn)(const char *course, const char *name, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT c.name, a.name FROM assignments a "
				   "JOIN courses c ON c.id = a.course_id "
				   "JOIN people me ON me.login = ? "
				   "JOIN enrolments e ON e.course_id = a.course_id AND e.person_id = me.id "
				   "WHERE e.role = 'teacher' ORDER BY c.name, a.name", "t", login);

	return db_walk_texts(db, st, fn, data);
}

int db_key_owner(struct db *db, const char *type, const char *blob, struct buf *out)
{
	return db_str(db, out, "SELECT p.login FROM ssh_keys k JOIN people p ON p.id = k.person_id "
		      "WHERE k.blob = ? AND k.type = ?", "tt", blob, type);
}
