/* ui-teacher.c: teachers sign in (web/session.c keeps the session) and browse their courses. */
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "html.h"
#include "web.h"
#include "../db/model.h"
#include "../db/web.h"
#include "../gitd/http.h"
#include "../lib/crypto.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/secret.h"
#include "../lib/throttle.h"
#include "../lib/banned.h"

/* A value of an application/x-www-form-urlencoded body, decoded into out; 0 or -1. */
static int form_value(const char *body, const char *name, struct buf *out)
{
	size_t n = strlen(name);
	const char *p = body;

	while (p && *p) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);

		if (len > n && !strncmp(p, name, n) && p[n] == '=') {
			size_t i;

			buf_add(out, p + n + 1, len - n - 1);
			for (i = 0; i < out->len; i++)
				if (out->buf[i] == '+')
					out->buf[i] = ' ';
			buf_setlen(out, MHD_http_unescape(out->buf));
			return 0;
		}
		p = amp ? amp + 1 : NULL;
	}
	return -1;
}

static void login_form(struct request *r, const char *message)
{
	page_begin(r, "Teacher sign-in");
	if (message) {
		html_raw(&r->out, "<p class=\"box\">");
		html_txt(&r->out, message);
		html_raw(&r->out, "</p>\n");
	}
	html_raw(&r->out, "<form method=\"post\" action=\"/login\" class=\"box\">"
		 "<label for=\"login\">Login</label><input id=\"login\" name=\"login\" "
		 "autocomplete=\"username\" required>"
		 "<label for=\"token\">Token (from <code>lifebelt token</code>)</label>"
		 "<input id=\"token\" name=\"token\" type=\"password\" "
		 "autocomplete=\"current-password\" required>"
		 "<p><button type=\"submit\">Sign in</button></p></form>\n");
	page_end(r);
}

/*
 * POST /login: the login form's login and token. Guessing is throttled like
 * git over HTTP (lib/throttle.h): per address and login, a 429 with
 * Retry-After while a guesser must wait.
 */
int ui_login(struct request *r, const char *rest)
{
	struct buf login = BUF_INIT, token = BUF_INIT, hash = BUF_INIT, msg = BUF_INIT;
	struct person p = { 0 };
	char addr[64];
	int ok = 0, known = 0, rc = 0, code, retry;

	(void)rest;
	r->no_store = 1;
	if (strcmp(r->method, "POST")) {
		login_form(r, NULL);
		return 0;
	}
	form_value(r->body, "login", &login);
	form_value(r->body, "token", &token);
	http_client_addr(r->conn, addr, sizeof(addr));
	code = throttle_ask(addr, login.buf, token.buf, throttle_now_ms(), &retry);
	if (code == THROTTLE_WAIT || code == THROTTLE_WAIT_ADDR) {
		r->status = MHD_HTTP_TOO_MANY_REQUESTS;
		r->retry_after = retry;
		throttle_message(&msg, code, login.buf, retry);
		login_form(r, msg.buf);
		goto done;
	}
	if (code == THROTTLE_CHECK && !db_person_get(r->db, login.buf, &p)) {
		known = 1;
		secret_hash(&hash, token.buf);
		ok = p.token_hash && crypto_equal(hash.buf, hash.len, p.token_hash, strlen(p.token_hash));
	} else {
		secret_hash(&hash, "lbt_");     /* about the same work as a real check */
	}
	if (code == THROTTLE_CHECK)
		throttle_result(addr, login.buf, ok, throttle_now_ms());
	if (!ok || !db_is_teacher(r->db, p.id)) {
		r->status = MHD_HTTP_FORBIDDEN;
		login_form(r, "Wrong login or token, or not a teacher.");
		goto done;
	}
	if ((rc = session_start(r, &p)))
		goto done;
	r->location = "/t/";
	log_info("teacher %s signed in", p.login);
done:
	if (known)
		person_release(&p);
	buf_release(&login);
	buf_release(&token);
	buf_release(&hash);
	buf_release(&msg);
	return rc;
}

/* POST /logout: ends the teacher's sessions (web/session.c), not only this browser's cookie. */
int ui_logout(struct request *r, const char *rest)
{
	(void)rest;
	r->no_store = 1;
	if (strcmp(r->method, "POST"))
		return WEB_NOTFOUND;
	session_end(r);
	r->location = "/login";
	return 0;
}

struct course_list {
	struct request *r;
	int64_t course_id;
};

static int list_assignment(const struct assignment *a, void *data)
{
	struct course_list *cl = data;
	struct buf *o = &cl->r->out;

	html_raw(o, "<tr><td><a href=\"/t/");
	html_url_arg(o, a->course);
	html_raw(o, "/");
	html_url_arg(o, a->name);
	html_raw(o, "/\">");
	html_txt(o, a->name);
	html_raw(o, "</a></td><td>");
	web_time(o, a->due);
	html_raw(o, "</td><td><a href=\"/t/");
	html_url_arg(o, a->course);
	html_raw(o, "/");
	html_url_arg(o, a->name);
	html_raw(o, "/grades.csv\">CSV</a></td></tr>\n");
	return 0;
}

static int list_course(int64_t id, const char *name, void *data)
{
	struct course_list *cl = data;
	struct buf *o = &cl->r->out;

	html_raw(o, "<h2>");
	html_txt(o, name);
	html_raw(o, "</h2>\n<div class=\"scroll\"><table><tr><th>Assignment</th><th>Due</th>"
		 "<th>Export</th></tr>\n");
	if (db_assignment_each(cl->r->db, id, list_assignment, cl))
		return -1;
	html_raw(o, "</table></div>\n<p><a href=\"/t/");
	html_url_arg(o, name);
	html_raw(o, "/\">Every assignment of ");
	html_txt(o, name);
	html_raw(o, "</a>, with CSV files for Canvas and Moodle</p>\n");
	return 0;
}

