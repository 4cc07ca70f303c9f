/* cmd-assignment-edit.c: `lifebelt assignment list|show|edit` and `lifebelt me`. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "cli.h"
#include "../db/access.h"
#include "../db/edits.h"
#include "../db/model.h"
#include "../db/report.h"
#include "../db/tests.h"
#include "../gitd/tests.h"
#include "../hooks/receipt.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/number.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

/* ---- what an assignment's fields look like, on screen and in the log ---- */

static void fmt_close(struct buf *b, int64_t close)
{
	if (close)
		time_format(b, close);
	else
		buf_adds(b, "never");
}

static void fmt_points(struct buf *b, double points)
{
	if (points > 0)
		buf_addf(b, "%g", points);
	else
		buf_adds(b, "the tests' total");
}

/* ---- assignment list ---- */

struct list_ctx {
	struct db *db;
	int nr;
};

static int list_one(const struct assignment *a, void *data)
{
	struct list_ctx *l = data;
	struct buf b = BUF_INIT;
	int64_t subs = 0;

	if (db_assignment_submissions(l->db, a->id, &subs))
		return -1;
	buf_addf(&b, "%-16s ", a->name);
	time_format(&b, a->due);
	buf_adds(&b, "  ");
	fmt_close(&b, a->close);
	buf_addf(&b, "%*s  %7g%%  %4lld  ", a->close ? 0 : 18, "", a->late_penalty,
		 (long long)a->late_days);
	if (a->points > 0)
		buf_addf(&b, "%6g", a->points);
	else
		buf_adds(&b, " tests");
	buf_addf(&b, "  %-12.12s  %-10s %5lld", a->tests_version, a->branch, (long long)subs);
	puts(b.buf);
	buf_release(&b);
	l->nr++;
	return 0;
}

int cmd_assignment_list(int argc, const char **argv)
{
	const char *pos[1];
	struct list_ctx l = { NULL, 0 };
	int64_t course_id;
	int rc;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 1, 1) ||
	    name_check("course", pos[0]) || cli_open_db_readonly(&l.db))
		return -1;
	rc = db_course_id(l.db, pos[0], &course_id);
	if (rc == DB_ENOTFOUND)
		error("no course '%s'", pos[0]);
	if (!rc) {
		printf("%-16s %-23s  %-23s  %8s  %4s  %6s  %-12s  %-10s %5s\n", "NAME", "DUE",
		       "CLOSE", "PENALTY", "DAYS", "POINTS", "TESTS", "BRANCH", "SUBS");
		rc = db_assignment_each(l.db, course_id, list_one, &l);
		if (!rc && !l.nr)
			printf("(no assignments; add one with 'lifebelt assignment add %s NAME ...')\n",
			       pos[0]);
	}
	db_close(l.db);
	return rc ? -1 : 0;
}

/* ---- assignment show ---- */

static int show_edit(const struct edit_row *e, void *data)
{
	struct buf b = BUF_INIT;

	(void)data;
	buf_adds(&b, "  ");
	time_format(&b, e->at);
	buf_addf(&b, "  %s: %s %s -> %s", e->who, e->field, e->old, e->new_value);
	puts(b.buf);
	buf_release(&b);
	return 0;
}

int cmd_assignment_show(int argc, const char **argv)
{
	const char *pos[2];
	struct assignment a;
	struct buf b = BUF_INIT;
	struct db *db;
	int64_t subs = 0;
	int rc;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 2, 2) ||
	    cli_open_assignment(pos[0], pos[1], 0, &db, &a))
		return -1;
	rc = db_assignment_submissions(db, a.id, &subs);
	buf_addf(&b, "assignment:    %s/%s\ndue:           ", a.course, a.name);
	time_format(&b, a.due);
	buf_adds(&b, "\nclose:         ");
	fmt_close(&b, a.close);
	buf_addf(&b, "\nlate penalty:  %g%% per started day\nlate days:     %lld\npoints:        ",
		 a.late_penalty, (long long)a.late_days);
	fmt_points(&b, a.points);
	buf_addf(&b, "\ntests version: %s\nbranch:        %s\nmax push:      %lld MiB\n"
		 "submissions:   %lld\nchanges:", a.tests_version, a.branch,
		 (long long)(a.max_input_size >> 20), (long long)subs);
	puts(b.buf);
	if (!rc)
		rc = db_edits_each(db, a.id, show_edit, NULL);
	buf_release(&b);
	assignment_release(&a);
	db_close(db);
	return rc ? -1 : 0;
}

