/* post-receive.c: every accepted push to the graded branch becomes a submission and a job. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hook.h"
#include "receipt.h"
#include "record.h"
#include "spool.h"
#include "../db/counted.h"
#include "../db/model.h"
#include "../db/queue.h"
#include "../db/teams.h"
#include "../lib/buf.h"
#include "../lib/child.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/secret.h"
#include "../lib/timeutil.h"
#include "../lib/wake.h"
#include "../lib/banned.h"

static int is_zero_oid(const char *s)
{
	return strspn(s, "0") == strlen(s);
}

static void say_received(const struct hook_ctx *h, const struct enqueue_res *res, int64_t due)
{
	struct buf msg = BUF_INIT, url = BUF_INIT, key = BUF_INIT;
	struct person p;
	int64_t pos = 0, received = h->now;

	buf_addf(&msg, "submission %lld for %s/%s received ", (long long)res->submission_id,
		 h->a.course, h->a.name);
	time_format(&msg, received);
	if (received <= due) {
		buf_adds(&msg, ", on time (due in ");
		time_format_duration(&msg, due - received);
		buf_adds(&msg, ")");
	} else {
		buf_adds(&msg, ", LATE by ");
		time_format_duration(&msg, received - due);
	}
	if (!res->created)
		buf_adds(&msg, "; already recorded");
	else if (!db_job_position(h->db, res->job_id, &pos) && pos)
		buf_addf(&msg, "; queued at position %lld", (long long)pos);
	hook_say("%s", msg.buf);
	/* The pusher's own link: in a team, the repository's owner is only its first member. */
	if (!db_person_get(h->db, h->pusher ? h->pusher : h->repo.login, &p)) {
		db_config_get(h->db, "web.url", &url);
		if (!secret_web_key(&key, p.login, p.token_gen))
			hook_say("results: %s/me/%s/%s/s/%lld", url.buf, p.login, key.buf,
				 (long long)res->submission_id);
		person_release(&p);
	}
	buf_release(&msg);
	buf_release(&url);
	buf_release(&key);
}

static void say_receipt(const struct hook_ctx *h, const char *commit)
{
	struct receipt r;
	struct buf line = BUF_INIT;

	memset(&r, 0, sizeof(r));
	snprintf(r.course, sizeof(r.course), "%s", h->course);
	snprintf(r.name, sizeof(r.name), "%s", h->name);
	snprintf(r.login, sizeof(r.login), "%s", h->login);
	snprintf(r.commit, sizeof(r.commit), "%s", commit);
	r.received = h->now;
	if (!receipt_make(&line, &r))
		hook_say("receipt: %s", line.buf);
	buf_release(&line);
}

/*
 * The database could not take the push (why: DB_EFULL for a full disk,
 * else busy, locked or away): keep it on disk for the server to import.
 */
static int spool(const struct hook_ctx *h, const char *ref, const char *commit, int why)
{
	struct spool_entry e;
	struct buf when = BUF_INIT;
	int ret = 0;

	memset(&e, 0, sizeof(e));
	snprintf(e.relpath, sizeof(e.relpath), "%s", h->relpath);
	snprintf(e.ref, sizeof(e.ref), "%s", ref);
	snprintf(e.commit, sizeof(e.commit), "%s", commit);
	snprintf(e.via, sizeof(e.via), "%s", h->via);
	e.received = h->now;
	time_format(&when, h->now);
	if (spool_write(&e)) {
		if (why == DB_EFULL)
			ret = error("the server is out of disk space and could not record this push "
				    "yet (received %s); it will be found and graded once there is "
				    "room: tell your teacher", when.buf);
		else
			ret = error("the server could not record this push yet (received %s); it "
				    "will be found and graded shortly", when.buf);
	} else if (why == DB_EFULL) {
		hook_say("push for %s/%s received %s; the server is out of disk space, so it will "
			 "be graded once there is room: tell your teacher", h->course, h->name,
			 when.buf);
	} else {
		hook_say("push for %s/%s received %s; the server is busy, so it will be "
			 "graded shortly", h->course, h->name, when.buf);
	}
	buf_release(&when);
	return ret;
}

/*
 * A ref that is kept but not graded, with what hands its work in: a student
 * whose git made a "master" (JGit, or git cloning an empty repository with
 * the protocol of old) pushes it there and is graded for nothing.
 */
static void say_not_graded(const char *ref, const char *graded)
{
	if (!strncmp(ref, "refs/heads/", 11))
		hook_say("%s: kept, not graded (only the '%s' branch is graded); to hand this work "
			 "in: git push origin %s:%s", ref, graded, ref + 11, graded);
	else
		hook_say("%s: kept, not graded (only the '%s' branch is graded)", ref, graded);
}

/* A tag that chooses the submission of its commit: submit, or submit-ANYTHING (tags never move). */
static int is_submit_tag(const char *ref)
{
	return !strcmp(ref, "refs/tags/submit") || !strncmp(ref, "refs/tags/submit-", 17);
}

/*
 * The commit that oid (a commit, or an annotated tag of one) stands for,
 * into out[65], as git itself peels it: this hook links no git library.
 * 0, or -1 when it names no commit.
 */
