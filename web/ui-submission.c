/* ui-submission.c: one submission (tests, build log, live status) and the changes between two. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <microhttpd.h>

#include "diff.h"
#include "html.h"
#include "web.h"
#include "../db/model.h"
#include "../db/queue.h"
#include "../db/submission.h"
#include "../db/teams.h"
#include "../db/web.h"
#include "../lib/giterr.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/verdict.h"
#include "../lib/banned.h"

/* A live page reloads itself this often (meta refresh: no JavaScript, fits the CSP). */
#define LIVE_REFRESH_SECONDS 3
/* The results a submission's page shows, whatever the job recorded. */
#define RESULTS_MAX_ROWS 2000
#define RESULTS_MAX_TEXT (2 * 1024 * 1024)      /* outputs and details together, bytes */

/* Load submission id if the viewer may see it; WEB_NOTFOUND for missing and not theirs alike. */
static int load_visible(struct request *r, const struct viewer *v, int64_t id,
			struct web_submission *s)
{
	const char *role;
	int rc;

	if (!id)
		return WEB_NOTFOUND;
	rc = db_web_submission(r->db, id, s);
	if (rc)
		return rc == DB_ENOTFOUND ? WEB_NOTFOUND : rc;
	if (v->teacher) {
		rc = db_role(r->db, s->course_id, v->teacher_id, &role);
		if (!rc && !strcmp(role, ROLE_TEACHER))
			return 0;
	} else if (s->team ? !db_team_repo_has(r->db, s->repo_id, v->person_id) :
		   s->person_id == v->person_id) {
		return 0;
	}
	web_submission_release(s);
	return rc && rc != DB_ENOTFOUND ? rc : WEB_NOTFOUND;
}

static int open_repo(git_repository **repo, const char *relpath)
{
	struct buf path = BUF_INIT;
	int rc;

	home_path(&path, "repos/%s", relpath);
	rc = git_repository_open_bare(repo, path.buf);
	if (rc)
		error("cannot open repository %s: %s", path.buf, git_last_message());
	buf_release(&path);
	return rc ? -1 : 0;
}

/* The commit's message and author, escaped, appended to out; nothing if git cannot find it. */
static void commit_render(struct buf *out, const struct web_submission *s)
{
	git_repository *repo = NULL;
	git_commit *c = NULL;
	git_oid oid;

	if (git_oid_fromstr(&oid, s->commit) || open_repo(&repo, s->repo_path))
		return;
	if (!git_commit_lookup(&c, repo, &oid)) {
		const git_signature *a = git_commit_author(c);

		html_raw(out, "<pre class=\"commit\">");
		html_txt(out, git_commit_message(c) ? git_commit_message(c) : "");
		html_raw(out, "</pre>\n");
		if (a) {
			html_raw(out, "<p class=\"meta\">author: ");
			html_txt(out, a->name ? a->name : "");
			html_raw(out, " (the commit's own dates do not count)</p>\n");
		}
		git_commit_free(c);
	}
	git_repository_free(repo);
}

/*
 * The commit box by commit id, shared by the server's threads: a commit
 * never changes (its id is its content's hash), and opening a repository
 * cost more than all the rest of a page. Direct-mapped by the id's first
 * characters. A commit git could not find (a repository restored from an
 * older backup) is looked for again after COMMIT_MISS_SECONDS.
 */
#define COMMIT_MEMO 512
#define COMMIT_MISS_SECONDS 10
static struct {
	char oid[GIT_OID_HEXSZ + 1];
	char *html;             /* "" for a commit not found */
	int64_t until;          /* not found: look again from then; 0: kept */
} commit_memo[COMMIT_MEMO];
static pthread_mutex_t commit_memo_lock = PTHREAD_MUTEX_INITIALIZER;

