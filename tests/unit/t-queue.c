/* t-queue.c: the grading queue on a real SQLite file, with concurrent claimers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "../../db/db.h"
#include "../../db/model.h"
#include "../../db/queue.h"
#include "../../lib/buf.h"
#include "../../lib/fsutil.h"
#include "../../lib/timeutil.h"

#define NR_JOBS 1000
#define NR_CLAIMERS 8

static char dir[] = "/tmp/lifebelt-t-queue.XXXXXX";
static struct buf dbpath = BUF_INIT;
static int64_t course_id, assignment_ids[4];

static int64_t person(struct db *db, const char *login)
{
	int64_t id;

	if (db_person_upsert(db, login, NULL, NULL, NULL, &id) ||
	    db_enrol(db, course_id, id, ROLE_STUDENT))
		exit(2);
	return id;
}

static int64_t repo(struct db *db, int64_t assignment, int64_t person_id, const char *login)
{
	struct buf path = BUF_INIT;
	int64_t id;

	buf_addf(&path, "c/a%lld/%s.git", (long long)assignment, login);
	if (db_repo_add(db, assignment, person_id, path.buf, &id))
		exit(2);
	buf_release(&path);
	return id;
}

static int enqueue(struct db *db, int64_t repo_id, int n, struct enqueue_res *res)
{
	char commit[41];
	struct enqueue_req req = { repo_id, "refs/heads/main", commit, time_now(), "local", 0, 0, 0 };

	snprintf(commit, sizeof(commit), "%040d", n);
	return db_enqueue(db, &req, res);
}

static void setup(struct db **db)
{
	struct assignment a;
	int i;

	if (!mkdtemp(dir))
		exit(2);
	buf_addf(&dbpath, "%s/lifebelt.db", dir);
	if (db_open(db, dbpath.buf, DB_CREATE) || db_course_add(*db, "c", &course_id))
		exit(2);
	for (i = 0; i < 4; i++) {
		char name[16];

		memset(&a, 0, sizeof(a));
		snprintf(name, sizeof(name), "a%d", i);
		a.course_id = course_id;
		a.name = name;
		a.tests_dir = dir;
		a.branch = (char *)"main";
		a.due = time_now() + 86400;
		if (db_assignment_add(*db, &a))
			exit(2);
		assignment_ids[i] = a.id;
	}
}

/* A claimer process: claim until the queue is empty, report each id through fd. */
static void claimer(int fd, int n)
{
	struct db *db;
	struct job j;
	char owner[32];
	struct job_outcome o = { "passed", 1, 1, "", "{}", 0, NULL };

	snprintf(owner, sizeof(owner), "claimer-%d", n);
	if (db_open(&db, dbpath.buf, 0))
		_exit(2);
	for (;;) {
		int rc = db_job_claim(db, owner, 60, &j);

		/* Busy past the timeout is no error: the runner waits and asks again. */
		if (rc == DB_EBUSY)
			continue;
		if (rc == DB_ENOTFOUND)
			break;
		if (rc)
			_exit(3);
		if (write(fd, &j.id, sizeof(j.id)) != sizeof(j.id))
			_exit(4);
		while ((rc = db_job_finish(db, j.id, owner, &o)) == DB_EBUSY)
			;
		if (rc)
			_exit(5);
		job_release(&j);
	}
	db_close(db);
	_exit(0);
}

static void test_concurrent_claims(struct db *db)
{
	static unsigned char seen[NR_JOBS + 1];
	int64_t first = 0, id, done;
	int fds[2], i, dups = 0, bad_exit = 0, total = 0;
	struct enqueue_res res;

	/* One student per job, so that no job supersedes another. */
	if (db_begin(db))
		exit(2);
	for (i = 0; i < NR_JOBS; i++) {
		char login[16];
		int64_t p;

		snprintf(login, sizeof(login), "s%04d", i);
		p = person(db, login);
		repo(db, assignment_ids[0], p, login);
	}
	if (db_commit(db))
		exit(2);
	for (i = 0; i < NR_JOBS; i++) {
		int64_t r;

		if (db_int(db, &r, "SELECT id FROM repos WHERE assignment_id = ? ORDER BY id LIMIT 1 OFFSET ?",
			   "ii", assignment_ids[0], (int64_t)i) || enqueue(db, r, i, &res))
			exit(2);
		if (!first)
			first = res.job_id;
	}
	if (pipe(fds))
		exit(2);
	for (i = 0; i < NR_CLAIMERS; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			close(fds[0]);
			claimer(fds[1], i);
		}
	}
	close(fds[1]);
	while (read(fds[0], &id, sizeof(id)) == sizeof(id)) {
		int64_t k = id - first + 1;

		total++;
		if (k < 1 || k > NR_JOBS || seen[k]++)
			dups++;
	}
	close(fds[0]);
	for (i = 0; i < NR_CLAIMERS; i++) {
		int status;

		wait(&status);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad_exit++;
	}
	is_int(bad_exit, 0, "%d claimer processes ran without error", NR_CLAIMERS);
	is_int(total, NR_JOBS, "%d jobs were claimed", NR_JOBS);
	is_int(dups, 0, "no job was claimed twice");
	db_int(db, &done, "SELECT count(*) FROM jobs WHERE state = 'done'", "");
	is_int(done, NR_JOBS, "every job is done");
}

