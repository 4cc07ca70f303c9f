/* db.c: opening the database with the house settings, migrations, statements. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "schema.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/banned.h"

int db_errclass(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
	case SQLITE_IOERR:
		return DB_EBUSY;
	case SQLITE_FULL:
		return DB_EFULL;
	case SQLITE_CONSTRAINT:
		return DB_EEXISTS;
	default:
		return -1;
	}
}

/*
 * Busy and read-only are expected under load, a constraint is an answer,
 * and a full disk is for the caller to put in its own words (a student's
 * push is kept all the same): these are returned quietly.
 */
static int quiet(int cls)
{
	return cls == DB_EBUSY || cls == DB_EFULL || cls == DB_EEXISTS;
}

/*
 * rc's class on db's connection. A full disk is SQLITE_FULL when a write
 * runs out of room, but an I/O error or "cannot open" when creating the
 * -wal or -shm file does: the system's errno tells.
 */
static int classify(struct db *db, int rc)
{
	int e = db->h ? sqlite3_system_errno(db->h) : 0;

	if (((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_CANTOPEN) &&
	    (e == ENOSPC || e == EDQUOT))
		return DB_EFULL;
	return db_errclass(rc);
}

static int report(struct db *db, int rc, const char *what)
{
	int cls = classify(db, rc);

	if (quiet(cls))
		return cls;
	return error("database %s: %s", what, sqlite3_errmsg(db->h));
}

static int migrate(struct db *db)
{
	int64_t v;
	int rc;

	if (db_int(db, &v, "PRAGMA user_version", ""))
		return -1;
	if (v == schema_nr_migrations)
		return 0;
	if (v > schema_nr_migrations)
		return error("database %s has schema version %lld; this lifebelt knows only up to %d",
			     db->path, (long long)v, schema_nr_migrations);
	if ((rc = db_begin(db)))
		return rc;
	/* Re-read under the write lock: another process may have migrated meanwhile. */
	if (db_int(db, &v, "PRAGMA user_version", ""))
		goto fail;
	for (; v < schema_nr_migrations; v++) {
		char *msg = NULL;
		char pragma[64];

		if (sqlite3_exec(db->h, schema_migrations[v], NULL, NULL, &msg) != SQLITE_OK) {
			error("database migration %lld failed: %s", (long long)v + 1, msg ? msg : "?");
			sqlite3_free(msg);
			goto fail;
		}
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %lld", (long long)v + 1);
		if (sqlite3_exec(db->h, pragma, NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
	}
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

/*
 * Nothing here reads SQLite's memory statistics; keeping them takes a
 * process-wide lock at every allocation, which the web server's threads
 * would queue on. Only possible before SQLite starts, at the first open.
 */
static void sqlite_once(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int db_open(struct db **out, const char *path, int flags)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	struct db *db;
	int oflags, rc;

	*out = NULL;
	pthread_once(&once, sqlite_once);
	if (!(flags & DB_CREATE) && access(path, F_OK)) {
		if (errno == ENOENT)
			return error("no database at %s (run 'lifebelt init' first, or set LIFEBELT_HOME)", path);
		return error_errno("cannot reach %s", path);
	}
	db = xcalloc(1, sizeof(*db));
	db->path = xstrdup(path);
	db->readonly = !!(flags & DB_READONLY);
	oflags = SQLITE_OPEN_NOMUTEX;
	oflags |= db->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (flags & DB_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	rc = sqlite3_open_v2(path, &db->h, oflags, NULL);
	if (rc != SQLITE_OK) {
		int cls = classify(db, rc);

		if (cls != DB_EBUSY && cls != DB_EFULL)
			error("cannot open database %s: %s", path,
			      db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		db_close(db);
		return cls == DB_EBUSY || cls == DB_EFULL ? cls : -1;
	}
	sqlite3_busy_timeout(db->h, DB_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(db->h, 1);
	/*
	 * The -wal and -shm files stay when the last connection closes: the
	 * next open, to read or to write, then needs no new block, and so
	 * serve starts, status answers and the pages serve on a full disk.
	 * The -wal is emptied then (journal_size_limit, below), as deleting
	 * it did: frames left in it would be read again as new.
	 */
	sqlite3_file_control(db->h, "main", SQLITE_FCNTL_PERSIST_WAL, &(int){ 1 });
	if (db->readonly) {
		rc = sqlite3_exec(db->h, "PRAGMA query_only = ON; PRAGMA foreign_keys = ON;",
				  NULL, NULL, NULL);
	} else {
		int64_t wal;
		char *mode = NULL;

		/* journal_mode is persistent; switching needs a lock, so only when not WAL yet. */
		rc = SQLITE_OK;
		if (!db_int(db, &wal, "SELECT journal_mode = 'wal' FROM pragma_journal_mode", "") && !wal)
			rc = sqlite3_exec(db->h, "PRAGMA journal_mode = WAL", NULL, NULL, &mode);
		sqlite3_free(mode);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db->h, flags & DB_REDOABLE ?
					  "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
					  "PRAGMA journal_size_limit = 0;" :
					  "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
					  "PRAGMA journal_size_limit = 0;",
					  NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK) {
		rc = report(db, rc, "setup");
		db_close(db);
		return rc;
	}
	if (!db->readonly && (rc = migrate(db))) {
		db_close(db);
		return rc;
	}
	*out = db;
	return 0;
}

void db_close(struct db *db)
{
	int i;

	if (!db)
		return;
	for (i = 0; i < DB_CACHE; i++) {
		sqlite3_finalize(db->cache[i].st);
		free(db->cache[i].sql);
	}
	sqlite3_close_v2(db->h);
	free(db->path);
	free(db);
}

/* sql prepared (flags: sqlite3_prepare_v3's), or NULL after reporting why (quietly when busy). */
static sqlite3_stmt *prepare(struct db *db, const char *sql, unsigned flags)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(db->h, sql, -1, flags, &st, NULL);

	if (rc != SQLITE_OK) {
		if (!quiet(classify(db, rc)))
			error("database prepare: %s in: %.60s", sqlite3_errmsg(db->h), sql);
		return NULL;
	}
	return st;
}

/*
 * sql prepared, from the cache if it was prepared on this connection before
 * (parsing costs more than running most of these statements), else added
 * to it. Give it back with db_done(), never finalize it.
 */
static sqlite3_stmt *cached(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	unsigned i, k;

	/* One still being stepped (a caller's db_query) is in use: then a fresh one, not kept. */
	for (i = 0; i < DB_CACHE; i++)
		if (db->cache[i].sql && !strcmp(db->cache[i].sql, sql) && !sqlite3_stmt_busy(db->cache[i].st)) {
			sqlite3_clear_bindings(db->cache[i].st);
			return db->cache[i].st;
		}
	if (!(st = prepare(db, sql, SQLITE_PREPARE_PERSISTENT)))
		return NULL;
	for (k = 0; k < DB_CACHE; k++) {
		i = db->cache_next++ % DB_CACHE;
		if (!db->cache[i].st || !sqlite3_stmt_busy(db->cache[i].st))
			break;
	}
	if (k == DB_CACHE)
		return st;   /* all in use: not kept */
	sqlite3_finalize(db->cache[i].st);
	free(db->cache[i].sql);
	db->cache[i].sql = xstrdup(sql);
	db->cache[i].st = st;
	return st;
}

/* Done with st from cached() or db_query(): reset if it is kept, else finalized. */
void db_done(struct db *db, sqlite3_stmt *st)
{
	int i;

	if (!st)
		return;
	for (i = 0; i < DB_CACHE; i++)
		if (db->cache[i].st == st) {
			sqlite3_reset(st);
			return;
		}
	sqlite3_finalize(st);
}

/* Run a cached statement without rows or bindings; an SQLite result code. */
static int run_cached(struct db *db, const char *sql)
{
	sqlite3_stmt *st = cached(db, sql);
	int rc;

	if (!st)
		return sqlite3_errcode(db->h) == SQLITE_OK ? SQLITE_ERROR : sqlite3_errcode(db->h);
	rc = sqlite3_step(st);
	db_done(db, st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int db_begin(struct db *db)
{
	int rc = run_cached(db, "BEGIN IMMEDIATE");

	return rc == SQLITE_OK ? 0 : report(db, rc, "begin");
}

int db_commit(struct db *db)
{
	int rc = run_cached(db, "COMMIT");

	if (rc == SQLITE_OK)
		return 0;
	rc = report(db, rc, "commit");
	db_rollback(db);
	return rc;
}

int db_read_begin(struct db *db)
{
	int rc = run_cached(db, "BEGIN");

	return rc == SQLITE_OK ? 0 : report(db, rc, "begin");
}

void db_read_end(struct db *db)
{
	db_rollback(db);
}

void db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		run_cached(db, "ROLLBACK");
}

/* Bind the arguments fmt describes to st; 0, or -1 (reported). */
static int bind(struct db *db, sqlite3_stmt *st, const char *fmt, va_list ap)
{
	int rc, i;

	for (i = 0; fmt[i]; i++) {
		int col = i + 1;

		switch (fmt[i]) {
		case 'i':
			rc = sqlite3_bind_int64(st, col, va_arg(ap, int64_t));
			break;
		case 't': {
			const char *s = va_arg(ap, const char *);

			rc = s ? sqlite3_bind_text(st, col, s, -1, SQLITE_TRANSIENT) :
				 sqlite3_bind_null(st, col);
			break;
		}
		case 'd':
			rc = sqlite3_bind_double(st, col, va_arg(ap, double));
			break;
		case 'n':
			rc = sqlite3_bind_null(st, col);
			break;
		default:
			die("db_stmt: bad format letter '%c'", fmt[i]);
		}
		if (rc != SQLITE_OK) {
			error("database bind: %s", sqlite3_errmsg(db->h));
			return -1;
		}
	}
	return 0;
}

/*
 * sql prepared (from the cache if keep, see cached()) and bound; NULL after
 * reporting why. db_done() it: that resets a kept one, finalizes the rest.
 */
static sqlite3_stmt *vprepared(struct db *db, int keep, const char *sql, const char *fmt, va_list ap)
{
	sqlite3_stmt *st = keep ? cached(db, sql) : prepare(db, sql, 0);

	if (st && bind(db, st, fmt, ap)) {
		db_done(db, st);
		st = NULL;
	}
	return st;
}

sqlite3_stmt *db_query(struct db *db, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;

	va_start(ap, fmt);
	st = vprepared(db, 1, sql, fmt, ap);
	va_end(ap);
	return st;
}

sqlite3_stmt *db_stmt(struct db *db, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;

	va_start(ap, fmt);
	st = vprepared(db, 0, sql, fmt, ap);
	va_end(ap);
	return st;
}

int db_step(struct db *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	return report(db, rc, "step");
}

int db_exec(struct db *db, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	st = vprepared(db, 1, sql, fmt, ap);
	va_end(ap);
	if (!st) {
		rc = classify(db, sqlite3_extended_errcode(db->h));
		return quiet(rc) ? rc : -1;
	}
	while ((rc = db_step(db, st)) == SQLITE_ROW)
		;
	db_done(db, st);
	if (rc != SQLITE_DONE)
		return rc;
	return sqlite3_changes(db->h);
}

int db_row(struct db *db, sqlite3_stmt *st)
{
	int rc = db_step(db, st);

	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? DB_ENOTFOUND : rc;
}

int db_walk_done(sqlite3_stmt *st, int rc)
{
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rc;
}

int db_walk_texts(struct db *db, sqlite3_stmt *st,
		  int (*fn)(const char *a, const char *b, void *data), void *data)
{
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW)
		if ((rc = fn(db_text(st, 0), db_text(st, 1), data)))
			break;
	return db_walk_done(st, rc);
}

int db_walk_id_texts(struct db *db, sqlite3_stmt *st,
		     int (*fn)(int64_t id, const char *text, void *data), void *data)
{
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW)
		if ((rc = fn(sqlite3_column_int64(st, 0), db_text(st, 1), data)))
			break;
	return db_walk_done(st, rc);
}

/* A cached statement for sql, bound and stepped to its first row: *rc as db_row()'s; db_done() it. */
static sqlite3_stmt *vfirst_row(struct db *db, int *rc, const char *sql, const char *fmt, va_list ap)
{
	sqlite3_stmt *st = vprepared(db, 1, sql, fmt, ap);

	*rc = st ? db_row(db, st) : -1;
	return st;
}

int db_int(struct db *db, int64_t *out, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	st = vfirst_row(db, &rc, sql, fmt, ap);
	va_end(ap);
	if (!rc)
		*out = sqlite3_column_int64(st, 0);
	db_done(db, st);
	return rc;
}

int db_str(struct db *db, struct buf *out, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	st = vfirst_row(db, &rc, sql, fmt, ap);
	va_end(ap);
	if (!rc)
		buf_add(out, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
	db_done(db, st);
	return rc;
}

const char *db_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? (const char *)s : "";
}

char *db_text_dup(sqlite3_stmt *st, int col)
{
	return xstrdup(db_text(st, col));
}

const char *db_text_or_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? NULL : db_text(st, col);
}

char *db_text_dup_or_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? NULL : db_text_dup(st, col);
}
