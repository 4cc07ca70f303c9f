/* cmd-roster.c: `lifebelt roster import COURSE FILE.csv [--teams-for NAME]`, all rows or none. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "enrol.h"
#include "team.h"
#include "../db/model.h"
#include "../gitd/keys.h"
#include "../gitd/provision.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/csv.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/sshkey.h"
#include "../lib/banned.h"

enum { COL_LOGIN, COL_NAME, COL_EMAIL, COL_KEY, COL_GITHUB, COL_TEAM, NR_COLS };
static const char *const col_names[NR_COLS] = { "login", "name", "email", "ssh_key", "github",
						"team" };

struct row {
	int line;
	char *f[NR_COLS];       /* NULL when the column is absent or empty */
	struct sshkey key;
	int has_key;
};

struct roster {
	const char *file;
	int col_of[NR_COLS];    /* position in the CSV, or -1 */
	struct row *rows;
	size_t nr, alloc;
};

__attribute__((format(printf, 4, 5)))
static int bad(const struct roster *r, int line, int col, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	ret = error("%s: line %d, column %s: %s; nothing was imported", r->file, line,
		    col_names[col], msg.buf);
	buf_release(&msg);
	return ret;
}

static int read_header(struct roster *r, const struct csv_row *h)
{
	size_t i;
	int c;

	for (c = 0; c < NR_COLS; c++)
		r->col_of[c] = -1;
	for (i = 0; i < h->nr; i++) {
		for (c = 0; c < NR_COLS; c++)
			if (!strcmp(h->field[i], col_names[c]))
				break;
		if (c == NR_COLS)
			return error("%s: line %d: unknown column '%s' (expected login,name,email,"
				     "ssh_key,github,team); nothing was imported", r->file, h->line,
				     h->field[i]);
		if (r->col_of[c] >= 0)
			return error("%s: line %d: column '%s' appears twice; nothing was imported",
				     r->file, h->line, h->field[i]);
		r->col_of[c] = (int)i;
	}
	if (r->col_of[COL_LOGIN] < 0)
		return error("%s: line %d: no 'login' column; nothing was imported", r->file, h->line);
	return 0;
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* Check one row on its own and against the rows before it. */
static int check_row(struct roster *r, struct row *row)
{
	const char *why;
	size_t i;

	if (!row->f[COL_LOGIN])
		return bad(r, row->line, COL_LOGIN, "login is empty");
	if (name_valid(row->f[COL_LOGIN]))
		return bad(r, row->line, COL_LOGIN, "'%s' is not a valid login (lowercase letters, "
			   "digits, '.', '_', '-')", row->f[COL_LOGIN]);
	if (name_login_reserved(row->f[COL_LOGIN]))
		return bad(r, row->line, COL_LOGIN, "login '%s' is reserved (COURSE/NAME/%s is an "
			   "assignment's tests repository); choose another", row->f[COL_LOGIN],
			   row->f[COL_LOGIN]);
	if (row->f[COL_NAME] && (has_control(row->f[COL_NAME]) || strlen(row->f[COL_NAME]) > 200))
		return bad(r, row->line, COL_NAME, "name has control characters or is too long");
	if (row->f[COL_EMAIL] && (!strchr(row->f[COL_EMAIL], '@') || strchr(row->f[COL_EMAIL], ' ') ||
				  has_control(row->f[COL_EMAIL])))
		return bad(r, row->line, COL_EMAIL, "'%s' is not an e-mail address", row->f[COL_EMAIL]);
	if (row->f[COL_TEAM] && name_valid(row->f[COL_TEAM]))
		return bad(r, row->line, COL_TEAM, "'%s' is not a valid team name (lowercase letters, "
			   "digits, '.', '_', '-')", row->f[COL_TEAM]);
	if (row->f[COL_GITHUB] && github_name_valid(row->f[COL_GITHUB]))
		return bad(r, row->line, COL_GITHUB, "'%s' is not a GitHub user name", row->f[COL_GITHUB]);
	if (row->f[COL_KEY]) {
		if (sshkey_parse(&row->key, row->f[COL_KEY], &why))
			return bad(r, row->line, COL_KEY, "malformed key: %s", why);
		row->has_key = 1;
	}
	for (i = 0; i < r->nr; i++) {
		const struct row *o = &r->rows[i];
		int col = -1;

		if (!strcmp(o->f[COL_LOGIN], row->f[COL_LOGIN]))
			col = COL_LOGIN;
		else if (o->f[COL_GITHUB] && row->f[COL_GITHUB] &&
			 !strcasecmp(o->f[COL_GITHUB], row->f[COL_GITHUB]))
			col = COL_GITHUB;
		else if (o->has_key && row->has_key && !strcmp(o->key.blob, row->key.blob))
			col = COL_KEY;
		if (col < 0)
			continue;
		return bad(r, row->line, col, "duplicate of line %d", o->line);
	}
	return 0;
}

static void row_release(struct row *row)
{
	int c;

	for (c = 0; c < NR_COLS; c++)
		free(row->f[c]);
	if (row->has_key)
		sshkey_release(&row->key);
}

static void roster_release(struct roster *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		row_release(&r->rows[i]);
	free(r->rows);
}

static int parse_roster(struct roster *r, const struct buf *data)
{
	struct csv csv;
	struct csv_row cr = CSV_ROW_INIT;
	const char *why;
	size_t ncols = 0;
	int rc, ret = -1;

	csv_init(&csv, data->buf, data->len);
	while ((rc = csv_next(&csv, &cr, &why)) > 0) {
		struct row row;
		int c;

		if (!ncols) {
			if (read_header(r, &cr))
				goto done;
			ncols = cr.nr;
			continue;
		}
		if (cr.nr != ncols) {
			error("%s: line %d: expected %zu fields, found %zu; nothing was imported",
			      r->file, cr.line, ncols, cr.nr);
			goto done;
		}
		memset(&row, 0, sizeof(row));
		row.line = cr.line;
		for (c = 0; c < NR_COLS; c++) {
			struct buf v = BUF_INIT;

			if (r->col_of[c] < 0)
				continue;
			buf_adds(&v, cr.field[r->col_of[c]]);
			buf_trim(&v);
			row.f[c] = v.len ? buf_detach(&v, NULL) : NULL;
			buf_release(&v);
		}
		if (check_row(r, &row)) {
			row_release(&row);
			goto done;
		}
		ALLOC_GROW(r->rows, r->nr + 1, r->alloc);
		r->rows[r->nr++] = row;
	}
	if (rc < 0) {
		error("%s: line %d: %s; nothing was imported", r->file, csv.line, why);
		goto done;
	}
	if (!ncols) {
		error("%s is empty; expected a header row login,name,email,ssh_key,github", r->file);
		goto done;
	}
	ret = 0;
done:
	csv_row_release(&cr);
	return ret;
}

/* Store every row; any conflict with what is already stored fails the whole import. */
static int store(struct db *db, struct roster *r, int64_t course_id, struct provision_undo *undo,
		 int *created)
{
	size_t i;

	for (i = 0; i < r->nr; i++) {
		struct row *row = &r->rows[i];
		struct person existing;
		int64_t id;
		int rc;

		rc = db_person_get(db, row->f[COL_LOGIN], &existing);
		if (rc == DB_ENOTFOUND)
			(*created)++;
		else if (rc)
			return -1;
		else
			person_release(&existing);
		rc = db_person_upsert(db, row->f[COL_LOGIN], row->f[COL_NAME], row->f[COL_EMAIL],
				      row->f[COL_GITHUB], &id);
		if (rc == DB_EEXISTS)
			return bad(r, row->line, COL_GITHUB, "GitHub user '%s' already belongs to "
				   "someone else", row->f[COL_GITHUB]);
		if (rc)
			return -1;
		rc = enrol_person(db, course_id, id, row->f[COL_LOGIN], ROLE_STUDENT, undo);
		if (rc == DB_EEXISTS)
			return bad(r, row->line, COL_LOGIN, "%s is a teacher of this course",
				   row->f[COL_LOGIN]);
		if (rc)
			return bad(r, row->line, COL_LOGIN, "cannot enrol %s", row->f[COL_LOGIN]);
		if (row->has_key) {
			rc = db_key_add(db, id, &row->key);
			if (rc == DB_EEXISTS) {
				int64_t owner;

				if (!db_int(db, &owner, "SELECT person_id FROM ssh_keys WHERE blob = ?",
					    "t", row->key.blob) && owner == id)
					continue;  /* importing the same roster again */
				return bad(r, row->line, COL_KEY, "key %s is already registered to "
					   "someone else", row->key.fingerprint);
			}
			if (rc)
				return -1;
		}
	}
	return 0;
}

/*
 * The team column: the rows naming each team, in the order of the file,
 * make that team of assignment a. A team the file names again with the
 * same members is left as it is, so that importing a roster twice changes
 * nothing. *made_teams counts the teams made.
 */
static int store_teams(struct db *db, struct roster *r, const struct assignment *a,
		       struct provision_undo *undo, struct provision_undo *doomed, int *made_teams)
{
	const char **logins = xcalloc(r->nr ? r->nr : 1, sizeof(*logins));
	size_t i, j;
	int n, rc, ret = 0;

	for (i = 0; i < r->nr && !ret; i++) {
		const char *team = r->rows[i].f[COL_TEAM];

		if (!team)
			continue;
		for (j = 0; j < i; j++)
			if (r->rows[j].f[COL_TEAM] && !strcmp(r->rows[j].f[COL_TEAM], team))
				break;
		if (j < i)
			continue;       /* made with its first row */
		for (n = 0, j = i; j < r->nr; j++)
			if (r->rows[j].f[COL_TEAM] && !strcmp(r->rows[j].f[COL_TEAM], team))
				logins[n++] = r->rows[j].f[COL_LOGIN];
		rc = team_same(db, a, team, logins, n);
		if (rc == 1)
			continue;
		if (!rc)
			ret = bad(r, r->rows[i].line, COL_TEAM, "team '%s' of %s/%s already has other "
				  "members (lifebelt team list %s %s)", team, a->course, a->name,
				  a->course, a->name);
		else if (rc != DB_ENOTFOUND || team_form(db, a, team, logins, n, undo, doomed))
			ret = -1;
		else
			(*made_teams)++;
	}
	free(logins);
	return ret;
}

/* The repositories made that a team did not replace at once. */
static int count_kept(const struct provision_undo *made, const struct provision_undo *gone)
{
	int i, j, n = 0;

	for (i = 0; i < made->nr; i++) {
		for (j = 0; j < gone->nr; j++)
			if (!strcmp(made->paths[i], gone->paths[j]))
				break;
		n += j == gone->nr;
	}
	return n;
}

int cmd_roster_import(int argc, const char **argv)
{
	const char *pos[2], *teams_for = NULL;
	struct opt opts[] = { { "teams-for", &teams_for, NULL }, { NULL, NULL, NULL } };
	struct provision_undo doomed = PROVISION_UNDO_INIT;
	struct assignment a;
	int teams = 0, kept;
	struct roster r;
	struct buf data = BUF_INIT;
	struct provision_undo undo = PROVISION_UNDO_INIT;
	struct db *db = NULL;
	int64_t course_id;
	int created = 0, rc, ret = -1;

	memset(&r, 0, sizeof(r));
	memset(&a, 0, sizeof(a));
	if (parse_args(current_cmd(), argc, argv, opts, pos, 2, 2) || name_check("course", pos[0]) ||
	    (teams_for && name_check("assignment", teams_for)))
		return -1;
	r.file = pos[1];
	if (buf_read_file(&data, r.file)) {
		error_errno("cannot read %s", r.file);
		goto done;
	}
	if (parse_roster(&r, &data))
		goto done;
	if (teams_for && r.col_of[COL_TEAM] < 0) {
		error("--teams-for %s: %s has no 'team' column; nothing was imported", teams_for,
		      r.file);
		goto done;
	}
	if (!teams_for && r.col_of[COL_TEAM] >= 0) {
		error("%s: the 'team' column needs --teams-for NAME, the assignment the teams are "
		      "for; nothing was imported", r.file);
		goto done;
	}
	if (cli_open_db(&db))
		goto done;
	rc = db_course_id(db, pos[0], &course_id);
	if (rc == DB_ENOTFOUND)
		error("no course '%s' (create it with 'lifebelt course add %s')", pos[0], pos[0]);
	if (!rc && teams_for && (rc = db_assignment_get(db, pos[0], teams_for, &a)) == DB_ENOTFOUND)
		error("--teams-for: no assignment '%s' in %s; nothing was imported", teams_for, pos[0]);
	if (rc || db_begin(db))
		goto done;
	if (store(db, &r, course_id, &undo, &created) ||
	    (teams_for && store_teams(db, &r, &a, &undo, &doomed, &teams)) || db_commit(db)) {
		db_rollback(db);
		provision_undo_run(&undo);
		provision_undo_release(&doomed);
		goto done;
	}
	kept = count_kept(&undo, &doomed);
	provision_undo_run(&doomed);
	printf("imported %zu students into %s (%d new, %d repositories created",
	       r.nr, pos[0], created, kept);
	if (teams_for)
		printf(", %d team%s for %s", teams, teams == 1 ? "" : "s", teams_for);
	printf(")\n");
	provision_undo_release(&undo);
	ret = keys_sync(db);
done:
	assignment_release(&a);
	db_close(db);
	roster_release(&r);
	buf_release(&data);
	return ret;
}