static int peel_commit(const char *oid, char *out)
{
	char git[] = "git", rev_parse[] = "rev-parse", verify[] = "--verify", quiet[] = "--quiet";
	char spec[80], *argv[] = { git, rev_parse, verify, quiet, spec, NULL };
	int fd[2], status;
	ssize_t n = 0, got;
	pid_t pid;

	snprintf(spec, sizeof(spec), "%s^{commit}", oid);
	if (pipe(fd))
		return -1;
	if ((pid = fork()) < 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (!pid) {
		child_default_signals();
		if (dup2(fd[1], 1) < 0)
			_exit(127);
		close(fd[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	while (n < 64 && (got = read(fd[0], out + n, 64 - n)) > 0)
		n += got;
	close(fd[0]);
	out[n] = '\0';
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) || n < 40)
		return -1;
	out[strspn(out, "0123456789abcdef")] = '\0';
	return 0;
}

/* After a choice: which submission counts now, in the push output. */
static void say_counts(const struct hook_ctx *h, int64_t sid)
{
	struct counted_row c;
	int rule = db_assignment_counts(h->db, h->a.id);

	if (rule != COUNTS_CHOSEN && rule >= 0)
		hook_say("submission %lld chosen; %s/%s counts your %s submission, so your choice "
			 "counts only if your teacher makes it count the chosen one", (long long)sid,
			 h->a.course, h->a.name, counts_rule_names[rule]);
	else if (!db_counted_get(h->db, h->a.id, h->repo.person_id, &c) && c.submission_id == sid)
		hook_say("submission %lld now counts for %s/%s (your choice)", (long long)sid,
			 h->a.course, h->a.name);
	else
		hook_say("submission %lld is your choice for %s/%s: it counts once it is graded",
			 (long long)sid, h->a.course, h->a.name);
}

/* Choose submission sid, or with commit the latest submission of that commit. */
static void choose(const struct hook_ctx *h, const char *what, const char *commit, int64_t sid)
{
	int rc = db_submission_choose(h->db, h->repo.id, commit, &sid, h->now);

	if (rc == DB_ENOTFOUND)
		hook_say("%s: commit %.10s was never submitted, so nothing was chosen; push it to "
			 "'%s' first, then tag it again under a new name (submit-2...)", what,
			 commit, h->a.branch);
	else if (rc)
		hook_say("%s: your choice could not be recorded now; push again with -o submit", what);
	else
		say_counts(h, sid);
}

/* The last submit tag of the push, once the branch it may come with is recorded. */
static void choose_by_tag(const struct hook_ctx *h, const char *ref, const char *oid)
{
	char commit[65];

	if (peel_commit(oid, commit))
		hook_say("%s: it does not name a commit, so nothing was chosen", ref);
	else
		choose(h, ref, commit, 0);
}

int hook_post_receive(struct hook_ctx *h)
{
	struct buf graded = BUF_INIT;
	char *line, *save = NULL;
	int64_t wait_job = 0, wait = hook_wait_option();
	int queued = 0, spooled = 0, ret = 0, submit = hook_submit_option();
	char tag_ref[1024] = "", tag_oid[65] = "";

	hook_graded_ref(h, &graded);
	for (line = strtok_r(h->updates.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char old[65], new[65], ref[1024];
		struct enqueue_res res;
		int64_t due;
		int rc = h->db_error;

		if (sscanf(line, "%64s %64s %1023s", old, new, ref) != 3)
			continue;
		if (is_submit_tag(ref) && !is_zero_oid(new) && h->db) {
			memcpy(tag_ref, ref, sizeof(ref));
			memcpy(tag_oid, new, sizeof(new));
			continue;
		}
		if (strcmp(ref, graded.buf)) {
			if (!is_zero_oid(new))
				say_not_graded(ref, graded.buf + 11);
			continue;
		}
		if (is_zero_oid(new))
			continue;
		if (h->db)
			rc = record_push(h->db, &h->repo, &h->a, ref, new, h->now, h->via, &res, &due);
		/* Who pushed, for a team's repository; a failure here loses no work. */
		if (!rc && h->pusher && res.created &&
		    db_submission_set_pusher(h->db, res.submission_id, h->pusher))
			warning("could not note who pushed submission %lld", (long long)res.submission_id);
		if (rc) {
			spooled = 1;
			if (spool(h, ref, new, rc))
				ret = 1;
		} else {
			queued += res.created;
			wait_job = res.job_id;
			say_received(h, &res, due);
			if (submit)
				choose(h, "-o submit", NULL, res.submission_id);
		}
		say_receipt(h, new);
	}
	if (*tag_ref)
		choose_by_tag(h, tag_ref, tag_oid);
	if (queued)
		wake_notify();
	if (wait >= 0) {
		if (wait_job && hook_wait(h, wait_job, wait))
			ret = 1;
		else if (spooled)
			hook_say("cannot wait for the verdict now; it will be on your results page "
				 "once the push is graded");
	}
	buf_release(&graded);
	return ret;
}
