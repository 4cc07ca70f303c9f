/* cmd-team.c: `lifebelt team add|list|rm`: students handing in one assignment together. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "team.h"
#include "../db/model.h"
#include "../db/teams.h"
#include "../gitd/provision.h"
#include "../lib/buf.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/banned.h"

/* Members named on one command line; a larger team is several teams' work. */
#define CLI_TEAM_MAX 64

/*
 * Check that login is a student of a's course outside any team of a, with
 * nothing handed in from a repository of their own; that repository (the
 * row now, the directory once the transaction commits: see doomed) goes.
 */
static int take_member(struct db *db, const struct assignment *a, const char *login,
		       int64_t *person_id, struct provision_undo *doomed)
{
	struct person p;
	struct buf team = BUF_INIT, rel = BUF_INIT, abs = BUF_INIT;
	const char *role;
	int64_t repo_id, n;
	int rc, ret = -1;

	if (name_valid(login) || db_person_get(db, login, &p))
		return error("no student '%s' in %s; enrol them first (lifebelt student add)",
			     login, a->course);
	*person_id = p.id;
	person_release(&p);
	rc = db_role(db, a->course_id, *person_id, &role);
	if (rc == DB_ENOTFOUND || (!rc && strcmp(role, ROLE_STUDENT)))
		return error("no student '%s' in %s; enrol them first (lifebelt student add)",
			     login, a->course);
	if (rc)
		return -1;
	rc = db_team_of(db, a->id, *person_id, &team);
	if (!rc) {
		error("%s is already in team '%s' of %s/%s; a student is in one team of an "
		      "assignment (lifebelt team rm %s %s %s first)", login, team.buf, a->course,
		      a->name, a->course, a->name, team.buf);
		goto done;
	}
	if (rc != DB_ENOTFOUND)
		goto done;
	rc = db_repo_id(db, a->id, *person_id, &repo_id);
	if (rc == DB_ENOTFOUND) {
		ret = 0;
		goto done;
	}
	if (rc || db_repo_submissions(db, repo_id, &n))
		goto done;
	provision_repo_relpath(&rel, a->course, a->name, login);
	if (n) {
		error("%s has already handed in work from %s; a team is formed before its members "
		      "push", login, rel.buf);
		goto done;
	}
	if (db_repo_remove(db, repo_id))
		goto done;
	home_path(&abs, "repos/%s", rel.buf);
	provision_undo_add(doomed, abs.buf);
	ret = 0;
done:
	buf_release(&team);
	buf_release(&rel);
	buf_release(&abs);
	return ret;
}

static int check_team_name(struct db *db, const struct assignment *a, const char *team)
{
	struct person p;

	if (name_check("team", team))
		return -1;
	if (name_login_reserved(team))
		return error("team name '%s' is reserved (%s/%s/%s is the tests repository); "
			     "choose another", team, a->course, a->name, team);
	/* COURSE/NAME/TEAM.git sits beside the students' COURSE/NAME/LOGIN.git. */
	if (!db_person_get(db, team, &p)) {
		person_release(&p);
		return error("team name '%s' is someone's login; choose another", team);
	}
	return 0;
}

int team_form(struct db *db, const struct assignment *a, const char *team,
		     const char **logins, int n, struct provision_undo *made,
		     struct provision_undo *doomed)
{
	struct buf rel = BUF_INIT, abs = BUF_INIT;
	int64_t team_id, repo_id, first = 0;
	int i, rc, ret = -1;

	if (check_team_name(db, a, team))
		return -1;
	rc = db_team_add(db, a->id, team, &team_id);
	if (rc == DB_EEXISTS)
		return error("team '%s' of %s/%s already exists (lifebelt team list %s %s)", team,
			     a->course, a->name, a->course, a->name);
	if (rc)
		return -1;
	for (i = 0; i < n; i++) {
		int64_t id = 0;
		int j;

		for (j = 0; j < i; j++)
			if (!strcmp(logins[i], logins[j]))
				return error("%s is named twice", logins[i]);
		if (take_member(db, a, logins[i], &id, doomed) ||
		    db_team_member_add(db, team_id, a->id, id))
			return -1;
		if (!i)
			first = id;
	}
	provision_repo_relpath(&rel, a->course, a->name, team);
	home_path(&abs, "repos/%s", rel.buf);
	if (db_repo_add(db, a->id, first, rel.buf, &repo_id) || db_team_set_repo(db, team_id, repo_id))
		error("cannot record repository %s", rel.buf);
	else if (!provision_repo(abs.buf, a)) {
		provision_undo_add(made, abs.buf);
		ret = 0;
	}
	buf_release(&rel);
	buf_release(&abs);
	return ret;
}

/*
 * End the transaction that did the work (rc is its result): on success the
 * repositories replaced (doomed) go; on failure those made go instead.
 */
static int finish(struct db *db, int rc, struct provision_undo *made,
		  struct provision_undo *doomed)
{
	if (rc || db_commit(db)) {
		db_rollback(db);
		provision_undo_run(made);
		provision_undo_release(doomed);
		return -1;
	}
	provision_undo_release(made);
	provision_undo_run(doomed);
	return 0;
}

struct same_ctx {
	const char **logins;
	int n, seen;
};

static int count_same(int64_t person_id, const char *login, void *data)
{
	struct same_ctx *c = data;
	int i;

	(void)person_id;
	for (i = 0; i < c->n; i++)
		if (!strcmp(c->logins[i], login))
			break;
	if (i == c->n)
		return 1;       /* a member not given */
	c->seen++;
	return 0;
}

