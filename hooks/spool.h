/* spool.h: pushes written to disk when the database cannot take them, imported later. */
#ifndef HOOKS_SPOOL_H
#define HOOKS_SPOOL_H

#include <stdint.h>

struct db;

/* One accepted push waiting to be recorded. */
struct spool_entry {
	char relpath[200];      /* COURSE/NAME/LOGIN.git */
	char ref[1024];
	char commit[65];
	int64_t received;       /* the server's receive time, as the hook took it */
	char via[16];
};

/*
 * Write e as one file in LIFEBELT_HOME/spool, atomically (a temporary file,
 * fsync, rename, fsync of the directory). 0 or -1 (reported).
 */
int spool_write(const struct spool_entry *e);

/*
 * Record every spooled push, oldest receive time first, and remove its file
 * once recorded. A file that cannot be read or whose repository is unknown
 * moves to spool/failed/ with a log line; a busy database leaves the rest for
 * the next run. *imported counts recorded pushes. Returns 0, -1 or DB_EBUSY.
 */
int spool_import(struct db *db, int *imported);

#endif
