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
#include "../db/github.h"
#include "../db/import.h"
#include "../db/model.h"
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

/* An accepted assignment of an individual assignment: its student and repository. */
struct accepted {
	size_t student;         /* index into the classroom's students */
	char *repo;             /* owner/name */
	int has_points;         /* from grades.csv */
	double points, max_points;
	char *submitted;
	int64_t repo_id;        /* once created */
};

struct assign {
	char *id, *title, *name, *branch;
	int group;
	size_t groups;          /* a group assignment's accepted assignments, skipped */
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
	int added;              /* rows of imported_grades the import added */
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
	char *login = NULL, *name = NULL;
	size_t j;
	int rc = -1;

	buf_addf(&f, "[%zu]", i);
	if (!json_is_object(o)) {
		rc = bad(file, f.buf, "not an object");
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
		if (!a->group) {
			ALLOC_GROW(a->acc, a->nr + 1, a->alloc);
			memset(&a->acc[a->nr], 0, sizeof(a->acc[a->nr]));
			a->acc[a->nr].student = student_add(c, login);
			a->acc[a->nr].repo = name;
			a->acc[a->nr].submitted = xstrdup("");
			name = NULL;
			a->nr++;
		}
	}
	if (a->group)
		a->groups++;
	rc = 0;
done:
	free(login);
	free(name);
	buf_release(&f);
	return rc;
}

enum { G_USER, G_ROSTER, G_REPO, G_TIME, G_POINTS, G_AVAILABLE, NR_G };
static const char *const g_cols[NR_G] = { "github_username", "roster_identifier",
	"student_repository_name", "submission_timestamp", "points_awarded", "points_available" };

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

/* One row of grades.csv: GitHub's grade for a student who accepted the assignment. */
static int grade_row(struct classroom *c, struct assign *a, const char *file,
		     const struct csv_row *row, const int *col)
{
	const char *v[NR_G];
	struct buf f = BUF_INIT;
	struct accepted *acc = NULL;
	size_t i;
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
	for (i = 0; i < a->nr && !acc; i++)
		if (!strcasecmp(c->st[a->acc[i].student].github, v[G_USER]))
			acc = &a->acc[i];
	buf_addf(&f, "line %d, column github_username", row->line);
	if (!acc) {
		bad(file, f.buf, "'%s' has no accepted assignment in accepted-assignments.json",
		    v[G_USER]);
		buf_release(&f);
		return -1;
	}
	buf_release(&f);
	if (*v[G_ROSTER] && !c->st[acc->student].roster)
		c->st[acc->student].roster = xstrdup(v[G_ROSTER]);
	free(acc->submitted);
	acc->submitted = xstrdup(v[G_TIME]);
	if (!*v[G_POINTS] && !*v[G_AVAILABLE])
		return 0;
	if (points(file, row->line, G_POINTS, v[G_POINTS], &acc->points) ||
	    points(file, row->line, G_AVAILABLE, v[G_AVAILABLE], &acc->max_points))
		return -1;
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
		    (col[G_TIME] >= 0 && row.nr <= (size_t)col[G_TIME])) {
			struct buf f = BUF_INIT;

			buf_addf(&f, "line %d", row.line);
			bad(rel, f.buf, "fewer fields than the header");
			buf_release(&f);
			goto done;
		}
		if (!a->group && grade_row(c, a, rel, &row, col))
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
	for (i = 0; i < a->nr; i++) {
		size_t j;

		for (j = 0; j < i; j++)
			if (a->acc[j].student == a->acc[i].student) {
				struct buf f = BUF_INIT;

				buf_addf(&f, "[%zu].students[0].login", i);
				bad(rel.buf, f.buf, "'%s' accepted the assignment twice",
				    c->st[a->acc[i].student].github);
				buf_release(&f);
				goto done;
			}
	}
	buf_setlen(&rel, 0);
	buf_addf(&rel, "%s/grades.csv", dir.buf);
	ret = read_grades(x, c, a, rel.buf);
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

			if (a->group)
				continue;
			rc = db_assignment_get(db, c->course, a->name, &here);
			if (!rc) {
				a->exists = 1;
				a->id_here = here.id;
				assignment_release(&here);
			} else if (rc != DB_ENOTFOUND) {
				return -1;
			}
		}
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
			n += !x->cr[i].as[j].group && !x->cr[i].as[j].exists;
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

			if (a->group || a->exists)
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