static void test_enqueue_rules(struct db *db)
{
	struct enqueue_res r1, r2, r3;
	int64_t p, rp, n;
	char state[32];

	p = person(db, "dora");
	rp = repo(db, assignment_ids[1], p, "dora");
	ok(!enqueue(db, rp, 1, &r1) && r1.created, "a new commit is a new submission");
	ok(!enqueue(db, rp, 1, &r2) && !r2.created, "the same commit again is not");
	ok(r1.submission_id == r2.submission_id && r1.job_id == r2.job_id,
	   "and it names the first submission and job");
	db_int(db, &n, "SELECT count(*) FROM jobs WHERE submission_id = ?", "i", r1.submission_id);
	is_int(n, 1, "enqueuing the same commit twice gives one job");
	ok(!enqueue(db, rp, 2, &r3) && r3.created, "a newer commit is queued");
	db_job_state(db, r1.job_id, state, sizeof(state));
	is_str(state, "superseded", "the older queued job is superseded");
	db_job_state(db, r3.job_id, state, sizeof(state));
	is_str(state, "queued", "the newer one stays queued");
}

static void test_leases(struct db *db)
{
	struct job j;
	struct enqueue_res r;
	int64_t p, rp, attempts;
	char state[32];
	int n, i;

	/* Empty the queue left by earlier tests. */
	db_exec(db, "UPDATE jobs SET state = 'done' WHERE state = 'queued'", "");
	p = person(db, "erin");
	rp = repo(db, assignment_ids[1], p, "erin");
	enqueue(db, rp, 7, &r);
	ok(!db_job_claim(db, "w1", 30, &j) && j.id == r.job_id, "a runner claims the job");
	is_str(j.commit, "0000000000000000000000000000000000000007", "with its commit");
	ok(j.repo_path && !strcmp(j.repo_path, "c/a2/erin.git"), "and its repository path");
	job_release(&j);
	ok(db_job_claim(db, "w2", 30, &j) == DB_ENOTFOUND, "a claimed job is not claimed again");
	ok(!db_job_heartbeat(db, r.job_id, "w1", 30), "the owner renews its lease");
	ok(db_job_heartbeat(db, r.job_id, "w2", 30) == DB_ENOTFOUND, "another runner cannot");
	ok(!db_jobs_requeue_expired(db, time_now(), &n) && n == 0, "a live lease is not requeued");
	ok(!db_jobs_requeue_expired(db, time_now() + 31, &n) && n == 1, "an expired lease is requeued");
	db_job_state(db, r.job_id, state, sizeof(state));
	is_str(state, "queued", "the job is queued again");
	{
		struct job_outcome o = { "passed", 1, 1, "", "{}", 0, NULL };

		ok(db_job_finish(db, r.job_id, "w1", &o) == DB_ENOTFOUND,
		   "the runner that lost its lease cannot finish the job");
	}
	for (i = 2; i <= JOB_MAX_ATTEMPTS; i++) {
		db_job_claim(db, "w3", 30, &j);
		job_release(&j);
		db_jobs_requeue_expired(db, time_now() + 31, &n);
	}
	db_job_state(db, r.job_id, state, sizeof(state));
	is_str(state, "infra_error", "after %d expired attempts the job is an infra_error", JOB_MAX_ATTEMPTS);
	db_int(db, &attempts, "SELECT attempts FROM jobs WHERE id = ?", "i", r.job_id);
	is_int(attempts, JOB_MAX_ATTEMPTS, "attempts are counted");
	db_int(db, &attempts, "SELECT score IS NULL FROM jobs WHERE id = ?", "i", r.job_id);
	is_int(attempts, 1, "an infra_error has no score");

	enqueue(db, rp, 8, &r);
	db_job_claim(db, "w4", 30, &j);
	ok(!db_job_fail(db, j.id, "w4", "sandbox failed to start"), "a runner reports an infrastructure fault");
	db_job_state(db, j.id, state, sizeof(state));
	is_str(state, "queued", "the job is retried");
	job_release(&j);
}

