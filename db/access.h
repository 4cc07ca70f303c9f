/* access.h: the queries behind git access: who may reach which repository, whose key is this. */
#ifndef DB_ACCESS_H
#define DB_ACCESS_H

struct db;
struct buf;

/*
 * How login stands towards the repository recorded at relpath
 * ("COURSE/NAME/OWNER.git"): *role is ROLE_STUDENT or ROLE_TEACHER (static
 * strings), login's role in the repository's course, and *own is 1 when
 * login owns the repository or is a member of the team whose repository it
 * is. DB_ENOTFOUND when there is no such repository
 * or login is not enrolled in its course (the caller must not tell these
 * apart to the client); -1 on failure (reported).
 */
int db_access_repo(struct db *db, const char *login, const char *relpath,
		   const char **role, int *own);

/*
 * May login reach the tests repository of course/name? 0 when login
 * teaches the course and the assignment exists; DB_ENOTFOUND for everyone
 * and everything else; -1 on failure (reported).
 */
int db_access_tests(struct db *db, const char *login, const char *course, const char *name);

/*
 * Does login teach course (its name exactly as stored)? 0 when so;
 * DB_ENOTFOUND for everyone and everything else; -1 on failure (reported).
 */
int db_access_teaches(struct db *db, const char *login, const char *course);

/* Call fn for each course login is enrolled in, by name, with their role in it. */
int db_access_courses_each(struct db *db, const char *login,
			   int (*fn)(const char *course, const char *role, void *data), void *data);

/*
 * Call fn for each repository login may reach, in path order: their own
 * and their teams' (writable) and, for the courses they teach, every student's (read-only).
 * fn returning non-zero stops the walk and is returned.
 */
int db_access_each(struct db *db, const char *login,
		   int (*fn)(const char *relpath, int writable, void *data), void *data);

/* Call fn for each assignment whose tests repository login may reach (db_access_tests()). */
int db_access_tests_each(struct db *db, const char *login,
			 int (*fn)(const char *course, const char *name, void *data), void *data);

/* The login owning the public key (type, base64 blob) appended to out; DB_ENOTFOUND. */
int db_key_owner(struct db *db, const char *type, const char *blob, struct buf *out);

#endif
