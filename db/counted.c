/* counted.c: each student's counted submission and grade, kept as jobs finish. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counted.h"
#include "report.h"
#include "teams.h"
#include "../lib/alloc.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

const char *const counts_rule_names[COUNTS_NR] = {
	"latest", "best", "best-after-penalty", "chosen"
};

int counts_rule_parse(const char *s)
{
	int i;

	for (i = 0; i < COUNTS_NR; i++)
		if (!strcmp(s, counts_rule_names[i]))
			return i;
	return -1;
}

/*
 * The refresh runs inside the runner's transaction for every finished job:
 * its statements come from the connection's cache (db_query), so the write
 * lock is held for the queries only, not for parsing them again.
 */

/* An assignment of the scope, in due order: its index in that order sorts picks. */
struct scope_assignment {
	int64_t id;
	double penalty;         /* percent per late day */
	int rule;
};

/* One student's counted submission (or override only) for one assignment. */
struct pick {
	int64_t person_id;
	int aidx;               /* index into the scope's assignments */
	int64_t sub, job, received, chosen, late_seconds;
	double raw, max, key;   /* key: what the rule compares */
	int has_sub;
	int64_t override_id;
	int has_score, waive;
	double override_score, override_max;
};

struct refresh {
	struct scope_assignment *as;
	int nr_as, alloc_as;
	struct pick *picks;
	int nr, alloc;
	int64_t grace;
};

static double penalty_factor(double penalty, int64_t late_days)
{
	double f = 1.0 - penalty / 100.0 * (double)late_days;

	return f < 0 ? 0 : f;
}

/* Does candidate c beat the pick p under rule? Ties go to the later submission. */
static int beats(int rule, const struct pick *c, const struct pick *p)
{
	int later = c->received > p->received || (c->received == p->received && c->sub > p->sub);

	switch (rule) {
	case COUNTS_BEST:
	case COUNTS_BEST_AFTER_PENALTY:
		if (c->key != p->key)
			return c->key > p->key;
		return later;
	case COUNTS_CHOSEN:
		if (c->chosen != p->chosen)
			return c->chosen > p->chosen;
		return later;
	default:
		return later;
	}
}

static int load_assignments(struct db *db, struct refresh *rf, int64_t course_id,
			    int64_t assignment_id)
{
	sqlite3_stmt *st = db_query(db, "SELECT id, late_penalty, counts FROM assignments "
				   "WHERE course_id = ?1 AND (?2 = 0 OR id = ?2) ORDER BY due, id",
				   "ii", course_id, assignment_id);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		struct scope_assignment *a;

		ALLOC_GROW(rf->as, rf->nr_as + 1, rf->alloc_as);
		a = &rf->as[rf->nr_as++];
		a->id = sqlite3_column_int64(st, 0);
		a->penalty = sqlite3_column_double(st, 1);
		a->rule = counts_rule_parse(db_text(st, 2));
	}
	db_done(db, st);
	return rc == SQLITE_DONE ? 0 : rc;
}

static int aidx_of(const struct refresh *rf, int64_t assignment_id)
{
	int i;

	for (i = 0; i < rf->nr_as; i++)
		if (rf->as[i].id == assignment_id)
			return i;
	return -1;
}

static struct pick *pick_new(struct refresh *rf, int64_t person_id, int aidx)
{
	struct pick *p;

	ALLOC_GROW(rf->picks, rf->nr + 1, rf->alloc);
	p = &rf->picks[rf->nr++];
	memset(p, 0, sizeof(*p));
	p->person_id = person_id;
	p->aidx = aidx;
	return p;
}

/*
 * Every graded submission in scope, a student's rows together: the
 * winner under its assignment's rule becomes the pick. One pass, with a
 * seek per submission for its newest job.
 */