static void test_fairness(struct db *db)
{
	struct enqueue_res r;
	struct job j;
	int64_t greedy, quiet, rp[3], order[4];
	int i;

	db_exec(db, "UPDATE jobs SET state = 'done' WHERE state IN ('queued', 'running')", "");
	greedy = person(db, "greedy");
	quiet = person(db, "quiet");
	for (i = 0; i < 3; i++)
		rp[i] = repo(db, assignment_ids[i + 1], greedy, "greedy");
	/* greedy was served most recently: their earlier job. */
	enqueue(db, rp[0], 100, &r);
	db_job_claim(db, "w", 30, &j);
	job_release(&j);
	for (i = 0; i < 3; i++)
		enqueue(db, rp[i], 101 + i, &r);
	enqueue(db, repo(db, assignment_ids[1], quiet, "quiet"), 200, &r);
	for (i = 0; i < 4; i++) {
		db_job_claim(db, "w", 30, &j);
		order[i] = j.person_id;
		job_release(&j);
	}
	ok(order[0] == quiet, "a student's single push goes before another's backlog");
	ok(order[1] == greedy && order[2] == greedy && order[3] == greedy, "then the backlog");
}

struct looks {
	int n, stop_at;
	struct job_wait last;
};

static int look(const struct job_wait *w, void *data)
{
	struct looks *l = data;

	l->n++;
	l->last = *w;
	return l->n == l->stop_at ? 7 : 0;
}

static void test_wait(struct db *db)
{
	struct enqueue_res r;
	struct looks l;
	int64_t p, ids[3], missing[1] = { 999999 }, start;
	struct db *other;
	pid_t pid;
	int i, rc;

	db_exec(db, "UPDATE jobs SET state = 'done' WHERE state IN ('queued', 'running')", "");
	p = person(db, "wally");
	for (i = 0; i < 3; i++) {
		enqueue(db, repo(db, assignment_ids[i + 1], p, "wally"), 300 + i, &r);
		ids[i] = r.job_id;
	}
	db_exec(db, "UPDATE jobs SET state = 'done' WHERE id = ?", "i", ids[0]);
	db_exec(db, "UPDATE jobs SET state = 'infra_error' WHERE id = ?", "i", ids[1]);

	memset(&l, 0, sizeof(l));
	l.stop_at = 3;
	rc = db_jobs_wait(db, ids, 3, 10, look, &l);
	ok(rc == 7 && l.n == 3, "the wait ends with what fn returns (%d after %d looks)", rc, l.n);
	ok(l.last.nr == 3 && l.last.ended == 2 && l.last.infra == 1 && !l.last.busy,
	   "fn sees done and infra_error jobs as ended, a queued one not");
	is_str(l.last.state, "done", "and the first job's state");

	/* Another process finishes the last job a moment later. */
	fflush(stdout);
	pid = fork();
	if (!pid) {
		usleep(100 * 1000);
		if (db_open(&other, dbpath.buf, 0) ||
		    db_exec(other, "UPDATE jobs SET state = 'superseded' WHERE id = ?", "i", ids[2]) != 1)
			_exit(1);
		db_close(other);
		_exit(0);
	}
	memset(&l, 0, sizeof(l));
	start = time_mono_us();
	rc = db_jobs_wait(db, ids, 3, 10, look, &l);
	waitpid(pid, NULL, 0);
	ok(!rc && l.last.ended == 3, "the wait returns 0 once every job has ended");
	ok(time_mono_us() - start < 1000000 && l.n > 10,
	   "looking every few milliseconds at first (%d looks)", l.n);
	ok(l.last.waited_ms >= 100, "fn is told how long the wait has lasted (%lld ms)",
	   (long long)l.last.waited_ms);
	ok(!db_jobs_wait(db, ids, 3, 10, NULL, NULL), "fn may be NULL");
	ok(db_jobs_wait(db, missing, 1, 10, look, &l) == DB_ENOTFOUND, "an unknown job is DB_ENOTFOUND");
}

int main(void)
{
	struct db *db;

	setup(&db);
	test_concurrent_claims(db);
	test_enqueue_rules(db);
	test_leases(db);
	test_fairness(db);
	test_wait(db);
	db_close(db);
	fs_remove_tree(dir);
	buf_release(&dbpath);
	return done_testing();
}
