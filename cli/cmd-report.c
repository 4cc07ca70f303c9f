/* cmd-report.c: `lifebelt submissions`, `grades` and `status`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../db/gradebook.h"
#include "../db/model.h"
#include "../db/report.h"
#include "../runner/slurm.h"
#include "../lib/buf.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

static void score(struct buf *b, int has, double s, double max)
{
	if (has)
		buf_addf(b, "%g/%g", s, max);
	else
		buf_adds(b, "-");
}

static int print_submission(const struct submission_row *r, void *data)
{
	struct buf b = BUF_INIT;

	(void)data;
	buf_addf(&b, "%-6lld %-16s ", (long long)r->id, r->login);
	time_format(&b, r->received);
	buf_addf(&b, "  %.10s  %-5s ", r->commit, r->via);
	if (r->late_seconds > 0) {
		buf_adds(&b, "late ");
		time_format_duration(&b, r->late_seconds);
		buf_adds(&b, "  ");
	} else {
		buf_adds(&b, "on time  ");
	}
	buf_addf(&b, "%s", *r->state ? r->state : "-");
	if (*r->status)
		buf_addf(&b, " (%s)", r->status);
	buf_addch(&b, ' ');
	score(&b, r->has_score, r->score, r->max_score);
	if (r->team && r->pusher)
		buf_addf(&b, "  pushed by %s", r->pusher);
	puts(b.buf);
	buf_release(&b);
	return 0;
}

int cmd_submissions(int argc, const char **argv)
{
	const char *pos[3] = { NULL, NULL, NULL };
	struct assignment a;
	struct db *db;
	int rc;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 2, 3) ||
	    (pos[2] && name_check("login", pos[2])) || cli_open_assignment(pos[0], pos[1], 0, &db, &a))
		return -1;
	rc = db_submissions_each(db, a.id, pos[2], print_submission, NULL);
	assignment_release(&a);
	db_close(db);
	return rc;
}

static int print_grade(const struct grade_row *r, void *data)
{
	struct buf b = BUF_INIT;

	(void)data;
	buf_addf(&b, "%-16s %-24.24s %5lld  ", r->login, r->name, (long long)r->submissions);
	score(&b, r->has_score, r->final, r->max_score);
	if (r->late_days)
		buf_addf(&b, "  (%g before late penalty, %lld day%s late", r->raw,
			 (long long)r->late_days, r->late_days == 1 ? "" : "s");
	if (r->late_days && r->grace_days)
		buf_addf(&b, ", %lld paid by grace days", (long long)r->grace_days);
	if (r->late_days)
		buf_addch(&b, ')');
	if (r->override_id)
		buf_addf(&b, "  {%s by %s: %s}", r->override_score ? "score set" : "penalty waived",
			 r->override_by, r->override_reason);
	if (*r->last_state)
		buf_addf(&b, "  [%s]", grade_row_status(r));
	if (r->has_imported)
		buf_addf(&b, "  GitHub Classroom: %g/%g", r->imported, r->imported_max);
	puts(b.buf);
	buf_release(&b);
	return 0;
}

static int print_grade_csv(const struct grade_row *r, void *data)
{
	struct buf b = BUF_INIT;

	(void)data;
	grade_row_csv(&b, r);
	fwrite(b.buf, 1, b.len, stdout);
	buf_release(&b);
	return 0;
}

/* `lifebelt grades COURSE`: every assignment a column, then the total. */
static void print_gradebook(const struct gradebook *g)
{
	struct buf b = BUF_INIT;
	size_t i, k;

	buf_addf(&b, "%-16s", "LOGIN");
	for (k = 0; k < g->nr_assignments; k++)
		buf_addf(&b, " %10.10s", g->assignment[k]);
	buf_addf(&b, " %10s", "TOTAL");
	puts(b.buf);
	for (i = 0; i < g->nr_students; i++) {
		buf_reset(&b);
		buf_addf(&b, "%-16s", g->student[i].login);
		for (k = 0; k < g->nr_assignments; k++) {
			size_t at = i * g->nr_assignments + k;

			if (g->has[at])
				buf_addf(&b, " %10g", g->score[at]);
			else
				buf_addf(&b, " %10s", "-");
		}
		buf_addf(&b, " %10g", gradebook_total(g, i));
		puts(b.buf);
	}
	buf_release(&b);
}

/*
 * The gradebook of course (every assignment, or only the one named) in
 * format, or as a table when format is NULL.
 */
