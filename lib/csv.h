/* csv.h: an RFC 4180 reader (quoted fields, "" escapes, CRLF or LF rows). */
#ifndef LIB_CSV_H
#define LIB_CSV_H

#include <stddef.h>

struct csv {
	const char *p, *end;
	int line;       /* line of the next row, 1-based */
};

struct csv_row {
	int line;       /* first line of this row */
	size_t nr, alloc;
	char **field;
};

#define CSV_ROW_INIT { 0, 0, 0, NULL }

void csv_init(struct csv *c, const char *data, size_t len);
/*
 * Read the next row into row (its old fields are freed). Returns 1 for a
 * row, 0 at the end, -1 for a malformed row (*why says how). Blank lines
 * are skipped.
 */
int csv_next(struct csv *c, struct csv_row *row, const char **why);
void csv_row_release(struct csv_row *row);

struct buf;
/*
 * Append s as one CSV field, preceded by ',' unless b is empty or ends a
 * row. Quoted when needed; a leading = + - @ gets a ' so that a spreadsheet
 * never runs a student's name as a formula.
 */
void csv_add_field(struct buf *b, const char *s);

#endif
