/* tests.h: the SQL of tests in git: installed versions and the GitHub repository mirrored as tests. */
#ifndef DB_TESTS_H
#define DB_TESTS_H

#include <stdint.h>

#include "db.h"

struct buf;

/*
 * Make dir, holding version (the tests repository's commit), the tests of
 * the assignment and record it in tests_versions with via and by, in one
 * BEGIN IMMEDIATE transaction: a job reads tests_dir and tests_version
 * from one row, so it never sees one without the other. The directory
 * replaced is appended to old (unless NULL). 0, -1 or DB_EBUSY.
 */
int db_tests_install(struct db *db, int64_t assignment_id, const char *dir, const char *version,
		     const char *via, const char *by, struct buf *old);
/* The same inside the caller's transaction (`lifebelt assignment edit --tests-version`). */
int db_tests_record(struct db *db, int64_t assignment_id, const char *dir, const char *version,
		    const char *via, const char *by, struct buf *old);

/*
 * Mirror the GitHub repository full_name ("owner/name") as the assignment's
 * tests; DB_EEXISTS if another assignment's tests or a student repository
 * are mapped to it.
 */
int db_tests_github_set(struct db *db, int64_t assignment_id, const char *full_name);
/* The assignment whose tests full_name is (case-insensitive) into *assignment_id; DB_ENOTFOUND. */
int db_tests_github_find(struct db *db, const char *full_name, int64_t *assignment_id);
/* The GitHub repository mirrored as the assignment's tests appended to out; DB_ENOTFOUND. */
int db_tests_github_get(struct db *db, int64_t assignment_id, struct buf *out);

#endif
