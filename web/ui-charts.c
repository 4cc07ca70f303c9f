/* ui-charts.c: the gradebook's charts as inline SVG (no scripts, nothing to load). */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "web.h"
#include "../db/model.h"
#include "../db/web.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

#define W 420           /* viewBox size of every chart */
#define H 200
#define LEFT 34         /* room for the y axis labels */
#define BOTTOM 24       /* room for the x axis labels */
#define TIME_BINS 40
#define SCORE_BINS 10

static void chart_begin(struct buf *o, const char *title, const char *label, int height)
{
	html_raw(o, "<figure class=\"chart\"><figcaption>");
	html_raw(o, title);
	html_rawf(o, "</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		  "role=\"img\" aria-label=\"", W, height);
	html_raw(o, label);
	html_raw(o, "\">");
}

static void chart_end(struct buf *o)
{
	html_raw(o, "</svg></figure>\n");
}

/* Axes and a y label at the top: the largest count. */
static void axes(struct buf *o, int64_t ymax)
{
	html_rawf(o, "<line class=\"axis\" x1=\"%d\" y1=\"4\" x2=\"%d\" y2=\"%d\"/>"
		  "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
		  "<text x=\"%d\" y=\"12\" text-anchor=\"end\">%lld</text>"
		  "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>",
		  LEFT, LEFT, H - BOTTOM, LEFT, H - BOTTOM, W - 4, H - BOTTOM,
		  LEFT - 4, (long long)ymax, LEFT - 4, H - BOTTOM);
}

static void bars(struct buf *o, const int64_t *counts, int n, int64_t ymax, int first_late)
{
	double bw = (double)(W - LEFT - 8) / n;
	int i;

	for (i = 0; i < n; i++) {
		double h = ymax ? (double)counts[i] * (H - BOTTOM - 8) / (double)ymax : 0;

		if (!counts[i])
			continue;
		html_rawf(o, "<rect class=\"bar%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			  "height=\"%.1f\"><title>%lld</title></rect>",
			  first_late >= 0 && i >= first_late ? " late" : "",
			  LEFT + 2 + i * bw, H - BOTTOM - h, bw > 3 ? bw - 1 : bw, h,
			  (long long)counts[i]);
	}
}

static int64_t max_of(const int64_t *v, int n)
{
	int64_t m = 0;
	int i;

	for (i = 0; i < n; i++)
		if (v[i] > m)
			m = v[i];
	return m;
}

static void histogram(struct buf *o, const double *finals, size_t nr, double max_score)
{
	int64_t counts[SCORE_BINS];
	size_t i;
	int b;

	memset(counts, 0, sizeof(counts));
	for (i = 0; i < nr; i++) {
		b = max_score > 0 ? (int)(finals[i] / max_score * SCORE_BINS) : 0;
		counts[b < 0 ? 0 : b >= SCORE_BINS ? SCORE_BINS - 1 : b]++;
	}
	chart_begin(o, "Scores (after late penalties)", "score histogram", H);
	axes(o, max_of(counts, SCORE_BINS));
	bars(o, counts, SCORE_BINS, max_of(counts, SCORE_BINS), -1);
	html_rawf(o, "<text x=\"%d\" y=\"%d\">0</text><text x=\"%d\" y=\"%d\" "
		  "text-anchor=\"end\">%g</text>", LEFT, H - 8, W - 8, H - 8, max_score);
	chart_end(o);
}

