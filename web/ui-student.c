/* ui-student.c: a student's pages behind their secret link /me/LOGIN/KEY. */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "html.h"
#include "web.h"
#include "../db/counted.h"
#include "../db/model.h"
#include "../db/teams.h"
#include "../db/report.h"
#include "../db/web.h"
#include "../lib/crypto.h"
#include "../lib/home.h"
#include "../lib/names.h"
#include "../lib/secret.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

struct table {
	struct request *r;
	const struct viewer *v;
	int rows;
	struct buf github_url;  /* where mirrored commits link to */
};

static int submission_row(const struct submission_row *s, void *data)
{
	struct table *t = data;
	struct buf *o = &t->r->out;

	t->rows++;
	html_rawf(o, "<tr><td><a href=\"%s/s/%lld\">#%lld</a></td><td>", t->v->base.buf,
		  (long long)s->id, (long long)s->id);
	web_time(o, s->received);
	html_raw(o, "</td><td>");
	if (s->late_seconds) {
		html_raw(o, "<span class=\"st st-late\">late ");
		time_format_duration(o, s->late_seconds);
		html_raw(o, "</span>");
	} else {
		html_raw(o, "<span class=\"st st-ontime\">on time</span>");
	}
	html_raw(o, "</td><td class=\"num\">");
	web_score(o, s->has_score, s->score, s->max_score);
	html_raw(o, "</td><td>");
	web_submission_state(o, s->state, s->status, s->via);
	html_raw(o, "</td><td class=\"hide-small\">");
	web_commit(o, s->commit, 10, s->via, s->github_repo, t->github_url.buf);
	if (s->team && s->pusher) {
		html_raw(o, " by ");
		html_txt(o, s->pusher);
	}
	html_raw(o, "</td></tr>\n");
	return 0;
}

/* The compare form's options: every submission, newest first; from the second, to the first. */
struct options {
	struct buf from, to;
	int n;
};

static int submission_option(const struct submission_row *s, void *data)
{
	struct options *opt = data;
	struct buf label = BUF_INIT;

	html_rawf(&label, "#%lld ", (long long)s->id);
	web_time(&label, s->received);
	html_rawf(&opt->from, "<option value=\"%lld\"%s>%s</option>", (long long)s->id,
		  opt->n == 1 ? " selected" : "", label.buf);
	html_rawf(&opt->to, "<option value=\"%lld\"%s>%s</option>", (long long)s->id,
		  opt->n == 0 ? " selected" : "", label.buf);
	opt->n++;
	buf_release(&label);
	return 0;
}

int ui_submission_table(struct request *r, const struct viewer *v, const struct assignment *a,
			const char *login)
{
	struct table t = { r, v, 0, BUF_INIT };
	struct options opt = { BUF_INIT, BUF_INIT, 0 };
	struct buf *o = &r->out;
	int rc = 0;

	web_github_url(r->db, &t.github_url);

	html_raw(o, "<div class=\"scroll\"><table class=\"subs\"><tr><th>Submission</th>"
		 "<th>Received</th><th>Deadline</th><th class=\"num\">Score</th><th>Status</th>"
		 "<th class=\"hide-small\">Commit</th></tr>\n");
	if (db_submissions_each(r->db, a->id, login, submission_row, &t)) {
		rc = -1;
		goto done;
	}
	html_raw(o, "</table></div>\n");
	if (!t.rows)
		html_raw(o, "<p class=\"meta\">No submissions yet.</p>\n");
	if (t.rows < 2)
		goto done;
	if (db_submissions_each(r->db, a->id, login, submission_option, &opt)) {
		rc = -1;
		goto done;
	}
	html_rawf(o, "<form method=\"get\" action=\"%s/diff\" class=\"box\">Changes from "
		  "<select name=\"from\" aria-label=\"from\">", v->base.buf);
	buf_add(o, opt.from.buf, opt.from.len);
	html_raw(o, "</select> to <select name=\"to\" aria-label=\"to\">");
	buf_add(o, opt.to.buf, opt.to.len);
	html_raw(o, "</select> <button type=\"submit\">Compare</button></form>\n");
done:
	buf_release(&t.github_url);
	buf_release(&opt.from);
	buf_release(&opt.to);
	return rc;
}