static void commit_box(struct request *r, const struct web_submission *s)
{
	struct buf html = BUF_INIT;
	int64_t now = time_now();
	unsigned slot = 0;
	int i, hit = 0;

	if (strlen(s->commit) != GIT_OID_HEXSZ)
		return;
	for (i = 0; i < 8; i++)
		slot = slot * 31 + (unsigned char)s->commit[i];
	slot %= COMMIT_MEMO;
	pthread_mutex_lock(&commit_memo_lock);
	if (commit_memo[slot].html && !strcmp(commit_memo[slot].oid, s->commit) &&
	    (!commit_memo[slot].until || now < commit_memo[slot].until)) {
		buf_adds(&r->out, commit_memo[slot].html);
		hit = 1;
	}
	pthread_mutex_unlock(&commit_memo_lock);
	if (hit)
		return;
	commit_render(&html, s);
	buf_add(&r->out, html.buf, html.len);
	pthread_mutex_lock(&commit_memo_lock);
	free(commit_memo[slot].html);
	memcpy(commit_memo[slot].oid, s->commit, GIT_OID_HEXSZ + 1);
	commit_memo[slot].until = html.len ? 0 : now + COMMIT_MISS_SECONDS;
	commit_memo[slot].html = buf_detach(&html, NULL);
	pthread_mutex_unlock(&commit_memo_lock);
}

struct results {
	struct request *r;
	const struct viewer *v;
	int revealed;           /* the assignment's reveal_after has passed: hidden tests are shown */
	int nr;
	size_t text_left;       /* of RESULTS_MAX_TEXT */
	int64_t left, left_passed;   /* rows past RESULTS_MAX_ROWS: counted, not shown */
};

/* Output shown folded for a passed test, open for the others; cut where the page's budget ends. */
static void output_block(struct results *res, const char *what, const char *text, int open)
{
	struct buf *o = &res->r->out;
	size_t len = strlen(text), shown = len < res->text_left ? len : res->text_left;

	if (!len)
		return;
	html_raw(o, open ? "<details open><summary>" : "<details><summary>");
	html_raw(o, what);
	html_raw(o, "</summary><pre>");
	html_term(o, text, shown);
	if (shown < len)
		html_rawf(o, "\n[%zu more bytes not shown: a page shows at most %d MiB of test output]",
			  len - shown, RESULTS_MAX_TEXT >> 20);
	html_raw(o, "</pre></details>");
	res->text_left -= shown;
}

static int result_row(const struct job_result *t, void *data)
{
	struct results *res = data;
	struct buf *o = &res->r->out;

	if (res->nr >= RESULTS_MAX_ROWS) {
		res->left++;
		res->left_passed += verdict_parse(t->verdict) == VERDICT_PASS;
		return 0;
	}
	if (!res->nr++)
		html_raw(o, "<div class=\"scroll\"><table class=\"tests\"><tr><th>Test</th>"
			 "<th>Verdict</th><th class=\"num\">Points</th></tr>\n");
	html_raw(o, "<tr><td>");
	html_txt(o, t->name);
	if (t->hidden)
		html_raw(o, " <span class=\"meta\">(hidden)</span>");
	html_raw(o, "</td><td>");
	web_word(o, t->verdict);
	html_raw(o, "</td><td class=\"num\">");
	html_num(o, t->points);
	html_raw(o, " / ");
	html_num(o, t->max_points);
	html_raw(o, "</td></tr>\n");
	/* Hidden tests: name, verdict and points only, unless a teacher is looking or the time has come. */
	if ((!t->hidden || res->v->teacher || res->revealed) && (*t->output || *t->detail)) {
		int open = verdict_parse(t->verdict) != VERDICT_PASS;

		html_raw(o, "<tr class=\"out\"><td colspan=\"3\">");
		output_block(res, "output", t->output, open);
		/* A diff, a reason, or a test framework's message for a failed or skipped case. */
		output_block(res, "details", t->detail, open);
		html_raw(o, "</td></tr>\n");
	}
	return 0;
}

static int live_status(struct request *r, const struct web_submission *s)
{
	struct buf *o = &r->out;
	int64_t pos = 0;
	int rc;

	html_raw(o, "<p class=\"box live\">");
	if (job_state_parse(s->state) == JOB_QUEUED) {
		if ((rc = db_job_position(r->db, s->job_id, &pos)) && rc != DB_ENOTFOUND)
			return rc;
		html_rawf(o, "Queued at position %lld; waiting ", (long long)pos);
		time_format_duration(o, time_now() - s->queued);
	} else {
		html_raw(o, "Running for ");
		time_format_duration(o, time_now() - (s->started ? s->started : s->queued));
	}
	html_raw(o, ".");
	if (home_out_of_space())
		html_raw(o, " The server is out of disk space; grading waits until there is room.");
	html_rawf(o, " This page updates itself every %d seconds until the verdict is in.</p>\n",
		  LIVE_REFRESH_SECONDS);
	return 0;
}

