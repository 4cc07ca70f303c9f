/* submission.c: reading repositories, submissions and verdicts for the hooks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"
#include "submission.h"
#include "../lib/alloc.h"
#include "../lib/banned.h"

int db_repos_list(struct db *db, struct repo_list *l)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT r.id, r.path, a.branch FROM repos r "
				   "JOIN assignments a ON a.id = r.assignment_id ORDER BY r.id", "");
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		ALLOC_GROW(l->items, l->nr + 1, l->alloc);
		l->items[l->nr].id = sqlite3_column_int64(st, 0);
		l->items[l->nr].path = db_text_dup(st, 1);
		l->items[l->nr].branch = db_text_dup(st, 2);
		l->nr++;
	}
	return db_walk_done(st, rc);
}

void repo_list_release(struct repo_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		free(l->items[i].path);
		free(l->items[i].branch);
	}
	free(l->items);
	l->nr = l->alloc = 0;
	l->items = NULL;
}

int db_submission_exists(struct db *db, int64_t repo_id, const char *ref, const char *commit)
{
	int64_t one;
	int rc = db_int(db, &one, "SELECT 1 FROM submissions WHERE repo_id = ? AND ref = ? "
			"AND commit_id = ?", "itt", repo_id, ref, commit);

	if (rc == DB_ENOTFOUND)
		return 0;
	return rc ? rc : 1;
}

int db_job_verdict(struct db *db, int64_t job_id, struct job_verdict *v)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT state, status, score, max_score, error "
				   "FROM jobs WHERE id = ?", "i", job_id);
	int rc;

	memset(v, 0, sizeof(*v));
	if (!st)
		return -1;
	if (!(rc = db_row(db, st))) {
		snprintf(v->state, sizeof(v->state), "%s", db_text(st, 0));
		snprintf(v->status, sizeof(v->status), "%s", db_text(st, 1));
		v->has_score = sqlite3_column_type(st, 2) != SQLITE_NULL;
		v->score = sqlite3_column_double(st, 2);
		v->max_score = sqlite3_column_double(st, 3);
		snprintf(v->error, sizeof(v->error), "%s", db_text(st, 4));
	}
	sqlite3_finalize(st);
	return rc;
}

int db_results_each(struct db *db, int64_t job_id,
		    int (*fn)(const struct job_result *r, void *data), void *data)
{
	/* Kept prepared: every submission page reads them. */
	sqlite3_stmt *st = db_query(db, "SELECT name, verdict, points, max_points, hidden, output, "
				    "detail FROM results WHERE job_id = ? ORDER BY seq", "i", job_id);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		struct job_result r;

		r.name = db_text(st, 0);
		r.verdict = db_text(st, 1);
		r.points = sqlite3_column_double(st, 2);
		r.max_points = sqlite3_column_double(st, 3);
		r.hidden = sqlite3_column_int(st, 4);
		r.output = db_text(st, 5);
		r.detail = db_text(st, 6);
		if ((rc = fn(&r, data)))
			break;
	}
	db_done(db, st);
	return rc == SQLITE_DONE ? 0 : rc;
}
