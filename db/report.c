/* report.c: the read-side queries behind listings, gradebooks and status. */
#include <string.h>

#include "model.h"
#include "report.h"
#include "teams.h"
#include "../lib/buf.h"
#include "../lib/csv.h"
#include "../lib/timeutil.h"
#include "../lib/verdict.h"
#include "../lib/banned.h"

/* The newest job of each submission, if any. */
#define LAST_JOB "(SELECT max(id) FROM jobs WHERE submission_id = s.id)"

int db_submissions_each(struct db *db, int64_t assignment_id, const char *login,
			int (*fn)(const struct submission_row *r, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db,
		"SELECT s.id, j.id, s.received, s.late_seconds, p.login, s.ref, s.commit_id, s.via, "
		"j.state, j.status, j.score, j.max_score, r.github_repo, s.pusher, t.name "
		"FROM submissions s "
		"JOIN repos r ON r.id = s.repo_id JOIN people p ON p.id = r.person_id "
		"LEFT JOIN teams t ON t.id = r.team_id "
		"LEFT JOIN jobs j ON j.id = " LAST_JOB " "
		"WHERE r.assignment_id = ?1 AND (?2 IS NULL OR r.id = "
		DB_STUDENT_REPO("?1", "(SELECT id FROM people WHERE login = ?2)") ") "
		"ORDER BY s.received DESC, s.id DESC", "it", assignment_id, login);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		struct submission_row r;

		memset(&r, 0, sizeof(r));
		r.id = sqlite3_column_int64(st, 0);
		r.job_id = sqlite3_column_int64(st, 1);
		r.received = sqlite3_column_int64(st, 2);
		r.late_seconds = sqlite3_column_int64(st, 3);
		r.login = db_text(st, 4);
		r.ref = db_text(st, 5);
		r.commit = db_text(st, 6);
		r.via = db_text(st, 7);
		r.state = db_text(st, 8);
		r.status = db_text(st, 9);
		r.has_score = sqlite3_column_type(st, 10) != SQLITE_NULL;
		r.score = sqlite3_column_double(st, 10);
		r.max_score = sqlite3_column_double(st, 11);
		r.github_repo = db_text_or_null(st, 12);
		r.pusher = db_text_or_null(st, 13);
		r.team = db_text_or_null(st, 14);
		if (r.team)
			r.login = r.team;
		if ((rc = fn(&r, data)))
			break;
	}
	return db_walk_done(st, rc);
}

int64_t late_days_used(int64_t late_seconds)
{
	return late_seconds <= 0 ? 0 : (late_seconds + TIME_DAY - 1) / TIME_DAY;
}

double assignment_late_factor(const struct assignment *a, int64_t late_seconds)
{
	double f = 1.0 - a->late_penalty / 100.0 * (double)late_days_used(late_seconds);

	return f < 0 ? 0 : f;
}

/* The counted row's columns that follow the gradebook's own (see grade_row_counted). */
#define GRADE_COUNTED_COLS "c.raw, coalesce(c.late_days, 0), coalesce(c.grace_days, 0), " \
	"coalesce(c.submission_id, 0), o.id, o.score, o.waive, o.reason, o.by, o.at"

static void grade_row_counted(sqlite3_stmt *st, int col, struct grade_row *r)
{
	r->raw = sqlite3_column_double(st, col);
	r->late_days = sqlite3_column_int64(st, col + 1);
	r->grace_days = sqlite3_column_int64(st, col + 2);
	r->counted_submission = sqlite3_column_int64(st, col + 3);
	r->override_id = sqlite3_column_int64(st, col + 4);
	r->override_score = sqlite3_column_type(st, col + 5) != SQLITE_NULL;
	r->waived = sqlite3_column_int(st, col + 6);
	r->override_reason = db_text(st, col + 7);
	r->override_by = db_text(st, col + 8);
	r->override_at = sqlite3_column_int64(st, col + 9);
	if (r->has_score && !r->counted_job)
		r->raw = r->final;      /* a score set by hand with nothing graded */
}

/* The columns GRADES_CSV_HEADER appends for counting: submission, grace, override. */
static void grade_row_csv_counted(struct buf *b, const struct grade_row *r)
{
	struct buf when = BUF_INIT;

	if (r->counted_submission)
		buf_addf(b, ",%lld", (long long)r->counted_submission);
	else
		buf_addch(b, ',');
	buf_addf(b, ",%lld", (long long)r->grace_days);
	if (!r->override_id) {
		buf_adds(b, ",,,,,");
		return;
	}
	buf_addch(b, ',');
	if (r->override_score)
		buf_addf(b, "%g", r->final);
	buf_addf(b, ",%s", r->waived ? "yes" : "");
	csv_add_field(b, r->override_reason);
	csv_add_field(b, r->override_by);
	time_format(&when, r->override_at);
	csv_add_field(b, when.buf);
	buf_release(&when);
}

