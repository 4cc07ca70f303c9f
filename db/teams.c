/* teams.c: teams, their members and repositories, and who pushed each submission. */
#include <string.h>

#include "db.h"
#include "teams.h"
#include "../lib/buf.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

int db_team_add(struct db *db, int64_t assignment_id, const char *name, int64_t *id)
{
	int rc = db_exec(db, "INSERT INTO teams (assignment_id, name, created) VALUES (?, ?, ?) "
			 "ON CONFLICT DO NOTHING", "iti", assignment_id, name, time_now());

	if (rc < 0)
		return rc;
	if (rc == 0)
		return DB_EEXISTS;
	*id = sqlite3_last_insert_rowid(db->h);
	return 0;
}

int db_team_member_add(struct db *db, int64_t team_id, int64_t assignment_id, int64_t person_id)
{
	int rc = db_exec(db, "INSERT INTO team_members (assignment_id, person_id, team_id) "
			 "VALUES (?, ?, ?) ON CONFLICT DO NOTHING", "iii", assignment_id, person_id,
			 team_id);

	if (rc < 0)
		return rc;
	return rc ? 0 : DB_EEXISTS;
}

int db_team_id(struct db *db, int64_t assignment_id, const char *name, int64_t *id)
{
	return db_int(db, id, "SELECT id FROM teams WHERE assignment_id = ? AND name = ?", "it",
		      assignment_id, name);
}

int db_team_of(struct db *db, int64_t assignment_id, int64_t person_id, struct buf *out)
{
	return db_str(db, out, "SELECT t.name FROM team_members m JOIN teams t ON t.id = m.team_id "
		      "WHERE m.assignment_id = ? AND m.person_id = ?", "ii", assignment_id, person_id);
}

int db_repo_team(struct db *db, int64_t repo_id, int64_t *team_id)
{
	return db_int(db, team_id, "SELECT team_id FROM repos WHERE id = ? AND team_id IS NOT NULL",
		      "i", repo_id);
}

int db_team_repo(struct db *db, int64_t team_id, int64_t *repo_id)
{
	return db_int(db, repo_id, "SELECT id FROM repos WHERE team_id = ?", "i", team_id);
}

int db_team_name(struct db *db, int64_t team_id, struct buf *out)
{
	return db_str(db, out, "SELECT name FROM teams WHERE id = ?", "i", team_id);
}

int db_team_set_repo(struct db *db, int64_t team_id, int64_t repo_id)
{
	return db_exec(db, "UPDATE repos SET team_id = ? WHERE id = ?", "ii", team_id, repo_id) < 0 ?
		-1 : 0;
}

int db_team_submissions(struct db *db, int64_t team_id, int64_t *n)
{
	return db_int(db, n, "SELECT count(s.id) FROM repos r JOIN submissions s ON s.repo_id = r.id "
		      "WHERE r.team_id = ?", "i", team_id);
}

int db_team_remove(struct db *db, int64_t team_id)
{
	if (db_exec(db, "DELETE FROM team_members WHERE team_id = ?", "i", team_id) < 0 ||
	    db_exec(db, "DELETE FROM teams WHERE id = ?", "i", team_id) < 0)
		return -1;
	return 0;
}

int db_repo_remove(struct db *db, int64_t repo_id)
{
	return db_exec(db, "DELETE FROM repos WHERE id = ?", "i", repo_id) < 0 ? -1 : 0;
}

int db_repo_submissions(struct db *db, int64_t repo_id, int64_t *n)
{
	return db_int(db, n, "SELECT count(*) FROM submissions WHERE repo_id = ?", "i", repo_id);
}

int db_team_repo_member(struct db *db, int64_t repo_id, const char *login)
{
	int64_t one;

	return db_int(db, &one, "SELECT 1 FROM repos r JOIN team_members m ON m.team_id = r.team_id "
		      "JOIN people p ON p.id = m.person_id WHERE r.id = ? AND p.login = ?", "it",
		      repo_id, login);
}

int db_team_repo_has(struct db *db, int64_t repo_id, int64_t person_id)
{
	int64_t one;

	return db_int(db, &one, "SELECT 1 FROM repos r JOIN team_members m ON m.team_id = r.team_id "
		      "WHERE r.id = ? AND m.person_id = ?", "ii", repo_id, person_id);
}

int db_team_each(struct db *db, int64_t assignment_id,
		 int (*fn)(const struct team_row *t, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db,
		"SELECT t.id, t.name, coalesce(r.path, ''), "
		"  (SELECT count(*) FROM submissions s WHERE s.repo_id = r.id), "
		"  (SELECT group_concat(login, ' ') FROM (SELECT p.login FROM team_members m "
		"    JOIN people p ON p.id = m.person_id WHERE m.team_id = t.id ORDER BY p.login)) "
		"FROM teams t LEFT JOIN repos r ON r.team_id = t.id "
		"WHERE t.assignment_id = ? ORDER BY t.name", "i", assignment_id);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		struct team_row t;

		t.id = sqlite3_column_int64(st, 0);
		t.name = db_text(st, 1);
		t.repo = db_text(st, 2);
		t.submissions = sqlite3_column_int64(st, 3);
		t.members = db_text(st, 4);
		if ((rc = fn(&t, data)))
			break;
	}
	return db_walk_done(st, rc);
}

int db_team_members_each(struct db *db, int64_t team_id,
			 int (*fn)(int64_t person_id, const char *login, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT p.id, p.login FROM team_members m "
				   "JOIN people p ON p.id = m.person_id WHERE m.team_id = ? "
				   "ORDER BY p.login", "i", team_id);

	return db_walk_id_texts(db, st, fn, data);
}

int db_submission_set_pusher(struct db *db, int64_t submission_id, const char *login)
{
	return db_exec(db, "UPDATE submissions SET pusher = ? WHERE id = ? AND pusher IS NULL", "ti",
		       login, submission_id) < 0 ? -1 : 0;
}
