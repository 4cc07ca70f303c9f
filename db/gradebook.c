/* gradebook.c: a course's grades as one table, and the CSV files grade systems import. */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "gradebook.h"
#include "model.h"
#include "report.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/csv.h"
#include "../lib/log.h"
#include "../lib/banned.h"

struct ids {
	int64_t *id;
	char **name;
	size_t nr, alloc;
	const char *only;
};

static int add_assignment(const struct assignment *a, void *data)
{
	struct ids *ids = data;

	if (ids->only && strcmp(ids->only, a->name))
		return 0;
	ALLOC_GROW(ids->id, ids->nr + 1, ids->alloc);
	ids->name = xreallocarray(ids->name, ids->alloc, sizeof(*ids->name));
	ids->id[ids->nr] = a->id;
	ids->name[ids->nr++] = xstrdup(a->name);
	return 0;
}

struct column {
	struct gradebook *g;
	size_t col, row;
};

/* The course's students, in login order: the order of db_grades_each()'s rows. */
static int load_students(struct db *db, int64_t course_id, struct gradebook *g)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT p.login, p.name, p.email FROM enrolments e "
				   "JOIN people p ON p.id = e.person_id "
				   "WHERE e.course_id = ? AND e.role = 'student' ORDER BY p.login",
				   "i", course_id);
	size_t alloc = 0, n;
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		struct gradebook_student *s;

		ALLOC_GROW(g->student, g->nr_students + 1, alloc);
		s = &g->student[g->nr_students++];
		s->login = db_text_dup(st, 0);
		s->name = db_text_dup(st, 1);
		s->email = db_text_dup(st, 2);
	}
	n = g->nr_students * g->nr_assignments;
	g->score = xcalloc(n ? n : 1, sizeof(*g->score));
	g->has = xcalloc(n ? n : 1, 1);
	return db_walk_done(st, rc);
}

/* Fill in one assignment's column. */
static int add_grade(const struct grade_row *r, void *data)
{
	struct column *c = data;
	struct gradebook *g = c->g;
	size_t i;

	if (c->row >= g->nr_students || strcmp(g->student[c->row].login, r->login))
		return error("the students of %s changed while its grades were read",
			     g->assignment[c->col]);
	i = c->row++ * g->nr_assignments + c->col;
	if (r->has_score) {
		g->has[i] = 1;
		g->score[i] = r->final;
		if (r->max_score > g->max[c->col])
			g->max[c->col] = r->max_score;
	}
	return 0;
}

int gradebook_load(struct db *db, int64_t course_id, const char *only, struct gradebook *g)
{
	struct ids ids = { NULL, NULL, 0, 0, only };
	struct column c;
	size_t k;
	int rc = -1;

	memset(g, 0, sizeof(*g));
	memset(&c, 0, sizeof(c));
	c.g = g;
	if (db_assignment_each(db, course_id, add_assignment, &ids))
		goto done;
	g->nr_assignments = ids.nr;
	g->assignment = ids.name;
	ids.name = NULL;
	g->max = xcalloc(ids.nr ? ids.nr : 1, sizeof(*g->max));
	if (only && !ids.nr) {
		rc = DB_ENOTFOUND;
		goto done;
	}
	if ((rc = load_students(db, course_id, g)))
		goto done;
	for (k = 0; k < ids.nr; k++) {
		struct assignment a;

		memset(&a, 0, sizeof(a));
		c.col = k;
		c.row = 0;
		rc = db_assignment_get_id(db, ids.id[k], &a);
		if (!rc)
			rc = db_grades_each(db, &a, add_grade, &c);
		assignment_release(&a);
		if (rc)
			goto done;
	}
	rc = 0;
done:
	free(ids.id);
	free(ids.name);
	if (rc)
		gradebook_release(g);
	return rc;
}

void gradebook_release(struct gradebook *g)
{
	size_t i;

	for (i = 0; i < g->nr_assignments; i++)
		free(g->assignment[i]);
	for (i = 0; i < g->nr_students; i++) {
		free(g->student[i].login);
		free(g->student[i].name);
		free(g->student[i].email);
	}
	free(g->assignment);
	free(g->max);
	free(g->student);
	free(g->score);
	free(g->has);
	memset(g, 0, sizeof(*g));
}

double gradebook_total(const struct gradebook *g, size_t student)
{
	double t = 0;
	size_t k;

	for (k = 0; k < g->nr_assignments; k++)
		t += g->score[student * g->nr_assignments + k];
	return t;
}

int gradebook_format_parse(const char *s, enum gradebook_format *f)
{
	static const char *const names[] = { "csv", "canvas", "moodle" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i])) {
			*f = (enum gradebook_format)i;
			return 0;
		}
	return -1;
}

static void add_number(struct buf *out, int has, double v)
{
	buf_addch(out, ',');
	if (has)
		buf_addf(out, "%g", v);
}

/* The first columns of a student's row, before the scores. */
static void student_fields(struct buf *out, const struct gradebook_student *s,
			   enum gradebook_format f)
{
	switch (f) {
	case GRADEBOOK_CANVAS:
		csv_add_field(out, *s->name ? s->name : s->login);
		buf_adds(out, ",,");
		csv_add_field(out, s->login);
		buf_addch(out, ',');
		break;
	case GRADEBOOK_MOODLE:
		csv_add_field(out, s->login);
		csv_add_field(out, s->email);
		break;
	case GRADEBOOK_CSV:
		csv_add_field(out, s->login);
		csv_add_field(out, s->name);
		csv_add_field(out, s->email);
		break;
	}
}

void gradebook_csv(struct buf *out, const struct gradebook *g, enum gradebook_format f)
{
	static const char *const head[] = {
		[GRADEBOOK_CSV] = "login,name,email",
		[GRADEBOOK_CANVAS] = "Student,ID,SIS User ID,SIS Login ID,Section",
		[GRADEBOOK_MOODLE] = "Username,Email address",
	};
	size_t i, k;

	buf_adds(out, head[f]);
	for (k = 0; k < g->nr_assignments; k++)
		csv_add_field(out, g->assignment[k]);
	buf_adds(out, f == GRADEBOOK_CSV ? ",total\r\n" : "\r\n");
	if (f == GRADEBOOK_CANVAS) {
		/* Canvas reads each assignment's points from this row. */
		buf_adds(out, "Points Possible,,,,");
		for (k = 0; k < g->nr_assignments; k++)
			add_number(out, g->max[k] > 0, g->max[k]);
		buf_adds(out, "\r\n");
	}
	for (i = 0; i < g->nr_students; i++) {
		student_fields(out, &g->student[i], f);
		for (k = 0; k < g->nr_assignments; k++)
			add_number(out, g->has[i * g->nr_assignments + k],
				   g->score[i * g->nr_assignments + k]);
		if (f == GRADEBOOK_CSV)
			add_number(out, 1, gradebook_total(g, i));
		buf_adds(out, "\r\n");
	}
}