int db_grades_each(struct db *db, const struct assignment *a,
		   int (*fn)(const struct grade_row *r, void *data), void *data)
{
	/*
	 * For each student: the number of submissions, the newest job's state
	 * of the latest submission, and their counted row (counted.c keeps it
	 * as jobs finish) with the override standing on it. A few index seeks
	 * per student, whatever the class size.
	 */
	sqlite3_stmt *st = db_stmt(db,
		"SELECT p.login, p.name, p.email, "
		"  (SELECT count(*) FROM submissions WHERE repo_id = r.id), "
		"  c.score, c.max_score, coalesce(c.late_seconds, 0), "
		"  coalesce(lj.state, ''), coalesce(c.job_id, 0), coalesce(lj.status, ''), "
		"  ig.points, ig.max_points, " GRADE_COUNTED_COLS " "
		"FROM enrolments e JOIN people p ON p.id = e.person_id "
		"LEFT JOIN repos r ON r.id = " DB_STUDENT_REPO("?1", "p.id") " "
		"LEFT JOIN jobs lj ON lj.id = (SELECT j.id FROM jobs j WHERE j.submission_id = "
		"  (SELECT s.id FROM submissions s WHERE s.repo_id = r.id "
		"   ORDER BY s.received DESC, s.id DESC LIMIT 1) ORDER BY j.id DESC LIMIT 1) "
		"LEFT JOIN counted c ON c.assignment_id = ?1 AND c.person_id = p.id "
		"LEFT JOIN overrides o ON o.id = c.override_id "
		"LEFT JOIN imported_grades ig ON ig.assignment_id = ?1 AND ig.person_id = p.id "
		"  AND ig.source = 'github-classroom' "
		"WHERE e.course_id = ?2 AND e.role = 'student' ORDER BY p.login",
		"ii", a->id, a->course_id);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		struct grade_row r;

		memset(&r, 0, sizeof(r));
		r.login = db_text(st, 0);
		r.name = db_text(st, 1);
		r.email = db_text(st, 2);
		r.submissions = sqlite3_column_int64(st, 3);
		r.has_score = sqlite3_column_type(st, 4) != SQLITE_NULL;
		r.final = sqlite3_column_double(st, 4);
		r.max_score = sqlite3_column_double(st, 5);
		r.late_seconds = sqlite3_column_int64(st, 6);
		r.last_state = db_text(st, 7);
		r.counted_job = sqlite3_column_int64(st, 8);
		r.last_status = db_text(st, 9);
		r.has_imported = sqlite3_column_type(st, 10) != SQLITE_NULL;
		r.imported = sqlite3_column_double(st, 10);
		r.imported_max = sqlite3_column_double(st, 11);
		grade_row_counted(st, 12, &r);
		/* An assignment worth other points than its tests' total: the scores scaled to it. */
		if (a->points > 0 && r.max_score > 0) {
			double k = a->points / r.max_score;

			r.raw *= k;
			r.final *= k;
			r.max_score = a->points;
		}
		if ((rc = fn(&r, data)))
			break;
	}
	return db_walk_done(st, rc);
}

const char *grade_row_status(const struct grade_row *r)
{
	return job_state_parse(r->last_state) == JOB_DONE && *r->last_status ?
	       r->last_status : r->last_state;
}

void grade_row_csv(struct buf *b, const struct grade_row *r)
{
	csv_add_field(b, r->login);
	csv_add_field(b, r->name);
	csv_add_field(b, r->email);
	if (r->has_score)
		buf_addf(b, ",%g,%g,%g", r->final, r->raw, r->max_score);
	else
		buf_adds(b, ",,,");
	buf_addf(b, ",%lld,%lld", (long long)r->late_days, (long long)r->submissions);
	csv_add_field(b, grade_row_status(r));
	if (r->has_imported)
		buf_addf(b, ",%g,%g", r->imported, r->imported_max);
	else
		buf_adds(b, ",,");
	grade_row_csv_counted(b, r);
	buf_adds(b, "\r\n");
}

int db_queue_stats(struct db *db, struct queue_stats *s)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT state, count(*), min(queued) FROM jobs GROUP BY state", "");
	int rc;

	memset(s, 0, sizeof(*s));
	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		int64_t n = sqlite3_column_int64(st, 1);

		switch (job_state_parse(db_text(st, 0))) {
		case JOB_QUEUED:
			s->queued = n;
			s->oldest_queued = sqlite3_column_int64(st, 2);
			break;
		case JOB_RUNNING:
			s->running = n;
			break;
		case JOB_DONE:
			s->done = n;
			break;
		case JOB_INFRA_ERROR:
			s->infra_error = n;
			break;
		case JOB_SUPERSEDED:
			s->superseded = n;
			break;
		case JOB_UNKNOWN:
		case JOB_NR:
			break;
		}
	}
	return db_walk_done(st, rc);
}

int db_running_each(struct db *db, int (*fn)(const struct running_row *r, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db,
		"SELECT j.id, j.submission_id, j.started, j.lease_expires, j.attempts, c.name, a.name, "
		"p.login, j.lease_owner FROM jobs j JOIN assignments a ON a.id = j.assignment_id "
		"JOIN courses c ON c.id = a.course_id JOIN people p ON p.id = j.person_id "
		"WHERE j.state = 'running' ORDER BY j.started, j.id", "");
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		struct running_row r;

		r.job_id = sqlite3_column_int64(st, 0);
		r.submission_id = sqlite3_column_int64(st, 1);
		r.started = sqlite3_column_int64(st, 2);
		r.lease_expires = sqlite3_column_int64(st, 3);
		r.attempts = sqlite3_column_int(st, 4);
		r.course = db_text(st, 5);
		r.assignment = db_text(st, 6);
		r.login = db_text(st, 7);
		r.owner = db_text(st, 8);
		if ((rc = fn(&r, data)))
			break;
	}
	return db_walk_done(st, rc);
}
