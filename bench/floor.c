/*
 * floor.c: the least a post-receive hook can do, for bench/hook: open the
 * database with the settings db_open() uses (WAL, synchronous=FULL, foreign
 * keys, busy timeout) and insert one submission row for the "OLD NEW REF"
 * line on stdin, in one BEGIN IMMEDIATE transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <sqlite3.h>

#include "../db/db.h"
#include "../hooks/hook.h"
#include "../lib/banned.h"

static int fail(sqlite3 *h, const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", what, h ? sqlite3_errmsg(h) : "?");
	return 1;
}

int main(void)
{
	char old[80], new[80], ref[256], path[4096];
	const char *home = getenv("LIFEBELT_HOME");
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int rc;

	if (!home || snprintf(path, sizeof(path), "%s/lifebelt.db", home) >= (int)sizeof(path))
		return fail(NULL, "LIFEBELT_HOME");
	if (scanf("%79s %79s %255s", old, new, ref) != 3)
		return fail(NULL, "no ref update on stdin");
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL))
		return fail(h, "open");
	sqlite3_busy_timeout(h, HOOK_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(h, 1);
	if (sqlite3_exec(h, "SELECT journal_mode = 'wal' FROM pragma_journal_mode; "
			 "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; BEGIN IMMEDIATE",
			 NULL, NULL, NULL))
		return fail(h, "setup");
	if (sqlite3_prepare_v2(h, "INSERT INTO submissions (repo_id, ref, commit_id, received, via) "
			       "VALUES (1, ?, ?, ?, 'local')", -1, &st, NULL) ||
	    sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 2, new, -1, SQLITE_STATIC) ||
	    sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL)))
		return fail(h, "prepare");
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE || sqlite3_exec(h, "COMMIT", NULL, NULL, NULL))
		return fail(h, "insert");
	sqlite3_close(h);
	return 0;
}