static int load_submissions(struct db *db, struct refresh *rf, int64_t course_id,
			    int64_t assignment_id, int64_t person_id)
{
	sqlite3_stmt *st = db_query(db,
		"SELECT e.person_id, a.id, s.id, j.id, j.score, j.max_score, "
		"s.late_seconds, s.received, coalesce(s.chosen, 0) "
		"FROM assignments a JOIN enrolments e ON e.course_id = a.course_id "
		"  AND e.role = 'student' "
		"JOIN repos r ON r.id = " DB_STUDENT_REPO("a.id", "e.person_id") " "
		"JOIN submissions s ON s.repo_id = r.id "
		"JOIN jobs j ON j.id = (SELECT max(id) FROM jobs WHERE submission_id = s.id) "
		"WHERE a.course_id = ?1 AND (?2 = 0 OR a.id = ?2) "
		"AND (?3 = 0 OR e.person_id = ?3) AND j.state = 'done' AND j.score IS NOT NULL "
		"ORDER BY e.person_id, a.id", "iii", course_id, assignment_id, person_id);
	struct pick *last = NULL;
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		struct pick c;
		const struct scope_assignment *a;

		memset(&c, 0, sizeof(c));
		c.person_id = sqlite3_column_int64(st, 0);
		if ((c.aidx = aidx_of(rf, sqlite3_column_int64(st, 1))) < 0)
			continue;
		a = &rf->as[c.aidx];
		c.has_sub = 1;
		c.sub = sqlite3_column_int64(st, 2);
		c.job = sqlite3_column_int64(st, 3);
		c.raw = sqlite3_column_double(st, 4);
		c.max = sqlite3_column_double(st, 5);
		c.late_seconds = sqlite3_column_int64(st, 6);
		c.received = sqlite3_column_int64(st, 7);
		c.chosen = sqlite3_column_int64(st, 8);
		c.key = a->rule == COUNTS_BEST_AFTER_PENALTY ?
			c.raw * penalty_factor(a->penalty, late_days_used(c.late_seconds)) : c.raw;
		if (!last || last->person_id != c.person_id || last->aidx != c.aidx) {
			last = pick_new(rf, c.person_id, c.aidx);
			*last = c;
		} else if (beats(a->rule, &c, last)) {
			*last = c;
		}
	}
	db_done(db, st);
	return rc == SQLITE_DONE ? 0 : rc;
}

static int pick_cmp(const void *x, const void *y)
{
	const struct pick *a = x, *b = y;

	if (a->person_id != b->person_id)
		return a->person_id < b->person_id ? -1 : 1;
	return a->aidx - b->aidx;
}

/* The standing override of each student in scope joins (or makes) their pick. */
static int load_overrides(struct db *db, struct refresh *rf, int64_t course_id,
			  int64_t assignment_id, int64_t person_id)
{
	sqlite3_stmt *st = db_query(db,
		"SELECT o.person_id, o.assignment_id, o.id, o.score, o.waive, o.max_score "
		"FROM overrides o JOIN assignments a ON a.id = o.assignment_id "
		"WHERE a.course_id = ?1 AND (?2 = 0 OR o.assignment_id = ?2) "
		"AND (?3 = 0 OR o.person_id = ?3) AND o.id = (SELECT max(id) FROM overrides "
		"  WHERE assignment_id = o.assignment_id AND person_id = o.person_id "
		"  AND undone IS NULL)", "iii", course_id, assignment_id, person_id);
	int nr = rf->nr, rc;

	if (!st)
		return -1;
	if (nr)
		qsort(rf->picks, nr, sizeof(*rf->picks), pick_cmp);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		int64_t pid = sqlite3_column_int64(st, 0);
		int aidx = aidx_of(rf, sqlite3_column_int64(st, 1));
		struct pick *p;

		if (aidx < 0)
			continue;
		/* Only the rows sorted before this walk are searched; new ones are distinct. */
		p = nr ? bsearch(&(struct pick){ .person_id = pid, .aidx = aidx }, rf->picks, nr,
				 sizeof(*rf->picks), pick_cmp) : NULL;
		if (!p)
			p = pick_new(rf, pid, aidx);
		p->override_id = sqlite3_column_int64(st, 2);
		p->has_score = sqlite3_column_type(st, 3) != SQLITE_NULL;
		p->override_score = sqlite3_column_double(st, 3);
		p->waive = sqlite3_column_int(st, 4);
		p->override_max = sqlite3_column_double(st, 5);
	}
	db_done(db, st);
	rc = rc == SQLITE_DONE ? 0 : rc;
	if (rf->nr)
		qsort(rf->picks, rf->nr, sizeof(*rf->picks), pick_cmp);
	return rc;
}

