/* web.c: the read-only queries behind the web pages. */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "queue.h"
#include "web.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/banned.h"

int db_web_submission(struct db *db, int64_t id, struct web_submission *s)
{
	/* Kept prepared: parsing this join cost more than running it. */
	sqlite3_stmt *st = db_query(db,
		"SELECT s.id, s.repo_id, r.person_id, r.assignment_id, a.course_id, s.received, "
		"s.late_seconds, p.login, p.name, c.name, a.name, s.ref, s.commit_id, s.via, r.path, "
		"j.id, j.state, j.status, j.error, j.score, j.max_score, j.queued, j.started, j.finished, "
		"r.github_repo, coalesce(json_extract(j.provenance, '$.tests_version'), ''), "
		"coalesce(a.reveal_after, 0), "
		"s.pusher, (SELECT name FROM teams WHERE id = r.team_id) "
		"FROM submissions s JOIN repos r ON r.id = s.repo_id "
		"JOIN people p ON p.id = r.person_id JOIN assignments a ON a.id = r.assignment_id "
		"JOIN courses c ON c.id = a.course_id "
		"LEFT JOIN jobs j ON j.id = (SELECT max(id) FROM jobs WHERE submission_id = s.id) "
		"WHERE s.id = ?", "i", id);
	int rc;

	memset(s, 0, sizeof(*s));
	if (!st)
		return -1;
	if (!(rc = db_row(db, st))) {
		s->id = sqlite3_column_int64(st, 0);
		s->repo_id = sqlite3_column_int64(st, 1);
		s->person_id = sqlite3_column_int64(st, 2);
		s->assignment_id = sqlite3_column_int64(st, 3);
		s->course_id = sqlite3_column_int64(st, 4);
		s->received = sqlite3_column_int64(st, 5);
		s->late_seconds = sqlite3_column_int64(st, 6);
		s->login = db_text_dup(st, 7);
		s->name = db_text_dup(st, 8);
		s->course = db_text_dup(st, 9);
		s->assignment = db_text_dup(st, 10);
		s->ref = db_text_dup(st, 11);
		s->commit = db_text_dup(st, 12);
		s->via = db_text_dup(st, 13);
		s->repo_path = db_text_dup(st, 14);
		s->job_id = sqlite3_column_int64(st, 15);
		s->state = db_text_dup(st, 16);
		s->status = db_text_dup(st, 17);
		s->error = db_text_dup(st, 18);
		s->has_score = sqlite3_column_type(st, 19) != SQLITE_NULL;
		s->score = sqlite3_column_double(st, 19);
		s->max_score = sqlite3_column_double(st, 20);
		s->queued = sqlite3_column_int64(st, 21);
		s->started = sqlite3_column_int64(st, 22);
		s->finished = sqlite3_column_int64(st, 23);
		s->github_repo = db_text_dup_or_null(st, 24);
		s->tests_version = db_text_dup(st, 25);
		s->reveal_after = sqlite3_column_int64(st, 26);
		s->pusher = db_text_dup_or_null(st, 27);
		s->team = db_text_dup_or_null(st, 28);
	}
	db_done(db, st);
	return rc;
}

void web_submission_release(struct web_submission *s)
{
	free(s->login);
	free(s->name);
	free(s->course);
	free(s->assignment);
	free(s->ref);
	free(s->commit);
	free(s->via);
	free(s->pusher);
	free(s->team);
	free(s->repo_path);
	free(s->state);
	free(s->status);
	free(s->error);
	free(s->github_repo);
	free(s->tests_version);
	memset(s, 0, sizeof(*s));
}

int db_submission_prev(struct db *db, int64_t repo_id, int64_t id, int64_t *prev)
{
	return db_int(db, prev, "SELECT p.id FROM submissions s JOIN submissions p "
		      "ON p.repo_id = s.repo_id AND (p.received, p.id) < (s.received, s.id) "
		      "WHERE s.id = ?2 AND s.repo_id = ?1 ORDER BY p.received DESC, p.id DESC LIMIT 1",
		      "ii", repo_id, id);
}

int db_build_log(struct db *db, int64_t job_id, struct buf *out)
{
	return db_str(db, out, "SELECT build_log FROM jobs WHERE id = ?", "i", job_id);
}

