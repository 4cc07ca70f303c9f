/* import.c: historical grades and mirrored histories brought by `lifebelt import github-classroom`. */
#include "import.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

int db_imported_add(struct db *db, const struct imported_grade *g)
{
	int rc;

	if (g->has_points)
		rc = db_exec(db, "INSERT OR IGNORE INTO imported_grades (assignment_id, person_id, "
			     "source, roster_identifier, repository, submitted, points, max_points, "
			     "imported) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", "iittttddi",
			     g->assignment_id, g->person_id, g->source, g->roster_identifier,
			     g->repository, g->submitted, g->points, g->max_points, time_now());
	else
		rc = db_exec(db, "INSERT OR IGNORE INTO imported_grades (assignment_id, person_id, "
			     "source, roster_identifier, repository, submitted, imported) "
			     "VALUES (?, ?, ?, ?, ?, ?, ?)", "iitttti", g->assignment_id, g->person_id,
			     g->source, g->roster_identifier, g->repository, g->submitted, time_now());
	return rc < 0 ? rc : rc > 0;
}

int db_imported_mirrored_get(struct db *db, int64_t assignment_id, int64_t person_id,
			     struct buf *out)
{
	return db_str(db, out, "SELECT mirrored FROM imported_grades WHERE assignment_id = ? "
		      "AND person_id = ? AND mirrored IS NOT NULL", "ii", assignment_id, person_id);
}

int db_imported_mirrored_set(struct db *db, int64_t assignment_id, int64_t person_id,
			     const char *commit)
{
	int rc = db_exec(db, "UPDATE imported_grades SET mirrored = ? WHERE assignment_id = ? "
			 "AND person_id = ?", "tii", commit, assignment_id, person_id);

	return rc < 0 ? rc : 0;
}

int db_login_by_github(struct db *db, const char *github, struct buf *out)
{
	return db_str(db, out, "SELECT login FROM people WHERE github = ?", "t", github);
}
