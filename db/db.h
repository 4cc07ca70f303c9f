/* db.h: the SQLite connection, transactions and statement helpers. */
#ifndef DB_DB_H
#define DB_DB_H

#include <stdint.h>
#include <sqlite3.h>

#include "../lib/codes.h"     /* DB_ENOTFOUND, DB_EEXISTS, DB_EBUSY, DB_EFULL */

#define DB_READONLY  1      /* the web view: SQLITE_OPEN_READONLY, query_only */
#define DB_CREATE    2      /* `lifebelt init`: create the file, run migrations */
/*
 * The runner's workers: what they write is redone if a crash loses it (a
 * job claimed or finished in a lost commit is still queued, or running
 * with a lease that runs out, and is graded again), so a commit need not
 * wait for the disk: synchronous=NORMAL. WAL keeps the file consistent.
 */
#define DB_REDOABLE  4

/* Busy timeout: long enough for a deadline rush, short enough for a hook to spool. */
#define DB_BUSY_TIMEOUT_MS 10000

/* Statements the helpers below prepared, kept for their next use (per connection). */
#define DB_CACHE 24

struct db {
	sqlite3 *h;
	char *path;
	int readonly;
	struct {
		char *sql;
		sqlite3_stmt *st;
	} cache[DB_CACHE];
	unsigned cache_next;    /* the entry the next new statement replaces */
};

/*
 * Open the database at path. Writable handles use WAL, synchronous=FULL
 * (NORMAL with DB_REDOABLE), foreign keys and the busy timeout, and bring
 * the schema up to date (numbered migrations under PRAGMA user_version).
 * Without DB_CREATE a missing file is an error. Returns 0 and *out (free
 * with db_close()), or -1 (reported) or DB_EBUSY (quietly, so a hook can
 * fall back to its spool) or DB_EFULL.
 */
int db_open(struct db **out, const char *path, int flags);
void db_close(struct db *db);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. begin and commit return 0, -1, DB_EBUSY or DB_EFULL. */
int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);
/*
 * A read transaction (BEGIN, deferred): the reads up to db_read_end() see
 * one snapshot, and take the file's locks once instead of once each.
 * Returns 0 or an error.
 */
int db_read_begin(struct db *db);
void db_read_end(struct db *db);

/*
 * Prepare sql and bind parameters described by fmt, one letter each:
 *   i  int64_t      t  const char * (NULL binds NULL)      d  double
 *   n  (no argument) binds NULL
 * Returns the statement (finalize it) or NULL after reporting the error.
 */
sqlite3_stmt *db_stmt(struct db *db, const char *sql, const char *fmt, ...);
/*
 * The same, from the connection's cache of prepared statements (for what
 * runs often): give it back with db_done(), never finalize it.
 */
sqlite3_stmt *db_query(struct db *db, const char *sql, const char *fmt, ...);
void db_done(struct db *db, sqlite3_stmt *st);
/*
 * The errors below: -1 (reported), or quietly, for the caller to decide how
 * loud to be, DB_EBUSY, DB_EFULL or DB_EEXISTS (a constraint).
 */
/* Prepare, bind, step to completion, finalize. Returns changes() >= 0, or an error. */
int db_exec(struct db *db, const char *sql, const char *fmt, ...);
/* Step a statement; SQLITE_ROW/SQLITE_DONE, or an error. */
int db_step(struct db *db, sqlite3_stmt *st);
/* Step st for one row: 0 with the row ready to read, DB_ENOTFOUND, or an error. */
int db_row(struct db *db, sqlite3_stmt *st);
/*
 * The end of a walk over st's rows, as every "call fn for each row"
 * function here ends:
 *
 *	while ((rc = db_step(db, st)) == SQLITE_ROW)
 *		if ((rc = fn(..., data)))
 *			break;
 *	return db_walk_done(st, rc);
 *
 * Finalizes st; returns 0 when the rows ran out (rc is SQLITE_DONE), else
 * rc: db_step()'s error, or the non-zero value fn stopped the walk with.
 */
int db_walk_done(sqlite3_stmt *st, int rc);
/*
 * The walk above for the common query of two text columns: fn gets them
 * for each row. NULL st (db_stmt() failed) is -1.
 */
int db_walk_texts(struct db *db, sqlite3_stmt *st,
		  int (*fn)(const char *a, const char *b, void *data), void *data);
/* The same for an id and a text (the first two columns). */
int db_walk_id_texts(struct db *db, sqlite3_stmt *st,
		     int (*fn)(int64_t id, const char *text, void *data), void *data);
/* A single integer from a query (first column of first row); DB_ENOTFOUND if no row. */
int db_int(struct db *db, int64_t *out, const char *sql, const char *fmt, ...);
struct buf;
/* Append a single value (first column of first row, as bytes) to out; DB_ENOTFOUND if no row. */
int db_str(struct db *db, struct buf *out, const char *sql, const char *fmt, ...);
/* Column text that is never NULL ("" instead). */
const char *db_text(sqlite3_stmt *st, int col);
/* The same, as a string of the caller's (free() it). */
char *db_text_dup(sqlite3_stmt *st, int col);
/* Column text, or NULL where the column is NULL. */
const char *db_text_or_null(sqlite3_stmt *st, int col);
/* The same, as a string of the caller's (free() it), or NULL. */
char *db_text_dup_or_null(sqlite3_stmt *st, int col);
/* An SQLite result code as DB_EBUSY, DB_EFULL, DB_EEXISTS or -1. */
int db_errclass(int rc);

#endif
