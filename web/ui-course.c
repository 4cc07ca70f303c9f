/* ui-course.c: a course's gradebook, every assignment a column, and its CSV exports. */
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "web.h"
#include "../db/gradebook.h"
#include "../lib/banned.h"

static void head_row(struct buf *o, const char *course, const struct gradebook *g)
{
	size_t k;

	html_raw(o, "<tr><th>Login</th><th class=\"hide-small\">Name</th>");
	for (k = 0; k < g->nr_assignments; k++) {
		html_raw(o, "<th class=\"num\"><a href=\"/t/");
		html_url_arg(o, course);
		html_raw(o, "/");
		html_url_arg(o, g->assignment[k]);
		html_raw(o, "/\">");
		html_txt(o, g->assignment[k]);
		html_raw(o, "</a>");
		if (g->max[k] > 0)
			html_rawf(o, " <span class=\"meta\">/%g</span>", g->max[k]);
		html_raw(o, "</th>");
	}
	html_raw(o, "<th class=\"num\">Total</th></tr>\n");
}

static void student_row(struct buf *o, const struct gradebook *g, size_t i)
{
	size_t k;

	html_raw(o, "<tr><td>");
	html_txt(o, g->student[i].login);
	html_raw(o, "</td><td class=\"hide-small\">");
	html_txt(o, g->student[i].name);
	html_raw(o, "</td>");
	for (k = 0; k < g->nr_assignments; k++) {
		size_t at = i * g->nr_assignments + k;

		html_raw(o, "<td class=\"num\">");
		if (g->has[at])
			html_rawf(o, "%g", g->score[at]);
		else
			html_raw(o, "&ndash;");
		html_raw(o, "</td>");
	}
	html_rawf(o, "<td class=\"num\">%g</td></tr>\n", gradebook_total(g, i));
}

int ui_course(struct request *r, int64_t course_id, const char *course)
{
	struct gradebook g;
	struct buf title = BUF_INIT, *o = &r->out;
	size_t i;

	if (gradebook_load(r->db, course_id, NULL, &g))
		return -1;
	buf_addf(&title, "%s: every assignment", course);
	page_begin(r, title.buf);
	html_rawf(o, "<p class=\"meta\">%zu students, %zu assignments &middot; export: ",
		  g.nr_students, g.nr_assignments);
	html_raw(o, "<a href=\"grades.csv\">CSV</a> &middot; "
		 "<a href=\"grades.csv?format=canvas\">Canvas</a> &middot; "
		 "<a href=\"grades.csv?format=moodle\">Moodle</a> &middot; "
		 "<a href=\"/t/\">all courses</a></p>\n");
	html_raw(o, "<div class=\"scroll\"><table class=\"gradebook\">");
	head_row(o, course, &g);
	for (i = 0; i < g.nr_students; i++)
		student_row(o, &g, i);
	html_raw(o, "</table></div>\n");
	page_end(r);
	gradebook_release(&g);
	buf_release(&title);
	return 0;
}

int ui_course_csv(struct request *r, int64_t course_id, const char *course)
{
	const char *name = web_arg(r, "format");
	enum gradebook_format f = GRADEBOOK_CSV;
	struct gradebook g;

	if (name && gradebook_format_parse(name, &f))
		return WEB_NOTFOUND;
	if (gradebook_load(r->db, course_id, NULL, &g))
		return -1;
	r->type = "text/csv; charset=utf-8; header=present";
	/* A course name is a safe name: no quotes, no slashes. */
	snprintf(r->download, sizeof(r->download), "%s-grades%s%s.csv", course,
		 f == GRADEBOOK_CSV ? "" : "-", f == GRADEBOOK_CSV ? "" : name);
	gradebook_csv(&r->out, &g, f);
	gradebook_release(&g);
	return 0;
}
