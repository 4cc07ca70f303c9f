/*
 * tests.h: an assignment's tests kept in git. Teachers clone and push the
 * tests repository COURSE/NAME/tests (repos/COURSE/NAME/.tests.git, see
 * auth.h), or a GitHub repository is mirrored as it; each new commit of
 * its branch is checked as a spec and, if good, installed as the tests
 * the runner uses, its commit id the tests version.
 */
#ifndef GITD_TESTS_H
#define GITD_TESTS_H

#include <stdint.h>

struct assignment;
struct buf;
struct db;
typedef struct git_repository git_repository;

/* The tests repository's absolute path into out. */
void tests_repo_path(struct buf *out, const char *course, const char *name);

/*
 * Check the tests in commit (40 hex) of repo: written out with the
 * assignment's push caps (files and bytes) into a temporary directory and
 * read as a spec (runner/spec.h). 0 when good; TESTS_EBAD with one line in
 * why naming the file and the field ("lifebelt.json: tests[2]: unknown
 * field 'outptu'"), or saying the commit is too big; -1 with why set on a
 * fault of the server.
 */
int tests_check(git_repository *repo, const char *commit, const struct assignment *a,
		struct buf *why);

/*
 * Install commit of repo as the assignment's tests: written out and checked
 * as tests_check() does, into a directory of its own
 * (tests/COURSE/.versions/NAME/COMMIT), then made the tests in one
 * transaction (db_tests_install(), via and by recorded). A job already
 * running keeps the directory it read; the versions before the one replaced
 * are removed. 0, TESTS_EBAD or -1, with why as tests_check() sets it.
 */
int tests_install(struct db *db, const struct assignment *a, git_repository *repo,
		  const char *commit, const char *via, const char *by, struct buf *why);

/*
 * The first half of tests_install(): write commit out and check it into
 * its version directory (its path appended to dir), nothing recorded.
 * 0, TESTS_EBAD or -1, with why set.
 */
int tests_stage(const struct assignment *a, git_repository *repo, const char *commit,
		struct buf *dir, struct buf *why);
/* The last: once commit's directory replaced old as the tests, remove the versions before old. */
void tests_prune(const struct assignment *a, const char *commit, const char *old);

/*
 * The commit of the tests repository's branch (its HEAD) that version
 * names: 7 to 40 lowercase hex digits, a unique prefix of the tip or of
 * one of its ancestors. Its 40 hex digits appended to commit; 0, or
 * TESTS_EBAD for anything else (nothing printed).
 */
int tests_resolve(git_repository *repo, const char *version, struct buf *commit);

#endif
