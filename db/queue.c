/* queue.c: the grading queue: SQLite rows with leases, claimed fairly. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counted.h"
#include "model.h"
#include "queue.h"
#include "../lib/alloc.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/verdict.h"
#include "../lib/banned.h"

static int insert_job(struct db *db, int64_t submission_id, int64_t *job_id)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO jobs (submission_id, assignment_id, person_id, queued) "
				   "SELECT s.id, r.assignment_id, r.person_id, ? FROM submissions s "
				   "JOIN repos r ON r.id = s.repo_id WHERE s.id = ? "
				   "RETURNING id, assignment_id, person_id", "ii", time_now(), submission_id);
	int64_t a, p;
	int rc;

	if (!st)
		return -1;
	rc = db_step(db, st);
	if (rc == SQLITE_ROW) {
		*job_id = sqlite3_column_int64(st, 0);
		a = sqlite3_column_int64(st, 1);
		p = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return DB_ENOTFOUND;
	if (rc != SQLITE_ROW)
		return rc;
	rc = db_jobs_supersede(db, a, p, *job_id);
	return rc < 0 ? rc : 0;
}

/*
 * A push recorded after a newer one of the same ref (by the reconciler, its
 * hook having been killed) must not supersede the newer one's job: under
 * the rule "latest" its own job starts superseded.
 */
static int enqueue_job(struct db *db, const struct enqueue_req *req, struct enqueue_res *res)
{
	int rc;

	if (!req->older)
		return insert_job(db, res->submission_id, &res->job_id);
	rc = db_exec(db, "INSERT INTO jobs (submission_id, assignment_id, person_id, queued, state, finished) "
		     "SELECT s.id, r.assignment_id, r.person_id, ?1, CASE a.counts WHEN 'latest' "
		     "THEN 'superseded' ELSE 'queued' END, CASE a.counts WHEN 'latest' THEN ?1 END "
		     "FROM submissions s JOIN repos r ON r.id = s.repo_id "
		     "JOIN assignments a ON a.id = r.assignment_id WHERE s.id = ?2",
		     "ii", time_now(), res->submission_id);
	if (rc < 0)
		return rc;
	res->job_id = sqlite3_last_insert_rowid(db->h);
	return 0;
}

int db_enqueue(struct db *db, const struct enqueue_req *req, struct enqueue_res *res)
{
	int rc;

	memset(res, 0, sizeof(*res));
	if ((rc = db_begin(db)))
		return rc;
	rc = db_exec(db, "INSERT INTO submissions (repo_id, ref, commit_id, received, via, late_seconds) "
		     "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (repo_id, ref, commit_id) DO NOTHING",
		     "ittiti", req->repo_id, req->ref, req->commit, req->received, req->via,
		     req->late_seconds);
	if (rc < 0)
		goto fail;
	if (rc == 1) {
		res->created = 1;
		res->submission_id = sqlite3_last_insert_rowid(db->h);
		if (!req->after_close && (rc = enqueue_job(db, req, res)))
			goto fail;
	} else {
		rc = db_int(db, &res->submission_id, "SELECT id FROM submissions WHERE repo_id = ? "
			    "AND ref = ? AND commit_id = ?", "itt", req->repo_id, req->ref, req->commit);
		if (rc)
			goto fail;
		rc = db_int(db, &res->job_id, "SELECT coalesce(max(id), 0) FROM jobs "
			    "WHERE submission_id = ?", "i", res->submission_id);
		if (rc)
			goto fail;
	}
	return db_commit(db);
fail:
	db_rollback(db);
	return rc < 0 ? rc : -1;
}

