/* t-github-mirror.c: the mirror's queue on a real SQLite file, its backoff, and the known-hosts parser. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "../../db/db.h"
#include "../../db/mirror.h"
#include "../../db/model.h"
#include "../../gitd/github.h"
#include "../../lib/buf.h"
#include "../../lib/timeutil.h"

static char dir[] = "/tmp/lifebelt-t-github-mirror.XXXXXX";

/* A database with one course, assignment, student and repository; its id into *repo_id. */
static struct db *setup(int64_t *repo_id)
{
	struct buf path = BUF_INIT;
	struct assignment a;
	struct db *db;
	int64_t course_id, person_id;

	if (!mkdtemp(dir))
		exit(2);
	buf_addf(&path, "%s/lifebelt.db", dir);
	memset(&a, 0, sizeof(a));
	if (db_open(&db, path.buf, DB_CREATE) || db_course_add(db, "c", &course_id))
		exit(2);
	a.course_id = course_id;
	a.name = (char *)"hw1";
	a.tests_dir = dir;
	a.branch = (char *)"main";
	a.due = time_now() + 86400;
	if (db_assignment_add(db, &a) ||
	    db_person_upsert(db, "alice", NULL, NULL, NULL, &person_id) ||
	    db_enrol(db, course_id, person_id, ROLE_STUDENT) ||
	    db_repo_add(db, a.id, person_id, "c/hw1/alice.git", repo_id))
		exit(2);
	buf_release(&path);
	return db;
}

static int deliver(struct db *db, const char *guid, int64_t repo_id, int64_t received,
		   int64_t pushed_at, const char *status)
{
	return db_exec(db, "INSERT INTO deliveries (guid, event, received, repo_id, status, pushed_at) "
		       "VALUES (?, 'push', ?, ?, ?, ?)", "tiiti", guid, received, repo_id, status,
		       pushed_at) == 1 ? 0 : -1;
}

static void test_claims(struct db *db, int64_t repo_id)
{
	struct delivery d, e, f;
	int64_t now = time_now(), when = 0;

	ok(!deliver(db, "g1", repo_id, now - 10, now - 20, "queued") &&
	   !deliver(db, "g2", repo_id, now - 5, now + 99, "retry") &&
	   !deliver(db, "g3", repo_id, now, 0, "ignored") &&
	   !deliver(db, "g4", repo_id, now, 0, "failed"), "four deliveries queued");
	ok(!db_delivery_claim(db, now, 600, &d), "a due delivery is claimed");
	is_int(d.attempts, 1, "its first attempt");
	is_int(delivery_received(&d), now - 20, "pushed_at before the arrival counts");
	ok(!db_delivery_claim(db, now, 600, &e) && e.id != d.id, "the next claim takes another one");
	is_int(delivery_received(&e), now - 5, "pushed_at after the arrival: the arrival counts");
	is_int(db_delivery_claim(db, now, 600, &f), DB_ENOTFOUND,
	       "claimed, ignored and failed deliveries are not due");
	ok(!db_delivery_next_due(db, &when) && when == now + 600, "due again when the lease ends");
	ok(!db_delivery_claim(db, now + 600, 600, &f) && f.id == d.id && f.attempts == 2,
	   "a lease that ran out is claimed again, counted");
	ok(!db_delivery_retry(db, f.id, now + 10, 0, "cannot fetch") &&
	   !db_delivery_done(db, e.id, "0123456789012345678901234567890123456789", "submission 1"),
	   "one retried, one done");
	is_int(db_delivery_claim(db, now + 9, 600, &f), DB_ENOTFOUND, "not before its next attempt");
	ok(!db_delivery_claim(db, now + 10, 600, &f) && f.id == d.id && f.attempts == 3,
	   "and then again");
	ok(!db_deliveries_pending_received(db, repo_id, &when) && when == now,
	   "sync takes the newest pending delivery's time, failed ones included");
	is_int(db_deliveries_settle(db, repo_id, "", "synced"), 2, "sync settles the retried and the failed");
	is_int(db_deliveries_pending_received(db, repo_id, &when), DB_ENOTFOUND, "nothing pending after");
}

static void test_backoff(void)
{
	is_int(github_retry_delay(1), 10, "first retry after 10 s");
	is_int(github_retry_delay(2), 20, "then doubling");
	is_int(github_retry_delay(9), 2560, "still doubling at the ninth");
	is_int(github_retry_delay(10), 3600, "at most an hour");
	is_int(github_retry_delay(1000), 3600, "however many attempts");
}

static void test_known_hosts(void)
{
	static const char key[] = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
	struct buf text = BUF_INIT, why = BUF_INIT;

	buf_addf(&text, "# github\ngithub.com %s\n[127.0.0.1]:2222,other %s comment\n", key, key);
	ok(!github_known_hosts_check(text.buf, &why), "plain and [host]:port lines");
	buf_reset(&text);
	buf_addf(&text, "github.com %s\n|1|c2FsdA==|aGFzaA== %s\n", key, key);
	ok(github_known_hosts_check(text.buf, &why) && strstr(why.buf, "line 2: hashed"),
	   "a hashed name is refused with its line");
	buf_reset(&why);
	ok(github_known_hosts_check("github.com\n", &why) && strstr(why.buf, "without a key"),
	   "a host without a key");
	buf_reset(&why);
	ok(github_known_hosts_check("github.com ssh-ed25519 AAAA\n", &why) && strstr(why.buf, "line 1"),
	   "a broken key");
	buf_reset(&why);
	ok(github_known_hosts_check("# none\n\n", &why) && strstr(why.buf, "no host key"),
	   "nothing but comments");
	buf_release(&text);
	buf_release(&why);
}

static void test_mirrored(void)
{
	struct buf why = BUF_INIT;
	char commit[GITHUB_OID_HEX + 1];

	buf_adds(&why, "0123456789abcdef0123456789abcdef01234567 submission 3, on time");
	is_str(github_mirrored(&why, commit), "submission 3, on time", "what happened");
	is_str(commit, "0123456789abcdef0123456789abcdef01234567", "the commit");
	buf_reset(&why);
	buf_adds(&why, "- octo/x has no branch 'main' yet");
	is_str(github_mirrored(&why, commit), "octo/x has no branch 'main' yet", "no branch");
	is_str(commit, "", "no commit");
	buf_release(&why);
}

int main(void)
{
	int64_t repo_id;
	struct db *db = setup(&repo_id);
	struct buf rm = BUF_INIT;

	test_claims(db, repo_id);
	test_backoff();
	test_known_hosts();
	test_mirrored();
	db_close(db);
	buf_addf(&rm, "rm -rf %s", dir);
	if (system(rm.buf))
		ok(0, "cleanup");
	buf_release(&rm);
	return done_testing();
}