static int store_pick(struct db *db, const struct refresh *rf, const struct pick *p, int64_t *left)
{
	const struct scope_assignment *a = &rf->as[p->aidx];
	int64_t late_days = p->has_sub ? late_days_used(p->late_seconds) : 0, grace = 0;
	double score = 0, max = p->has_sub ? p->max : p->override_max;
	int has_score = p->has_sub;
	sqlite3_stmt *st;
	int rc;

	/* An override settles lateness itself: no grace day is spent on it. */
	if (p->has_score) {
		score = p->override_score;
		has_score = 1;
	} else if (p->waive) {
		score = p->raw;
	} else if (p->has_sub) {
		grace = late_days < *left ? late_days : *left;
		*left -= grace;
		score = p->raw * penalty_factor(a->penalty, late_days - grace);
	}
	st = db_query(db, "INSERT INTO counted (assignment_id, person_id, submission_id, job_id, "
		      "raw, max_score, late_seconds, late_days, grace_days, score, override_id) "
		      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "iinnnniiinn", a->id, p->person_id,
		      p->late_seconds, late_days, grace);
	if (!st)
		return -1;
	if (p->has_sub) {
		sqlite3_bind_int64(st, 3, p->sub);
		sqlite3_bind_int64(st, 4, p->job);
		sqlite3_bind_double(st, 5, p->raw);
	}
	sqlite3_bind_double(st, 6, max);
	if (has_score)
		sqlite3_bind_double(st, 10, score);
	if (p->override_id)
		sqlite3_bind_int64(st, 11, p->override_id);
	rc = db_step(db, st);
	db_done(db, st);
	return rc == SQLITE_DONE ? 0 : rc;
}

int db_counted_refresh(struct db *db, int64_t course_id, int64_t assignment_id, int64_t person_id)
{
	struct refresh rf;
	int64_t left = 0;
	int i, rc;

	memset(&rf, 0, sizeof(rf));
	if (!course_id && (rc = db_int(db, &course_id, "SELECT course_id FROM assignments "
				       "WHERE id = ?", "i", assignment_id)))
		return rc;
	if ((rc = db_course_grace_days(db, course_id, &rf.grace)))
		return rc;
	if (rf.grace)
		assignment_id = 0;
	if ((rc = load_assignments(db, &rf, course_id, assignment_id)) ||
	    (rc = load_submissions(db, &rf, course_id, assignment_id, person_id)) ||
	    (rc = load_overrides(db, &rf, course_id, assignment_id, person_id)))
		goto done;
	rc = db_exec(db, "DELETE FROM counted WHERE assignment_id IN (SELECT id FROM assignments "
		     "WHERE course_id = ?1 AND (?2 = 0 OR id = ?2)) AND (?3 = 0 OR person_id = ?3)",
		     "iii", course_id, assignment_id, person_id);
	if (rc < 0)
		goto done;
	rc = 0;
	for (i = 0; i < rf.nr; i++) {
		if (!i || rf.picks[i].person_id != rf.picks[i - 1].person_id)
			left = rf.grace;
		if ((rc = store_pick(db, &rf, &rf.picks[i], &left)))
			break;
	}
done:
	free(rf.as);
	free(rf.picks);
	return rc;
}

int db_counted_refresh_job(struct db *db, int64_t job_id)
{
	/* A team's job counts for every member: all of the assignment's students then. */
	sqlite3_stmt *st = db_query(db, "SELECT j.assignment_id, j.person_id, "
				    "(SELECT r.team_id IS NOT NULL FROM submissions s JOIN repos r "
				    "  ON r.id = s.repo_id WHERE s.id = j.submission_id) "
				    "FROM jobs j WHERE j.id = ?", "i", job_id);
	int64_t a, p;
	int rc, team;

	if (!st)
		return -1;
	rc = db_row(db, st);
	a = sqlite3_column_int64(st, 0);
	p = sqlite3_column_int64(st, 1);
	team = sqlite3_column_int(st, 2);
	db_done(db, st);
	return rc ? rc : db_counted_refresh(db, 0, a, team ? 0 : p);
}

/* Run an update of one row, then the refresh it calls for, in one transaction. */
static int update_and_refresh(struct db *db, int64_t course_id, int64_t assignment_id,
			      const char *sql, const char *text, int64_t value, int64_t id)
{
	/* Inside a transaction the caller has open (`assignment add`), that one holds all. */
	int own = sqlite3_get_autocommit(db->h), rc;

	if (own && (rc = db_begin(db)))
		return rc;
	rc = text ? db_exec(db, sql, "ti", text, id) : db_exec(db, sql, "ii", value, id);
	if (rc == 0)
		rc = DB_ENOTFOUND;
	if (rc > 0)
		rc = db_counted_refresh(db, course_id, assignment_id, 0);
	if (rc) {
		if (own)
			db_rollback(db);
		return rc;
	}
	return own ? db_commit(db) : 0;
}

