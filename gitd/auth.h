/* auth.h: the one authorisation rule for git over SSH and HTTPS. */
#ifndef GITD_AUTH_H
#define GITD_AUTH_H

struct db;
struct buf;

#include "../lib/codes.h"     /* AUTH_EDENIED: refused */

/*
 * The single line shown for every refusal, the same whether or not the
 * repository exists, so that nobody learns which repositories there are.
 */
extern const char auth_denied_message[];

/*
 * What a Git LFS client is told, over SSH (git-lfs-authenticate) and over
 * HTTPS (the LFS API): Lifebelt keeps no LFS objects, so a pointer in
 * their place would be graded. One line, no quotes or backslashes (it is
 * sent inside a JSON string as it is).
 */
extern const char auth_lfs_message[];

/*
 * An assignment's tests repository: clients name it COURSE/NAME/tests
 * (lib/names.h keeps that login free); it lives at COURSE/NAME/.tests.git,
 * where no student's repository can be (no login starts with '.').
 */
#define AUTH_TESTS_REPO ".tests.git"

/*
 * Turn a repository path as a client names it into the canonical relative
 * path "COURSE/NAME/OWNER.git", appended to out. Accepted forms:
 * COURSE/NAME (login's own repository) and COURSE/NAME/OWNER, each with an
 * optional leading '/', an optional ".git" and an optional trailing '/'.
 * Every part must be a valid name (lib/names.h): lowercase, no "..", no
 * leading '-', nothing but [a-z0-9._-]. COURSE/NAME/tests becomes
 * "COURSE/NAME/.tests.git", the tests repository. Returns 0 or
 * AUTH_EDENIED; out is left as it was on refusal.
 */
int auth_canonical(const char *login, const char *path, struct buf *out);

/* Is rel ("COURSE/NAME/.tests.git") a tests repository? 1 with its course and name, or 0. */
int auth_is_tests(const char *rel, char course[65], char name[65]);

/*
 * May login reach path (as the client typed it) to read it, or also to
 * write when want_write? A student reads and writes their own repositories
 * and those of their teams (db/teams.h);
 * a teacher reads every repository of the courses they teach, and reads
 * and writes each assignment's tests repository; nothing else.
 * Returns 0 with the canonical relative path appended to canonical,
 * AUTH_EDENIED (print auth_denied_message), or -1 on a database failure
 * (reported).
 */
int auth_repo(struct db *db, const char *login, const char *path, int want_write,
	      struct buf *canonical);

#endif