/* ---- assignment edit ---- */

struct edit_opts {
	const char *due, *close, *penalty, *late_days, *points, *branch, *version;
};

/* Check every value given before anything is opened; the new values into n. */
static int edit_parse(const struct edit_opts *o, const struct assignment *a, struct assignment *n)
{
	if (o->due && cli_time("--due", o->due, &n->due))
		return -1;
	if (o->late_days && number_arg("--late-days", o->late_days, 0, 365, &n->late_days))
		return -1;
	if (o->close && !strcmp(o->close, "never"))
		n->close = 0;
	else if (o->close && cli_time("--close", o->close, &n->close))
		return -1;
	else if (!o->close && o->late_days)
		n->close = n->due + n->late_days * TIME_DAY;
	else if (!o->close && o->due && a->late_days && a->close == a->due + a->late_days * TIME_DAY)
		/* A close time that came from --late-days moves with the due time. */
		n->close = n->due + a->late_days * TIME_DAY;
	if (n->close && n->close < n->due) {
		struct buf b = BUF_INIT;

		buf_adds(&b, "the close time ");
		time_format(&b, n->close);
		buf_adds(&b, " would be before the due time ");
		time_format(&b, n->due);
		error("%s; give a later --close (or --close never); nothing changed", b.buf);
		buf_release(&b);
		return -1;
	}
	if (o->penalty && cli_number("--late-penalty", o->penalty, 0, 100, &n->late_penalty))
		return -1;
	if (o->points && !strcmp(o->points, "tests"))
		n->points = 0;
	else if (o->points && (cli_number("--points", o->points, 0, 1000000, &n->points) ||
			       (n->points <= 0 && error("bad value for --points: '%s' (more than 0, "
							"or 'tests' for the tests' own total)",
							o->points))))
		return -1;
	return 0;
}

/* The version named, checked and written out into dir; commit its 40 hex digits. */
static int edit_tests(const struct assignment *a, const char *version, struct buf *commit,
		      struct buf *dir)
{
	struct buf path = BUF_INIT, why = BUF_INIT;
	git_repository *repo = NULL;
	int rc = -1;

	git_libgit2_init();
	tests_repo_path(&path, a->course, a->name);
	if (git_repository_open_bare(&repo, path.buf) || tests_resolve(repo, version, commit)) {
		error("no tests version '%s' of %s/%s: give a commit of its tests repository "
		      "(git log in a clone of %s/%s/tests); nothing changed", version, a->course,
		      a->name, a->course, a->name);
		goto done;
	}
	if (tests_stage(a, repo, commit->buf, dir, &why)) {
		error("tests version %s cannot be installed: %s; nothing changed", version, why.buf);
		goto done;
	}
	rc = 0;
done:
	git_repository_free(repo);
	git_libgit2_shutdown();
	buf_release(&path);
	buf_release(&why);
	return rc;
}

struct change {
	const char *field;
	struct buf old, new_value;
};

static void change_add(struct change *c, int *nr, const char *field, const struct buf *old,
		       const struct buf *new_value)
{
	if (!strcmp(old->buf, new_value->buf))
		return;
	c[*nr].field = field;
	buf_init(&c[*nr].old, 0);
	buf_init(&c[*nr].new_value, 0);
	buf_adds(&c[*nr].old, old->buf);
	buf_adds(&c[*nr].new_value, new_value->buf);
	(*nr)++;
}

