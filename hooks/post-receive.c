/* post-receive.c: every accepted push to the graded branch becomes a submission and a job. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hook.h"
#include "../db/model.h"
#include "../db/queue.h"
#include "../lib/buf.h"
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

/* The student's due time: the assignment's, or their extension if later. */
static int64_t due_for(struct db *db, const struct assignment *a, int64_t person_id)
{
	int64_t until;

	if (!db_extension_get(db, a->id, person_id, &until) && until > a->due)
		return until;
	return a->due;
}

static void say_received(struct db *db, const struct hook_ctx *h, const struct assignment *a,
			 const struct enqueue_res *res, int64_t received, int64_t due)
{
	struct buf msg = BUF_INIT, url = BUF_INIT, key = BUF_INIT;
	struct person p;
	int64_t pos = 0;

	buf_addf(&msg, "submission %lld for %s/%s received ", (long long)res->submission_id,
		 a->course, a->name);
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
	else if (!db_job_position(db, res->job_id, &pos) && pos)
		buf_addf(&msg, "; queued at position %lld", (long long)pos);
	hook_say("%s", msg.buf);
	if (!db_person_get(db, h->repo.login, &p)) {
		db_config_get(db, "web.url", &url);
		if (!secret_web_key(&key, p.login, p.token_gen))
			hook_say("results: %s/me/%s/%s/s/%lld", url.buf, p.login, key.buf,
				 (long long)res->submission_id);
		person_release(&p);
	}
	buf_release(&msg);
	buf_release(&url);
	buf_release(&key);
}

int hook_post_receive(struct hook_ctx *h)
{
	/* The receive time is taken before anything else can delay it. */
	int64_t received = time_now();
	struct buf in = BUF_INIT, graded = BUF_INIT;
	struct assignment a;
	char *line, *save = NULL;
	int queued = 0, ret = 0;

	if (buf_read_fd(&in, 0))
		return error_errno("cannot read the ref updates");
	if (db_assignment_get_id(h->db, h->repo.assignment_id, &a))
		return error("this repository's assignment is missing");
	buf_addf(&graded, "refs/heads/%s", a.branch);
	for (line = strtok_r(in.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char old[64], new[64], ref[1024];
		struct enqueue_req req;
		struct enqueue_res res;
		int64_t due;
		int rc;

		if (sscanf(line, "%63s %63s %1023s", old, new, ref) != 3)
			continue;
		if (strcmp(ref, graded.buf)) {
			hook_say("%s: kept, not graded (only the '%s' branch is graded)", ref, a.branch);
			continue;
		}
		if (is_zero_oid(new))
			continue;
		due = due_for(h->db, &a, h->repo.person_id);
		req.repo_id = h->repo.id;
		req.ref = ref;
		req.commit = new;
		req.received = received;
		req.via = h->via;
		req.late_seconds = received > due ? received - due : 0;
		rc = db_enqueue(h->db, &req, &res);
		if (rc) {
			ret = error("could not record the submission of %s (%s)", new,
				    rc == DB_EBUSY ? "database busy" : "database error");
			continue;
		}
		queued += res.created;
		say_received(h->db, h, &a, &res, received, due);
	}
	if (queued)
		wake_notify();
	assignment_release(&a);
	buf_release(&in);
	buf_release(&graded);
	return ret;
}