int db_assignment_set_counts(struct db *db, int64_t assignment_id, enum counts_rule rule)
{
	if ((int)rule < 0 || rule >= COUNTS_NR)
		return -1;
	return update_and_refresh(db, 0, assignment_id, "UPDATE assignments SET counts = ? "
				  "WHERE id = ?", counts_rule_names[rule], 0, assignment_id);
}

int db_assignment_counts(struct db *db, int64_t assignment_id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT counts FROM assignments WHERE id = ?", "i",
				   assignment_id);
	int rule = -1;

	if (!st)
		return -1;
	if (!db_row(db, st))
		rule = counts_rule_parse(db_text(st, 0));
	sqlite3_finalize(st);
	return rule;
}

int db_course_set_grace_days(struct db *db, int64_t course_id, int64_t days)
{
	return update_and_refresh(db, course_id, 0, "UPDATE courses SET grace_days = ? WHERE id = ?",
				  NULL, days, course_id);
}

int db_course_grace_days(struct db *db, int64_t course_id, int64_t *days)
{
	return db_int(db, days, "SELECT grace_days FROM courses WHERE id = ?", "i", course_id);
}

int db_grace_days_spent(struct db *db, int64_t course_id, int64_t person_id, int64_t *spent)
{
	return db_int(db, spent, "SELECT coalesce(sum(c.grace_days), 0) FROM counted c "
		      "JOIN assignments a ON a.id = c.assignment_id "
		      "WHERE a.course_id = ? AND c.person_id = ?", "ii", course_id, person_id);
}