struct overview {
	struct request *r;
	const struct viewer *v;
	const char *login;
	int64_t person_id, course_id;
};

/* The branches of the student's repository; only the graded one becomes submissions. */
static void branches(struct request *r, const struct assignment *a, const char *login)
{
	struct buf path = BUF_INIT, *o = &r->out;
	git_repository *repo = NULL;
	git_branch_iterator *it = NULL;
	git_reference *ref;
	git_branch_t type;
	int any = 0;

	home_path(&path, "repos/%s/%s/%s.git", a->course, a->name, login);
	if (git_repository_open_bare(&repo, path.buf) ||
	    git_branch_iterator_new(&it, repo, GIT_BRANCH_LOCAL))
		goto done;
	while (!git_branch_next(&ref, &type, it)) {
		const char *name = NULL;
		git_commit *c = NULL;

		if (!git_branch_name(&name, ref) && name) {
			if (!any)
				html_raw(o, "<details><summary>Branches in your repository</summary><ul>");
			any = 1;
			html_raw(o, "<li><code>");
			html_txt(o, name);
			html_raw(o, "</code>");
			if (!strcmp(name, a->branch))
				html_raw(o, " (graded)");
			if (git_reference_target(ref) &&
			    !git_commit_lookup(&c, repo, git_reference_target(ref))) {
				html_raw(o, ": ");
				html_txt(o, git_commit_summary(c) ? git_commit_summary(c) : "");
				git_commit_free(c);
			}
			html_raw(o, "</li>");
		}
		git_reference_free(ref);
	}
	if (any)
		html_raw(o, "</ul></details>\n");
done:
	git_branch_iterator_free(it);
	git_repository_free(repo);
	buf_release(&path);
}

/* Under the course's heading: what is left of the grace days, if the course gives any. */
static int grace_days_left(struct overview *ov, int64_t course_id)
{
	struct buf *o = &ov->r->out;
	int64_t budget, spent;

	if (db_course_grace_days(ov->r->db, course_id, &budget) ||
	    db_grace_days_spent(ov->r->db, course_id, ov->person_id, &spent))
		return -1;
	if (budget)
		html_rawf(o, "<p class=\"meta grace\">grace days: %lld of %lld left (each day a "
			  "submission is late spends one before any late penalty)</p>\n",
			  (long long)(budget - spent), (long long)budget);
	return 0;
}

/* Which submission counts for the assignment and what it came to. */
static int counted_line(struct overview *ov, const struct assignment *a)
{
	struct buf *o = &ov->r->out;
	struct counted_row c;
	int rule = db_assignment_counts(ov->r->db, a->id);
	int rc = db_counted_get(ov->r->db, a->id, ov->person_id, &c);

	if (rule < 0 || (rc && rc != DB_ENOTFOUND))
		return -1;
	html_rawf(o, "<p class=\"meta counted\">counts: your %s submission",
		  rule == COUNTS_CHOSEN ? "chosen (git push -o submit)" : counts_rule_names[rule]);
	if (c.submission_id)
		html_rawf(o, " &middot; counted: <a href=\"%s/s/%lld\">#%lld</a>", ov->v->base.buf,
			  (long long)c.submission_id, (long long)c.submission_id);
	if (c.has_score) {
		html_raw(o, " &middot; grade ");
		web_score(o, 1, c.score, c.max_score);
	}
	if (c.grace_days)
		html_rawf(o, " &middot; %lld grace day%s spent", (long long)c.grace_days,
			  c.grace_days == 1 ? "" : "s");
	if (c.override_id) {
		html_raw(o, c.override_score ? " &middot; score set by your teacher: " :
			 " &middot; late penalty waived by your teacher: ");
		html_txt(o, c.reason);
	}
	html_raw(o, "</p>\n");
	return 0;
}