static int over_time(struct request *r, const struct assignment *a)
{
	struct buf *o = &r->out;
	int64_t counts[TIME_BINS], first = 0, last = 0, lo, hi, *times;
	size_t n, i;
	double x;
	int rc;

	memset(counts, 0, sizeof(counts));
	if ((rc = db_received_times(r->db, a->id, &times, &n)))
		return rc;
	for (i = 0; i < n; i++) {
		if (!i || times[i] < first)
			first = times[i];
		if (!i || times[i] > last)
			last = times[i];
	}
	/*
	 * The time axis covers the submissions and the deadline, unless the
	 * deadline is so far off that the bars would be squeezed into a sliver.
	 */
	lo = n && first < a->due ? first : a->due - TIME_DAY;
	hi = (n && last > a->due ? last : a->due) + 1;
	if (n && a->due > last && a->due - last > 2 * (last - lo) + 3600)
		hi = last + (last - lo) / 10 + 60;
	for (i = 0; i < n; i++)
		if (times[i] >= lo && times[i] < hi)
			counts[(times[i] - lo) * TIME_BINS / (hi - lo)]++;
	free(times);
	chart_begin(o, a->due < hi ? "Submissions over time (dashed: the deadline)" :
		    "Submissions over time (the deadline is later)", "submissions over time", H);
	axes(o, max_of(counts, TIME_BINS));
	bars(o, counts, TIME_BINS, max_of(counts, TIME_BINS),
	     a->due < hi ? (int)((a->due - lo) * TIME_BINS / (hi - lo)) + 1 : -1);
	if (a->due < hi) {
		x = LEFT + 2 + (double)(a->due - lo) * (W - LEFT - 8) / (double)(hi - lo);
		html_rawf(o, "<line class=\"due\" x1=\"%.1f\" y1=\"4\" x2=\"%.1f\" y2=\"%d\"/>",
			  x, x, H - BOTTOM);
	}
	html_raw(o, "<text x=\"34\" y=\"194\">");
	web_time(o, lo);
	html_rawf(o, "</text><text x=\"%d\" y=\"194\" text-anchor=\"end\">", W - 8);
	web_time(o, hi);
	html_raw(o, "</text>");
	chart_end(o);
	return 0;
}

/* Case names come from the students' test output: a chart shows this many bars at most. */
#define FAILURE_BARS_MAX 200

struct failures {
	struct buf rows;
	int n;
	int64_t more;           /* tests past FAILURE_BARS_MAX, counted only */
};

static int failure_bar(const char *name, int64_t runs, int64_t failed, void *data)
{
	struct failures *f = data;
	double rate = runs ? (double)failed / (double)runs : 0;
	int y = 8 + f->n * 18;

	if (f->n >= FAILURE_BARS_MAX) {
		f->more++;
		return 0;
	}
	f->n++;
	html_rawf(&f->rows, "<text x=\"4\" y=\"%d\">", y + 11);
	html_ntxt(&f->rows, name, strlen(name) > 24 ? 24 : strlen(name));
	html_rawf(&f->rows, "</text><rect class=\"bar bad\" x=\"150\" y=\"%d\" width=\"%.1f\" "
		  "height=\"14\"><title>%lld of %lld failed</title></rect>"
		  "<text x=\"%.1f\" y=\"%d\">%.0f%%</text>", y, rate * (W - 200),
		  (long long)failed, (long long)runs, 154 + rate * (W - 200), y + 11, rate * 100);
	return 0;
}

static int test_failures(struct request *r, const struct class_numbers *cn)
{
	struct failures f = { BUF_INIT, 0, 0 };
	int rc = db_test_failures_each(r->db, cn->jobs, cn->nr, failure_bar, &f);

	if (!rc) {
		chart_begin(&r->out, "Failure rate per test (latest graded submissions)",
			    "failure rate per test", 16 + (f.n ? f.n : 1) * 18 + (f.more ? 18 : 0));
		buf_add(&r->out, f.rows.buf, f.rows.len);
		if (!f.n)
			html_raw(&r->out, "<text x=\"8\" y=\"20\">no graded submissions yet</text>");
		if (f.more)
			html_rawf(&r->out, "<text x=\"4\" y=\"%d\">and %lld more tests and cases, "
				  "not shown</text>", 8 + f.n * 18 + 11, (long long)f.more);
		chart_end(&r->out);
	}
	buf_release(&f.rows);
	return rc;
}

int ui_charts(struct request *r, const struct assignment *a, const struct class_numbers *cn)
{
	int rc;

	html_raw(&r->out, "<div class=\"charts\">\n");
	histogram(&r->out, cn->finals, cn->nr, cn->max_score);
	if ((rc = over_time(r, a)) || (rc = test_failures(r, cn)))
		return rc;
	html_raw(&r->out, "</div>\n");
	return 0;
}