static int build_log(struct request *r, const struct web_submission *s)
{
	int rc;

	if (!s->job_id)
		return WEB_NOTFOUND;
	r->type = "text/plain; charset=utf-8";
	r->cacheable = 1;
	rc = db_build_log(r->db, s->job_id, &r->out);
	return rc == DB_ENOTFOUND ? WEB_NOTFOUND : rc;
}

static int submission_page(struct request *r, const struct viewer *v,
			   const struct web_submission *s)
{
	int64_t now = time_now();
	struct results res = { r, v, s->reveal_after && now >= s->reveal_after, 0, RESULTS_MAX_TEXT, 0, 0 };
	struct buf title = BUF_INIT, log = BUF_INIT, github_url = BUF_INIT, *o = &r->out;
	enum job_state state = job_state_parse(s->state);
	int live = state == JOB_QUEUED || state == JOB_RUNNING;
	int64_t prev;
	int rc = 0;

	if (live)
		r->refresh = LIVE_REFRESH_SECONDS;
	else if (v->teacher || !s->reveal_after || res.revealed)
		r->cacheable = 1;       /* until the database changes (a regrade, a new token) */
	/* else the time, not the database, changes what a student sees: not kept. */
	buf_addf(&title, "Submission #%lld", (long long)s->id);
	page_begin(r, title.buf);
	html_raw(o, "<p class=\"meta\">");
	html_txt(o, s->course);
	html_raw(o, " / ");
	html_txt(o, s->assignment);
	html_raw(o, " &middot; ");
	if (s->team) {
		html_raw(o, "team ");
		html_txt(o, s->team);
		html_raw(o, " &middot; ");
	}
	if (v->teacher) {
		html_raw(o, "<a href=\"/t/");
		html_url_arg(o, s->course);
		html_raw(o, "/");
		html_url_arg(o, s->assignment);
		html_raw(o, "/u/");
		html_url_arg(o, s->login);
		html_raw(o, "\">");
		html_txt(o, s->login);
		html_raw(o, "</a> ");
		html_txt(o, s->name);
	} else {
		html_rawf(o, "<a href=\"%s\">all your submissions</a>", v->base.buf);
	}
	html_raw(o, "</p>\n<table class=\"facts\"><tr><th>Received</th><td>");
	web_time(o, s->received);
	html_raw(o, " (via ");
	html_txt(o, s->via && !strcmp(s->via, "webhook") && s->github_repo ? "GitHub" : s->via);
	html_raw(o, ")</td></tr>");
	if (s->pusher) {
		html_raw(o, "<tr><th>Pushed by</th><td>");
		html_txt(o, s->pusher);
		html_raw(o, "</td></tr>");
	}
	html_raw(o, "<tr><th>Deadline</th><td>");
	if (s->late_seconds) {
		html_raw(o, "<span class=\"st st-late\">late by ");
		time_format_duration(o, s->late_seconds);
		html_raw(o, "</span>");
	} else {
		html_raw(o, "<span class=\"st st-ontime\">on time</span>");
	}
	html_raw(o, "</td></tr><tr><th>Branch</th><td><code>");
	html_txt(o, s->ref);
	html_raw(o, "</code></td></tr><tr><th>Commit</th><td>");
	if (s->github_repo)     /* only a mirrored repository's commits link to GitHub */
		web_github_url(r->db, &github_url);
	web_commit(o, s->commit, 0, s->via, s->github_repo, github_url.buf);
	html_raw(o, "</td></tr><tr><th>Status</th><td>");
	web_submission_state(o, s->state, s->status, s->via);
	html_raw(o, "</td></tr><tr><th>Score</th><td class=\"score\">");
	web_score(o, s->has_score && state == JOB_DONE, s->score, s->max_score);
	/* Which tests graded it: the tests repository's commit (see gitd/tests.h). */
	if (v->teacher && *s->tests_version) {
		html_raw(o, "</td></tr><tr><th>Tests</th><td><code>");
		html_txt(o, s->tests_version);
		html_raw(o, "</code>");
	}
	html_raw(o, "</td></tr></table>\n");
	if (live && (rc = live_status(r, s)))
		goto done;
	if (state == JOB_INFRA_ERROR) {
		html_raw(o, "<p class=\"box\">Grading failed for a reason on the server's side "
			 "(this is not your score); it will be looked at. ");
		html_txt(o, s->error);
		html_raw(o, "</p>\n");
	}
	commit_box(r, s);
	/*
	 * A database error fails the page, never leaves a part out: a page
	 * that looks whole is kept (r->cacheable) until the database changes.
	 */
	rc = db_submission_prev(r->db, s->repo_id, s->id, &prev);
	if (!rc)
		html_rawf(o, "<p><a href=\"%s/diff?from=%lld&amp;to=%lld\">changes since "
			  "submission #%lld</a></p>\n", v->base.buf, (long long)prev,
			  (long long)s->id, (long long)prev);
	else if (rc != DB_ENOTFOUND)
		goto done;
	rc = 0;
	if (s->job_id && state == JOB_DONE) {
		html_raw(o, "<h2>Tests</h2>\n");
		if (s->reveal_after && !res.revealed) {
			html_raw(o, "<p class=\"meta\">Hidden tests' output and details are shown from ");
			web_time(o, s->reveal_after);
			html_raw(o, ".</p>\n");
		}
		if ((rc = db_results_each(r->db, s->job_id, result_row, &res)))
			goto done;
		html_raw(o, res.nr ? "</table></div>\n" : "<p class=\"meta\">No test results.</p>\n");
		if (res.left)
			html_rawf(o, "<p class=\"meta\">%lld more results not shown (%lld of them passed): "
				  "a page shows at most %d.</p>\n", (long long)res.left,
				  (long long)res.left_passed, RESULTS_MAX_ROWS);
	}
	if (s->job_id && (rc = db_build_log(r->db, s->job_id, &log)) && rc != DB_ENOTFOUND)
		goto done;
	rc = 0;
	if (log.len) {
		html_raw(o, "<h2>Build log</h2><details><summary>show</summary><pre>");
		html_term(o, log.buf, log.len);
		html_rawf(o, "</pre></details><p><a href=\"%s/s/%lld/log\">raw log</a></p>\n",
			  v->base.buf, (long long)s->id);
	}
	page_end(r);
done:
	buf_release(&title);
	buf_release(&log);
	buf_release(&github_url);
	return rc;
}

