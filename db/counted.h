/*
 * counted.h: which submission counts for each student, what it came to
 * after grace days, the late penalty and a teacher's override, kept in
 * the counted table so that a gradebook reads one row per student.
 */
#ifndef DB_COUNTED_H
#define DB_COUNTED_H

#include <stdint.h>

#include "db.h"

/* An assignment's rule for the submission that counts (assignments.counts). */
enum counts_rule {
	COUNTS_LATEST,                  /* the latest graded submission */
	COUNTS_BEST,                    /* the highest score before the late penalty */
	COUNTS_BEST_AFTER_PENALTY,      /* the highest score after the late penalty */
	COUNTS_CHOSEN,                  /* the one the student chose, else the latest */
	COUNTS_NR
};
extern const char *const counts_rule_names[COUNTS_NR];
/* The rule named s, or -1. */
int counts_rule_parse(const char *s);
/* "latest, best, best-after-penalty or chosen", for error messages. */
#define COUNTS_RULES_TEXT "latest, best, best-after-penalty or chosen"

/*
 * Bring the counted rows up to date for the students and assignments in
 * scope: person_id 0 is every student, assignment_id 0 every assignment
 * of the course (course_id 0: the assignment's). With grace days in the
 * course, a student's whole course is redone, since an earlier
 * assignment's lateness spends what a later one could have used. Runs
 * inside the caller's transaction; 0 or a db error.
 */
int db_counted_refresh(struct db *db, int64_t course_id, int64_t assignment_id, int64_t person_id);
/* The same for the assignment and the student of job_id (db_job_finish). */
int db_counted_refresh_job(struct db *db, int64_t job_id);

/*
 * Set the assignment's rule and redo its counted rows, in one transaction
 * (the caller's, if it has one open).
 */
int db_assignment_set_counts(struct db *db, int64_t assignment_id, enum counts_rule rule);
/* The assignment's rule; -1 after a db error. */
int db_assignment_counts(struct db *db, int64_t assignment_id);
/* Set the course's grace days and redo its counted rows, likewise. */
int db_course_set_grace_days(struct db *db, int64_t course_id, int64_t days);
/* The course's grace days into *days. */
int db_course_grace_days(struct db *db, int64_t course_id, int64_t *days);
/* The grace days the person spent in the course so far into *spent. */
int db_grace_days_spent(struct db *db, int64_t course_id, int64_t person_id, int64_t *spent);

/*
 * The student's choice (`git push -o submit`, a submit tag): stamp
 * submission_id chosen at `when` and redo the student's counted row.
 * For a tag, commit names the commit and *submission_id gets its latest
 * submission of the repository (DB_ENOTFOUND: never submitted).
 */
int db_submission_choose(struct db *db, int64_t repo_id, const char *commit,
			 int64_t *submission_id, int64_t when);

/* A teacher's change to a student's grade; each is kept, undone or not. */
struct override {
	int64_t id;
	int has_score;
	double score, max_score;
	int waive;              /* the late penalty waived, no grace day spent */
	const char *reason, *by;
	int64_t at, undone;     /* undone: when, 0 while it stands */
	const char *undone_by;
};

/*
 * Record an override of the student's grade: the state it stands at with
 * the score (has_score) or the waiver (waive) added, and redo the
 * counted row, in one transaction. o->max_score is kept with it (the
 * caller checks the score against it); o's score and waiver become the
 * state now standing.
 */
int db_override_add(struct db *db, int64_t assignment_id, int64_t person_id,
		    struct override *o, int64_t *id);
/* Undo the override standing now; DB_ENOTFOUND when none stands. */
int db_override_undo(struct db *db, int64_t assignment_id, int64_t person_id, const char *by,
		     int64_t *id);
/* Every override of the student for the assignment, oldest first. */
int db_overrides_each(struct db *db, int64_t assignment_id, int64_t person_id,
		      int (*fn)(const struct override *o, void *data), void *data);
/*
 * The assignment's maximum score as the student's counted row or, failing
 * that, the assignment's latest graded job knows it; DB_ENOTFOUND before
 * anything is graded.
 */
int db_assignment_max_score(struct db *db, int64_t assignment_id, int64_t person_id, double *max);

/* A student's counted row for one assignment, as their page shows it. */
struct counted_row {
	int64_t submission_id;  /* 0: nothing graded counts */
	int has_score;
	double score, max_score;
	int64_t late_days, grace_days;
	int64_t override_id;    /* the override standing, 0 if none */
	int override_score, waived;
	char reason[256];
};
/* The student's counted row into *c; DB_ENOTFOUND when there is none yet. */
int db_counted_get(struct db *db, int64_t assignment_id, int64_t person_id, struct counted_row *c);

#endif