static void logout_button(struct request *r)
{
	html_raw(&r->out, "<form method=\"post\" action=\"/logout\" class=\"inline\">"
		 "<button type=\"submit\">Sign out</button></form>\n");
}

static int courses_page(struct request *r, int64_t teacher_id)
{
	struct course_list cl = { r, 0 };

	page_begin(r, "Your courses");
	if (db_person_courses_each(r->db, teacher_id, ROLE_TEACHER, list_course, &cl))
		return -1;
	logout_button(r);
	page_end(r);
	return 0;
}

/* The id of course if the teacher teaches it; WEB_NOTFOUND otherwise. */
static int teacher_course(struct request *r, int64_t teacher_id, const char *course, int64_t *id)
{
	const char *role;
	int rc;

	if (name_valid(course))
		return WEB_NOTFOUND;
	rc = db_course_id(r->db, course, id);
	if (!rc)
		rc = db_role(r->db, *id, teacher_id, &role);
	if (!rc && strcmp(role, ROLE_TEACHER))
		rc = DB_ENOTFOUND;
	return rc == DB_ENOTFOUND ? WEB_NOTFOUND : rc;
}

/* The assignment COURSE/NAME if the teacher teaches its course; WEB_NOTFOUND otherwise. */
static int teacher_assignment(struct request *r, int64_t teacher_id, const char *course,
			      const char *name, struct assignment *a)
{
	const char *role;
	int rc;

	if (name_valid(course) || name_valid(name))
		return WEB_NOTFOUND;
	rc = db_assignment_get(r->db, course, name, a);
	if (rc)
		return rc == DB_ENOTFOUND ? WEB_NOTFOUND : -1;
	rc = db_role(r->db, a->course_id, teacher_id, &role);
	if (rc || strcmp(role, ROLE_TEACHER)) {
		assignment_release(a);
		return rc && rc != DB_ENOTFOUND ? -1 : WEB_NOTFOUND;
	}
	return 0;
}

static int student_page(struct request *r, const struct viewer *v, const struct assignment *a,
			const char *login)
{
	struct person p;
	const char *role;
	struct buf title = BUF_INIT;
	int rc;

	if (name_valid(login) || db_person_get(r->db, login, &p))
		return WEB_NOTFOUND;
	if (db_role(r->db, a->course_id, p.id, &role) || strcmp(role, ROLE_STUDENT)) {
		person_release(&p);
		return WEB_NOTFOUND;
	}
	buf_addf(&title, "%s/%s: %s", a->course, a->name, p.login);
	page_begin(r, title.buf);
	html_raw(&r->out, "<p class=\"meta\">");
	html_txt(&r->out, p.name);
	html_raw(&r->out, " &middot; <a href=\"/t/");
	html_url_arg(&r->out, a->course);
	html_raw(&r->out, "/");
	html_url_arg(&r->out, a->name);
	html_raw(&r->out, "/\">gradebook</a></p>\n");
	rc = ui_submission_table(r, v, a, p.login);
	page_end(r);
	person_release(&p);
	buf_release(&title);
	return rc;
}

int ui_teacher(struct request *r, const char *rest)
{
	struct viewer v = { 1, 0, 0, BUF_INIT };
	char *copy = NULL, *seg[4];
	struct assignment a;
	int n, is_dir, rc = WEB_NOTFOUND;

	r->no_store = 1;
	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD"))
		return WEB_NOTFOUND;
	/* The route's viewer: the session cookie, checked on every request (server.c). */
	if (!(v.teacher_id = r->viewer_id)) {
		r->location = "/login";
		return 0;
	}
	buf_adds(&v.base, "/t");
	n = path_split(rest, &copy, seg, 4, &is_dir);
	/*
	 * The teacher's HTML views show nothing that the clock changes: each
	 * is kept for this teacher until the database changes (a verdict, an
	 * override, an edit, a new team). A page that fails is never kept.
	 */
	if (n == 0) {
		r->cacheable = 1;
		rc = courses_page(r, v.teacher_id);
	} else if (n >= 2 && !strcmp(seg[0], "s")) {
		/* /t/s/ID and /t/s/ID/log: any submission of the teacher's courses */
		if (n == 2 || (n == 3 && !strcmp(seg[2], "log")))
			rc = ui_submission(r, &v, parse_id(seg[1]), n == 3 ? seg[2] : NULL);
	} else if (n == 1 && !strcmp(seg[0], "diff")) {
		rc = ui_diff(r, &v);
	} else if ((n == 1 && is_dir) || (n == 2 && !is_dir && !strcmp(seg[1], "grades.csv"))) {
		int64_t course_id;

		rc = teacher_course(r, v.teacher_id, seg[0], &course_id);
		r->cacheable = n == 1;
		if (!rc)
			rc = n == 1 ? ui_course(r, course_id, seg[0]) : ui_course_csv(r, course_id, seg[0]);
	} else if (n >= 2 && !(rc = teacher_assignment(r, v.teacher_id, seg[0], seg[1], &a))) {
		rc = WEB_NOTFOUND;
		r->cacheable = (n == 2 && is_dir) || (n == 4 && !strcmp(seg[2], "u"));
		if (n == 2 && is_dir)
			rc = ui_gradebook(r, &v, &a);
		else if (n == 3 && !strcmp(seg[2], "grades.csv"))
			rc = ui_csv(r, &a);
		else if (n == 4 && !strcmp(seg[2], "u"))
			rc = student_page(r, &v, &a, seg[3]);
		assignment_release(&a);
	}
	free(copy);
	buf_release(&v.base);
	return rc;
}
