/* mirror.c: the GitHub mirror's queue of deliveries and the repositories it fetches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mirror.h"
#include "../lib/banned.h"

/* The statuses of a delivery still to fetch: the queue, then `github sync`'s. */
#define DUE "status IN ('queued', 'retry')"
#define NOT_DONE "status IN ('queued', 'retry', 'failed')"
/* delivery_received() in SQL. */
#define EFFECTIVE "CASE WHEN pushed_at > 0 AND pushed_at <= received THEN pushed_at ELSE received END"

#define REPO_COLUMNS "r.id, r.assignment_id, r.person_id, r.path, r.github_repo, p.login " \
	"FROM repos r JOIN people p ON p.id = r.person_id "

static void repo_from_row(sqlite3_stmt *st, struct mirror_repo *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->assignment_id = sqlite3_column_int64(st, 1);
	r->person_id = sqlite3_column_int64(st, 2);
	r->path = db_text_dup(st, 3);
	r->github_repo = db_text_dup_or_null(st, 4);
	r->login = db_text_dup(st, 5);
}

void mirror_repo_release(struct mirror_repo *r)
{
	free(r->path);
	free(r->github_repo);
	free(r->login);
	memset(r, 0, sizeof(*r));
}

int db_mirror_repo_get(struct db *db, int64_t repo_id, struct mirror_repo *r)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT " REPO_COLUMNS "WHERE r.id = ?", "i", repo_id);
	int rc;

	memset(r, 0, sizeof(*r));
	if (!st)
		return -1;
	if (!(rc = db_row(db, st)))
		repo_from_row(st, r);
	sqlite3_finalize(st);
	return rc;
}

int db_mirror_repos_each(struct db *db, int64_t assignment_id,
			 int (*fn)(const struct mirror_repo *r, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT " REPO_COLUMNS "WHERE r.assignment_id = ? "
				   "AND r.github_repo IS NOT NULL ORDER BY p.login", "i", assignment_id);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		struct mirror_repo r;

		repo_from_row(st, &r);
		rc = fn(&r, data);
		mirror_repo_release(&r);
		if (rc)
			break;
	}
	return db_walk_done(st, rc);
}

int64_t delivery_received(const struct delivery *d)
{
	return d->pushed_at > 0 && d->pushed_at <= d->received ? d->pushed_at : d->received;
}

int db_delivery_claim(struct db *db, int64_t now, int64_t lease, struct delivery *d)
{
	sqlite3_stmt *st;
	int rc;

	memset(d, 0, sizeof(*d));
	if ((rc = db_begin(db)))
		return rc;
	st = db_query(db, "UPDATE deliveries SET attempts = attempts + 1, next_attempt = ?1 + ?2 "
		      "WHERE id = (SELECT id FROM deliveries WHERE " DUE " AND next_attempt <= ?1 "
		      "  AND (repo_id IS NOT NULL OR tests_of IS NOT NULL) "
		      "  ORDER BY next_attempt, id LIMIT 1) "
		      "RETURNING id, coalesce(repo_id, 0), received, coalesce(pushed_at, 0), attempts, "
		      "coalesce(tests_of, 0), coalesce(ref, '')",
		      "ii", now, lease);
	if (!st) {
		db_rollback(db);
		return -1;
	}
	rc = db_row(db, st);
	if (!rc) {
		d->id = sqlite3_column_int64(st, 0);
		d->repo_id = sqlite3_column_int64(st, 1);
		d->received = sqlite3_column_int64(st, 2);
		d->pushed_at = sqlite3_column_int64(st, 3);
		d->attempts = sqlite3_column_int(st, 4);
		d->tests_of = sqlite3_column_int64(st, 5);
		snprintf(d->ref, sizeof(d->ref), "%s", db_text(st, 6));
	}
	db_done(db, st);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int db_delivery_done(struct db *db, int64_t id, const char *commit, const char *detail)
{
	int rc = db_exec(db, "UPDATE deliveries SET status = 'done', commit_id = nullif(?, ''), "
			 "detail = ?, next_attempt = 0 WHERE id = ?", "tti", commit, detail, id);

	return rc < 0 ? rc : 0;
}

int db_delivery_retry(struct db *db, int64_t id, int64_t next_attempt, int failed,
		      const char *reason)
{
	int rc = db_exec(db, "UPDATE deliveries SET status = ?, next_attempt = ?, detail = ? "
			 "WHERE id = ?", "titi", failed ? "failed" : "retry", next_attempt, reason, id);

	return rc < 0 ? rc : 0;
}

int db_delivery_next_due(struct db *db, int64_t *when)
{
	return db_int(db, when, "SELECT next_attempt FROM deliveries WHERE " DUE
		      " AND (repo_id IS NOT NULL OR tests_of IS NOT NULL) ORDER BY next_attempt LIMIT 1", "");
}

int db_deliveries_pending_received(struct db *db, int64_t repo_id, int64_t *received)
{
	return db_int(db, received, "SELECT " EFFECTIVE " AS t FROM deliveries "
		      "WHERE repo_id = ? AND " NOT_DONE " ORDER BY t DESC LIMIT 1", "i", repo_id);
}

int db_deliveries_settle(struct db *db, int64_t repo_id, const char *commit, const char *detail)
{
	return db_exec(db, "UPDATE deliveries SET status = 'done', commit_id = nullif(?, ''), "
		       "detail = ?, next_attempt = 0 WHERE repo_id = ? AND " NOT_DONE,
		       "tti", commit, detail, repo_id);
}

int db_repo_submissions_each(struct db *db, int64_t repo_id,
			     int (*fn)(int64_t id, const char *commit, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id, commit_id FROM submissions WHERE repo_id = ? "
				   "ORDER BY id", "i", repo_id);

	return db_walk_id_texts(db, st, fn, data);
}
