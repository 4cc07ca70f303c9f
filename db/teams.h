/* teams.h: students who hand in one assignment together, from one repository. */
#ifndef DB_TEAMS_H
#define DB_TEAMS_H

#include <stdint.h>

struct db;
struct buf;

/*
 * The repository whose submissions count for student p (an SQL expression
 * over the assignment id a and the person id p, both SQL expressions):
 * their team's for that assignment, else their own. For the queries that
 * give each student a grade.
 */
#define DB_STUDENT_REPO(a, p) \
	"coalesce((SELECT sr.id FROM team_members tm JOIN repos sr ON sr.team_id = tm.team_id " \
	"  WHERE tm.assignment_id = " a " AND tm.person_id = " p "), " \
	" (SELECT sr.id FROM repos sr WHERE sr.assignment_id = " a " AND sr.person_id = " p \
	"  AND sr.team_id IS NULL))"

/* Create team name of assignment_id: 0 and *id, DB_EEXISTS, or -1 (reported). */
int db_team_add(struct db *db, int64_t assignment_id, const char *name, int64_t *id);
/* Put person_id in team_id: 0, DB_EEXISTS (in a team of this assignment already) or -1. */
int db_team_member_add(struct db *db, int64_t team_id, int64_t assignment_id, int64_t person_id);
/* The id of team name of assignment_id; DB_ENOTFOUND. */
int db_team_id(struct db *db, int64_t assignment_id, const char *name, int64_t *id);
/* The name of person_id's team for assignment_id appended to out; DB_ENOTFOUND. */
int db_team_of(struct db *db, int64_t assignment_id, int64_t person_id, struct buf *out);
/* The team whose repository is repo_id; DB_ENOTFOUND when it is a student's own. */
int db_repo_team(struct db *db, int64_t repo_id, int64_t *team_id);
/* The repository of team_id; DB_ENOTFOUND. */
int db_team_repo(struct db *db, int64_t team_id, int64_t *repo_id);
/* The name of team_id appended to out; DB_ENOTFOUND. */
int db_team_name(struct db *db, int64_t team_id, struct buf *out);
/* Record repository repo_id (already added, see db_repo_add()) as team_id's. */
int db_team_set_repo(struct db *db, int64_t team_id, int64_t repo_id);
/* Submissions recorded for team_id's repository (0 without one). */
int db_team_submissions(struct db *db, int64_t team_id, int64_t *n);
/*
 * Remove team_id and its members; its repository's row must go first
 * (db_repo_remove()). 0 or -1.
 */
int db_team_remove(struct db *db, int64_t team_id);
/* Forget the repository row repo_id, which has no submissions; 0 or -1. */
int db_repo_remove(struct db *db, int64_t repo_id);
/* Submissions recorded for repo_id. */
int db_repo_submissions(struct db *db, int64_t repo_id, int64_t *n);

/*
 * Is login a member of the team whose repository is repo_id? 0 if so,
 * DB_ENOTFOUND if not (or repo_id is no team's), -1 on failure.
 */
int db_team_repo_member(struct db *db, int64_t repo_id, const char *login);

/* The same for person_id: 0 if a member, DB_ENOTFOUND if not, -1 on failure. */
int db_team_repo_has(struct db *db, int64_t repo_id, int64_t person_id);

struct team_row {
	int64_t id, submissions;
	const char *name;
	const char *members;    /* logins, space separated, in login order */
	const char *repo;       /* COURSE/NAME/TEAM.git */
};
/* Each team of assignment_id in name order; fn returning non-zero stops and is returned. */
int db_team_each(struct db *db, int64_t assignment_id,
		 int (*fn)(const struct team_row *t, void *data), void *data);

/* Call fn with each member's person id and login of team_id, in login order. */
int db_team_members_each(struct db *db, int64_t team_id,
			 int (*fn)(int64_t person_id, const char *login, void *data), void *data);

/* Note who pushed submission_id (the transport's login), unless already noted. */
int db_submission_set_pusher(struct db *db, int64_t submission_id, const char *login);

#endif
