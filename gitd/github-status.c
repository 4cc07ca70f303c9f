/* github-status.c: the reporter thread of `lifebelt serve`, each mirrored submission's verdict as a commit status. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "github.h"
#include "../db/db.h"
#include "../db/model.h"
#include "../db/statuses.h"
#include "../db/web.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/secret.h"
#include "../lib/timeutil.h"
#include "../lib/verdict.h"
#include "../lib/banned.h"

/* Statuses sent in one look at most, so that a stop is never far away. */
#define STATUS_BATCH 32

/* What one job's status says on GitHub. */
struct status_msg {
	const char *state;      /* pending, success, failure, error; NULL: nothing to send ever */
	struct buf description, target_url;
};

static void describe_outcome(struct buf *d, const struct status_due *due)
{
	if (due->has_score)
		buf_addf(d, "score %g/%g", due->score, due->max_score);
	else
		buf_adds(d, "no score");
}

/*
 * The state and words for what the shown job's row says. A superseded
 * job's commit shows the outcome of the submission that replaced it in
 * the queue, and says so, linking to that submission's page.
 */
static void status_compose(struct db *db, const struct status_due *due, struct status_msg *m)
{
	struct buf url = BUF_INIT, key = BUF_INIT;
	struct buf *d = &m->description;

	m->state = NULL;
	if (!due->shown)
		return;
	if (due->shown != due->job_id)
		buf_addf(d, "superseded by %.7s: ", due->shown_commit);
	switch (job_state_parse(due->state)) {
	case JOB_QUEUED:
	case JOB_RUNNING:
		m->state = "pending";
		buf_adds(d, "grading");
		break;
	case JOB_DONE:
		switch (job_status_parse(due->status)) {
		case STATUS_PASSED:
			m->state = "success";
			break;
		case STATUS_FAILED:
			m->state = "failure";
			break;
		case STATUS_BUILD_FAILED:
			m->state = "failure";
			buf_adds(d, "build failed, ");
			break;
		default:
			m->state = "error";
			break;
		}
		describe_outcome(d, due);
		break;
	case JOB_INFRA_ERROR:
		m->state = "error";
		buf_adds(d, "not graded: the grading server failed; tell your teacher");
		break;
	default:
		return;
	}
	db_config_get(db, "web.url", &url);
	if (!secret_web_key(&key, due->login, due->token_gen))
		buf_addf(&m->target_url, "%s/me/%s/%s/s/%lld", url.buf, due->login, key.buf,
			 (long long)due->shown_submission);
	else
		buf_addf(&m->target_url, "%s/", url.buf);
	buf_release(&url);
	buf_release(&key);
}

static int is_final(const char *state)
{
	return strcmp(state, "pending") != 0;
}

/* Send the status due for one job and record what came of it. */
static void status_send(struct db *db, const char *api, const struct status_due *due)
{
	struct status_msg m = { NULL, BUF_INIT, BUF_INIT };
	struct buf why = BUF_INIT;
	int64_t now = time_now(), next;
	int attempts = due->attempts + 1;
	long http;

	status_compose(db, due, &m);
	if (!m.state) {
		/* A superseded job with no later job: its commit keeps what it has. */
		db_status_failed(db, due->job_id, due->attempts, 0, "nothing to report");
		goto done;
	}
	if (due->sent && !strcmp(due->sent, m.state)) {
		db_status_sent(db, due->job_id, m.state, now, is_final(m.state));
		goto done;
	}
	if (!github_status_post(api, due->repo, due->commit, m.state, m.description.buf,
				m.target_url.buf, &http, &why)) {
		log_info("github: %s %s on %s@%.12s (job %lld)", m.state, m.description.buf, due->repo,
			 due->commit, (long long)due->job_id);
		db_status_sent(db, due->job_id, m.state, now, is_final(m.state));
		goto done;
	}
	/* 422: GitHub will never take it (no such commit there, too many statuses). */
	if (http == 422 || attempts >= GITHUB_STATUS_MAX_ATTEMPTS) {
		log_info("github: gave up the status of job %lld on %s@%.12s after %d tries: %s",
			 (long long)due->job_id, due->repo, due->commit, attempts, why.buf);
		db_status_failed(db, due->job_id, attempts, 0, why.buf);
		goto done;
	}
	next = github_retry_delay(attempts);
	log_info("github: the status of job %lld on %s@%.12s failed (try %d, next in %lld s): %s",
		 (long long)due->job_id, due->repo, due->commit, attempts, (long long)next, why.buf);
	db_status_failed(db, due->job_id, attempts, now + next, why.buf);
done:
	buf_release(&m.description);
	buf_release(&m.target_url);
	buf_release(&why);
}

