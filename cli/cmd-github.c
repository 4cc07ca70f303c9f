/* cmd-github.c: `lifebelt github secret|link|status|deliveries`: the webhook's secret and the mapping. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../db/github.h"
#include "../db/model.h"
#include "../gitd/github.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/number.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

int cmd_github_secret(int argc, const char **argv)
{
	const char *pos[1];
	struct buf secret = BUF_INIT;
	struct db *db;
	int rc = -1;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 1, 1))
		return -1;
	/* The data directory must be there: `lifebelt init` made it. */
	if (cli_open_db(&db))
		return -1;
	db_close(db);
	if (!github_secret_load(pos[0], "webhook secret", &secret) &&
	    !github_secret_write(GITHUB_SECRET_WEBHOOK, secret.buf, secret.len)) {
		printf("webhook secret stored (%zu bytes, readable by this account only); give GitHub's "
		       "webhook the same secret\n", secret.len);
		rc = 0;
	}
	memset(secret.buf, 0, secret.len);
	buf_release(&secret);
	return rc;
}

/*
 * Open the database (writable or not) and look the assignment up, saying
 * which of the course or the assignment is unknown. 0 or -1 (reported,
 * nothing left open).
 */
static int open_assignment(const char *course, const char *name, int writable, struct db **db,
			   struct assignment *a)
{
	int64_t course_id;
	int rc;

	memset(a, 0, sizeof(*a));
	if (name_check("course", course) || name_check("assignment", name) ||
	    (writable ? cli_open_db(db) : cli_open_db_readonly(db)))
		return -1;
	rc = db_course_id(*db, course, &course_id);
	if (rc == DB_ENOTFOUND)
		error("no course '%s' (create it with 'lifebelt course add %s')", course, course);
	else if (!rc && (rc = db_assignment_get(*db, course, name, a)) == DB_ENOTFOUND)
		error("no assignment %s/%s (create it with 'lifebelt assignment add')", course, name);
	if (rc) {
		db_close(*db);
		*db = NULL;
		return -1;
	}
	return 0;
}

/* The repository of the student login in a, into *repo_id; 0 or -1 (reported). */
static int student_repo(struct db *db, const struct assignment *a, const char *login,
			int64_t *repo_id)
{
	struct person p;
	const char *role;
	int rc = db_person_get(db, login, &p);

	if (rc == DB_ENOTFOUND)
		return error("no person with login '%s' (add them with 'lifebelt student add %s %s')",
			     login, a->course, login);
	if (rc)
		return -1;
	rc = db_role(db, a->course_id, p.id, &role);
	if (rc == DB_ENOTFOUND || (!rc && strcmp(role, ROLE_STUDENT)))
		rc = error("%s is not a student of %s", login, a->course);
	else if (!rc && (rc = db_repo_id(db, a->id, p.id, repo_id)) == DB_ENOTFOUND)
		rc = error("%s has no repository for %s/%s", login, a->course, a->name);
	person_release(&p);
	return rc ? -1 : 0;
}

int cmd_github_link(int argc, const char **argv)
{
	const char *pos[4];
	struct assignment a;
	struct db *db;
	int64_t repo_id, other;
	int rc;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 4, 4) || name_check("login", pos[2]))
		return -1;
	if (!github_repo_name_ok(pos[3]))
		return error("'%s' is not OWNER/REPO as GitHub names repositories (e.g. "
			     "my-org/hw1-alice)", pos[3]);
	if (open_assignment(pos[0], pos[1], 1, &db, &a))
		return -1;
	if ((rc = db_begin(db)))
		goto done;
	if ((rc = student_repo(db, &a, pos[2], &repo_id)))
		goto rollback;
	rc = db_github_repo_find(db, pos[3], &other);
	if (!rc && other != repo_id) {
		rc = error("%s is already mapped to another student repository; each GitHub "
			   "repository mirrors into one", pos[3]);
		goto rollback;
	}
	if ((rc != DB_ENOTFOUND && rc) || (rc = db_github_repo_set(db, repo_id, pos[3])) ||
	    (rc = db_commit(db)))
		goto rollback;
	printf("%s/%s/%s.git mirrors GitHub's %s\n", a.course, a.name, pos[2], pos[3]);
	goto done;
rollback:
	db_rollback(db);
done:
	assignment_release(&a);
	db_close(db);
	return rc ? -1 : 0;
}

