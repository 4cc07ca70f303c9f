/* statuses.c: the commit statuses due to GitHub (see statuses.h). */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "statuses.h"
#include "../lib/alloc.h"
#include "../lib/banned.h"

void status_due_release(struct status_due *d)
{
	free(d->repo);
	free(d->sent);
	free(d->state);
	free(d->status);
	free(d->login);
	memset(d, 0, sizeof(*d));
}

/*
 * c: the candidate jobs, with the job whose outcome each shows (a
 * superseded job shows its successor's); then their outcome. The partial
 * index submissions_webhook keeps the scan to mirrored submissions (named:
 * left to itself, the planner walks every job in id order to skip the
 * sort, a tenth of a second with 100 000 of them).
 */
static const char due_sql[] =
	"WITH c AS (SELECT j.id AS job, s.commit_id AS commit_id, r.github_repo AS repo,"
	"  j.person_id AS person, g.state AS sent, coalesce(g.attempts, 0) AS attempts,"
	"  CASE WHEN j.state = 'superseded' THEN (SELECT min(k.id) FROM jobs k"
	"    WHERE k.assignment_id = j.assignment_id AND k.person_id = j.person_id"
	"    AND k.id > j.id AND k.state != 'superseded') ELSE j.id END AS shown"
	"  FROM submissions s INDEXED BY submissions_webhook JOIN repos r ON r.id = s.repo_id"
	"  JOIN jobs j ON j.submission_id = s.id"
	"  LEFT JOIN github_statuses g ON g.job_id = j.id"
	"  WHERE s.via = 'webhook' AND r.github_repo IS NOT NULL"
	"  AND (g.job_id IS NULL OR g.next_attempt <= ?1))"
	" SELECT c.job, c.commit_id, c.repo, c.sent, c.attempts, e.id, e.submission_id,"
	"  es.commit_id, e.state, e.status, e.score, e.max_score, p.login, p.token_gen"
	" FROM c JOIN people p ON p.id = c.person"
	" LEFT JOIN jobs e ON e.id = c.shown"
	" LEFT JOIN submissions es ON es.id = e.submission_id"
	" WHERE NOT (coalesce(c.sent = 'pending', 0) AND coalesce(e.state IN ('queued', 'running'), 0))"
	" ORDER BY c.job LIMIT ?2";

static void copy_hex(char *dst, const char *src)
{
	snprintf(dst, 41, "%s", src);
}

static void due_read(sqlite3_stmt *st, struct status_due *d)
{
	memset(d, 0, sizeof(*d));
	d->job_id = sqlite3_column_int64(st, 0);
	copy_hex(d->commit, db_text(st, 1));
	d->repo = db_text_dup(st, 2);
	d->sent = db_text_dup_or_null(st, 3);
	d->attempts = sqlite3_column_int(st, 4);
	d->shown = sqlite3_column_int64(st, 5);
	d->shown_submission = sqlite3_column_int64(st, 6);
	copy_hex(d->shown_commit, db_text(st, 7));
	d->state = db_text_dup(st, 8);
	d->status = db_text_dup(st, 9);
	d->has_score = sqlite3_column_type(st, 10) != SQLITE_NULL &&
		       sqlite3_column_type(st, 11) != SQLITE_NULL;
	d->score = sqlite3_column_double(st, 10);
	d->max_score = sqlite3_column_double(st, 11);
	d->login = db_text_dup(st, 12);
	d->token_gen = sqlite3_column_int64(st, 13);
}

int db_status_due(struct db *db, int64_t now, int limit,
		  int (*fn)(const struct status_due *d, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db, due_sql, "ii", now, (int64_t)limit);
	struct status_due d;
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		due_read(st, &d);
		rc = fn(&d, data);
		status_due_release(&d);
		if (rc)
			break;
	}
	return db_walk_done(st, rc);
}

int db_status_next_attempt(struct db *db, int64_t *when)
{
	/* min() of no rows is NULL, which reads as 0. */
	return db_int(db, when, "SELECT min(next_attempt) FROM github_statuses "
		      "WHERE next_attempt > 0", "");
}

int db_status_sent(struct db *db, int64_t job_id, const char *state, int64_t now, int final)
{
	int rc = db_exec(db, "INSERT INTO github_statuses (job_id, state, sent, attempts, next_attempt, error) "
			 "VALUES (?1, ?2, ?3, 0, CASE WHEN ?4 THEN NULL ELSE 0 END, '') "
			 "ON CONFLICT (job_id) DO UPDATE SET state = excluded.state, sent = excluded.sent, "
			 "attempts = 0, next_attempt = excluded.next_attempt, error = ''",
			 "itii", job_id, state, now, (int64_t)final);

	return rc < 0 ? rc : 0;
}

int db_status_failed(struct db *db, int64_t job_id, int attempts, int64_t next_attempt,
		     const char *error)
{
	int rc = db_exec(db, "INSERT INTO github_statuses (job_id, attempts, next_attempt, error) "
			 "VALUES (?1, ?2, nullif(?3, 0), ?4) "
			 "ON CONFLICT (job_id) DO UPDATE SET attempts = excluded.attempts, "
			 "next_attempt = excluded.next_attempt, error = excluded.error",
			 "iiit", job_id, (int64_t)attempts, next_attempt, error);

	return rc < 0 ? rc : 0;
}
