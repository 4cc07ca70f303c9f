/* ui-gradebook.c: one row per student of an assignment, with the class charts above. */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "web.h"
#include "../db/counted.h"
#include "../db/model.h"
#include "../db/report.h"
#include "../lib/alloc.h"
#include "../lib/banned.h"

struct gradebook {
	struct request *r;
	const struct assignment *a;
	struct buf rows;
	struct class_numbers cn;
	size_t students;
};

/* A teacher's override: what it did, with who, when and why in full. */
static void override_cell(struct buf *o, const struct grade_row *g)
{
	if (!g->override_id)
		return;
	html_raw(o, g->override_score ? "score set" : "penalty waived");
	if (g->override_score && g->waived)
		html_raw(o, ", penalty waived");
	html_raw(o, " by ");
	html_txt(o, g->override_by);
	html_raw(o, " ");
	web_time(o, g->override_at);
	html_raw(o, ": ");
	html_txt(o, g->override_reason);
}

static int grade_row(const struct grade_row *g, void *data)
{
	struct gradebook *gb = data;
	struct buf *o = &gb->rows;

	gb->students++;
	if (g->has_score) {
		struct class_numbers *cn = &gb->cn;
		size_t had = cn->alloc;

		/* finals and jobs are parallel arrays: jobs follows finals' growth. */
		ALLOC_GROW(cn->finals, cn->nr + 1, cn->alloc);
		if (cn->alloc != had)
			cn->jobs = xreallocarray(cn->jobs, cn->alloc, sizeof(*cn->jobs));
		cn->finals[cn->nr] = g->final;
		cn->jobs[cn->nr++] = g->counted_job;
		if (g->max_score > cn->max_score)
			cn->max_score = g->max_score;
	}
	html_raw(o, "<tr><td><a href=\"u/");
	html_url_arg(o, g->login);
	html_raw(o, "\">");
	html_txt(o, g->login);
	html_raw(o, "</a></td><td class=\"hide-small\">");
	html_txt(o, g->name);
	html_raw(o, "</td><td class=\"num\">");
	web_score(o, g->has_score, g->final, g->max_score);
	html_raw(o, "</td><td class=\"num hide-small\">");
	if (g->has_score && g->final != g->raw)
		html_rawf(o, "%g", g->raw);
	html_rawf(o, "</td><td class=\"num\">%lld", (long long)g->late_days);
	if (g->grace_days)
		html_rawf(o, " <span class=\"meta\">(%lld grace)</span>", (long long)g->grace_days);
	html_rawf(o, "</td><td class=\"num\">%lld</td><td>", (long long)g->submissions);
	if (*g->last_state)
		web_state(o, g->last_state, g->last_status);
	html_raw(o, "</td><td class=\"override\">");
	override_cell(o, g);
	html_raw(o, "</td><td class=\"num\">");
	if (g->has_imported)
		html_rawf(o, "<span title=\"imported from GitHub Classroom, never regraded\">"
			  "%g/%g</span>", g->imported, g->imported_max);
	html_raw(o, "</td></tr>\n");
	return 0;
}

/* Which submission counts and the course's grace days: a meta line of their own. */
static int counting_meta(struct request *r, const struct assignment *a)
{
	int rule = db_assignment_counts(r->db, a->id);
	int64_t grace;

	if (rule < 0 || db_course_grace_days(r->db, a->course_id, &grace))
		return -1;
	html_rawf(&r->out, "<p class=\"meta\">counts each student's %s submission",
		  counts_rule_names[rule]);
	if (grace)
		html_rawf(&r->out, " &middot; %lld grace day%s per student", (long long)grace,
			  grace == 1 ? "" : "s");
	html_raw(&r->out, "</p>\n");
	return 0;
}

int ui_gradebook(struct request *r, const struct viewer *v, const struct assignment *a)
{
	struct gradebook gb;
	struct buf title = BUF_INIT, *o = &r->out;
	int rc;

	(void)v;
	memset(&gb, 0, sizeof(gb));
	gb.r = r;
	gb.a = a;
	buf_init(&gb.rows, 256 * 1024);
	if ((rc = db_grades_each(r->db, a, grade_row, &gb)))
		goto done;
	buf_addf(&title, "%s / %s", a->course, a->name);
	page_begin(r, title.buf);
	html_raw(o, "<p class=\"meta\">due ");
	web_time(o, a->due);
	if (a->late_penalty > 0)
		html_rawf(o, " &middot; late work loses %g%% per started day", a->late_penalty);
	html_rawf(o, " &middot; a push may carry %lld MiB", (long long)(a->max_input_size >> 20));
	html_rawf(o, " &middot; %zu students &middot; <a href=\"grades.csv\">CSV export</a> "
		  "&middot; <a href=\"/t/\">all courses</a></p>\n", gb.students);
	if ((rc = counting_meta(r, a)) || (rc = ui_charts(r, a, &gb.cn)))
		goto done;
	html_raw(o, "<h2>Students</h2><div class=\"scroll\"><table class=\"gradebook\"><tr>"
		 "<th>Login</th><th class=\"hide-small\">Name</th><th class=\"num\">Score</th>"
		 "<th class=\"num hide-small\">Before penalty</th><th class=\"num\">Late days</th>"
		 "<th class=\"num\">Submissions</th><th>Last status</th>"
		 "<th>Override</th><th class=\"num\">GitHub Classroom</th></tr>\n");
	buf_add(o, gb.rows.buf, gb.rows.len);
	html_raw(o, "</table></div>\n");
	page_end(r);
done:
	buf_release(&gb.rows);
	buf_release(&title);
	free(gb.cn.finals);
	free(gb.cn.jobs);
	return rc;
}
