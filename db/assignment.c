/* assignment.c: assignments, extensions and repositories. */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

void assignment_release(struct assignment *a)
{
	free(a->course);
	free(a->name);
	free(a->tests_dir);
	free(a->tests_version);
	free(a->starter_dir);
	free(a->branch);
	free(a->limits);
	memset(a, 0, sizeof(*a));
}

int db_assignment_add(struct db *db, struct assignment *a)
{
	sqlite3_stmt *st = db_stmt(db,
		"INSERT INTO assignments (course_id, name, tests_dir, tests_version, starter_dir, "
		"due, close, late_penalty, late_days, branch, max_input_size, max_file_size, "
		"max_files, limits, created, reveal_after) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, nullif(?, 0))",
		"itttti" "idi" "tiiiti" "i", a->course_id, a->name, a->tests_dir,
		a->tests_version ? a->tests_version : "", a->starter_dir, a->due,
		a->close, a->late_penalty, a->late_days, a->branch, a->max_input_size,
		a->max_file_size, a->max_files, a->limits ? a->limits : "{}", time_now(),
		a->reveal_after);
	int rc;

	if (!st)
		return -1;
	if (!a->close)
		sqlite3_bind_null(st, 7);
	rc = db_step(db, st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	a->id = sqlite3_last_insert_rowid(db->h);
	return 0;
}

#define ASSIGNMENT_COLS "a.id, a.course_id, c.name, a.name, a.tests_dir, a.tests_version, " \
	"a.starter_dir, a.branch, a.limits, a.due, a.close, a.late_penalty, a.late_days, " \
	"a.max_input_size, a.max_file_size, a.max_files, coalesce(a.reveal_after, 0), coalesce(a.points, 0)"

static void assignment_fill(sqlite3_stmt *st, struct assignment *a)
{
	a->id = sqlite3_column_int64(st, 0);
	a->course_id = sqlite3_column_int64(st, 1);
	a->course = db_text_dup(st, 2);
	a->name = db_text_dup(st, 3);
	a->tests_dir = db_text_dup(st, 4);
	a->tests_version = db_text_dup(st, 5);
	a->starter_dir = db_text_dup_or_null(st, 6);
	a->branch = db_text_dup(st, 7);
	a->limits = db_text_dup(st, 8);
	a->due = sqlite3_column_int64(st, 9);
	a->close = sqlite3_column_int64(st, 10);
	a->late_penalty = sqlite3_column_double(st, 11);
	a->late_days = sqlite3_column_int64(st, 12);
	a->max_input_size = sqlite3_column_int64(st, 13);
	a->max_file_size = sqlite3_column_int64(st, 14);
	a->max_files = sqlite3_column_int64(st, 15);
	a->reveal_after = sqlite3_column_int64(st, 16);
	a->points = sqlite3_column_double(st, 17);
}

static int assignment_one(struct db *db, sqlite3_stmt *st, struct assignment *a)
{
	int rc;

	memset(a, 0, sizeof(*a));
	if (!st)
		return -1;
	if (!(rc = db_row(db, st)))
		assignment_fill(st, a);
	sqlite3_finalize(st);
	return rc;
}

int db_assignment_get(struct db *db, const char *course, const char *name, struct assignment *a)
{
	return assignment_one(db, db_stmt(db, "SELECT " ASSIGNMENT_COLS " FROM assignments a "
					  "JOIN courses c ON c.id = a.course_id "
					  "WHERE c.name = ? AND a.name = ?", "tt", course, name), a);
}

int db_assignment_get_id(struct db *db, int64_t id, struct assignment *a)
{
	return assignment_one(db, db_stmt(db, "SELECT " ASSIGNMENT_COLS " FROM assignments a "
					  "JOIN courses c ON c.id = a.course_id WHERE a.id = ?",
					  "i", id), a);
}

int db_assignment_each(struct db *db, int64_t course_id,
		       int (*fn)(const struct assignment *a, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT " ASSIGNMENT_COLS " FROM assignments a "
				   "JOIN courses c ON c.id = a.course_id "
				   "WHERE a.course_id = ? ORDER BY a.due, a.name", "i", course_id);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		struct assignment a;

		assignment_fill(st, &a);
		rc = fn(&a, data);
		assignment_release(&a);
		if (rc)
			break;
	}
	return db_walk_done(st, rc);
}

int db_extension_set(struct db *db, int64_t assignment_id, int64_t person_id, int64_t until)
{
	int rc = db_exec(db, "INSERT INTO extensions (assignment_id, person_id, until, granted) "
			 "VALUES (?, ?, ?, ?) ON CONFLICT (assignment_id, person_id) "
			 "DO UPDATE SET until = excluded.until, granted = excluded.granted",
			 "iiii", assignment_id, person_id, until, time_now());

	return rc < 0 ? rc : 0;
}

int db_extension_get(struct db *db, int64_t assignment_id, int64_t person_id, int64_t *until)
{
	return db_int(db, until, "SELECT until FROM extensions WHERE assignment_id = ? "
		      "AND person_id = ?", "ii", assignment_id, person_id);
}

int db_repo_add(struct db *db, int64_t assignment_id, int64_t person_id, const char *path,
		int64_t *id)
{
	int rc = db_exec(db, "INSERT INTO repos (assignment_id, person_id, path, created) "
			 "VALUES (?, ?, ?, ?)", "iiti", assignment_id, person_id, path, time_now());

	if (rc < 0)
		return rc;
	*id = sqlite3_last_insert_rowid(db->h);
	return 0;
}

int db_repo_id(struct db *db, int64_t assignment_id, int64_t person_id, int64_t *id)
{
	return db_int(db, id, "SELECT id FROM repos WHERE assignment_id = ? AND person_id = ?",
		      "ii", assignment_id, person_id);
}

int db_repo_by_path(struct db *db, const char *relpath, struct repo_info *r)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT r.id, r.assignment_id, r.person_id, p.login "
				   "FROM repos r JOIN people p ON p.id = r.person_id WHERE r.path = ?",
				   "t", relpath);
	int rc;

	memset(r, 0, sizeof(*r));
	if (!st)
		return -1;
	if (!(rc = db_row(db, st))) {
		r->id = sqlite3_column_int64(st, 0);
		r->assignment_id = sqlite3_column_int64(st, 1);
		r->person_id = sqlite3_column_int64(st, 2);
		r->login = db_text_dup(st, 3);
	}
	sqlite3_finalize(st);
	return rc;
}

void repo_info_release(struct repo_info *r)
{
	free(r->login);
	memset(r, 0, sizeof(*r));
}
