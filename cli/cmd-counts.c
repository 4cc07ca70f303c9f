/* cmd-counts.c: `course edit`, `override` and `recount`: what a student's grade counts. */
#include <errno.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../db/counted.h"
#include "../db/model.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/number.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

#define GRACE_DAYS_MAX 365
#define REASON_MAX 500

int cli_grace_days(const char *s, int64_t *days)
{
	return number_arg("--grace-days", s, 0, GRACE_DAYS_MAX, days);
}

int cli_counts(const char *s, int *rule)
{
	if ((*rule = counts_rule_parse(s)) < 0)
		return error("bad value for --counts: '%s' (" COUNTS_RULES_TEXT ")", s);
	return 0;
}

int cmd_course_edit(int argc, const char **argv)
{
	const char *pos[1], *grace = NULL;
	struct opt opts[] = { { "grace-days", &grace, NULL }, { NULL, NULL, NULL } };
	struct db *db;
	int64_t id, days;
	int rc;

	if (parse_args(current_cmd(), argc, argv, opts, pos, 1, 1) || name_check("course", pos[0]))
		return -1;
	if (!grace)
		return error("nothing to change: give --grace-days N");
	if (cli_grace_days(grace, &days) || cli_open_db(&db))
		return -1;
	rc = db_course_id(db, pos[0], &id);
	if (rc == DB_ENOTFOUND)
		error("no course '%s' (create it with 'lifebelt course add %s')", pos[0], pos[0]);
	if (!rc && !(rc = db_course_set_grace_days(db, id, days)))
		printf("course %s: %lld grace day%s per student\n", pos[0], (long long)days,
		       days == 1 ? "" : "s");
	db_close(db);
	return rc ? -1 : 0;
}

static int check_reason(const char *reason)
{
	const unsigned char *p;

	if (!reason || !*reason)
		return error("missing --reason TEXT (why, kept with the change)");
	for (p = (const unsigned char *)reason; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return error("--reason has control characters; give it on one line");
	if (strlen(reason) > REASON_MAX)
		return error("--reason is longer than %d characters", REASON_MAX);
	return 0;
}

static int print_override(const struct override *o, void *data)
{
	struct buf b = BUF_INIT;

	(void)data;
	buf_addf(&b, "%lld  ", (long long)o->id);
	time_format(&b, o->at);
	buf_addf(&b, "  %s: ", o->by);
	if (o->has_score)
		buf_addf(&b, "score %g of %g", o->score, o->max_score);
	if (o->has_score && o->waive)
		buf_adds(&b, ", ");
	if (o->waive)
		buf_adds(&b, "late penalty waived");
	buf_addf(&b, " (%s)", o->reason);
	if (o->undone) {
		buf_adds(&b, "; undone ");
		time_format(&b, o->undone);
		buf_addf(&b, " by %s", o->undone_by);
	}
	puts(b.buf);
	buf_release(&b);
	return 0;
}

struct override_args {
	const char *score, *reason;
	int waive, undo;
};

/* Apply what args ask for to the student; prints what was done. */
static int override_apply(struct db *db, const struct assignment *a, const struct person *p,
			  const struct override_args *args, const char *who)
{
	struct override o;
	int64_t id;
	char *end;
	int rc;

	if (args->undo) {
		rc = db_override_undo(db, a->id, p->id, who, &id);
		if (rc == DB_ENOTFOUND)
			return error("%s has no override standing for %s/%s: nothing to undo",
				     p->login, a->course, a->name);
		if (!rc)
			printf("override %lld of %s for %s/%s undone\n", (long long)id, p->login,
			       a->course, a->name);
		return rc ? -1 : 0;
	}
	memset(&o, 0, sizeof(o));
	o.reason = args->reason;
	o.by = who;
	o.waive = args->waive;
	rc = db_assignment_max_score(db, a->id, p->id, &o.max_score);
	if (rc == DB_ENOTFOUND && args->score)
		return error("%s/%s has no graded submission yet, so its maximum score is unknown; "
			     "override once one is graded", a->course, a->name);
	if (rc && rc != DB_ENOTFOUND)
		return -1;
	if (args->score) {
		errno = 0;
		o.score = strtod(args->score, &end);
		if (!*args->score || *end || errno || isnan(o.score) || o.score < 0 ||
		    o.score > o.max_score)
			return error("bad value for --score: '%s' (a number from 0 to %g, the "
				     "assignment's maximum)", args->score, o.max_score);
		o.has_score = 1;
	}
	if (db_override_add(db, a->id, p->id, &o, &id))
		return -1;
	printf("override %lld of %s for %s/%s:", (long long)id, p->login, a->course, a->name);
	if (o.has_score)
		printf(" score %g of %g", o.score, o.max_score);
	if (o.waive)
		printf("%s late penalty waived", o.has_score ? "," : "");
	printf(" (%s)\n", o.reason);
	return 0;
}

int cmd_override(int argc, const char **argv)
{
	const char *pos[3];
	struct override_args args = { NULL, NULL, 0, 0 };
	struct opt opts[] = {
		{ "score", &args.score, NULL }, { "reason", &args.reason, NULL },
		{ "waive-penalty", NULL, &args.waive }, { "undo", NULL, &args.undo },
		{ NULL, NULL, NULL }
	};
	struct assignment a;
	struct person p;
	struct db *db;
	const char *role;
	int rc;

	memset(&p, 0, sizeof(p));
	if (parse_args(current_cmd(), argc, argv, opts, pos, 3, 3) || name_check("login", pos[2]))
		return -1;
	if (args.undo && (args.score || args.waive))
		return error("--undo undoes the override standing; give it alone");
	if ((args.score || args.waive) && check_reason(args.reason))
		return -1;
	if (cli_open_assignment(pos[0], pos[1], args.score || args.waive || args.undo, &db, &a))
		return -1;
	rc = db_person_get(db, pos[2], &p);
	if (!rc && !(rc = db_role(db, a.course_id, p.id, &role)) && strcmp(role, ROLE_STUDENT))
		rc = DB_ENOTFOUND;
	if (rc == DB_ENOTFOUND)
		error("%s is not a student of %s", pos[2], pos[0]);
	if (rc)
		goto done;
	if (args.score || args.waive || args.undo) {
		struct buf who = BUF_INIT;

		cli_actor(&who);
		rc = override_apply(db, &a, &p, &args, who.buf);
		buf_release(&who);
	} else
		rc = db_overrides_each(db, a.id, p.id, print_override, NULL);
done:
	assignment_release(&a);
	if (p.login)
		person_release(&p);
	db_close(db);
	return rc ? -1 : 0;
}

int cmd_recount(int argc, const char **argv)
{
	const char *pos[2];
	struct assignment a;
	struct db *db;
	int64_t t0;
	int rc;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 2, 2) ||
	    cli_open_assignment(pos[0], pos[1], 1, &db, &a))
		return -1;
	t0 = time_mono_us();
	if (!(rc = db_begin(db)) && !(rc = db_counted_refresh(db, a.course_id, a.id, 0)))
		rc = db_commit(db);
	else if (rc != DB_EBUSY)
		db_rollback(db);
	if (!rc)
		printf("%s/%s: counted grades recomputed in %.3f s\n", a.course, a.name,
		       (double)(time_mono_us() - t0) / 1e6);
	assignment_release(&a);
	db_close(db);
	return rc ? -1 : 0;
}