int ui_submission(struct request *r, const struct viewer *v, int64_t id, const char *what)
{
	struct web_submission s;
	int rc = load_visible(r, v, id, &s);

	if (rc)
		return rc;
	rc = what ? build_log(r, &s) : submission_page(r, v, &s);
	web_submission_release(&s);
	return rc;
}

/* /…/diff?from=ID&to=ID: the changes between two submissions of one repository. */
int ui_diff(struct request *r, const struct viewer *v)
{
	struct web_submission from, to;
	git_repository *repo = NULL;
	struct buf title = BUF_INIT, changes = BUF_INIT;
	int rc;

	if ((rc = load_visible(r, v, parse_id(web_arg(r, "from")), &from)))
		return rc;
	if ((rc = load_visible(r, v, parse_id(web_arg(r, "to")), &to))) {
		web_submission_release(&from);
		return rc;
	}
	rc = WEB_NOTFOUND;
	if (from.repo_id != to.repo_id)
		goto done;
	rc = -1;
	if (open_repo(&repo, to.repo_path))
		goto done;
	rc = diff_html(&changes, repo, from.commit, to.commit);
	if (rc == DIFF_NOTFOUND) {
		rc = WEB_NOTFOUND;
		goto done;
	}
	if (rc == DIFF_BUSY) {
		page_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "The server is computing changes for "
			   "another request; this page tries again in a few seconds.");
		r->retry_after = r->refresh = DIFF_RETRY_SECONDS;
		rc = 0;
		goto done;
	}
	if (rc)
		goto done;
	buf_addf(&title, "Changes from #%lld to #%lld", (long long)from.id, (long long)to.id);
	page_begin(r, title.buf);
	html_rawf(&r->out, "<p class=\"meta\"><a href=\"%s/s/%lld\">#%lld</a> &rarr; "
		  "<a href=\"%s/s/%lld\">#%lld</a> &middot; ", v->base.buf, (long long)from.id,
		  (long long)from.id, v->base.buf, (long long)to.id, (long long)to.id);
	html_txt(&r->out, to.course);
	html_raw(&r->out, " / ");
	html_txt(&r->out, to.assignment);
	html_raw(&r->out, "</p>\n");
	buf_add(&r->out, changes.buf, changes.len);
	page_end(r);
	r->cacheable = 1;       /* commits never change */
done:
	git_repository_free(repo);
	web_submission_release(&from);
	web_submission_release(&to);
	buf_release(&title);
	buf_release(&changes);
	return rc;
}