int db_person_assignments_each(struct db *db, int64_t person_id, const char *role,
			       int (*fn)(const struct assignment *a, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT a.id FROM assignments a "
				   "JOIN courses c ON c.id = a.course_id "
				   "JOIN enrolments e ON e.course_id = a.course_id "
				   "WHERE e.person_id = ? AND e.role = ? ORDER BY c.name, a.due, a.name",
				   "it", person_id, role);
	int64_t *ids = NULL;
	size_t nr = 0, alloc = 0, i;
	int rc;

	if (!st)
		return -1;
	/* Collect first: the callback runs its own queries. */
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		ALLOC_GROW(ids, nr + 1, alloc);
		ids[nr++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto done;
	rc = 0;
	for (i = 0; i < nr && !rc; i++) {
		struct assignment a;

		if (!(rc = db_assignment_get_id(db, ids[i], &a))) {
			rc = fn(&a, data);
			assignment_release(&a);
		}
	}
done:
	free(ids);
	return rc;
}

int db_is_teacher(struct db *db, int64_t person_id)
{
	int64_t n = 0;

	return !db_int(db, &n, "SELECT count(*) FROM enrolments WHERE person_id = ? AND role = ?",
		       "it", person_id, ROLE_TEACHER) && n > 0;
}

int db_person_courses_each(struct db *db, int64_t person_id, const char *role,
			   int (*fn)(int64_t id, const char *name, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT c.id, c.name FROM courses c "
				   "JOIN enrolments e ON e.course_id = c.id "
				   "WHERE e.person_id = ? AND e.role = ? ORDER BY c.name",
				   "it", person_id, role);

	return db_walk_id_texts(db, st, fn, data);
}

int db_received_times(struct db *db, int64_t assignment_id, int64_t **times, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT s.received FROM repos r "
				   "JOIN submissions s ON s.repo_id = r.id WHERE r.assignment_id = ?",
				   "i", assignment_id);
	size_t alloc = 0;
	int rc;

	*times = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		ALLOC_GROW(*times, *n + 1, alloc);
		(*times)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	return db_walk_done(st, rc);
}

int db_test_failures_each(struct db *db, const int64_t *jobs, size_t nr,
			  int (*fn)(const char *name, int64_t runs, int64_t failed, void *data),
			  void *data)
{
	struct buf list = BUF_INIT;
	sqlite3_stmt *st;
	size_t i;
	int rc;

	/* The job ids travel as one bound JSON array, not as SQL text. */
	buf_addch(&list, '[');
	for (i = 0; i < nr; i++)
		buf_addf(&list, "%s%lld", i ? "," : "", (long long)jobs[i]);
	buf_addch(&list, ']');
	st = db_stmt(db, "SELECT name, count(*), sum(verdict != 'pass') FROM results "
		     "WHERE job_id IN (SELECT value FROM json_each(?)) "
		     "GROUP BY name ORDER BY min(seq), name", "t", list.buf);
	buf_release(&list);
	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW)
		if ((rc = fn(db_text(st, 0), sqlite3_column_int64(st, 1),
			     sqlite3_column_int64(st, 2), data)))
			break;
	return db_walk_done(st, rc);
}

int db_job_durations(struct db *db, const double *bounds, int nb, int64_t *counts,
		     int64_t *n, double *sum)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT finished - started AS d, count(*) FROM jobs "
				   "WHERE state = 'done' AND started IS NOT NULL "
				   "AND finished IS NOT NULL GROUP BY d", "");
	int rc, i;

	memset(counts, 0, (size_t)nb * sizeof(*counts));
	*n = 0;
	*sum = 0;
	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		double d = sqlite3_column_double(st, 0);
		int64_t c = sqlite3_column_int64(st, 1);

		for (i = 0; i < nb; i++)
			if (d <= bounds[i])
				counts[i] += c;
		*n += c;
		*sum += d * (double)c;
	}
	return db_walk_done(st, rc);
}

int db_pushes_each(struct db *db, int (*fn)(const char *via, int64_t n, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT via, count(*) FROM submissions GROUP BY via "
				   "ORDER BY via", "");
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW)
		if ((rc = fn(db_text(st, 0), sqlite3_column_int64(st, 1), data)))
			break;
	return db_walk_done(st, rc);
}

int db_data_version(struct db *db, int64_t *v)
{
	return db_int(db, v, "PRAGMA data_version", "");
}