/* Each field whose shown value differs between a and n. */
static int edit_changes(const struct assignment *a, const struct assignment *n,
			const char *commit, struct change *c)
{
	struct buf o = BUF_INIT, v = BUF_INIT;
	int nr = 0;

#define CHANGE(field, fmt_a, fmt_n) do { \
		buf_reset(&o); buf_reset(&v); fmt_a; fmt_n; change_add(c, &nr, field, &o, &v); \
	} while (0)
	CHANGE("due", time_format(&o, a->due), time_format(&v, n->due));
	CHANGE("close", fmt_close(&o, a->close), fmt_close(&v, n->close));
	CHANGE("late_penalty", buf_addf(&o, "%g", a->late_penalty), buf_addf(&v, "%g", n->late_penalty));
	CHANGE("late_days", buf_addf(&o, "%lld", (long long)a->late_days),
	       buf_addf(&v, "%lld", (long long)n->late_days));
	CHANGE("points", fmt_points(&o, a->points), fmt_points(&v, n->points));
	CHANGE("branch", buf_adds(&o, a->branch), buf_adds(&v, n->branch));
	if (commit)
		CHANGE("tests_version", buf_adds(&o, a->tests_version), buf_adds(&v, commit));
#undef CHANGE
	buf_release(&o);
	buf_release(&v);
	return nr;
}

#define EDIT_FIELDS 7