int db_submission_choose(struct db *db, int64_t repo_id, const char *commit,
			 int64_t *submission_id, int64_t when)
{
	int rc;

	if ((rc = db_begin(db)))
		return rc;
	if (commit)
		rc = db_int(db, submission_id, "SELECT id FROM submissions WHERE repo_id = ? "
			    "AND commit_id = ? ORDER BY received DESC, id DESC LIMIT 1", "it",
			    repo_id, commit);
	if (!rc) {
		rc = db_exec(db, "UPDATE submissions SET chosen = ? WHERE id = ? AND repo_id = ?",
			     "iii", when, *submission_id, repo_id);
		rc = rc < 0 ? rc : rc == 0 ? DB_ENOTFOUND : 0;
	}
	if (!rc) {
		int64_t a, p;

		if (!(rc = db_int(db, &a, "SELECT assignment_id FROM repos WHERE id = ?", "i", repo_id)) &&
		    !(rc = db_int(db, &p, "SELECT person_id FROM repos WHERE id = ?", "i", repo_id)))
			rc = db_counted_refresh(db, 0, a, p);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

/* The override standing now into *o (fields owned by nobody: only numbers); DB_ENOTFOUND. */
static int override_standing(struct db *db, int64_t assignment_id, int64_t person_id,
			     struct override *o)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id, score, waive FROM overrides WHERE "
				   "assignment_id = ? AND person_id = ? AND undone IS NULL "
				   "ORDER BY id DESC LIMIT 1", "ii", assignment_id, person_id);
	int rc;

	memset(o, 0, sizeof(*o));
	if (!st)
		return -1;
	if (!(rc = db_row(db, st))) {
		o->id = sqlite3_column_int64(st, 0);
		o->has_score = sqlite3_column_type(st, 1) != SQLITE_NULL;
		o->score = sqlite3_column_double(st, 1);
		o->waive = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	return rc;
}

static int finish(struct db *db, int rc, int64_t assignment_id, int64_t person_id)
{
	if (!rc)
		rc = db_counted_refresh(db, 0, assignment_id, person_id);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int db_override_add(struct db *db, int64_t assignment_id, int64_t person_id,
		    struct override *o, int64_t *id)
{
	struct override now;
	sqlite3_stmt *st;
	int rc;

	if ((rc = db_begin(db)))
		return rc;
	rc = override_standing(db, assignment_id, person_id, &now);
	if (rc && rc != DB_ENOTFOUND)
		return finish(db, rc, 0, 0);
	if (o->has_score) {
		now.has_score = 1;
		now.score = o->score;
	}
	now.waive |= o->waive;
	o->has_score = now.has_score;
	o->score = now.score;
	o->waive = now.waive;
	st = db_stmt(db, "INSERT INTO overrides (assignment_id, person_id, score, waive, reason, by, "
		     "at, max_score) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "iidittid", assignment_id,
		     person_id, now.score, (int64_t)now.waive, o->reason, o->by, time_now(),
		     o->max_score);
	if (!st)
		return finish(db, -1, 0, 0);
	if (!now.has_score)
		sqlite3_bind_null(st, 3);
	rc = db_step(db, st);
	sqlite3_finalize(st);
	*id = sqlite3_last_insert_rowid(db->h);
	return finish(db, rc == SQLITE_DONE ? 0 : rc, assignment_id, person_id);
}

int db_override_undo(struct db *db, int64_t assignment_id, int64_t person_id, const char *by,
		     int64_t *id)
{
	struct override now;
	int rc;

	if ((rc = db_begin(db)))
		return rc;
	if (!(rc = override_standing(db, assignment_id, person_id, &now))) {
		*id = now.id;
		rc = db_exec(db, "UPDATE overrides SET undone = ?, undone_by = ? WHERE id = ?", "iti",
			     time_now(), by, now.id);
		rc = rc < 0 ? rc : 0;
	}
	return finish(db, rc, assignment_id, person_id);
}

int db_overrides_each(struct db *db, int64_t assignment_id, int64_t person_id,
		      int (*fn)(const struct override *o, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id, score, max_score, waive, reason, by, at, "
				   "coalesce(undone, 0), coalesce(undone_by, '') FROM overrides "
				   "WHERE assignment_id = ? AND person_id = ? ORDER BY id",
				   "ii", assignment_id, person_id);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		struct override o;

		o.id = sqlite3_column_int64(st, 0);
		o.has_score = sqlite3_column_type(st, 1) != SQLITE_NULL;
		o.score = sqlite3_column_double(st, 1);
		o.max_score = sqlite3_column_double(st, 2);
		o.waive = sqlite3_column_int(st, 3);
		o.reason = db_text(st, 4);
		o.by = db_text(st, 5);
		o.at = sqlite3_column_int64(st, 6);
		o.undone = sqlite3_column_int64(st, 7);
		o.undone_by = db_text(st, 8);
		if ((rc = fn(&o, data)))
			break;
	}
	return db_walk_done(st, rc);
}

int db_assignment_max_score(struct db *db, int64_t assignment_id, int64_t person_id, double *max)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT coalesce((SELECT max_score FROM counted WHERE "
				   "assignment_id = ?1 AND person_id = ?2 AND job_id IS NOT NULL), "
				   "(SELECT max_score FROM jobs WHERE assignment_id = ?1 AND "
				   "state = 'done' AND max_score IS NOT NULL ORDER BY id DESC LIMIT 1))",
				   "ii", assignment_id, person_id);
	int rc;

	if (!st)
		return -1;
	rc = db_row(db, st);
	if (!rc && sqlite3_column_type(st, 0) == SQLITE_NULL)
		rc = DB_ENOTFOUND;
	*max = rc ? 0 : sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return rc;
}

int db_counted_get(struct db *db, int64_t assignment_id, int64_t person_id, struct counted_row *c)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT coalesce(c.submission_id, 0), c.score, c.max_score, "
				   "c.late_days, c.grace_days, coalesce(o.id, 0), o.score IS NOT NULL, "
				   "coalesce(o.waive, 0), coalesce(o.reason, '') FROM counted c "
				   "LEFT JOIN overrides o ON o.id = c.override_id "
				   "WHERE c.assignment_id = ? AND c.person_id = ?", "ii",
				   assignment_id, person_id);
	int rc;

	memset(c, 0, sizeof(*c));
	if (!st)
		return -1;
	if (!(rc = db_row(db, st))) {
		c->submission_id = sqlite3_column_int64(st, 0);
		c->has_score = sqlite3_column_type(st, 1) != SQLITE_NULL;
		c->score = sqlite3_column_double(st, 1);
		c->max_score = sqlite3_column_double(st, 2);
		c->late_days = sqlite3_column_int64(st, 3);
		c->grace_days = sqlite3_column_int64(st, 4);
		c->override_id = sqlite3_column_int64(st, 5);
		c->override_score = sqlite3_column_int(st, 6);
		c->waived = sqlite3_column_int(st, 7);
		snprintf(c->reason, sizeof(c->reason), "%s", db_text(st, 8));
	}
	sqlite3_finalize(st);
	return rc;
}
