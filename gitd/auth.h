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
 * Turn a repository path as a client names it into the canonical relative
 * path "COURSE/NAME/OWNER.git", appended to out. Accepted forms:
 * COURSE/NAME (login's own repository) and COURSE/NAME/OWNER, each with an
 * optional leading '/', an optional ".git" and an optional trailing '/'.
 * Every part must be a valid name (lib/names.h): lowercase, no "..", no
 * leading '-', nothing but [a-z0-9._-]. Returns 0 or AUTH_EDENIED; out is
 * left as it was on refusal.
 */
int auth_canonical(const char *login, const char *path, struct buf *out);

/*
 * May login reach path (as the client typed it) to read it, or also to
 * write when want_write? A student reads and writes their own repositories;
 * a teacher reads every repository of the courses they teach; nothing else.
 * Returns 0 with the canonical relative path appended to canonical,
 * AUTH_EDENIED (print auth_denied_message), or -1 on a database failure
 * (reported).
 */
int auth_repo(struct db *db, const char *login, const char *path, int want_write,
	      struct buf *canonical);

#endif
