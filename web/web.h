/* web.h: what the pages share: the request, the page frame, errors, the viewer. */
#ifndef WEB_WEB_H
#define WEB_WEB_H

#include <stdint.h>

#include "../lib/buf.h"

struct MHD_Connection;
struct db;

#include "../lib/codes.h"     /* WEB_NOTFOUND: a page's "no such page" */

struct request {
	struct MHD_Connection *conn;
	const char *method, *url;       /* url is decoded, without the query */
	struct db *db;                  /* this thread's read-only handle */
	const char *body;               /* a POSTed form, NUL-terminated ("" otherwise) */
	size_t body_len;
	int64_t viewer_id;              /* the signed-in teacher of a route with a viewer; 0 none */
	int negotiated;                 /* the route sends gzip to clients that take it (Vary) */

	/* The response, filled in by the page. */
	unsigned int status;            /* 200 unless set */
	const char *type;               /* "text/html; charset=utf-8" unless set */
	struct buf out;
	struct buf cookie;              /* a Set-Cookie value, if not empty */
	const char *location;           /* a redirect target (303) */
	int refresh;                    /* seconds, for a page that updates itself; 0 none */
	int retry_after;                /* seconds, for a 429 or 503 (Retry-After); 0 none */
	int no_store;                   /* Cache-Control: no-store (secret or live pages) */
	char download[160];             /* a file name: sent as an attachment */
	int cacheable;                  /* the page depends only on the viewer, the URL and the database */
};

/* A page: 0 with the response in r, WEB_NOTFOUND, or -1 (a 500, already logged). */
typedef int page_fn(struct request *r, const char *rest);

/* A query-string argument of the request, or NULL. */
const char *web_arg(struct request *r, const char *name);
/* The server's key (read once at start), for signing cookies. */
const struct buf *web_server_key(void);

/* Start an HTML page with its <head> and header bar; title is text (escaped). */
void page_begin(struct request *r, const char *title);
/* Close the page. */
void page_end(struct request *r);
/* Replace the response with a short page for status (404, 403, 500 ...). */
void page_error(struct request *r, unsigned int status, const char *message);

/*
 * Split a path into at most max segments at '/'. Returns the count, or -1
 * when there are more, or a segment is empty (other than after a trailing
 * slash, which is_dir reports). The segments point into copy (free it).
 */
int path_split(const char *path, char **copy, char **seg, int max, int *is_dir);
/* Parse a positive decimal id; 0 when s is not one. */
int64_t parse_id(const char *s);

/* Who is looking at a submission, and where their links start. */
struct viewer {
	int teacher;            /* teachers see hidden tests' output too */
	int64_t person_id;      /* a student's id (their rows only); 0 for a teacher */
	int64_t teacher_id;     /* the teacher, whose courses they may see */
	struct buf base;        /* "/me/LOGIN/KEY" or "/t": already URL-safe */
};

/* The pages (one file each). */
page_fn ui_home, ui_style, ui_healthz, ui_metrics, ui_login, ui_logout, ui_student, ui_teacher;

/* ui-submission.c: a submission's page, its build log, the changes between two. */
int ui_submission(struct request *r, const struct viewer *v, int64_t id, const char *what);
int ui_diff(struct request *r, const struct viewer *v);
/* ui-student.c: a student's submissions of one assignment as a table. */
struct assignment;
int ui_submission_table(struct request *r, const struct viewer *v, const struct assignment *a,
			const char *login);
/* ui-gradebook.c, ui-charts.c, ui-csv.c: the teacher's views of an assignment. */
int ui_gradebook(struct request *r, const struct viewer *v, const struct assignment *a);
/* The class's numbers the charts draw, gathered from the gradebook's rows. */
struct class_numbers {
	double *finals;         /* graded students' final scores */
	int64_t *jobs;          /* their counted jobs */
	size_t nr, alloc;
	double max_score;
};
int ui_charts(struct request *r, const struct assignment *a, const struct class_numbers *cn);
int ui_csv(struct request *r, const struct assignment *a);
/* ui-course.c: a course's gradebook (every assignment a column) and its CSV (?format=canvas|moodle). */
int ui_course(struct request *r, int64_t course_id, const char *course);
int ui_course_csv(struct request *r, int64_t course_id, const char *course);
/* session.c: a signed-in teacher's id from the cookie, or 0 (also after they signed out). */
int64_t teacher_from_cookie(struct request *r);
/* session.c: sign person in: a session cookie in r->cookie; 0 or -1. */
struct person;
int session_start(struct request *r, const struct person *p);
/* session.c: sign out: clear the cookie and end every session the teacher has so far. */
void session_end(struct request *r);

/* Format helpers shared by the pages: times, scores, status words. */
void web_time(struct buf *b, int64_t t);
void web_score(struct buf *b, int has_score, double score, double max_score);
/* A job's state, or its status once done, as web_word() shows it ("no job" for none). */
void web_state(struct buf *b, const char *state, const char *status);
/* web_state(), except for a push mirrored after the close (no job): "after close, not graded". */
void web_submission_state(struct buf *b, const char *state, const char *status, const char *via);
/* github.git_url (https://github.com or a GitHub Enterprise Server's address) into out. */
void web_github_url(struct db *db, struct buf *out);
/*
 * A submission's commit, its first shown hex digits (0: all). One mirrored
 * from GitHub (via webhook, github_repo OWNER/NAME) links to the commit
 * under github_url (web_github_url()) and says "via GitHub OWNER/NAME".
 */
void web_commit(struct buf *b, const char *commit, size_t shown, const char *via,
		const char *github_repo, const char *github_url);
/* A verdict, status or state word as a labelled span (class st-WORD), as it is stored. */
void web_word(struct buf *b, const char *word);

#endif
