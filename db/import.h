/* import.h: the SQL of what `lifebelt import github-classroom` brings: historical grades (schema 5). */
#ifndef DB_IMPORT_H
#define DB_IMPORT_H

#include <stdint.h>

#include "db.h"

#define IMPORT_SOURCE_GITHUB "github-classroom"

/* One student's accepted assignment as another system left it. */
struct imported_grade {
	int64_t assignment_id, person_id;
	const char *source;             /* IMPORT_SOURCE_GITHUB */
	const char *roster_identifier;  /* "" when none */
	const char *repository;         /* "owner/name" where the work was */
	const char *submitted;          /* the source's submission time, as given; "" when none */
	int has_points;                 /* 0: the source gave no grade */
	double points, max_points;
};

/*
 * Record g unless a row of the same assignment, person and source exists
 * (then nothing changes: importing again is a no-op). 1 when recorded, 0
 * when it was there, or an error.
 */
int db_imported_add(struct db *db, const struct imported_grade *g);

/*
 * The commit the student's mirrored history ended at, appended to out;
 * DB_ENOTFOUND when there is no such row or it is not mirrored yet.
 */
int db_imported_mirrored_get(struct db *db, int64_t assignment_id, int64_t person_id,
			     struct buf *out);
/* Note that the history is mirrored, up to commit. */
int db_imported_mirrored_set(struct db *db, int64_t assignment_id, int64_t person_id,
			     const char *commit);

/* The login of the person whose GitHub name is github (case-insensitive), appended to out; DB_ENOTFOUND. */
int db_login_by_github(struct db *db, const char *github, struct buf *out);

#endif
