/* record.c: lateness by the server's clock and the student's extension, then the queue. */
#include <string.h>

#include "record.h"
#include "../db/model.h"
#include "../db/queue.h"
#include "../lib/log.h"
#include "../lib/banned.h"

int64_t record_due(struct db *db, const struct assignment *a, int64_t person_id)
{
	int64_t until;

	if (!db_extension_get(db, a->id, person_id, &until) && until > a->due)
		return until;
	return a->due;
}

int64_t record_close(struct db *db, const struct assignment *a, int64_t person_id)
{
	int64_t until;

	if (!a->close)
		return 0;
	if (!db_extension_get(db, a->id, person_id, &until) && until > a->close)
		return until;
	return a->close;
}

static int record(struct db *db, const struct repo_info *r, const struct assignment *a,
		  const char *ref, const char *commit, int64_t received, const char *via, int older,
		  struct enqueue_res *res, int64_t *due)
{
	struct enqueue_req req;
	int64_t d = record_due(db, a, r->person_id);

	if (due)
		*due = d;
	req.repo_id = r->id;
	req.ref = ref;
	req.commit = commit;
	req.received = received;
	req.via = via;
	req.late_seconds = received > d ? received - d : 0;
	req.older = older;
	/*
	 * A push git accepted passed the pre-receive hook's close check at this
	 * receive time; a push mirrored from GitHub could not be refused, so it
	 * is kept, and not graded, when it came after the close.
	 */
	if (!strcmp(via, "webhook")) {
		int64_t close = record_close(db, a, r->person_id);

		req.after_close = close && received > close;
	} else {
		req.after_close = 0;
	}
	return db_enqueue(db, &req, res);
}

int record_push(struct db *db, const struct repo_info *r, const struct assignment *a,
		const char *ref, const char *commit, int64_t received, const char *via,
		struct enqueue_res *res, int64_t *due)
{
	return record(db, r, a, ref, commit, received, via, 0, res, due);
}

int record_push_path(struct db *db, const char *relpath, const char *ref, const char *commit,
		     int64_t received, const char *via, int older, struct enqueue_res *res)
{
	struct repo_info r;
	struct assignment a;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = db_repo_by_path(db, relpath, &r)))
		return rc;
	rc = db_assignment_get_id(db, r.assignment_id, &a);
	if (!rc)
		rc = record(db, &r, &a, ref, commit, received, via, older, res, NULL);
	assignment_release(&a);
	repo_info_release(&r);
	return rc;
}
