/* t-db.c: the statement helpers and the error codes, on a real SQLite file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "../../db/db.h"
#include "../../lib/buf.h"
#include "../../lib/fsutil.h"

static char dir[] = "/tmp/lifebelt-t-db.XXXXXX";

/* A walk as the db_*_each() functions do it; stop is what fn returns on row stop_at. */
static int walk(struct db *db, int stop_at, int stop, int *rows)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT value FROM json_each('[1,2,3]')", "");
	int rc;

	*rows = 0;
	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW)
		if (++*rows == stop_at && (rc = stop))
			break;
	return db_walk_done(st, rc);
}

static void walks(struct db *db)
{
	int rows;

	is_int(walk(db, 0, 0, &rows), 0, "a walk to the end is 0");
	is_int(rows, 3, "over every row");
	is_int(walk(db, 2, 1, &rows), 1, "a callback's stop is returned as it is");
	is_int(rows, 2, "and stops the walk");
	is_int(walk(db, 1, -1, &rows), -1, "so is a callback's failure");
	is_int(walk(db, 1, DB_ENOTFOUND, &rows), DB_ENOTFOUND, "or its code");
	/* Finalized: the connection closes with no statement left over (checked under ASan). */
}

static void codes(void)
{
	int all[] = { DB_ENOTFOUND, DB_EEXISTS, DB_EBUSY, DB_EFULL, WEB_NOTFOUND, DIFF_NOTFOUND,
		      DIFF_BUSY, CHECKOUT_ETOOBIG, AUTH_EDENIED, CGI_EBUSY, CGI_ELOGIN, -1, 0 };
	size_t i, j, n = sizeof(all) / sizeof(all[0]), same = 0;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			same += all[i] == all[j];
	is_int(same, 0, "no two named codes (nor -1, nor 0) are the same number");
	is_int(db_errclass(SQLITE_BUSY), DB_EBUSY, "busy is DB_EBUSY");
	is_int(db_errclass(SQLITE_LOCKED), DB_EBUSY, "locked is DB_EBUSY");
	is_int(db_errclass(SQLITE_READONLY_DBMOVED), DB_EBUSY, "read-only (extended) is DB_EBUSY");
	is_int(db_errclass(SQLITE_FULL), DB_EFULL, "a full disk is DB_EFULL, not busy");
	is_int(db_errclass(SQLITE_CONSTRAINT_UNIQUE), DB_EEXISTS, "a constraint is DB_EEXISTS");
	is_int(db_errclass(SQLITE_CORRUPT), -1, "anything else is -1");
}

int main(void)
{
	struct buf path = BUF_INIT;
	struct db *db;
	sqlite3_stmt *st;
	char *s;

	codes();
	if (!mkdtemp(dir))
		exit(2);
	buf_addf(&path, "%s/lifebelt.db", dir);
	if (db_open(&db, path.buf, DB_CREATE))
		exit(2);
	walks(db);
	st = db_stmt(db, "SELECT 'it''s', NULL", "");
	ok(st && !db_row(db, st), "a row");
	s = db_text_dup(st, 0);
	is_str(s, "it's", "db_text_dup copies a column");
	free(s);
	s = db_text_dup(st, 1);
	is_str(s, "", "and a NULL as \"\"");
	free(s);
	sqlite3_finalize(st);
	db_close(db);
	fs_remove_tree(dir);
	buf_release(&path);
	return done_testing();
}
