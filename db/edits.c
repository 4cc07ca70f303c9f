/* edits.c: the SQL of `lifebelt assignment edit`: the new values, lateness again, the log. */
#include "counted.h"
#include "edits.h"
#include "model.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

int db_assignment_update(struct db *db, const struct assignment *a)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE assignments SET due = ?, close = ?, late_penalty = ?, "
				   "late_days = ?, points = ?, branch = ? WHERE id = ?", "iidid" "ti",
				   a->due, a->close, a->late_penalty, a->late_days, a->points,
				   a->branch, a->id);
	int rc;

	if (!st)
		return -1;
	if (!a->close)
		sqlite3_bind_null(st, 2);
	if (a->points <= 0)
		sqlite3_bind_null(st, 5);
	rc = db_step(db, st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rc;
}

int db_late_recompute(struct db *db, int64_t assignment_id)
{
	/* An extension counts only when it is later than the due time (record_due()). */
	int n = db_exec(db,
		"UPDATE submissions SET late_seconds = nl.late FROM ("
		"  SELECT s.id, max(0, s.received - max(a.due, coalesce(e.until, a.due))) AS late "
		"  FROM submissions s JOIN repos r ON r.id = s.repo_id "
		"  JOIN assignments a ON a.id = r.assignment_id "
		"  LEFT JOIN extensions e ON e.assignment_id = a.id AND e.person_id = r.person_id "
		"  WHERE a.id = ?) AS nl "
		"WHERE submissions.id = nl.id AND submissions.late_seconds != nl.late", "i",
		assignment_id);

	/* The grades that count follow: a penalty, a close or a lateness changed. */
	if (n >= 0 && db_counted_refresh(db, 0, assignment_id, 0))
		return -1;
	return n;
}

int db_assignment_submissions(struct db *db, int64_t assignment_id, int64_t *n)
{
	return db_int(db, n, "SELECT count(*) FROM submissions s JOIN repos r ON r.id = s.repo_id "
		      "WHERE r.assignment_id = ?", "i", assignment_id);
}

int db_edit_log(struct db *db, int64_t assignment_id, const char *who, const char *field,
		const char *old, const char *new_value)
{
	int rc = db_exec(db, "INSERT INTO assignment_edits (assignment_id, at, who, field, old, new) "
			 "VALUES (?, ?, ?, ?, ?, ?)", "iitttt", assignment_id, time_now(), who,
			 field, old, new_value);

	return rc < 0 ? rc : 0;
}

int db_edits_each(struct db *db, int64_t assignment_id,
		  int (*fn)(const struct edit_row *e, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT at, who, field, old, new FROM assignment_edits "
				   "WHERE assignment_id = ? ORDER BY id", "i", assignment_id);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		struct edit_row e;

		e.at = sqlite3_column_int64(st, 0);
		e.who = db_text(st, 1);
		e.field = db_text(st, 2);
		e.old = db_text(st, 3);
		e.new_value = db_text(st, 4);
		if ((rc = fn(&e, data)))
			break;
	}
	return db_walk_done(st, rc);
}
