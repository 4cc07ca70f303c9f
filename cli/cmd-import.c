/* cmd-import.c: `lifebelt import github-classroom DIR`, a GitHub Classroom export brought home. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <git2.h>
#include <jansson.h>

#include "cli.h"
#include "assign.h"
#include "enrol.h"
#include "team.h"
#include "../db/github.h"
#include "../db/import.h"
#include "../db/model.h"
#include "../db/teams.h"
#include "../gitd/github.h"
#include "../gitd/provision.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/csv.h"
#include "../lib/fsutil.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/push.h"
#include "../lib/timeutil.h"
#include "../runner/spec.h"
#include "../lib/banned.h"

/* No file of an export is read past this (a class of thousands is a few MiB). */
#define IMPORT_FILE_MAX (32 << 20)
/* Classrooms, assignments, accepted assignments or grade rows one file may list. */
#define IMPORT_ITEMS_MAX 100000
/* An assignment without a deadline on GitHub is due then: never late. */
#define NO_DEADLINE 4102444800LL  /* 2100-01-01T00:00:00Z */

/* One student of a classroom: who they are on GitHub and here. */
struct student {
	char *github, *login, *roster;
	int64_t person_id;
	int is_new, enrolled;
};

/*
 * An accepted assignment: its repository and who hands in from it, one
 * student, or a group's (a team here).
 */
struct accepted {
	size_t *members;        /* indexes into the classroom's students */
	size_t nr_members;
	char *repo;             /* owner/name */
	char *group;            /* grades.csv's group_name, or NULL */
	char *team;             /* a group's team name here */
	const char *renamed;    /* why the team is not named after its group, or NULL */
	int team_exists;
	int has_points;         /* from grades.csv */
	double points, max_points;
	char *submitted;
	int points_line;        /* grades.csv's line that gave the points */
	int64_t repo_id;        /* once created */
};

struct assign {
	char *id, *title, *name, *branch, *slug;
	int group;
	int64_t due;
	char *starter;          /* owner/name, or NULL */
	struct accepted *acc;
	size_t nr, alloc;
	int64_t id_here;        /* the assignment's id when it exists here */
	int exists;
	char *staged;           /* the starter's tree fetched, or an empty dir */
	char commit[GITHUB_OID_HEX + 1];
	int spec_ok;
};

struct classroom {
	char *id, *name, *course;
	int64_t course_id;      /* 0 while the course does not exist */
	struct assign *as;
	size_t nr, alloc;
	struct student *st;
	size_t nr_st, alloc_st;
};

struct export {
	const char *dir;
	struct classroom *cr;
	size_t nr, alloc;
	struct buf tmp;         /* where starters are fetched to, removed at the end */
	int added, added_teams; /* student and team repositories the import recorded */
	struct provision_undo doomed;  /* team members' own repositories, gone once committed */
};

