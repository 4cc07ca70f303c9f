/* gradebook.h: a course's grades, every assignment a column, and the CSV files grade systems import. */
#ifndef DB_GRADEBOOK_H
#define DB_GRADEBOOK_H

#include <stdint.h>

struct db;
struct buf;

struct gradebook_student {
	char *login, *name, *email;
};

struct gradebook {
	size_t nr_assignments, nr_students;
	char **assignment;      /* names, in the course's order (by due date) */
	double *max;            /* each assignment's points: its graded jobs' largest max_score, 0 if none */
	struct gradebook_student *student;      /* in login order */
	double *score;          /* nr_students x nr_assignments, after the late policy */
	unsigned char *has;     /* the same, 1 where a graded submission counts */
};

/*
 * The grades of course_id's students (db_grades_each(), so a team's member
 * has the team's grade): every assignment of the course, or only the one
 * named only (not NULL). 0 and *g (gradebook_release() it), DB_ENOTFOUND
 * when only names no assignment of the course, or -1 (reported).
 */
int gradebook_load(struct db *db, int64_t course_id, const char *only, struct gradebook *g);
void gradebook_release(struct gradebook *g);

/* A student's total: the sum of their scores (nothing counts 0). */
double gradebook_total(const struct gradebook *g, size_t student);

enum gradebook_format {
	GRADEBOOK_CSV,          /* login,name,email, one column per assignment, total */
	GRADEBOOK_CANVAS,       /* Canvas's Gradebook import file */
	GRADEBOOK_MOODLE,       /* Moodle's "Import grades: CSV file" */
};
/* "csv", "canvas" or "moodle"; 0, or -1 for anything else (not reported). */
int gradebook_format_parse(const char *s, enum gradebook_format *f);

/*
 * g as CSV in format f, RFC 4180 with CRLF line ends, appended to out.
 * Canvas: Student, ID, SIS User ID, SIS Login ID, Section, then one column
 * per assignment headed by its name; the second row is "Points Possible";
 * students are identified by SIS Login ID, their login (ID and SIS User
 * ID are Canvas's own and left empty). Moodle: Username, Email address,
 * then one column per assignment; the teacher maps the columns when
 * importing. A missing grade is an empty field, never a 0.
 */
void gradebook_csv(struct buf *out, const struct gradebook *g, enum gradebook_format f);

#endif
