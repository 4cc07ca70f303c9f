/* edits.h: changing an assignment after it was made, and the log of each change. */
#ifndef DB_EDITS_H
#define DB_EDITS_H

#include <stdint.h>

#include "db.h"

struct assignment;

/*
 * Store a's due, close (0: never), late_penalty, late_days, points (0: the
 * tests' total) and branch in its row; inside the caller's transaction.
 * 0 or an error.
 */
int db_assignment_update(struct db *db, const struct assignment *a);

/*
 * Work out again the lateness of every submission of the assignment from
 * its receive time, the due time and the student's extension, as a push
 * records it (hooks/record.c), and then every student's counted grade
 * (db/counted.h). The number of submissions whose lateness changed, or an
 * error (< 0).
 */
int db_late_recompute(struct db *db, int64_t assignment_id);

/* The number of submissions of the assignment into *n; 0 or an error. */
int db_assignment_submissions(struct db *db, int64_t assignment_id, int64_t *n);

/* Log one change of field from old to new by who, now. 0 or an error. */
int db_edit_log(struct db *db, int64_t assignment_id, const char *who, const char *field,
		const char *old, const char *new_value);

struct edit_row {
	int64_t at;
	const char *who, *field, *old, *new_value;
};
/* The logged changes of the assignment, oldest first. */
int db_edits_each(struct db *db, int64_t assignment_id,
		  int (*fn)(const struct edit_row *e, void *data), void *data);

#endif