/* Refuse the export: FILE: FIELD: what; nothing is created. Returns -1. */
__attribute__((format(printf, 3, 4)))
static int bad(const char *file, const char *field, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	error("%s: %s: %s; nothing was imported", file, field, msg.buf);
	buf_release(&msg);
	return -1;
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static int load_json(const struct export *x, const char *rel, json_t **out)
{
	struct buf path = BUF_INIT, data = BUF_INIT;
	json_error_t jerr;
	int rc = -1;

	buf_addf(&path, "%s/%s", x->dir, rel);
	*out = NULL;
	if (buf_read_file(&data, path.buf))
		error("%s: cannot read it (%s): the export is not whole; export it again; "
		      "nothing was imported", rel, strerror(errno));
	else if (data.len > IMPORT_FILE_MAX)
		error("%s: larger than %d MiB; nothing was imported", rel, IMPORT_FILE_MAX >> 20);
	else if (!(*out = json_loadb(data.buf, data.len, JSON_REJECT_DUPLICATES, &jerr)))
		error("%s: line %d: %s; nothing was imported", rel, jerr.line, jerr.text);
	else
		rc = 0;
	buf_release(&path);
	buf_release(&data);
	return rc;
}

static int load_array(const struct export *x, const char *rel, json_t **out)
{
	if (load_json(x, rel, out))
		return -1;
	if (!json_is_array(*out) || json_array_size(*out) > IMPORT_ITEMS_MAX)
		return bad(rel, "the top level", "not a JSON array (of at most %d items)",
			   IMPORT_ITEMS_MAX);
	return 0;
}

/*
 * An id as the API sends it: a number, or a string of digits (the
 * documentation's examples even carry a stray trailing comma).
 */
static int get_id(const char *file, const char *field, json_t *v, char **out)
{
	const char *s;
	size_t n;

	if (json_is_integer(v) && json_integer_value(v) > 0) {
		struct buf b = BUF_INIT;

		buf_addf(&b, "%lld", (long long)json_integer_value(v));
		*out = buf_detach(&b, NULL);
		return 0;
	}
	if (!v)
		return bad(file, field, "missing");
	s = json_is_string(v) ? json_string_value(v) : "";
	n = strspn(s, "0123456789");
	if (!n || n > 18 || (s[n] && strcmp(s + n, ",")))
		return bad(file, field, "not an id (a positive whole number)");
	*out = xstrndup(s, n);
	return 0;
}

/* A string field; with required, missing or empty is refused. NULL when absent. */
static int get_str(const char *file, const char *field, json_t *obj, const char *key,
		   int required, char **out)
{
	json_t *v = json_object_get(obj, key);
	struct buf f = BUF_INIT;
	int rc = 0;

	*out = NULL;
	buf_addf(&f, "%s.%s", field, key);
	if (!v || json_is_null(v)) {
		if (required)
			rc = bad(file, f.buf, "missing");
	} else if (!json_is_string(v)) {
		rc = bad(file, f.buf, "not a string");
	} else if (required && !*json_string_value(v)) {
		rc = bad(file, f.buf, "empty");
	} else if (strlen(json_string_value(v)) > 1000 || has_control(json_string_value(v))) {
		rc = bad(file, f.buf, "longer than 1000 characters or with control characters");
	} else {
		*out = xstrdup(json_string_value(v));
	}
	buf_release(&f);
	return rc;
}

/* "Intro to C (2026)" -> "intro-to-c-2026"; "" when nothing is left. */
static char *slugify(const char *s)
{
	struct buf b = BUF_INIT;

	for (; *s && b.len < 64; s++) {
		int c = tolower((unsigned char)*s);

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')
			buf_addch(&b, c);
		else if (b.len && b.buf[b.len - 1] != '-')
			buf_addch(&b, '-');
	}
	while (b.len && b.buf[b.len - 1] == '-')
		buf_setlen(&b, b.len - 1);
	return buf_detach(&b, NULL);
}

/* The first of the names that is valid, else PREFIX-ID. */
static char *pick_name(const char *a, const char *b, const char *prefix, const char *id)
{
	char *s = a ? slugify(a) : NULL;
	struct buf f = BUF_INIT;

	if (s && !name_valid(s))
		return s;
	free(s);
	s = b ? slugify(b) : NULL;
	if (s && !name_valid(s))
		return s;
	free(s);
	buf_addf(&f, "%s-%s", prefix, id);
	return buf_detach(&f, NULL);
}

static size_t student_add(struct classroom *c, const char *github)
{
	size_t i;

	for (i = 0; i < c->nr_st; i++)
		if (!strcasecmp(c->st[i].github, github))
			return i;
	ALLOC_GROW(c->st, c->nr_st + 1, c->alloc_st);
	memset(&c->st[i], 0, sizeof(c->st[i]));
	c->st[i].github = xstrdup(github);
	c->nr_st++;
	return i;
}

/* One accepted assignment: its students (logins) and repository. */
static int read_accepted(struct classroom *c, struct assign *a, const char *file, size_t i,
			 json_t *o)
{
	json_t *students = json_object_get(o, "students"), *repo = json_object_get(o, "repository");
	struct buf f = BUF_INIT;
	struct accepted *acc;
	char *login = NULL, *name = NULL;
	size_t j;
	int rc = -1;

	buf_addf(&f, "[%zu]", i);
	if (!json_is_object(o)) {
		rc = bad(file, f.buf, "not an object");
		goto done;
	}
	if (a->group && json_is_array(students) && !json_array_size(students)) {
		buf_adds(&f, ".students");
		rc = bad(file, f.buf, "an empty group: a group's repository has at least one student");
		goto done;
	}
	if (!json_is_array(students) || !json_array_size(students)) {
		rc = bad(file, f.buf, "students: missing or not a list of students");
		goto done;
	}
	buf_adds(&f, ".repository");
	if (!json_is_object(repo)) {
		rc = bad(file, f.buf, "missing or not an object");
		goto done;
	}
	if (get_str(file, f.buf, repo, "full_name", 1, &name))
		goto done;
	if (!github_repo_name_ok(name)) {
		buf_adds(&f, ".full_name");
		rc = bad(file, f.buf, "'%s' is not OWNER/REPO", name);
		goto done;
	}
	if (!a->group && json_array_size(students) != 1) {
		buf_setlen(&f, 0);
		buf_addf(&f, "[%zu].students", i);
		rc = bad(file, f.buf, "an individual assignment's repository has one student, "
			 "not %zu", json_array_size(students));
		goto done;
	}
	ALLOC_GROW(a->acc, a->nr + 1, a->alloc);
	acc = &a->acc[a->nr++];
	memset(acc, 0, sizeof(*acc));
	acc->repo = name;
	acc->submitted = xstrdup("");
	name = NULL;
	acc->members = xcalloc(json_array_size(students), sizeof(*acc->members));
	for (j = 0; j < json_array_size(students); j++) {
		buf_setlen(&f, 0);
		buf_addf(&f, "[%zu].students[%zu]", i, j);
		free(login);
		if (get_str(file, f.buf, json_array_get(students, j), "login", 1, &login))
			goto done;
		if (github_name_valid(login)) {
			buf_adds(&f, ".login");
			rc = bad(file, f.buf, "'%s' is not a GitHub user name", login);
			goto done;
		}
		acc->members[acc->nr_members++] = student_add(c, login);
	}
	rc = 0;
done:
	free(login);
	free(name);
	buf_release(&f);
	return rc;
}

/*
 * No student hands in twice for one assignment: in two accepted
 * assignments, two groups, or twice in one group. FILE is the accepted
 * assignments' file.
 */
static int check_once(const struct classroom *c, const struct assign *a, const char *file)
{
	size_t *in = xcalloc(c->nr_st, sizeof(*in));  /* 1 + the accepted assignment of each */
	size_t i, j;
	int rc = 0;

	for (i = 0; !rc && i < a->nr; i++)
		for (j = 0; !rc && j < a->acc[i].nr_members; j++) {
			size_t s = a->acc[i].members[j], k = in[s] - 1;
			struct buf f = BUF_INIT;

			in[s] = i + 1;
			if (k == (size_t)-1)
				continue;
			buf_addf(&f, "[%zu].students[%zu].login", i, j);
			if (!a->group)
				rc = bad(file, f.buf, "'%s' accepted the assignment twice", c->st[s].github);
			else if (k == i)
				rc = bad(file, f.buf, "'%s' is named twice in the group of %s",
					 c->st[s].github, a->acc[i].repo);
			else
				rc = bad(file, f.buf, "'%s' would be in two teams: the groups of %s and %s",
					 c->st[s].github, a->acc[k].repo, a->acc[i].repo);
			buf_release(&f);
		}
	free(in);
	return rc;
}

enum { G_USER, G_ROSTER, G_REPO, G_TIME, G_POINTS, G_AVAILABLE, G_GROUP, NR_G };
static const char *const g_cols[NR_G] = { "github_username", "roster_identifier",
	"student_repository_name", "submission_timestamp", "points_awarded", "points_available",
	"group_name" };

static int points(const char *file, int line, int col, const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (*end || errno || !isfinite(*out) || *out < 0 || *out > 1e9) {
		struct buf f = BUF_INIT;
		int rc;

		buf_addf(&f, "line %d, column %s", line, g_cols[col]);
		rc = bad(file, f.buf, "'%s' is not a number of points", s);
		buf_release(&f);
		return rc;
	}
	return 0;
}

/*
 * The accepted assignment github (a login) hands in from, and their index
 * among the students in *st; NULL if none.
 */
static struct accepted *accepted_of(const struct classroom *c, const struct assign *a,
				    const char *github, size_t *st)
{
	size_t i, j;

	for (i = 0; i < a->nr; i++)
		for (j = 0; j < a->acc[i].nr_members; j++)
			if (!strcasecmp(c->st[a->acc[i].members[j]].github, github)) {
				*st = a->acc[i].members[j];
				return &a->acc[i];
			}
	return NULL;
}

/*
 * A group's name, from its members' rows: they agree, as GitHub gives a
 * group one name. Refused (reported) when they do not.
 */
static int group_name(struct accepted *acc, const char *file, const struct csv_row *row,
		      const char *name)
{
	struct buf f = BUF_INIT;

	if (!*name)
		return 0;
	if (!acc->group) {
		acc->group = xstrdup(name);
		return 0;
	}
	if (!strcmp(acc->group, name))
		return 0;
	buf_addf(&f, "line %d, column group_name", row->line);
	bad(file, f.buf, "'%s', but another row of %s's group says '%s'", name, acc->repo,
	    acc->group);
	buf_release(&f);
	return -1;
}

/* One row of grades.csv: GitHub's grade for a student who accepted the assignment. */
static int grade_row(struct classroom *c, struct assign *a, const char *file,
		     const struct csv_row *row, const int *col)
{
	const char *v[NR_G];
	struct buf f = BUF_INIT;
	struct accepted *acc;
	double got, of;
	size_t st;
	int k;

	for (k = 0; k < NR_G; k++)
		v[k] = col[k] >= 0 ? row->field[col[k]] : "";
	for (k = 0; k < NR_G; k++)
		if (strlen(v[k]) > 200 || has_control(v[k])) {
			buf_addf(&f, "line %d, column %s", row->line, g_cols[k]);
			bad(file, f.buf, "longer than 200 characters or with control characters");
			buf_release(&f);
			return -1;
		}
	if (!*v[G_USER])
		return 0;  /* a roster entry that never accepted: no one to give it to */
	acc = accepted_of(c, a, v[G_USER], &st);
	if (!acc) {
		buf_addf(&f, "line %d, column github_username", row->line);
		bad(file, f.buf, "'%s' has no accepted assignment in accepted-assignments.json",
		    v[G_USER]);
		buf_release(&f);
		return -1;
	}
	if (*v[G_ROSTER] && !c->st[st].roster)
		c->st[st].roster = xstrdup(v[G_ROSTER]);
	if (a->group && group_name(acc, file, row, v[G_GROUP]))
		return -1;
	if (*v[G_TIME] || !*acc->submitted) {
		free(acc->submitted);
		acc->submitted = xstrdup(v[G_TIME]);
	}
	if (!*v[G_POINTS] && !*v[G_AVAILABLE])
		return 0;
	if (points(file, row->line, G_POINTS, v[G_POINTS], &got) ||
	    points(file, row->line, G_AVAILABLE, v[G_AVAILABLE], &of))
		return -1;
	/* A group has one grade: each member's row repeats it. */
	if (acc->has_points && (got != acc->points || of != acc->max_points)) {
		buf_addf(&f, "line %d, column points_awarded", row->line);
		bad(file, f.buf, "%g/%g, but line %d gave %s's group %g/%g", got, of,
		    acc->points_line, acc->repo, acc->points, acc->max_points);
		buf_release(&f);
		return -1;
	}
	acc->points = got;
	acc->max_points = of;
	acc->points_line = row->line;
	acc->has_points = 1;
	return 0;
}

/* grades.csv (gh classroom assignment-grades): optional, as the export writes none when empty. */
static int read_grades(const struct export *x, struct classroom *c, struct assign *a,
		       const char *rel)
{
	struct buf path = BUF_INIT, data = BUF_INIT;
	struct csv csv;
	struct csv_row row = CSV_ROW_INIT;
	const char *why;
	int col[NR_G], rc, ret = -1, header = 1, k, rows = 0;
	size_t i;

	buf_addf(&path, "%s/%s", x->dir, rel);
	if (access(path.buf, F_OK) && errno == ENOENT) {
		ret = 0;
		goto done;
	}
	if (buf_read_file(&data, path.buf) || data.len > IMPORT_FILE_MAX) {
		error("%s: cannot read it, or larger than %d MiB; nothing was imported", rel,
		      IMPORT_FILE_MAX >> 20);
		goto done;
	}
	csv_init(&csv, data.buf, data.len);
	while ((rc = csv_next(&csv, &row, &why)) > 0) {
		if (header) {
			for (k = 0; k < NR_G; k++) {
				col[k] = -1;
				for (i = 0; i < row.nr; i++)
					if (!strcmp(row.field[i], g_cols[k]))
						col[k] = (int)i;
			}
			if (col[G_USER] < 0 || col[G_POINTS] < 0 || col[G_AVAILABLE] < 0) {
				bad(rel, "line 1", "the header lacks github_username, points_awarded "
				    "or points_available");
				goto done;
			}
			header = 0;
			continue;
		}
		if (++rows > IMPORT_ITEMS_MAX) {
			bad(rel, "the file", "more than %d rows", IMPORT_ITEMS_MAX);
			goto done;
		}
		if (row.nr <= (size_t)col[G_USER] || row.nr <= (size_t)col[G_POINTS] ||
		    row.nr <= (size_t)col[G_AVAILABLE] ||
		    (col[G_ROSTER] >= 0 && row.nr <= (size_t)col[G_ROSTER]) ||
		    (col[G_REPO] >= 0 && row.nr <= (size_t)col[G_REPO]) ||
		    (col[G_TIME] >= 0 && row.nr <= (size_t)col[G_TIME]) ||
		    (col[G_GROUP] >= 0 && row.nr <= (size_t)col[G_GROUP])) {
			struct buf f = BUF_INIT;

			buf_addf(&f, "line %d", row.line);
			bad(rel, f.buf, "fewer fields than the header");
			buf_release(&f);
			goto done;
		}
		if (grade_row(c, a, rel, &row, col))
			goto done;
	}
	if (!rc && header) {
		bad(rel, "the file", "empty, without even its header row: the export is not "
		    "whole; export it again");
		goto done;
	}
	if (rc < 0) {
		struct buf f = BUF_INIT;

		buf_addf(&f, "line %d", csv.line);
		bad(rel, f.buf, "%s", why);
		buf_release(&f);
		goto done;
	}
	ret = 0;
done:
	csv_row_release(&row);
	buf_release(&path);
	buf_release(&data);
	return ret;
}

/* Is name the team name of another accepted assignment of a than acc? */
static int team_taken(const struct assign *a, const struct accepted *acc, const char *name)
{
	size_t i;

	for (i = 0; i < a->nr; i++)
		if (&a->acc[i] != acc && a->acc[i].team && !strcmp(a->acc[i].team, name))
			return 1;
	return 0;
}

/*
 * A team name for each group of a, the same from the same export: its
 * group's name made a Lifebelt name (lowercase, [a-z0-9._-]); without one,
 * the repository's name less the assignment's "SLUG-", as GitHub names
 * group repositories. Where that is no name or taken, the repository's
 * whole name. acc->renamed says why it is not the group's name as given.
 */
static int name_team(const struct assign *a, struct accepted *acc, const char *file, size_t i)
{
	const char *repo = strchr(acc->repo, '/') + 1, *from = acc->group;
	size_t n = a->slug ? strlen(a->slug) : 0;
	char *name;

	if (!from) {
		from = repo;
		if (n && !strncasecmp(repo, a->slug, n) && repo[n] == '-' && repo[n + 1])
			from = repo + n + 1;
		acc->renamed = "grades.csv names no group: named after its repository";
	}
	name = slugify(from);
	if (name_valid(name) || name_login_reserved(name) || team_taken(a, acc, name)) {
		free(name);
		name = slugify(repo);
		acc->renamed = "its group's name is no team name here, or another group's: "
			       "named after its repository";
	} else if (acc->group && strcmp(name, acc->group)) {
		acc->renamed = "its group's name made a Lifebelt name";
	}
	acc->team = name;
	if (name_valid(name) || name_login_reserved(name) || team_taken(a, acc, name)) {
		struct buf f = BUF_INIT;

		buf_addf(&f, "[%zu].repository.full_name", i);
		bad(file, f.buf, "no team name can be made of '%s' or of its group's name (a "
		    "team name is [a-z0-9._-], not another group's); rename the group or its "
		    "repository on GitHub and export again", acc->repo);
		buf_release(&f);
		return -1;
	}
	return 0;
}

static int name_teams(struct assign *a, const char *file)
{
	size_t i;

	for (i = 0; a->group && i < a->nr; i++)
		if (name_team(a, &a->acc[i], file, i))
			return -1;
	return 0;
}

/* assignment-ID/assignment.json, its accepted assignments and grades. */
static int read_assignment(struct export *x, struct classroom *c, const char *id)
{
	struct buf rel = BUF_INIT, dir = BUF_INIT;
	json_t *o = NULL, *acc = NULL, *v, *starter;
	struct assign *a;
	char *type = NULL, *slug = NULL, *deadline = NULL, *aid = NULL;
	size_t i;
	int ret = -1;

	ALLOC_GROW(c->as, c->nr + 1, c->alloc);
	a = &c->as[c->nr++];
	memset(a, 0, sizeof(*a));
	a->id = xstrdup(id);
	buf_addf(&dir, "classroom-%s/assignment-%s", c->id, id);
	buf_addf(&rel, "%s/assignment.json", dir.buf);
	if (load_json(x, rel.buf, &o))
		goto done;
	if (!json_is_object(o)) {
		bad(rel.buf, "the top level", "not a JSON object");
		goto done;
	}
	if (get_id(rel.buf, "id", json_object_get(o, "id"), &aid))
		goto done;
	if (strcmp(aid, id)) {
		bad(rel.buf, "id", "%s, but the folder and assignments.json say %s", aid, id);
		goto done;
	}
	if (get_str(rel.buf, "", o, "title", 1, &a->title) ||
	    get_str(rel.buf, "", o, "type", 1, &type) ||
	    get_str(rel.buf, "", o, "slug", 0, &slug) ||
	    get_str(rel.buf, "", o, "deadline", 0, &deadline))
		goto done;
	if (strcmp(type, "individual") && strcmp(type, "group")) {
		bad(rel.buf, ".type", "'%s', expected individual or group", type);
		goto done;
	}
	a->group = !strcmp(type, "group");
	a->due = NO_DEADLINE;
	if (deadline && *deadline && time_parse(deadline, &a->due)) {
		bad(rel.buf, ".deadline", "'%s' is not a time (ISO 8601 with an offset)", deadline);
		goto done;
	}
	/* GitHub's own example spells it "stater_code_repository". */
	starter = json_object_get(o, "starter_code_repository");
	if (!starter || json_is_null(starter))
		starter = json_object_get(o, "stater_code_repository");
	a->branch = xstrdup("main");
	if (starter && !json_is_null(starter)) {
		char *branch = NULL;

		if (!json_is_object(starter) ||
		    get_str(rel.buf, ".starter_code_repository", starter, "full_name", 1, &a->starter) ||
		    get_str(rel.buf, ".starter_code_repository", starter, "default_branch", 0, &branch))
			goto done;
		if (!github_repo_name_ok(a->starter)) {
			bad(rel.buf, ".starter_code_repository.full_name", "'%s' is not OWNER/REPO",
			    a->starter);
			free(branch);
			goto done;
		}
		if (branch && name_valid(branch)) {
			bad(rel.buf, ".starter_code_repository.default_branch", "'%s' is not a "
			    "branch name Lifebelt takes ([a-z0-9._-])", branch);
			free(branch);
			goto done;
		}
		if (branch) {
			free(a->branch);
			a->branch = branch;
		}
	}
	a->name = pick_name(slug, a->title, "assignment", id);
	for (i = 0; i + 1 < c->nr; i++)
		if (!strcmp(c->as[i].name, a->name)) {
			free(a->name);
			a->name = pick_name(NULL, NULL, "assignment", id);
		}

	buf_setlen(&rel, 0);
	buf_addf(&rel, "%s/accepted-assignments.json", dir.buf);
	if (load_array(x, rel.buf, &acc))
		goto done;
	json_array_foreach(acc, i, v)
		if (read_accepted(c, a, rel.buf, i, v))
			goto done;
	if (check_once(c, a, rel.buf))
		goto done;
	buf_setlen(&rel, 0);
	buf_addf(&rel, "%s/grades.csv", dir.buf);
	if (read_grades(x, c, a, rel.buf))
		goto done;
	a->slug = slug;
	slug = NULL;
	buf_setlen(&rel, 0);
	buf_addf(&rel, "%s/accepted-assignments.json", dir.buf);
	ret = name_teams(a, rel.buf);
done:
	json_decref(o);
	json_decref(acc);
	free(type);
	free(slug);
	free(deadline);
	free(aid);
	buf_release(&rel);
	buf_release(&dir);
	return ret;
}

static int read_classroom(struct export *x, json_t *o, size_t idx)
{
	struct classroom *c;
	struct buf rel = BUF_INIT, f = BUF_INIT;
	json_t *list = NULL, *v;
	size_t i, j;
	int ret = -1;

	buf_addf(&f, "[%zu]", idx);
	if (!json_is_object(o))
		return bad("classrooms.json", f.buf, "not an object");
	ALLOC_GROW(x->cr, x->nr + 1, x->alloc);
	c = &x->cr[x->nr++];
	memset(c, 0, sizeof(*c));
	buf_adds(&f, ".id");
	if (get_id("classrooms.json", f.buf, json_object_get(o, "id"), &c->id))
		goto done;
	buf_setlen(&f, f.len - 3);
	if (get_str("classrooms.json", f.buf, o, "name", 1, &c->name))
		goto done;
	for (i = 0; i + 1 < x->nr; i++)
		if (!strcmp(x->cr[i].id, c->id)) {
			bad("classrooms.json", f.buf, "classroom %s is listed twice", c->id);
			goto done;
		}
	c->course = pick_name(c->name, NULL, "classroom", c->id);
	for (i = 0; i + 1 < x->nr; i++)
		if (!strcmp(x->cr[i].course, c->course)) {
			free(c->course);
			c->course = pick_name(NULL, NULL, "classroom", c->id);
		}
	buf_addf(&rel, "classroom-%s/assignments.json", c->id);
	if (load_array(x, rel.buf, &list))
		goto done;
	json_array_foreach(list, i, v) {
		char *id = NULL;

		buf_setlen(&f, 0);
		buf_addf(&f, "[%zu].id", i);
		if (!json_is_object(v) || get_id(rel.buf, f.buf, json_object_get(v, "id"), &id))
			goto done;
		for (j = 0; j < c->nr; j++)
			if (!strcmp(c->as[j].id, id)) {
				bad(rel.buf, f.buf, "assignment %s is listed twice", id);
				free(id);
				goto done;
			}
		j = read_assignment(x, c, id);
		free(id);
		if (j)
			goto done;
	}
	ret = 0;
done:
	json_decref(list);
	buf_release(&rel);
	buf_release(&f);
	return ret;
}

/* The whole export, checked, before anything is created. */
static int read_export(struct export *x)
{
	json_t *list;
	size_t i;
	int rc = 0;

	if (!fs_is_dir(x->dir))
		return error("'%s' is not a directory (the folder GitHub's export utility wrote)", x->dir);
	if (load_array(x, "classrooms.json", &list))
		return -1;
	if (!json_array_size(list))
		rc = bad("classrooms.json", "the top level", "no classroom");
	for (i = 0; !rc && i < json_array_size(list); i++)
		rc = read_classroom(x, json_array_get(list, i), i);
	json_decref(list);
	return rc;
}

/* ---- what is here already, and who is who ---- */

/*
 * A student's login: the person who has their GitHub name already, else
 * the GitHub name in lowercase (always a valid login). A login taken by
 * someone with another GitHub name is refused: enrol them by hand first.
 */
static int resolve_student(struct db *db, struct classroom *c, struct student *s)
{
	struct buf login = BUF_INIT;
	struct person p;
	size_t i;
	int rc;

	rc = db_login_by_github(db, s->github, &login);
	if (rc && rc != DB_ENOTFOUND)
		return -1;
	if (rc) {
		for (i = 0; s->github[i]; i++)
			buf_addch(&login, tolower((unsigned char)s->github[i]));
		rc = db_person_get(db, login.buf, &p);
		if (!rc) {
			if (p.github && strcasecmp(p.github, s->github))
				rc = error("GitHub user %s would be login %s, which is %s's (GitHub %s); "
					   "enrol %s by hand first ('lifebelt student add %s LOGIN "
					   "--github %s'); nothing was imported", s->github, login.buf,
					   login.buf, p.github, s->github, c->course, s->github);
			s->person_id = p.id;
			person_release(&p);
		} else if (rc == DB_ENOTFOUND) {
			s->is_new = 1;
			rc = 0;
		}
	} else {
		rc = db_person_get(db, login.buf, &p);
		if (!rc) {
			s->person_id = p.id;
			person_release(&p);
		}
	}
	s->login = buf_detach(&login, NULL);
	if (!rc && s->person_id && c->course_id) {
		const char *role;

		rc = db_role(db, c->course_id, s->person_id, &role);
		if (!rc && strcmp(role, ROLE_STUDENT))
			rc = error("%s is a teacher of %s, not a student; nothing was imported",
				   s->login, c->course);
		s->enrolled = !rc;
		if (rc == DB_ENOTFOUND)
			rc = 0;
	}
	return rc ? -1 : 0;
}

/* Is name free for a team of c: no one's login, here, in the export or the teacher's? */
static int team_name_free(struct db *db, const struct classroom *c, const char *teacher,
			  const char *name)
{
	struct person p;
	size_t i;

	if (teacher && !strcmp(teacher, name))
		return 0;
	for (i = 0; i < c->nr_st; i++)
		if (!strcmp(c->st[i].login, name))
			return 0;
	if (!db_person_get(db, name, &p)) {
		person_release(&p);
		return 0;
	}
	return 1;
}

/* The members' logins of acc, for team_form() and team_same(); the caller frees the array. */
static const char **member_logins(const struct classroom *c, const struct accepted *acc)
{
	const char **l = xcalloc(acc->nr_members, sizeof(*l));
	size_t i;

	for (i = 0; i < acc->nr_members; i++)
		l[i] = c->st[acc->members[i]].login;
	return l;
}

/*
 * acc's team if it is here: the team whose repository is mapped to acc's
 * GitHub repository, or one of its name made by hand with these members.
 * 1 if so, 0 if not, -1 when it cannot be (reported).
 */
static int team_here(struct db *db, const struct classroom *c, const struct accepted *acc,
		     const struct assignment *here, int64_t *team_id)
{
	const char **logins = member_logins(c, acc);
	struct buf name = BUF_INIT;
	int64_t repo_id;
	int rc = db_github_repo_find(db, acc->repo, &repo_id), ret = -1;

	if (!rc) {
		int64_t ours;

		rc = db_repo_team(db, repo_id, team_id);
		if (!rc && !(rc = db_team_name(db, *team_id, &name)) &&
		    (db_team_id(db, here->id, name.buf, &ours) || ours != *team_id))
			rc = DB_ENOTFOUND;
		if (rc == DB_ENOTFOUND)
			error("GitHub's %s is mapped to a repository that is not a team's of "
			      "%s/%s; nothing was imported", acc->repo, c->course, here->name);
		if (rc)
			goto done;
		rc = team_same(db, here, name.buf, logins, (int)acc->nr_members);
	} else if (rc == DB_ENOTFOUND) {
		rc = db_team_id(db, here->id, acc->team, team_id);
		if (rc == DB_ENOTFOUND) {
			ret = 0;
			goto done;
		}
		rc = rc ? rc : team_same(db, here, acc->team, logins, (int)acc->nr_members);
		if (!rc) {
			ret = 0;  /* another team of that name: the caller names this one anew */
			*team_id = -1;
			goto done;
		}
		buf_adds(&name, acc->team);
	}
	if (rc == 0)
		error("team %s of %s/%s has other members than %s's group in the export; "
		      "nothing was imported", name.buf, c->course, here->name, acc->repo);
	else if (rc == 1)
		ret = 1;
done:
	buf_release(&name);
	free(logins);
	return ret;
}

/*
 * Each group of a: its team here if it is, else a name free for a new one
 * (not a login: COURSE/NAME/TEAM.git sits beside students' repositories).
 * here is a, when it exists already, else NULL.
 */
static int look_teams(struct db *db, const struct classroom *c, struct assign *a,
		      const struct assignment *here, const char *teacher)
{
	size_t i;

	for (i = 0; i < a->nr; i++) {
		struct accepted *acc = &a->acc[i];
		int64_t team_id = 0;
		int rc = here ? team_here(db, c, acc, here, &team_id) : 0;
		const char *repo = strchr(acc->repo, '/') + 1;

		if (rc < 0)
			return -1;
		if (rc) {
			struct buf name = BUF_INIT;

			if (db_team_name(db, team_id, &name))
				return -1;
			if (strcmp(name.buf, acc->team))
				acc->renamed = "the team here already";
			free(acc->team);
			acc->team = buf_detach(&name, NULL);
			acc->team_exists = 1;
			continue;
		}
		if (team_id != -1 && team_name_free(db, c, teacher, acc->team))
			continue;
		free(acc->team);
		acc->team = slugify(repo);
		acc->renamed = "its group's name is someone's login or another team's: named "
			       "after its repository";
		if (!team_name_free(db, c, teacher, acc->team) || team_taken(a, acc, acc->team) ||
		    (here && db_team_id(db, here->id, acc->team, &team_id) != DB_ENOTFOUND))
			return error("no team name for %s's group: both its name and '%s' are "
				     "taken (a login, or another team of %s/%s); rename the group "
				     "on GitHub and export again; nothing was imported", acc->repo,
				     acc->team, c->course, a->name);
	}
	return 0;
}

static int look_here(struct db *db, struct export *x, const char *teacher)
{
	size_t i, j;
	int rc;

	for (i = 0; i < x->nr; i++) {
		struct classroom *c = &x->cr[i];

		rc = db_course_id(db, c->course, &c->course_id);
		if (rc == DB_ENOTFOUND)
			c->course_id = 0;
		else if (rc)
			return -1;
		for (j = 0; j < c->nr_st; j++)
			if (resolve_student(db, c, &c->st[j]))
				return -1;
		for (j = 0; j < c->nr_st; j++)
			if (teacher && !strcmp(c->st[j].login, teacher))
				return error("--teacher %s is a student of classroom %s; nothing was "
					     "imported", teacher, c->id);
		for (j = 0; c->course_id && j < c->nr; j++) {
			struct assign *a = &c->as[j];
			struct assignment here;

			rc = db_assignment_get(db, c->course, a->name, &here);
			if (!rc) {
				a->exists = 1;
				a->id_here = here.id;
				rc = a->group ? look_teams(db, c, a, &here, teacher) : 0;
				assignment_release(&here);
				if (rc)
					return -1;
			} else if (rc != DB_ENOTFOUND) {
				return -1;
			}
		}
		for (j = 0; j < c->nr; j++)
			if (c->as[j].group && !c->as[j].exists &&
			    look_teams(db, c, &c->as[j], NULL, teacher))
				return -1;
	}
	return 0;
}

/* ---- starters ---- */

/*
 * The starter of each new assignment, fetched into a directory of its
 * own under x->tmp: it becomes both the tests directory (its .github/
 * holds GitHub's tests) and the first commit of new repositories.
 */
static int stage_starters(struct db *db, struct export *x)
{
	size_t i, j, n = 0;
	int rc = 0;

	for (i = 0; i < x->nr; i++)
		for (j = 0; j < x->cr[i].nr; j++)
			n += !x->cr[i].as[j].exists;
	if (!n)
		return 0;
	buf_addf(&x->tmp, "%s/lifebelt-import-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(x->tmp.buf)) {
		buf_setlen(&x->tmp, 0);
		return error_errno("cannot make a temporary directory");
	}
	for (i = 0; !rc && i < x->nr; i++)
		for (j = 0; !rc && j < x->cr[i].nr; j++) {
			struct assign *a = &x->cr[i].as[j];
			struct buf dir = BUF_INIT, scratch = BUF_INIT, why = BUF_INIT;

			if (a->exists)
				continue;
			buf_addf(&dir, "%s/%s-%s", x->tmp.buf, x->cr[i].id, a->id);
			buf_addf(&scratch, "%s.git", dir.buf);
			if (fs_mkdir_p(dir.buf, 0700))
				rc = error_errno("cannot make %s", dir.buf);
			else if (a->starter &&
				 github_fetch_tree(db, a->starter, a->branch, scratch.buf, dir.buf,
						   a->commit, &why))
				rc = error("assignment %s (%s): cannot fetch its starter: %s; nothing "
					   "was imported", a->id, a->title, why.buf);
			a->staged = buf_detach(&dir, NULL);
			buf_release(&scratch);
			buf_release(&why);
		}
	return rc;
}

/* Is the staged starter's spec one Lifebelt reads? Its own line says why not. */
static void check_specs(struct export *x)
{
	size_t i, j;

	for (i = 0; i < x->nr; i++)
		for (j = 0; j < x->cr[i].nr; j++) {
			struct assign *a = &x->cr[i].as[j];

			if (a->staged)
				a->spec_ok = a->starter && !spec_check_dir(a->staged);
		}
}

/* ---- the plan ---- */

static void say_due(struct buf *b, const struct assign *a)
{
	if (a->due == NO_DEADLINE) {
		buf_adds(b, "no deadline");
		return;
	}
	buf_adds(b, "due ");
	time_format(b, a->due);
}

/* A group's team: its name, where the name comes from, its members. */
static int plan_team(const struct classroom *c, const struct accepted *acc)
{
	size_t k;

	printf("    team %s (%s%s%s%s): ", acc->team, acc->repo, acc->group ? ", group \"" : "",
	       acc->group ? acc->group : "", acc->group ? "\"" : "");
	for (k = 0; k < acc->nr_members; k++)
		printf("%s%s", k ? " " : "", c->st[acc->members[k]].login);
	printf("; %s\n", acc->team_exists ? "exists" : "new");
	if (acc->renamed)
		printf("      named %s: %s\n", acc->team, acc->renamed);
	return !acc->team_exists;
}

/* An assignment, its starter and its teams; the number of things that change. */
static int plan_assignment(const struct classroom *c, const struct assign *a)
{
	struct buf b = BUF_INIT;
	size_t k;
	int grades = 0, changes = !a->exists;

	for (k = 0; k < a->nr; k++)
		grades += a->acc[k].has_points ? (int)a->acc[k].nr_members : 0;
	say_due(&b, a);
	printf("  assignment %s (\"%s\"%s): %s, %s; %zu %s repositor%s, %d grade%s from GitHub\n",
	       a->name, a->title, a->group ? ", group" : "", a->exists ? "exists" : "new", b.buf,
	       a->nr, a->group ? "team" : "student", a->nr == 1 ? "y" : "ies", grades,
	       grades == 1 ? "" : "s");
	if (!a->exists && !a->starter)
		printf("    no starter repository: no tests; pushes are recorded, and "
		       "fail to grade until it has some\n");
	else if (!a->exists && !a->staged)
		printf("    starter %s (%s): fetched when importing\n", a->starter, a->branch);
	else if (!a->exists)
		printf("    starter %s (%s) at %.12s: %s\n", a->starter, a->branch,
		       a->commit, a->spec_ok ? "its tests are graded" :
		       "no tests Lifebelt can read yet (said above): pushes are recorded, "
		       "and fail to grade until it has some");
	for (k = 0; a->group && k < a->nr; k++)
		changes += plan_team(c, &a->acc[k]);
	buf_release(&b);
	return changes;
}

/* Print what will be done (or was done); the number of things that change. */
static int plan(const struct export *x, const char *teacher)
{
	size_t i, j;
	int changes = 0;

	for (i = 0; i < x->nr; i++) {
		const struct classroom *c = &x->cr[i];

		printf("course %s (classroom %s, \"%s\"): %s\n", c->course, c->id, c->name,
		       c->course_id ? "exists" : "new");
		changes += !c->course_id;
		if (teacher)
			printf("  teacher %s\n", teacher);
		for (j = 0; j < c->nr_st; j++) {
			const struct student *s = &c->st[j];

			printf("  student %s (GitHub %s%s%s): %s\n", s->login, s->github,
			       s->roster ? ", roster " : "", s->roster ? s->roster : "",
			       s->enrolled ? "enrolled" : s->is_new ? "new" : "enrolled now");
			changes += !s->enrolled;
		}
		for (j = 0; j < c->nr; j++)
			changes += plan_assignment(c, &c->as[j]);
	}
	return changes;
}

/* ---- doing it ---- */

/* Students, the course and its teacher; in the caller's transaction. */
static int store_people(struct db *db, struct classroom *c, const char *teacher,
			struct provision_undo *undo)
{
	size_t j;
	int64_t id;
	int rc;

	if (!c->course_id && db_course_add(db, c->course, &c->course_id))
		return error("cannot create course %s", c->course);
	if (teacher) {
		if (db_person_upsert(db, teacher, NULL, NULL, NULL, &id))
			return -1;
		rc = enrol_person(db, c->course_id, id, teacher, ROLE_TEACHER, undo);
		if (rc == DB_EEXISTS)
			return error("--teacher %s is a student of %s", teacher, c->course);
		if (rc)
			return -1;
	}
	for (j = 0; j < c->nr_st; j++) {
		struct student *s = &c->st[j];

		rc = db_person_upsert(db, s->login, NULL, NULL, s->github, &s->person_id);
		if (rc == DB_EEXISTS)
			return error("GitHub user %s belongs to someone else", s->github);
		if (rc || enrol_person(db, c->course_id, s->person_id, s->login, ROLE_STUDENT, undo))
			return error("cannot enrol %s in %s", s->login, c->course);
	}
	return 0;
}

/*
 * The repository acc's work goes to: a new team of its group's students
 * (their own repositories, made by enrolment, go once the import commits),
 * the team that is here, or the student's own. Into acc->repo_id.
 */
static int store_repo(struct db *db, struct export *x, struct classroom *c, struct assign *a,
		      struct accepted *acc, struct provision_undo *undo)
{
	const struct student *s = &c->st[acc->members[0]];
	struct assignment here;
	const char **logins;
	int64_t team_id;
	int rc;

	if (!a->group) {
		if (db_repo_id(db, a->id_here, s->person_id, &acc->repo_id))
			return error("%s has no repository for %s/%s", s->login, c->course, a->name);
		return 0;
	}
	if (!acc->team_exists) {
		if (db_assignment_get(db, c->course, a->name, &here))
			return -1;
		logins = member_logins(c, acc);
		rc = team_form(db, &here, acc->team, logins, (int)acc->nr_members, undo, &x->doomed);
		free(logins);
		assignment_release(&here);
		if (rc)
			return -1;
	}
	if (db_team_id(db, a->id_here, acc->team, &team_id) ||
	    db_team_repo(db, team_id, &acc->repo_id))
		return error("team %s of %s/%s has no repository", acc->team, c->course, a->name);
	return 0;
}

static int store_assignment(struct db *db, struct export *x, struct classroom *c,
			    struct assign *a, struct provision_undo *undo)
{
	struct assignment as;
	size_t k, m;
	int made, mapped, added, rc = 0;

	if (!a->exists) {
		memset(&as, 0, sizeof(as));
		as.course_id = c->course_id;
		as.course = xstrdup(c->course);
		as.name = xstrdup(a->name);
		as.branch = xstrdup(a->branch);
		as.tests_dir = xstrdup(a->staged);
		as.due = a->due;
		as.max_input_size = (int64_t)PUSH_INPUT_MB << 20;
		as.max_file_size = PUSH_FILE_SIZE;
		as.max_files = PUSH_FILES;
		rc = assignment_create(db, &as, NULL, a->starter != NULL, undo, &made, &mapped);
		a->id_here = as.id;
		assignment_release(&as);
		if (rc)
			return -1;
	}
	for (k = 0; k < a->nr; k++) {
		struct accepted *acc = &a->acc[k];
		int64_t other;

		if (store_repo(db, x, c, a, acc, undo))
			return -1;
		rc = db_github_repo_find(db, acc->repo, &other);
		if (!rc && other != acc->repo_id)
			return error("GitHub's %s is already mapped to another repository", acc->repo);
		if ((rc && rc != DB_ENOTFOUND) || db_github_repo_set(db, acc->repo_id, acc->repo))
			return -1;
		/* A group's grade is each member's. */
		for (m = 0, added = 0; m < acc->nr_members; m++) {
			const struct student *s = &c->st[acc->members[m]];
			struct imported_grade g = { a->id_here, s->person_id, IMPORT_SOURCE_GITHUB,
				s->roster ? s->roster : "", acc->repo, acc->submitted,
				acc->has_points, acc->points, acc->max_points };

			if ((rc = db_imported_add(db, &g)) < 0)
				return -1;
			added |= rc;
		}
		x->added += added && !a->group;
		x->added_teams += added && a->group;
	}
	return 0;
}

static int store(struct db *db, struct export *x, const char *teacher, struct provision_undo *undo)
{
	size_t i, j;

	if (db_begin(db))
		return -1;
	for (i = 0; i < x->nr; i++) {
		if (store_people(db, &x->cr[i], teacher, undo))
			goto fail;
		for (j = 0; j < x->cr[i].nr; j++)
			if (store_assignment(db, x, &x->cr[i], &x->cr[i].as[j], undo))
				goto fail;
	}
	if (!db_commit(db)) {
		provision_undo_run(&x->doomed);
		return 0;
	}
fail:
	db_rollback(db);
	provision_undo_run(undo);
	provision_undo_release(&x->doomed);
	return -1;
}

/* Note that acc's history is mirrored up to commit, for each of its students. */
static int mirrored_set(struct db *db, const struct classroom *c, const struct assign *a,
			const struct accepted *acc, const char *commit)
{
	size_t m;

	for (m = 0; m < acc->nr_members; m++)
		if (db_imported_mirrored_set(db, a->id_here, c->st[acc->members[m]].person_id,
					     *commit ? commit : "-"))
			return -1;
	return 0;
}

/* Each student or team repository's history, once: a line per repository, [i/n] as it goes. */
static int mirror_all(struct db *db, struct export *x, int *mirrored)
{
	struct buf done = BUF_INIT, why = BUF_INIT;
	size_t i, j, k, n = 0, at = 0, failed = 0;

	for (i = 0; i < x->nr; i++)
		for (j = 0; j < x->cr[i].nr; j++)
			for (k = 0; k < x->cr[i].as[j].nr; k++) {
				struct assign *a = &x->cr[i].as[j];
				struct accepted *acc = &a->acc[k];

				buf_setlen(&done, 0);
				if (db_imported_mirrored_get(db, a->id_here,
							     x->cr[i].st[acc->members[0]].person_id, &done))
					n++;
				else
					acc->repo_id = 0;  /* mirrored before */
			}
	*mirrored = 0;
	for (i = 0; i < x->nr; i++)
		for (j = 0; j < x->cr[i].nr; j++)
			for (k = 0; k < x->cr[i].as[j].nr; k++) {
				struct assign *a = &x->cr[i].as[j];
				struct accepted *acc = &a->acc[k];
				const char *who = a->group ? acc->team :
					x->cr[i].st[acc->members[0]].login;
				char commit[GITHUB_OID_HEX + 1];
				const char *what;

				if (!acc->repo_id)
					continue;
				at++;
				if (github_mirror_history(db, acc->repo_id, &why)) {
					printf("[%zu/%zu] %s/%s/%s (%s): not mirrored: %s\n", at, n,
					       x->cr[i].course, a->name, who, acc->repo, why.buf);
					failed++;
				} else {
					what = github_mirrored(&why, commit);
					printf("[%zu/%zu] %s/%s/%s (%s): %s\n", at, n, x->cr[i].course,
					       a->name, who, acc->repo, what);
					if (mirrored_set(db, &x->cr[i], a, acc, commit))
						failed++;
					else
						(*mirrored)++;
				}
				fflush(stdout);
			}
	buf_release(&done);
	buf_release(&why);
	if (failed)
		return error("%zu of %zu repositories were not mirrored: run this again once the "
			     "reason above is fixed (what is imported stays)", failed, n);
	return 0;
}

static void export_release(struct export *x)
{
	size_t i, j, k;

	for (i = 0; i < x->nr; i++) {
		struct classroom *c = &x->cr[i];

		for (j = 0; j < c->nr; j++) {
			struct assign *a = &c->as[j];

			for (k = 0; k < a->nr; k++) {
				free(a->acc[k].members);
				free(a->acc[k].repo);
				free(a->acc[k].group);
				free(a->acc[k].team);
				free(a->acc[k].submitted);
			}
			free(a->acc);
			free(a->id);
			free(a->slug);
			free(a->title);
			free(a->name);
			free(a->branch);
			free(a->starter);
			free(a->staged);
		}
		for (j = 0; j < c->nr_st; j++) {
			free(c->st[j].github);
			free(c->st[j].login);
			free(c->st[j].roster);
		}
		free(c->st);
		free(c->as);
		free(c->id);
		free(c->name);
		free(c->course);
	}
	free(x->cr);
	if (x->tmp.len)
		fs_remove_tree(x->tmp.buf);
	buf_release(&x->tmp);
}

int cmd_import_github_classroom(int argc, const char **argv)
{
	const char *pos[1], *teacher = NULL;
	int dry_run = 0, changes, mirrored = 0, ret = -1;
	struct opt opts[] = { { "dry-run", NULL, &dry_run }, { "teacher", &teacher, NULL },
			      { NULL, NULL, NULL } };
	struct provision_undo undo = PROVISION_UNDO_INIT;
	struct export x;
	struct db *db = NULL;

	memset(&x, 0, sizeof(x));
	buf_init(&x.tmp, 0);
	if (parse_args(current_cmd(), argc, argv, opts, pos, 1, 1) ||
	    (teacher && name_check("login", teacher)))
		return -1;
	x.dir = pos[0];
	if (read_export(&x) || cli_open_db(&db) || look_here(db, &x, teacher))
		goto done;
	git_libgit2_init();
	if (stage_starters(db, &x))
		goto shutdown;
	check_specs(&x);
	changes = plan(&x, teacher);
	if (dry_run) {
		printf("dry run: nothing was changed\n");
		ret = 0;
		goto shutdown;
	}
	if (store(db, &x, teacher, &undo))
		goto shutdown;
	provision_undo_release(&undo);
	ret = mirror_all(db, &x, &mirrored);
	if (!ret && !changes && !mirrored && !x.added && !x.added_teams)
		printf("nothing to change: this export was imported before\n");
	else if (!ret)
		printf("imported: %d student repositor%s and %d team repositor%s recorded, %d "
		       "repositor%s mirrored\n", x.added, x.added == 1 ? "y" : "ies", x.added_teams,
		       x.added_teams == 1 ? "y" : "ies", mirrored, mirrored == 1 ? "y" : "ies");
shutdown:
	git_libgit2_shutdown();
done:
	export_release(&x);
	db_close(db);
	return ret;
}
