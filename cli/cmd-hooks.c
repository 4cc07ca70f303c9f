/* cmd-hooks.c: `lifebelt hook`, `lifebelt receipt verify` and `lifebelt reconcile`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../db/db.h"
#include "../db/model.h"
#include "../db/submission.h"
#include "../hooks/hook.h"
#include "../hooks/receipt.h"
#include "../hooks/reconcile.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/number.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

int cmd_hook(int argc, const char **argv)
{
	const char *pos[1];
	int rc;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 1, 1))
		return -1;
	if (!hook_is_hook(pos[0]))
		return error("no hook named '%s' (pre-receive or post-receive)", pos[0]);
	rc = hook_main(pos[0], argc, argv);
	exit(rc);
}

/* Say whether the receipt's push is recorded; quietly nothing without a database. */
static void say_recorded(const struct receipt *r)
{
	struct buf rel = BUF_INIT, ref = BUF_INIT;
	struct repo_info repo;
	struct db *db = NULL;
	struct assignment a;
	int rc;

	memset(&a, 0, sizeof(a));
	buf_addf(&rel, "%s/%s/%s.git", r->course, r->name, r->login);
	if (cli_open_db_readonly(&db))
		goto done;
	if (db_repo_by_path(db, rel.buf, &repo)) {
		printf("no repository %s is registered\n", rel.buf);
		goto done;
	}
	if (!db_assignment_get_id(db, repo.assignment_id, &a)) {
		buf_addf(&ref, "refs/heads/%s", a.branch);
		rc = db_submission_exists(db, repo.id, ref.buf, r->commit);
		if (rc > 0)
			printf("it is recorded as a submission\n");
		else if (!rc)
			printf("it is not recorded as a submission (yet)\n");
	}
	repo_info_release(&repo);
done:
	assignment_release(&a);
	db_close(db);
	buf_release(&rel);
	buf_release(&ref);
}

int cmd_receipt_verify(int argc, const char **argv)
{
	struct buf line = BUF_INIT, when = BUF_INIT;
	struct receipt r;
	const char *why;
	int i, rc, ret = -1;

	if (!argc || (argc == 1 && !*argv[0]))
		return error("usage: lifebelt %s %s", current_cmd()->name, current_cmd()->usage);
	/* The line may come as one quoted argument or as its words. */
	for (i = 0; i < argc; i++)
		buf_addf(&line, "%s%s", i ? " " : "", argv[i]);
	if (receipt_parse(line.buf, &r, &why)) {
		error("not a Lifebelt receipt: %s", why);
		goto done;
	}
	rc = receipt_check(&r);
	if (rc < 0)
		goto done;
	if (!rc) {
		error("receipt does NOT verify: this server did not issue it, or it was changed");
		goto done;
	}
	time_format(&when, r.received);
	printf("receipt verifies: %s pushed %s to %s/%s, received %s\n", r.login, r.commit,
	       r.course, r.name, when.buf);
	say_recorded(&r);
	ret = 0;
done:
	buf_release(&line);
	buf_release(&when);
	return ret;
}

int cmd_reconcile(int argc, const char **argv)
{
	const char *grace_s = NULL;
	struct opt opts[] = { { "grace", &grace_s, NULL }, { NULL, NULL, NULL } };
	struct db *db;
	int64_t grace = RECONCILE_GRACE;
	int spooled, found, rc;

	if (parse_args(current_cmd(), argc, argv, opts, NULL, 0, 0) ||
	    number_arg("--grace", grace_s, 0, RECONCILE_GRACE_MAX, &grace))
		return -1;
	if (cli_open_db(&db))
		return -1;
	rc = reconcile_run(db, grace, &spooled, &found);
	db_close(db);
	if (rc == DB_EBUSY)
		return error("the database is busy, locked or read-only; nothing more was recorded");
	if (rc == DB_EFULL)
		return error("the disk holding the database is full; nothing more was recorded");
	if (rc)
		return -1;
	printf("recorded %d spooled and %d missing pushes\n", spooled, found);
	return 0;
}