/* Print what will be done (or was done); the number of things that change. */
static int plan(const struct export *x, const char *teacher)
{
	size_t i, j, k;
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
		for (j = 0; j < c->nr; j++) {
			const struct assign *a = &c->as[j];
			struct buf b = BUF_INIT;
			int grades = 0;

			if (a->group) {
				printf("  assignment %s (\"%s\", group): skipped: Lifebelt has no teams, "
				       "so a group's repository cannot be one student's; its %zu group "
				       "repositor%s and grades are not imported\n", a->id, a->title,
				       a->groups, a->groups == 1 ? "y" : "ies");
				continue;
			}
			for (k = 0; k < a->nr; k++)
				grades += a->acc[k].has_points;
			say_due(&b, a);
			printf("  assignment %s (\"%s\"): %s, %s; %zu student repositor%s, %d "
			       "grade%s from GitHub\n", a->name, a->title, a->exists ? "exists" : "new",
			       b.buf, a->nr, a->nr == 1 ? "y" : "ies", grades, grades == 1 ? "" : "s");
			changes += !a->exists;
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
			buf_release(&b);
		}
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

static int store_assignment(struct db *db, struct export *x, struct classroom *c,
			    struct assign *a, struct provision_undo *undo)
{
	struct assignment as;
	size_t k;
	int made, mapped, rc = 0;

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
		const struct student *s = &c->st[acc->student];
		struct imported_grade g = { a->id_here, s->person_id, IMPORT_SOURCE_GITHUB,
			s->roster ? s->roster : "", acc->repo, acc->submitted, acc->has_points,
			acc->points, acc->max_points };
		int64_t other;

		if (db_repo_id(db, a->id_here, s->person_id, &acc->repo_id))
			return error("%s has no repository for %s/%s", s->login, c->course, a->name);
		rc = db_github_repo_find(db, acc->repo, &other);
		if (!rc && other != acc->repo_id)
			return error("GitHub's %s is already mapped to another student repository",
				     acc->repo);
		if ((rc && rc != DB_ENOTFOUND) || db_github_repo_set(db, acc->repo_id, acc->repo) ||
		    (rc = db_imported_add(db, &g)) < 0)
			return -1;
		x->added += rc;
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
			if (!x->cr[i].as[j].group &&
			    store_assignment(db, x, &x->cr[i], &x->cr[i].as[j], undo))
				goto fail;
	}
	if (!db_commit(db))
		return 0;
fail:
	db_rollback(db);
	provision_undo_run(undo);
	return -1;
}

/* Each student repository's history, once: a line per repository, [i/n] as it goes. */
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
				if (db_repo_id(db, a->id_here, x->cr[i].st[acc->student].person_id,
					       &acc->repo_id))
					return -1;
				if (db_imported_mirrored_get(db, a->id_here,
							     x->cr[i].st[acc->student].person_id, &done))
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
				const struct student *s = &x->cr[i].st[acc->student];
				char commit[GITHUB_OID_HEX + 1];
				const char *what;

				if (!acc->repo_id)
					continue;
				at++;
				if (github_mirror_history(db, acc->repo_id, &why)) {
					printf("[%zu/%zu] %s/%s/%s (%s): not mirrored: %s\n", at, n,
					       x->cr[i].course, a->name, s->login, acc->repo, why.buf);
					failed++;
				} else {
					what = github_mirrored(&why, commit);
					printf("[%zu/%zu] %s/%s/%s (%s): %s\n", at, n, x->cr[i].course,
					       a->name, s->login, acc->repo, what);
					if (db_imported_mirrored_set(db, a->id_here, s->person_id,
								     *commit ? commit : "-"))
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
				free(a->acc[k].repo);
				free(a->acc[k].submitted);
			}
			free(a->acc);
			free(a->id);
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
	if (!ret && !changes && !mirrored && !x.added)
		printf("nothing to change: this export was imported before\n");
	else if (!ret)
		printf("imported: %d student repositor%s recorded, %d repositor%s mirrored\n",
		       x.added, x.added == 1 ? "y" : "ies", mirrored, mirrored == 1 ? "y" : "ies");
shutdown:
	git_libgit2_shutdown();
done:
	export_release(&x);
	db_close(db);
	return ret;
}