int db_requeue_submission(struct db *db, int64_t submission_id, int64_t *job_id)
{
	int rc;

	if ((rc = db_begin(db)))
		return rc;
	if ((rc = insert_job(db, submission_id, job_id))) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int db_jobs_supersede(struct db *db, int64_t assignment_id, int64_t person_id, int64_t keep_job_id)
{
	/* Under any rule but latest, an older submission may yet count: it is graded too. */
	return db_exec(db, "UPDATE jobs SET state = 'superseded', finished = ?1 "
		       "WHERE assignment_id = ?2 AND person_id = ?3 AND state = 'queued' AND id < ?4 "
		       "AND (SELECT counts FROM assignments WHERE id = ?2) = 'latest'",
		       "iiii", time_now(), assignment_id, person_id, keep_job_id);
}

void job_release(struct job *j)
{
	free(j->ref);
	free(j->repo_path);
	memset(j, 0, sizeof(*j));
}

int db_job_claim(struct db *db, const char *owner, int lease_seconds, struct job *j)
{
	sqlite3_stmt *st = NULL;
	int64_t now = time_now();
	int rc;

	memset(j, 0, sizeof(*j));
	if ((rc = db_begin(db)))
		return rc;
	/*
	 * Fairness: people.last_claim is the id of the last job claimed for that
	 * person, so the student served longest ago sorts first; a student with
	 * 200 queued jobs gets one, then everyone else waiting gets theirs.
	 */
	st = db_query(db, "UPDATE jobs SET state = 'running', attempts = attempts + 1, "
		     "lease_owner = ?, lease_expires = ?, started = ? "
		     "WHERE id = (SELECT j.id FROM jobs j JOIN people p ON p.id = j.person_id "
		     "  WHERE j.state = 'queued' AND j.not_before <= ? ORDER BY p.last_claim, j.id LIMIT 1) "
		     "RETURNING id, submission_id, assignment_id, person_id, attempts",
		     "tiii", owner, now + lease_seconds, now, now);
	if (!st) {
		rc = -1;
		goto fail;
	}
	rc = db_step(db, st);
	if (rc == SQLITE_DONE) {
		rc = DB_ENOTFOUND;
		goto fail;
	}
	if (rc != SQLITE_ROW)
		goto fail;
	j->id = sqlite3_column_int64(st, 0);
	j->submission_id = sqlite3_column_int64(st, 1);
	j->assignment_id = sqlite3_column_int64(st, 2);
	j->person_id = sqlite3_column_int64(st, 3);
	j->attempts = sqlite3_column_int(st, 4);
	db_done(db, st);
	st = NULL;
	if ((rc = db_exec(db, "UPDATE people SET last_claim = ? WHERE id = ?", "ii",
			  j->id, j->person_id)) < 0)
		goto fail;
	st = db_query(db, "SELECT s.commit_id, s.ref, r.path, r.id FROM submissions s "
		     "JOIN repos r ON r.id = s.repo_id WHERE s.id = ?", "i", j->submission_id);
	if (!st || (rc = db_step(db, st)) != SQLITE_ROW) {
		rc = -1;
		goto fail;
	}
	snprintf(j->commit, sizeof(j->commit), "%s", db_text(st, 0));
	j->ref = db_text_dup(st, 1);
	j->repo_path = db_text_dup(st, 2);
	j->repo_id = sqlite3_column_int64(st, 3);
	db_done(db, st);
	st = NULL;
	if ((rc = db_commit(db)))
		goto fail;
	return 0;
fail:
	db_done(db, st);
	db_rollback(db);
	job_release(j);
	return rc < 0 ? rc : -1;
}

int db_job_heartbeat(struct db *db, int64_t job_id, const char *owner, int lease_seconds)
{
	int rc = db_exec(db, "UPDATE jobs SET lease_expires = ? WHERE id = ? AND lease_owner = ? "
			 "AND state = 'running'", "iit", time_now() + lease_seconds, job_id, owner);

	if (rc < 0)
		return rc;
	return rc ? 0 : DB_ENOTFOUND;
}

int db_job_finish(struct db *db, int64_t job_id, const char *owner, const struct job_outcome *o)
{
	int rc, i;

	if ((rc = db_begin(db)))
		return rc;
	rc = db_exec(db, "UPDATE jobs SET state = 'done', finished = ?, status = ?, score = ?, "
		     "max_score = ?, build_log = ?, provenance = ?, lease_owner = NULL, "
		     "lease_expires = NULL WHERE id = ? AND lease_owner = ? AND state = 'running'",
		     "itddttit", time_now(), o->status, o->score, o->max_score, o->build_log,
		     o->provenance, job_id, owner);
	if (rc == 0)
		rc = DB_ENOTFOUND;
	if (rc < 0)
		goto fail;
	for (i = 0; i < o->nr; i++) {
		const struct job_result *r = &o->results[i];

		rc = db_exec(db, "INSERT INTO results (job_id, seq, name, verdict, points, max_points, "
			     "hidden, output, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			     "iittddi" "tt", job_id, (int64_t)i, r->name, r->verdict, r->points,
			     r->max_points, (int64_t)r->hidden, r->output ? r->output : "",
			     r->detail ? r->detail : "");
		if (rc < 0)
			goto fail;
	}
	/* The student's counted grade moves with the verdict, never a request later. */
	if ((rc = db_counted_refresh_job(db, job_id)))
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return rc;
}

/*
 * Requeue or give up, for one job the caller has already selected. A
 * requeued job is not claimed before now + delay << (attempts - 1).
 */
static int retry_or_give_up(struct db *db, int64_t job_id, const char *reason, int64_t delay)
{
	int64_t now = time_now();

	return db_exec(db, "UPDATE jobs SET state = CASE WHEN attempts >= ?1 THEN 'infra_error' "
		       "ELSE 'queued' END, finished = CASE WHEN attempts >= ?1 THEN ?2 END, "
		       "not_before = ?2 + (?3 << (min(max(attempts, 1), 8) - 1)), "
		       "error = ?4, lease_owner = NULL, lease_expires = NULL WHERE id = ?5",
		       "iiiti", (int64_t)JOB_MAX_ATTEMPTS, now, delay, reason, job_id);
}

int db_job_fail(struct db *db, int64_t job_id, const char *owner, const char *reason)
{
	int64_t one;
	int rc;

	if ((rc = db_begin(db)))
		return rc;
	rc = db_int(db, &one, "SELECT 1 FROM jobs WHERE id = ? AND lease_owner = ? AND state = 'running'",
		    "it", job_id, owner);
	if (!rc)
		rc = retry_or_give_up(db, job_id, reason, db_config_int(db, "runner.retry_seconds"));
	if (rc < 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int db_jobs_requeue_expired(struct db *db, int64_t now, int *n)
{
	sqlite3_stmt *st;
	int rc, count = 0;

	*n = 0;
	if ((rc = db_begin(db)))
		return rc;
	st = db_stmt(db, "SELECT id FROM jobs WHERE state = 'running' AND lease_expires < ?", "i", now);
	if (!st) {
		db_rollback(db);
		return -1;
	}
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		/* Its lease was the wait: no backoff on top. */
		int r = retry_or_give_up(db, sqlite3_column_int64(st, 0), "runner lease expired", 0);

		if (r < 0) {
			rc = r;
			break;
		}
		count++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_rollback(db);
		return rc < 0 ? rc : -1;
	}
	if ((rc = db_commit(db)))
		return rc;
	*n = count;
	return 0;
}

int db_job_position(struct db *db, int64_t job_id, int64_t *pos)
{
	int64_t queued;
	int rc = db_int(db, &queued, "SELECT state = 'queued' FROM jobs WHERE id = ?", "i", job_id);

	*pos = 0;
	if (rc || !queued)
		return rc;
	return db_int(db, pos, "SELECT count(*) FROM jobs WHERE state = 'queued' AND id <= ?",
		      "i", job_id);
}

int db_job_state(struct db *db, int64_t job_id, char *out, size_t n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT state FROM jobs WHERE id = ?", "i", job_id);
	int rc;

	if (!st)
		return -1;
	rc = db_step(db, st);
	if (rc == SQLITE_ROW) {
		snprintf(out, n, "%s", db_text(st, 0));
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = DB_ENOTFOUND;
	}
	sqlite3_finalize(st);
	return rc;
}

#define WAIT_QUICK_MS 2
#define WAIT_QUICK_LOOKS 250

/* One look at the jobs' states into w; 0, DB_EBUSY (w as it was) or an error. */
static int jobs_look(struct db *db, const int64_t *jobs, struct job_wait *w)
{
	struct job_wait now = *w;
	int i, rc;

	now.ended = now.infra = 0;
	for (i = 0; i < w->nr; i++) {
		char state[sizeof(now.state)];
		enum job_state s;

		if ((rc = db_job_state(db, jobs[i], state, sizeof(state))))
			return rc;
		if (!i)
			memcpy(now.state, state, sizeof(state));
		s = job_state_parse(state);
		if (s == JOB_INFRA_ERROR)
			now.infra++;
		if (s == JOB_DONE || s == JOB_SUPERSEDED || s == JOB_INFRA_ERROR)
			now.ended++;
	}
	*w = now;
	return 0;
}

int db_jobs_wait(struct db *db, const int64_t *jobs, int nr, int poll_ms,
		 int (*fn)(const struct job_wait *w, void *data), void *data)
{
	struct job_wait w;
	int64_t start = time_mono_us();
	int looks, rc;

	memset(&w, 0, sizeof(w));
	w.nr = nr;
	for (looks = 1;; looks++) {
		rc = jobs_look(db, jobs, &w);
		if (rc && rc != DB_EBUSY)
			return rc;
		w.busy = rc == DB_EBUSY;
		w.waited_ms = (time_mono_us() - start) / 1000;
		if (fn && (rc = fn(&w, data)))
			return rc;
		if (!w.busy && w.ended == w.nr)
			return 0;
		poll(NULL, 0, looks <= WAIT_QUICK_LOOKS ? WAIT_QUICK_MS : poll_ms);
	}
}

int db_job_release(struct db *db, int64_t job_id, const char *owner)
{
	int rc = db_exec(db, "UPDATE jobs SET state = 'queued', attempts = attempts - 1, "
			 "lease_owner = NULL, lease_expires = NULL, started = NULL "
			 "WHERE id = ? AND lease_owner = ? AND state = 'running'", "it", job_id, owner);

	if (rc < 0)
		return rc;
	return rc ? 0 : DB_ENOTFOUND;
}

int db_latest_submissions(struct db *db, int64_t assignment_id, int64_t person_id,
			  int (*fn)(int64_t submission_id, const char *login, void *data), void *data)
{
	/* A submission without a job (after the close, see db_enqueue) is never graded. */
	sqlite3_stmt *st = db_stmt(db, "SELECT (SELECT s.id FROM submissions s WHERE s.repo_id = r.id "
				   "AND EXISTS (SELECT 1 FROM jobs j WHERE j.submission_id = s.id) "
				   "ORDER BY s.received DESC, s.id DESC LIMIT 1) AS sid, p.login "
				   "FROM repos r JOIN people p ON p.id = r.person_id "
				   "WHERE r.assignment_id = ? AND (? = 0 OR r.person_id = ?) "
				   "AND sid IS NOT NULL ORDER BY p.login",
				   "iii", assignment_id, person_id, person_id);

	return db_walk_id_texts(db, st, fn, data);
}

struct regrade {
	struct db *db;
	int64_t **jobs;
	int nr, alloc;
};

static int requeue_one(int64_t submission_id, const char *login, void *data)
{
	struct regrade *r = data;
	int64_t job_id;

	if (db_requeue_submission(r->db, submission_id, &job_id))
		return error("cannot requeue %s's submission %lld", login, (long long)submission_id);
	if (r->jobs) {
		ALLOC_GROW(*r->jobs, r->nr + 1, r->alloc);
		(*r->jobs)[r->nr] = job_id;
	}
	r->nr++;
	return 0;
}

int db_regrade(struct db *db, int64_t assignment_id, int64_t person_id, int64_t **jobs, int *nr)
{
	struct regrade r = { db, jobs, 0, 0 };
	int rc;

	if (jobs)
		*jobs = NULL;
	rc = db_latest_submissions(db, assignment_id, person_id, requeue_one, &r);
	*nr = r.nr;
	return rc;
}