struct status_ctx {
	const struct assignment *a;
	const char *pattern;    /* NULL: the assignment has none */
};

/* Why s has no repository mapped, and what to do about it. */
static void unmapped_why(struct buf *b, const struct github_student *s, const struct status_ctx *ctx)
{
	const char *course = ctx->a->course, *name = ctx->a->name;

	if (!s->has_repo)
		buf_adds(b, "none: no repository for the assignment");
	else if (!s->github && ctx->pattern)
		buf_addf(b, "none: no GitHub login; give one with 'lifebelt student add %s %s "
			 "--github USER' (the pattern then maps it) or link one with "
			 "'lifebelt github link %s %s %s OWNER/REPO'", course, s->login, course, name,
			 s->login);
	else if (!ctx->pattern)
		buf_addf(b, "none: the assignment has no --github pattern; link one with "
			 "'lifebelt github link %s %s %s OWNER/REPO'", course, name, s->login);
	else
		buf_addf(b, "none: the name the pattern gives is mapped to another repository; link "
			 "one with 'lifebelt github link %s %s %s OWNER/REPO'", course, name, s->login);
}

static int print_student(const struct github_student *s, void *data)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s (GitHub %s): ", s->login, s->github ? s->github : "-");
	if (s->repo)
		buf_adds(&b, s->repo);
	else
		unmapped_why(&b, s, data);
	buf_adds(&b, "\n    last delivery: ");
	if (s->delivered) {
		time_format(&b, s->delivered);
		buf_addf(&b, " %s%s%s", s->delivery_status, *s->delivery_detail ? ": " : "",
			 s->delivery_detail);
	} else {
		buf_adds(&b, "none");
	}
	buf_adds(&b, "\n    last mirrored: ");
	if (s->mirrored) {
		buf_addf(&b, "%.12s received ", s->commit_id);
		time_format(&b, s->mirrored);
	} else {
		buf_adds(&b, "none");
	}
	puts(b.buf);
	buf_release(&b);
	return 0;
}

int cmd_github_status(int argc, const char **argv)
{
	const char *pos[2];
	struct buf pattern = BUF_INIT;
	struct status_ctx ctx;
	struct assignment a;
	struct db *db;
	int rc;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 2, 2) ||
	    open_assignment(pos[0], pos[1], 0, &db, &a))
		return -1;
	rc = db_github_pattern_get(db, a.id, &pattern);
	if (!rc || rc == DB_ENOTFOUND) {
		printf("%s/%s: %s%s\n", a.course, a.name, rc ? "no --github pattern; repositories "
		       "are linked one by one" : "GitHub repositories named ", rc ? "" : pattern.buf);
		ctx.a = &a;
		ctx.pattern = rc ? NULL : pattern.buf;
		rc = db_github_students(db, a.course_id, a.id, print_student, &ctx);
	}
	buf_release(&pattern);
	assignment_release(&a);
	db_close(db);
	return rc ? -1 : 0;
}

static int print_delivery(const struct delivery *d, void *data)
{
	struct buf b = BUF_INIT;

	(*(int *)data)++;
	time_format(&b, d->received);
	buf_addf(&b, "  %s  %-6s %-24s %-8s", d->guid, d->event, d->repo ? d->repo : "-", d->status);
	if (d->ref)
		buf_addf(&b, " %s %.12s", d->ref, d->commit_id ? d->commit_id : "");
	if (*d->detail)
		buf_addf(&b, " %s", d->detail);
	puts(b.buf);
	buf_release(&b);
	return 0;
}

int cmd_github_deliveries(int argc, const char **argv)
{
	const char *limit_arg = NULL;
	struct opt opts[] = { { "limit", &limit_arg, NULL }, { NULL, NULL, NULL } };
	struct db *db;
	int limit = 20, shown = 0, rc;

	if (parse_args(current_cmd(), argc, argv, opts, NULL, 0, 0) ||
	    number_arg_int("--limit", limit_arg, 1, 10000, &limit) || cli_open_db_readonly(&db))
		return -1;
	rc = db_delivery_each(db, limit, print_delivery, &shown);
	if (!rc && !shown)
		printf("no deliveries yet: GitHub's webhook posts to the server's %s\n",
		       GITHUB_HOOK_PATH);
	db_close(db);
	return rc ? -1 : 0;
}