static int course_grades(struct db *db, int64_t course_id, const char *only, const char *format)
{
	enum gradebook_format f = GRADEBOOK_CSV;
	struct gradebook g;
	struct buf out = BUF_INIT;

	if (format && gradebook_format_parse(format, &f))
		return error("bad value for --format: '%s' (csv, canvas or moodle)", format);
	if (gradebook_load(db, course_id, only, &g))
		return -1;
	if (format) {
		gradebook_csv(&out, &g, f);
		fwrite(out.buf, 1, out.len, stdout);
	} else {
		print_gradebook(&g);
	}
	buf_release(&out);
	gradebook_release(&g);
	return 0;
}

int cmd_grades(int argc, const char **argv)
{
	const char *pos[2] = { NULL, NULL }, *format = NULL;
	int csv = 0, rc;
	struct opt opts[] = { { "csv", NULL, &csv }, { "format", &format, NULL },
			      { NULL, NULL, NULL } };
	struct assignment a;
	struct db *db;

	if (parse_args(current_cmd(), argc, argv, opts, pos, 1, 2))
		return -1;
	if (csv && format && strcmp(format, "csv"))
		return error("--csv and --format %s ask for two formats; give one", format);
	if (csv)
		format = "csv";
	if (!pos[1]) {
		int64_t course_id;

		if (name_check("course", pos[0]) || cli_open_db_readonly(&db))
			return -1;
		rc = db_course_id(db, pos[0], &course_id);
		if (rc == DB_ENOTFOUND)
			error("no course '%s'", pos[0]);
		if (!rc)
			rc = course_grades(db, course_id, NULL, format);
		db_close(db);
		return rc ? -1 : 0;
	}
	if (cli_open_assignment(pos[0], pos[1], 0, &db, &a))
		return -1;
	if (format && strcmp(format, "csv")) {
		rc = course_grades(db, a.course_id, a.name, format);
		goto done;
	}
	if (format)
		fputs(GRADES_CSV_HEADER, stdout);
	else
		printf("%-16s %-24s %5s  %s\n", "LOGIN", "NAME", "SUBS", "SCORE");
	rc = db_grades_each(db, &a, format ? print_grade_csv : print_grade, NULL);
done:
	assignment_release(&a);
	db_close(db);
	return rc;
}

static int print_running(const struct running_row *r, void *data)
{
	struct buf b = BUF_INIT;

	(void)data;
	buf_addf(&b, "  job %lld: submission %lld of %s for %s/%s, running for ", (long long)r->job_id,
		 (long long)r->submission_id, r->login, r->course, r->assignment);
	time_format_duration(&b, time_now() - r->started);
	buf_addf(&b, " on %s (attempt %d)", r->owner, r->attempts);
	puts(b.buf);
	buf_release(&b);
	return 0;
}

/* With the Slurm executor: the jobs this server has on the cluster, with Slurm's ids. */
static void print_slurm(struct db *db)
{
	struct buf v = BUF_INIT, jobs = BUF_INIT;

	db_config_get(db, "runner.executor", &v);
	if (!strcmp(v.buf, "slurm")) {
		if (slurm_jobs(&jobs))
			printf("slurm:       squeue could not be run\n");
		else
			printf("slurm:       %s%s", jobs.len ? "ID NAME STATE TIME NODE\n" : "no jobs\n",
			       jobs.buf);
	}
	buf_release(&v);
	buf_release(&jobs);
}

int cmd_status(int argc, const char **argv)
{
	struct queue_stats s;
	struct db *db;
	int rc;

	if (parse_args(current_cmd(), argc, argv, NULL, NULL, 0, 0) || cli_open_db_readonly(&db))
		return -1;
	rc = db_queue_stats(db, &s);
	if (!rc) {
		printf("queued:      %lld", (long long)s.queued);
		if (s.queued) {
			struct buf b = BUF_INIT;

			time_format_duration(&b, time_now() - s.oldest_queued);
			printf(" (oldest waiting %s)", b.buf);
			buf_release(&b);
		}
		printf("\nrunning:     %lld\ndone:        %lld\ninfra_error: %lld\nsuperseded:  %lld\n",
		       (long long)s.running, (long long)s.done, (long long)s.infra_error,
		       (long long)s.superseded);
		if (s.running)
			rc = db_running_each(db, print_running, NULL);
	}
	if (!rc)
		print_slurm(db);
	if (!rc && home_out_of_space())
		printf("disk:        %s (pushes are refused meanwhile)\n", HOME_GRADING_WAITS);
	db_close(db);
	return rc;
}