/* The rows due at one look, copied out so that no statement stays open during a request. */
struct due_list {
	struct status_due *items;
	size_t nr, alloc;
};

static int collect(const struct status_due *d, void *data)
{
	struct due_list *l = data;
	struct status_due *c;

	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	c = &l->items[l->nr++];
	*c = *d;
	c->repo = xstrdup(d->repo);
	c->sent = d->sent ? xstrdup(d->sent) : NULL;
	c->state = xstrdup(d->state);
	c->status = xstrdup(d->status);
	c->login = xstrdup(d->login);
	return 0;
}

/* github_status_stop() closes the write end: the reporter sees its read end readable. */
static int stop_pipe[2] = { -1, -1 };
static pthread_t reporter;
static int started;

/* Wait ms (0: only look), or until github_status_stop(); 1 if stopping. */
static int pause_ms(int ms)
{
	struct pollfd p = { stop_pipe[0], POLLIN, 0 };

	return poll(&p, 1, ms) > 0;
}

static int should_stop(void)
{
	return pause_ms(0);
}

/* One look: send what is due; 1 when a full batch went (there may be more at once), -1 if it could not look. */
static int status_pass(struct db *db)
{
	struct due_list l = { NULL, 0, 0 };
	struct buf api = BUF_INIT;
	size_t i;
	int rc;

	rc = db_status_due(db, time_now(), STATUS_BATCH, collect, &l);
	if (rc)
		log_info("github: cannot read the statuses due (%s); trying again",
			 rc == DB_EBUSY ? "database busy" : "database error");
	db_config_get(db, "github.api_url", &api);
	for (i = 0; i < l.nr; i++) {
		if (!should_stop())
			status_send(db, api.buf, &l.items[i]);
		status_due_release(&l.items[i]);
	}
	free(l.items);
	buf_release(&api);
	return rc ? -1 : l.nr == STATUS_BATCH;
}

/*
 * Whether a look could find anything: a status falls due only with a
 * write by someone else (a job queued or finished, a mirrored push),
 * which PRAGMA data_version reveals, or when a retry's time comes.
 * Otherwise the thread only reads a counter each second; the look itself
 * joins every mirrored submission's jobs.
 */
static int worth_a_look(struct db *db, int64_t *seen, int64_t retry_at)
{
	int64_t version;

	if (db_data_version(db, &version))
		return 1;
	if (version != *seen) {
		*seen = version;
		return 1;
	}
	return retry_at && time_now() >= retry_at;
}

static void *status_loop(void *arg)
{
	struct db *db = arg;
	int64_t seen = -1, retry_at = 0;
	int more;

	do {
		if (!worth_a_look(db, &seen, retry_at))
			continue;
		while ((more = status_pass(db)) > 0 && !should_stop())
			;
		/* A look that failed is tried again in a second, changes or not. */
		if (more < 0 || db_status_next_attempt(db, &retry_at))
			seen = -1;
	} while (!pause_ms(1000));
	db_close(db);
	return NULL;
}

int github_status_start(void)
{
	struct buf path = BUF_INIT;
	sigset_t stop, old;
	struct db *db;
	int err;

	home_path(&path, "lifebelt.db");
	err = db_open(&db, path.buf, 0);
	buf_release(&path);
	if (err)
		return error("cannot start the GitHub status reporter: the database cannot be opened");
	if (pipe2(stop_pipe, O_CLOEXEC)) {
		db_close(db);
		return error_errno("cannot start the GitHub status reporter");
	}
	/* SIGINT and SIGTERM are for the thread that stops the server, never for this one. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	err = pthread_create(&reporter, NULL, status_loop, db);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		db_close(db);
		close(stop_pipe[0]);
		close(stop_pipe[1]);
		return error("cannot start the GitHub status reporter: %s", strerror(err));
	}
	started = 1;
	return 0;
}

void github_status_stop(void)
{
	if (!started)
		return;
	close(stop_pipe[1]);
	pthread_join(reporter, NULL);
	close(stop_pipe[0]);
	stop_pipe[0] = stop_pipe[1] = -1;
	started = 0;
}
