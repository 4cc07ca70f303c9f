/* github.c: repository mappings and the webhook's deliveries (see github.h). */
#include <string.h>

#include "github.h"
#include "../lib/buf.h"
#include "../lib/banned.h"

int db_github_repo_find(struct db *db, const char *full_name, int64_t *repo_id)
{
	/* COLLATE NOCASE as the index repos_github is: GitHub's names ignore case. */
	return db_int(db, repo_id, "SELECT id FROM repos WHERE github_repo = ? COLLATE NOCASE "
		      "ORDER BY id LIMIT 1", "t", full_name);
}

int db_github_repo_set(struct db *db, int64_t repo_id, const char *full_name)
{
	int rc = db_exec(db, "UPDATE repos SET github_repo = ? WHERE id = ?", "ti", full_name, repo_id);

	return rc < 0 ? rc : 0;
}

int db_github_pattern_set(struct db *db, int64_t assignment_id, const char *pattern)
{
	int64_t other;
	int rc = db_int(db, &other, "SELECT id FROM assignments WHERE github = ? COLLATE NOCASE "
			"AND id <> ?", "ti", pattern, assignment_id);

	if (!rc)
		return DB_EEXISTS;
	if (rc != DB_ENOTFOUND)
		return rc;
	rc = db_exec(db, "UPDATE assignments SET github = ? WHERE id = ?", "ti", pattern, assignment_id);
	return rc < 0 ? rc : 0;
}

int db_github_pattern_get(struct db *db, int64_t assignment_id, struct buf *out)
{
	return db_str(db, out, "SELECT github FROM assignments WHERE id = ? AND github IS NOT NULL",
		      "i", assignment_id);
}

/* The name a repository's pattern gives it, for r (repos) joined with a and p. */
#define PATTERN_NAME "replace(a.github, '{github}', p.github)"

int db_github_map(struct db *db, int64_t assignment_id, int64_t person_id)
{
	return db_exec(db,
		"UPDATE repos SET github_repo = (SELECT " PATTERN_NAME " FROM assignments a, people p "
		"  WHERE a.id = repos.assignment_id AND p.id = repos.person_id) "
		"WHERE github_repo IS NULL AND (?1 = 0 OR assignment_id = ?1) "
		"  AND (?2 = 0 OR person_id = ?2) "
		"  AND EXISTS (SELECT 1 FROM assignments a, people p "
		"    WHERE a.id = repos.assignment_id AND p.id = repos.person_id "
		"      AND a.github IS NOT NULL AND p.github IS NOT NULL "
		"      AND NOT EXISTS (SELECT 1 FROM repos r2 "
		"        WHERE r2.github_repo = " PATTERN_NAME " COLLATE NOCASE))",
		"ii", assignment_id, person_id);
}

int db_delivery_add(struct db *db, const struct delivery *d)
{
	sqlite3_stmt *st = db_stmt(db,
		"INSERT INTO deliveries (guid, event, received, repo_id, status, detail, ref, "
		"commit_id, pushed_at, tests_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, nullif(?, 0))",
		"ttiittttii", d->guid, d->event, d->received, d->repo_id, d->status,
		d->detail ? d->detail : "", d->ref, d->commit_id, d->pushed_at, d->tests_of);
	int rc;

	if (!st)
		return -1;
	if (!d->repo_id)
		sqlite3_bind_null(st, 4);
	if (!d->pushed_at)
		sqlite3_bind_null(st, 9);
	rc = db_step(db, st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rc;
}

int db_delivery_each(struct db *db, int limit, int (*fn)(const struct delivery *d, void *data),
		     void *data)
{
	sqlite3_stmt *st = db_stmt(db,
		"SELECT d.guid, d.event, d.received, d.repo_id, coalesce(r.github_repo, a.tests_github), "
		"d.status, d.detail, d.ref, d.commit_id, d.pushed_at, coalesce(d.tests_of, 0) "
		"FROM deliveries d LEFT JOIN repos r ON r.id = d.repo_id "
		"LEFT JOIN assignments a ON a.id = d.tests_of ORDER BY d.id DESC LIMIT ?", "i",
		(int64_t)limit);
	struct delivery d;
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		d.guid = db_text(st, 0);
		d.event = db_text(st, 1);
		d.received = sqlite3_column_int64(st, 2);
		d.repo_id = sqlite3_column_int64(st, 3);
		d.repo = db_text_or_null(st, 4);
		d.status = db_text(st, 5);
		d.detail = db_text(st, 6);
		d.ref = db_text_or_null(st, 7);
		d.commit_id = db_text_or_null(st, 8);
		d.pushed_at = sqlite3_column_int64(st, 9);
		d.tests_of = sqlite3_column_int64(st, 10);
		if ((rc = fn(&d, data)))
			break;
	}
	return db_walk_done(st, rc);
}

int db_github_students(struct db *db, int64_t course_id, int64_t assignment_id,
		       int (*fn)(const struct github_student *s, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db,
		"SELECT p.login, p.github, r.github_repo, r.id IS NOT NULL, "
		"  d.received, d.status, d.detail, s.received, s.commit_id "
		"FROM enrolments e JOIN people p ON p.id = e.person_id "
		"LEFT JOIN repos r ON r.person_id = p.id AND r.assignment_id = ?2 "
		"LEFT JOIN deliveries d ON d.id = (SELECT max(id) FROM deliveries WHERE repo_id = r.id) "
		"LEFT JOIN submissions s ON s.id = (SELECT id FROM submissions "
		"  WHERE repo_id = r.id AND via = 'webhook' ORDER BY received DESC, id DESC LIMIT 1) "
		"WHERE e.course_id = ?1 AND e.role = 'student' ORDER BY p.login",
		"ii", course_id, assignment_id);
	struct github_student s;
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		s.login = db_text(st, 0);
		s.github = db_text_or_null(st, 1);
		s.repo = db_text_or_null(st, 2);
		s.has_repo = sqlite3_column_int(st, 3);
		s.delivered = sqlite3_column_int64(st, 4);
		s.delivery_status = db_text(st, 5);
		s.delivery_detail = db_text(st, 6);
		s.mirrored = sqlite3_column_int64(st, 7);
		s.commit_id = db_text(st, 8);
		if ((rc = fn(&s, data)))
			break;
	}
	return db_walk_done(st, rc);
}
