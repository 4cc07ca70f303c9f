/* report.h: read-side queries for listings, the gradebook and the queue's state. */
#ifndef DB_REPORT_H
#define DB_REPORT_H

#include <stdint.h>

#include "db.h"

struct assignment;

struct submission_row {
	int64_t id, job_id, received, late_seconds;
	const char *login, *ref, *commit, *via;
	const char *state;      /* of its newest job: queued, running, done, ... ("" if none) */
	const char *status;     /* runner's summary when done ("" otherwise) */
	int has_score;
	double score, max_score;
	const char *github_repo; /* OWNER/NAME the repository mirrors, NULL if none */
	const char *pusher;     /* the login that pushed it, NULL if no transport said */
	const char *team;       /* the team whose repository it is (then login), or NULL */
};

/*
 * Submissions of an assignment, newest first; login NULL for everyone's,
 * else those of login's repository for it, their team's if they have one.
 */
int db_submissions_each(struct db *db, int64_t assignment_id, const char *login,
			int (*fn)(const struct submission_row *r, void *data), void *data);

struct grade_row {
	const char *login, *name, *email;
	int64_t submissions;
	int has_score;          /* a graded submission counts */
	double raw, max_score;  /* the counted (latest graded) submission's score */
	double final;           /* raw after the late policy */
	int64_t late_seconds, late_days;
	const char *last_state; /* newest job's state, "" without submissions */
	const char *last_status; /* and the runner's summary when it is done */
	int64_t counted_job;    /* the counted submission's job, 0 if none */
	int has_imported;       /* a grade GitHub Classroom gave (imported, never regraded) */
	double imported, imported_max;
	int64_t counted_submission;     /* the submission that counts, 0 if none */
	int64_t grace_days;     /* of late_days, those paid from the course's grace days */
	int64_t override_id;    /* the teacher's override standing, 0 if none */
	int override_score;     /* it set the score */
	int waived;             /* it waived the late penalty */
	const char *override_reason, *override_by;
	int64_t override_at;
};

/*
 * One row per student enrolled in the assignment's course, in login order,
 * from the counted rows (counted.h): the submission the assignment's rule
 * picks, after grace days, the late penalty and any override.
 */
int db_grades_each(struct db *db, const struct assignment *a,
		   int (*fn)(const struct grade_row *r, void *data), void *data);

struct buf;
/* The gradebook's CSV export (`lifebelt grades --csv`, the web's grades.csv): header, one row. */
#define GRADES_CSV_HEADER "login,name,email,score,raw_score,max_score,late_days,submissions,status," \
	"github_score,github_max_score,counted_submission,grace_days,override_score," \
	"penalty_waived,override_reason,override_by,override_at\r\n"
/* What the last submission came to: its status when done (passed...), else its state. */
const char *grade_row_status(const struct grade_row *r);
void grade_row_csv(struct buf *b, const struct grade_row *r);

/* Whole days late, rounding up a started day: 0 when on time. */
int64_t late_days_used(int64_t late_seconds);
/* Multiplier for a score under the assignment's late policy, 0..1. */
double assignment_late_factor(const struct assignment *a, int64_t late_seconds);

struct queue_stats {
	int64_t queued, running, done, infra_error, superseded;
	int64_t oldest_queued;  /* queued time of the oldest queued job, 0 if none */
};
int db_queue_stats(struct db *db, struct queue_stats *s);

struct running_row {
	int64_t job_id, submission_id, started, lease_expires;
	int attempts;
	const char *course, *assignment, *login, *owner;
};
/* Jobs being graded now, oldest first. */
int db_running_each(struct db *db, int (*fn)(const struct running_row *r, void *data), void *data);

#endif