static int overview_assignment(const struct assignment *a, void *data)
{
	struct overview *ov = data;
	struct buf *o = &ov->r->out, team = BUF_INIT;
	int rc;

	if (a->course_id != ov->course_id) {
		html_raw(o, "<h2>");
		html_txt(o, a->course);
		html_raw(o, "</h2>\n");
		ov->course_id = a->course_id;
		if (grace_days_left(ov, a->course_id))
			return -1;
	}
	html_raw(o, "<section class=\"box\"><h3>");
	html_txt(o, a->name);
	html_raw(o, "</h3><p class=\"meta\">due ");
	web_time(o, a->due);
	html_raw(o, " &middot; graded branch <code>");
	html_txt(o, a->branch);
	html_rawf(o, "</code> &middot; a push may carry %lld MiB",
		  (long long)(a->max_input_size >> 20));
	/* A team's members push to COURSE/NAME/TEAM, and share its submissions. */
	rc = db_team_of(ov->r->db, a->id, ov->v->person_id, &team);
	if (!rc) {
		html_raw(o, " &middot; team <code>");
		html_txt(o, team.buf);
		html_raw(o, "</code>");
	}
	html_raw(o, "</p>\n");
	if ((rc && rc != DB_ENOTFOUND) || counted_line(ov, a) ||
	    ui_submission_table(ov->r, ov->v, a, ov->login)) {
		buf_release(&team);
		return -1;
	}
	branches(ov->r, a, team.len ? team.buf : ov->login);
	html_raw(o, "</section>\n");
	buf_release(&team);
	return 0;
}

static int overview(struct request *r, const struct viewer *v, const struct person *p)
{
	struct overview ov = { r, v, p->login, p->id, 0 };

	page_begin(r, "Your submissions");
	html_raw(&r->out, "<p class=\"meta\">");
	html_txt(&r->out, *p->name ? p->name : p->login);
	html_raw(&r->out, " &middot; this page's address is your personal key: do not share it.</p>\n");
	if (db_person_assignments_each(r->db, p->id, ROLE_STUDENT, overview_assignment, &ov))
		return -1;
	page_end(r);
	return 0;
}

/*
 * /me/LOGIN/KEY[/s/ID[/log] | /diff]. An unknown login, a wrong key and
 * another student's submission all end in the same 404.
 */
int ui_student(struct request *r, const char *rest)
{
	struct viewer v = { 0, 0, 0, BUF_INIT };
	struct buf want = BUF_INIT;
	char *copy = NULL, *seg[5];
	struct person p = { 0 };
	int n, is_dir, found, rc = WEB_NOTFOUND;

	r->no_store = 1;
	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD"))
		return WEB_NOTFOUND;
	n = path_split(rest, &copy, seg, 5, &is_dir);
	if (n < 2 || name_valid(seg[0]))
		goto done;
	found = db_person_get(r->db, seg[0], &p);
	if (found && found != DB_ENOTFOUND) {
		rc = found;     /* the database failed: not a 404 */
		goto done;
	}
	found = !found;
	/* Compute a key either way, so an unknown login costs what a known one does. */
	if (secret_web_key(&want, seg[0], found ? p.token_gen : -1)) {
		rc = -1;
		goto done;
	}
	if (!crypto_equal(want.buf, want.len, seg[1], strlen(seg[1])) || !found)
		goto done;
	v.person_id = p.id;
	buf_addf(&v.base, "/me/%s/%s", p.login, want.buf);
	if (n == 2)
		rc = overview(r, &v, &p);
	else if (n >= 4 && n <= 5 && !strcmp(seg[2], "s") && (n == 4 || !strcmp(seg[4], "log")))
		rc = ui_submission(r, &v, parse_id(seg[3]), n == 5 ? seg[4] : NULL);
	else if (n == 3 && !strcmp(seg[2], "diff"))
		rc = ui_diff(r, &v);
done:
	if (p.login)
		person_release(&p);
	buf_release(&want);
	buf_release(&v.base);
	free(copy);
	return rc;
}