int cmd_assignment_edit(int argc, const char **argv)
{
	const char *pos[2];
	struct edit_opts o = { NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	struct opt opts[] = {
		{ "due", &o.due, NULL }, { "close", &o.close, NULL },
		{ "late-penalty", &o.penalty, NULL }, { "late-days", &o.late_days, NULL },
		{ "points", &o.points, NULL }, { "branch", &o.branch, NULL },
		{ "tests-version", &o.version, NULL }, { NULL, NULL, NULL }
	};
	struct change c[EDIT_FIELDS];
	struct buf who = BUF_INIT, commit = BUF_INIT, dir = BUF_INIT, old_dir = BUF_INIT;
	struct assignment a, n;
	struct db *db = NULL;
	int i, nr = 0, relate = 0, ret = -1;

	memset(&a, 0, sizeof(a));
	if (parse_args(current_cmd(), argc, argv, opts, pos, 2, 2) ||
	    name_check("course", pos[0]) || name_check("assignment", pos[1]) ||
	    (o.branch && name_check("branch", o.branch)))
		return -1;
	if (!o.due && !o.close && !o.penalty && !o.late_days && !o.points && !o.branch && !o.version)
		return error("nothing to change: give --due, --close, --late-penalty, --late-days, "
			     "--points, --branch or --tests-version");
	if (cli_open_assignment(pos[0], pos[1], 1, &db, &a))
		return -1;
	n = a;
	if (o.branch)
		n.branch = (char *)o.branch;
	if (edit_parse(&o, &a, &n) || (o.version && edit_tests(&a, o.version, &commit, &dir)))
		goto done;
	nr = edit_changes(&a, &n, o.version ? commit.buf : NULL, c);
	if (!nr) {
		printf("%s/%s: nothing changed (the values given are the ones it has)\n", a.course,
		       a.name);
		ret = 0;
		goto done;
	}
	cli_actor(&who);
	if (db_begin(db))
		goto done;
	if (db_assignment_update(db, &n) ||
	    (o.version && db_tests_record(db, a.id, dir.buf, commit.buf, "local", who.buf, &old_dir)))
		goto fail;
	for (i = 0; i < nr; i++)
		if (db_edit_log(db, a.id, who.buf, c[i].field, c[i].old.buf, c[i].new_value.buf))
			goto fail;
	if ((relate = db_late_recompute(db, a.id)) < 0 || db_commit(db))
		goto fail;
	if (o.version)
		tests_prune(&a, commit.buf, old_dir.buf);
	for (i = 0; i < nr; i++)
		printf("%s/%s: %s %s -> %s\n", a.course, a.name, c[i].field, c[i].old.buf,
		       c[i].new_value.buf);
	printf("lateness changed for %d submission%s; the gradebook follows at once "
	       "('lifebelt grades %s %s')\n", relate, relate == 1 ? "" : "s", a.course, a.name);
	if (o.version)
		printf("graded work keeps its scores: 'lifebelt regrade %s %s' grades it with "
		       "the tests of %.12s\n", a.course, a.name, commit.buf);
	ret = 0;
	goto done;
fail:
	db_rollback(db);
	error("cannot change %s/%s; nothing changed", a.course, a.name);
done:
	for (i = 0; i < nr; i++) {
		buf_release(&c[i].old);
		buf_release(&c[i].new_value);
	}
	assignment_release(&a);
	buf_release(&who);
	buf_release(&commit);
	buf_release(&dir);
	buf_release(&old_dir);
	db_close(db);
	return ret;
}

/* ---- me ---- */

struct me_ctx {
	struct db *db;
	const char *login;
	const struct assignment *a;
	int courses;
};

static int me_grade(const struct grade_row *r, void *data)
{
	struct me_ctx *m = data;
	struct buf b = BUF_INIT;

	if (strcmp(r->login, m->login))
		return 0;
	buf_adds(&b, "    counts: ");
	if (r->has_score)
		buf_addf(&b, "%g/%g", r->final, r->max_score);
	else
		buf_adds(&b, "nothing graded yet");
	if (r->has_score && r->late_days)
		buf_addf(&b, " (%g before the late penalty, %lld day%s late)", r->raw,
			 (long long)r->late_days, r->late_days == 1 ? "" : "s");
	puts(b.buf);
	buf_release(&b);
	return 0;
}

/* One submission with its receipt, the line the push printed: proof of what was received when. */
static int me_submission(const struct submission_row *s, void *data)
{
	struct me_ctx *m = data;
	struct receipt r;
	struct buf b = BUF_INIT;

	buf_adds(&b, "    ");
	time_format(&b, s->received);
	buf_addf(&b, "  %.10s  ", s->commit);
	if (s->late_seconds > 0) {
		buf_adds(&b, "late ");
		time_format_duration(&b, s->late_seconds);
	} else {
		buf_adds(&b, "on time");
	}
	buf_addf(&b, "  %s", *s->status ? s->status : *s->state ? s->state : "-");
	if (s->has_score)
		buf_addf(&b, " %g/%g", s->score, s->max_score);
	memset(&r, 0, sizeof(r));
	snprintf(r.course, sizeof(r.course), "%s", m->a->course);
	snprintf(r.name, sizeof(r.name), "%s", m->a->name);
	snprintf(r.login, sizeof(r.login), "%s", m->login);
	snprintf(r.commit, sizeof(r.commit), "%s", s->commit);
	r.received = s->received;
	buf_adds(&b, "\n      receipt: ");
	if (receipt_make(&b, &r))
		buf_adds(&b, "(the server key cannot be read)");
	puts(b.buf);
	buf_release(&b);
	return 0;
}

static int me_assignment(const struct assignment *a, void *data)
{
	struct me_ctx *m = data;
	struct buf b = BUF_INIT;
	int rc;

	buf_addf(&b, "  %s: due ", a->name);
	time_format(&b, a->due);
	if (a->close) {
		buf_adds(&b, ", closes ");
		time_format(&b, a->close);
	}
	puts(b.buf);
	buf_release(&b);
	m->a = a;
	rc = db_grades_each(m->db, a, me_grade, m);
	if (!rc)
		rc = db_submissions_each(m->db, a->id, m->login, me_submission, m);
	return rc;
}

static int me_course(const char *course, const char *role, void *data)
{
	struct me_ctx *m = data;
	int64_t id;

	m->courses++;
	if (!strcmp(role, ROLE_TEACHER)) {
		printf("%s: you teach it (ssh ... lifebelt help: what you may run)\n", course);
		return 0;
	}
	printf("%s:\n", course);
	if (db_course_id(m->db, course, &id))
		return -1;
	return db_assignment_each(m->db, id, me_assignment, m);
}

int cmd_me(int argc, const char **argv)
{
	const char *pos[1];
	struct me_ctx m = { NULL, NULL, NULL, 0 };
	int rc;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 1, 1) ||
	    name_check("login", pos[0]) || cli_open_db_readonly(&m.db))
		return -1;
	m.login = pos[0];
	rc = db_access_courses_each(m.db, m.login, me_course, &m);
	if (!rc && !m.courses)
		printf("%s is in no course yet\n", m.login);
	db_close(m.db);
	return rc ? -1 : 0;
}
