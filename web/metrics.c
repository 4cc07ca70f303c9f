/* metrics.c: /metrics in the Prometheus text format. */
#include "cache.h"
#include "html.h"
#include "web.h"
#include "../db/report.h"
#include "../db/web.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

static const double duration_bounds[] = { 1, 2, 5, 10, 20, 30, 60, 120, 300, 600 };
#define NB ((int)(sizeof(duration_bounds) / sizeof(duration_bounds[0])))

static int push_line(const char *via, int64_t n, void *data)
{
	/* via is one of the schema's fixed words (a CHECK constraint). */
	buf_addf(data, "lifebelt_pushes_total{via=\"%s\"} %lld\n", via, (long long)n);
	return 0;
}

int ui_metrics(struct request *r, const char *rest)
{
	struct buf *o = &r->out;
	struct queue_stats q;
	int64_t counts[NB], n;
	uint64_t hits, kept;
	double sum;
	int i, rc;

	(void)rest;
	r->type = "text/plain; version=0.0.4; charset=utf-8";
	r->no_store = 1;
	if ((rc = db_queue_stats(r->db, &q)) ||
	    (rc = db_job_durations(r->db, duration_bounds, NB, counts, &n, &sum)))
		return rc;
	buf_addf(o, "# HELP lifebelt_queue_depth Jobs waiting to be graded.\n"
		 "# TYPE lifebelt_queue_depth gauge\nlifebelt_queue_depth %lld\n"
		 "# HELP lifebelt_queue_oldest_seconds Age of the oldest queued job.\n"
		 "# TYPE lifebelt_queue_oldest_seconds gauge\nlifebelt_queue_oldest_seconds %lld\n",
		 (long long)q.queued, (long long)(q.queued ? time_now() - q.oldest_queued : 0));
	buf_addf(o, "# HELP lifebelt_jobs Jobs by state.\n# TYPE lifebelt_jobs gauge\n"
		 "lifebelt_jobs{state=\"queued\"} %lld\nlifebelt_jobs{state=\"running\"} %lld\n"
		 "lifebelt_jobs{state=\"done\"} %lld\nlifebelt_jobs{state=\"infra_error\"} %lld\n"
		 "lifebelt_jobs{state=\"superseded\"} %lld\n", (long long)q.queued,
		 (long long)q.running, (long long)q.done, (long long)q.infra_error,
		 (long long)q.superseded);
	buf_adds(o, "# HELP lifebelt_job_duration_seconds Wall time of finished grading jobs.\n"
		 "# TYPE lifebelt_job_duration_seconds histogram\n");
	for (i = 0; i < NB; i++)
		buf_addf(o, "lifebelt_job_duration_seconds_bucket{le=\"%g\"} %lld\n",
			 duration_bounds[i], (long long)counts[i]);
	buf_addf(o, "lifebelt_job_duration_seconds_bucket{le=\"+Inf\"} %lld\n"
		 "lifebelt_job_duration_seconds_sum %g\nlifebelt_job_duration_seconds_count %lld\n",
		 (long long)n, sum, (long long)n);
	cache_stats(&hits, &kept);
	buf_addf(o, "# HELP lifebelt_web_pages_kept_total Pages rendered and kept until the database changes.\n"
		 "# TYPE lifebelt_web_pages_kept_total counter\nlifebelt_web_pages_kept_total %llu\n"
		 "# HELP lifebelt_web_page_hits_total Requests answered with a kept page.\n"
		 "# TYPE lifebelt_web_page_hits_total counter\nlifebelt_web_page_hits_total %llu\n",
		 (unsigned long long)kept, (unsigned long long)hits);
	buf_adds(o, "# HELP lifebelt_pushes_total Pushes recorded as submissions, by transport.\n"
		 "# TYPE lifebelt_pushes_total counter\n");
	return db_pushes_each(r->db, push_line, o);
}
