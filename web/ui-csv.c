/* ui-csv.c: the gradebook as RFC 4180 CSV for a grade system (formula-safe fields). */
#include <stdio.h>

#include "html.h"
#include "web.h"
#include "../db/model.h"
#include "../db/report.h"
#include "../lib/banned.h"

static int csv_row(const struct grade_row *g, void *data)
{
	grade_row_csv(data, g);
	return 0;
}

int ui_csv(struct request *r, const struct assignment *a)
{
	r->type = "text/csv; charset=utf-8; header=present";
	/* Course and assignment names are safe names: no quotes, no slashes. */
	snprintf(r->download, sizeof(r->download), "%s-%s-grades.csv", a->course, a->name);
	buf_adds(&r->out, GRADES_CSV_HEADER);
	return db_grades_each(r->db, a, csv_row, &r->out);
}
