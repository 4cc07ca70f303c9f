/* tests.c: installed versions of an assignment's tests, and their GitHub repository (see tests.h). */
#include "tests.h"
#include "github.h"
#include "../lib/buf.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

int db_tests_record(struct db *db, int64_t assignment_id, const char *dir, const char *version,
		    const char *via, const char *by, struct buf *old)
{
	int rc;

	if (old && (rc = db_str(db, old, "SELECT tests_dir FROM assignments WHERE id = ?", "i",
				assignment_id)))
		return rc == DB_ENOTFOUND ? -1 : rc;
	rc = db_exec(db, "UPDATE assignments SET tests_dir = ?, tests_version = ? WHERE id = ?",
		     "tti", dir, version, assignment_id);
	if (rc < 0)
		return rc;
	rc = db_exec(db, "INSERT INTO tests_versions (assignment_id, version, tests_dir, installed, "
		     "via, by) VALUES (?, ?, ?, ?, ?, ?)", "ittitt", assignment_id, version, dir,
		     time_now(), via, by ? by : "");
	return rc < 0 ? rc : 0;
}

int db_tests_install(struct db *db, int64_t assignment_id, const char *dir, const char *version,
		     const char *via, const char *by, struct buf *old)
{
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = db_tests_record(db, assignment_id, dir, version, via, by, old);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int db_tests_github_set(struct db *db, int64_t assignment_id, const char *full_name)
{
	int64_t other;
	int rc = db_github_repo_find(db, full_name, &other);

	if (!rc)
		return DB_EEXISTS;
	if (rc != DB_ENOTFOUND)
		return rc;
	rc = db_exec(db, "UPDATE assignments SET tests_github = ? WHERE id = ?", "ti", full_name,
		     assignment_id);
	return rc < 0 ? rc : 0;
}

int db_tests_github_find(struct db *db, const char *full_name, int64_t *assignment_id)
{
	return db_int(db, assignment_id, "SELECT id FROM assignments "
		      "WHERE tests_github = ? COLLATE NOCASE", "t", full_name);
}

int db_tests_github_get(struct db *db, int64_t assignment_id, struct buf *out)
{
	return db_str(db, out, "SELECT tests_github FROM assignments "
		      "WHERE id = ? AND tests_github IS NOT NULL", "i", assignment_id);
}