int team_same(struct db *db, const struct assignment *a, const char *team,
	      const char **logins, int n)
{
	struct same_ctx c = { logins, n, 0 };
	int64_t id;
	int rc = db_team_id(db, a->id, team, &id);

	if (rc)
		return rc;
	rc = db_team_members_each(db, id, count_same, &c);
	if (rc < 0)
		return -1;
	return !rc && c.seen == n;
}

int cmd_team_add(int argc, const char **argv)
{
	const char *pos[3 + CLI_TEAM_MAX];
	struct provision_undo made = PROVISION_UNDO_INIT, doomed = PROVISION_UNDO_INIT;
	struct assignment a;
	struct db *db;
	int n, ret = -1;

	memset(pos, 0, sizeof(pos));
	if (parse_args(current_cmd(), argc, argv, NULL, pos, 3, 3 + CLI_TEAM_MAX))
		return -1;
	for (n = 0; pos[3 + n] && n < CLI_TEAM_MAX; n++)
		;
	if (!n)
		return error("a team needs members: lifebelt team add %s %s %s LOGIN...", pos[0],
			     pos[1], pos[2]);
	if (cli_open_assignment(pos[0], pos[1], 1, &db, &a))
		return -1;
	if (db_begin(db) ||
	    finish(db, team_form(db, &a, pos[2], pos + 3, n, &made, &doomed), &made, &doomed))
		goto done;
	printf("team %s of %s/%s: %d member%s, repository %s/%s/%s\n", pos[2], pos[0], pos[1], n,
	       n == 1 ? "" : "s", pos[0], pos[1], pos[2]);
	ret = 0;
done:
	assignment_release(&a);
	db_close(db);
	return ret;
}

static int print_team(const struct team_row *t, void *data)
{
	(void)data;
	printf("%-16s %-40s %lld submission%s\n", t->name, t->members, (long long)t->submissions,
	       t->submissions == 1 ? "" : "s");
	return 0;
}

int cmd_team_list(int argc, const char **argv)
{
	const char *pos[2];
	struct assignment a;
	struct db *db;
	int rc;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 2, 2) ||
	    cli_open_assignment(pos[0], pos[1], 0, &db, &a))
		return -1;
	rc = db_team_each(db, a.id, print_team, NULL);
	assignment_release(&a);
	db_close(db);
	return rc;
}

struct rm_ctx {
	struct db *db;
	const struct assignment *a;
	struct provision_undo *made;
};

/* Give a former member their own repository back, as enrolment made it. */
static int give_back(int64_t person_id, const char *login, void *data)
{
	struct rm_ctx *ctx = data;
	struct buf rel = BUF_INIT, abs = BUF_INIT;
	int64_t id;
	int rc;

	provision_repo_relpath(&rel, ctx->a->course, ctx->a->name, login);
	home_path(&abs, "repos/%s", rel.buf);
	rc = db_repo_add(ctx->db, ctx->a->id, person_id, rel.buf, &id);
	if (rc)
		rc = error("cannot record repository %s", rel.buf);
	else if (!(rc = provision_repo(abs.buf, ctx->a)))
		provision_undo_add(ctx->made, abs.buf);
	buf_release(&rel);
	buf_release(&abs);
	return rc;
}

static int team_remove(struct db *db, const struct assignment *a, const char *team,
		       struct provision_undo *made, struct provision_undo *doomed)
{
	struct rm_ctx ctx = { db, a, made };
	struct buf rel = BUF_INIT, abs = BUF_INIT;
	int64_t team_id, repo_id, n;
	int rc, ret = -1;

	rc = db_team_id(db, a->id, team, &team_id);
	if (rc == DB_ENOTFOUND)
		return error("no team '%s' of %s/%s (lifebelt team list %s %s)", team, a->course,
			     a->name, a->course, a->name);
	if (rc || db_team_submissions(db, team_id, &n))
		return -1;
	if (n)
		return error("team '%s' has handed in work (%lld submission%s); its grades stay, "
			     "so the team stays", team, (long long)n, n == 1 ? "" : "s");
	provision_repo_relpath(&rel, a->course, a->name, team);
	home_path(&abs, "repos/%s", rel.buf);
	if (!db_int(db, &repo_id, "SELECT id FROM repos WHERE team_id = ?", "i", team_id) &&
	    db_repo_remove(db, repo_id))
		goto done;
	provision_undo_add(doomed, abs.buf);
	if (!db_team_members_each(db, team_id, give_back, &ctx) && !db_team_remove(db, team_id))
		ret = 0;
done:
	buf_release(&rel);
	buf_release(&abs);
	return ret;
}

int cmd_team_rm(int argc, const char **argv)
{
	const char *pos[3];
	struct provision_undo made = PROVISION_UNDO_INIT, doomed = PROVISION_UNDO_INIT;
	struct assignment a;
	struct db *db;
	int ret = -1;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 3, 3) || name_check("team", pos[2]) ||
	    cli_open_assignment(pos[0], pos[1], 1, &db, &a))
		return -1;
	if (db_begin(db) || finish(db, team_remove(db, &a, pos[2], &made, &doomed), &made, &doomed))
		goto done;
	printf("team %s of %s/%s removed; its members have their own repositories again\n",
	       pos[2], pos[0], pos[1]);
	ret = 0;
done:
	assignment_release(&a);
	db_close(db);
	return ret;
}
