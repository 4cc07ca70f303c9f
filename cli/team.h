/* team.h: making a team inside the caller's transaction; shared by `team add` and the roster. */
#ifndef CLI_TEAM_H
#define CLI_TEAM_H

struct db;
struct assignment;
struct provision_undo;

/*
 * Make team of a with the n students logins (the first is the one whose
 * extension the team's pushes are measured against), its repository
 * COURSE/NAME/TEAM, and forget the members' own repositories of a. Inside
 * the caller's transaction: made records the new repository, doomed the
 * members' old ones, to remove once it commits. 0 or -1 (one line reported).
 */
int team_form(struct db *db, const struct assignment *a, const char *team,
	      const char **logins, int n, struct provision_undo *made,
	      struct provision_undo *doomed);

/*
 * Has team of a exactly these members (in any order)? 1 if so, 0 if it
 * has others, DB_ENOTFOUND if there is no such team, -1 on failure.
 */
int team_same(struct db *db, const struct assignment *a, const char *team,
	      const char **logins, int n);

#endif
