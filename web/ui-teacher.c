/* ui-teacher.c: teachers sign in (a signed cookie, no server state) and browse their courses. */
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "html.h"
#include "web.h"
#include "../db/model.h"
#include "../db/web.h"
#include "../lib/crypto.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/secret.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

#define COOKIE_NAME     "lifebelt_teacher"
#define SESSION_SECONDS (12 * 3600)

/*
 * The cookie is LOGIN:EXPIRY:MAC with MAC = HMAC(server key, "teacher" login
 * expiry token_gen). Nothing is stored: the server checks the MAC, the
 * expiry, and that the person is still a teacher. A new `lifebelt token`
 * bumps token_gen and so ends every session of that person.
 */
static int session_mac(struct buf *out, const char *login, int64_t expiry, int64_t gen)
{
	const struct buf *key = web_server_key();
	struct buf msg = BUF_INIT;
	int rc;

	buf_addf(&msg, "teacher%c%s%c%lld%c%lld", 0, login, 0, (long long)expiry, 0, (long long)gen);
	rc = crypto_hmac_hex(out, key->buf, key->len, msg.buf, msg.len);
	buf_release(&msg);
	return rc;
}

int64_t teacher_from_cookie(struct request *r)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE_NAME);
	char *copy, *login, *exp, *mac, *end;
	struct buf want = BUF_INIT;
	struct person p;
	int64_t id = 0;
	long long expiry;

	if (!v || strlen(v) > 256)
		return 0;
	copy = strdup(v);
	if (!copy)
		abort();
	login = copy;
	if (!(exp = strchr(login, ':')))
		goto done;
	*exp++ = '\0';
	if (!(mac = strchr(exp, ':')))
		goto done;
	*mac++ = '\0';
	expiry = strtoll(exp, &end, 10);
	if (*end || expiry < time_now() || name_valid(login))
		goto done;
	if (db_person_get(r->db, login, &p))
		goto done;
	if (!session_mac(&want, login, expiry, p.token_gen) &&
	    crypto_equal(want.buf, want.len, mac, strlen(mac)) && db_is_teacher(r->db, p.id))
		id = p.id;
	person_release(&p);
done:
	buf_release(&want);
	free(copy);
	return id;
}

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

static int cookie_is_secure(struct db *db)
{
	struct buf url = BUF_INIT;
	int secure;

	db_config_get(db, "web.url", &url);
	secure = !strncmp(url.buf, "https://", 8);
	buf_release(&url);
	return secure;
}

int ui_login(struct request *r, const char *rest)
{
	struct buf login = BUF_INIT, token = BUF_INIT, hash = BUF_INIT, mac = BUF_INIT;
	struct person p = { 0 };
	int64_t expiry = time_now() + SESSION_SECONDS;
	int ok = 0, rc = 0;

	(void)rest;
	r->no_store = 1;
	if (strcmp(r->method, "POST")) {
		login_form(r, NULL);
		return 0;
	}
	if (form_value(r->body, "login", &login) || form_value(r->body, "token", &token) ||
	    name_valid(login.buf) || db_person_get(r->db, login.buf, &p)) {
		secret_hash(&hash, "lbt_");     /* about the same work as a real check */
	} else {
		secret_hash(&hash, token.buf);
		ok = p.token_hash && crypto_equal(hash.buf, hash.len, p.token_hash, strlen(p.token_hash)) &&
		     db_is_teacher(r->db, p.id);
	}
	if (!ok) {
		r->status = MHD_HTTP_FORBIDDEN;
		login_form(r, "Wrong login or token, or not a teacher.");
		goto done;
	}
	if ((rc = session_mac(&mac, p.login, expiry, p.token_gen)))
		goto done;
	buf_addf(&r->cookie, COOKIE_NAME "=%s:%lld:%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
		 p.login, (long long)expiry, mac.buf, SESSION_SECONDS,
		 cookie_is_secure(r->db) ? "; Secure" : "");
	r->location = "/t/";
	log_info("teacher %s signed in", p.login);
done:
	if (p.login)
		person_release(&p);
	buf_release(&login);
	buf_release(&token);
	buf_release(&hash);
	buf_release(&mac);
	return rc;
}

int ui_logout(struct request *r, const char *rest)
{
	(void)rest;
	if (strcmp(r->method, "POST"))
		return WEB_NOTFOUND;
	buf_adds(&r->cookie, COOKIE_NAME "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
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
	html_raw(o, "</table></div>\n");
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
	if (!(v.teacher_id = teacher_from_cookie(r))) {
		r->location = "/login";
		return 0;
	}
	buf_adds(&v.base, "/t");
	n = path_split(rest, &copy, seg, 4, &is_dir);
	if (n == 0) {
		rc = courses_page(r, v.teacher_id);
	} else if (n >= 2 && !strcmp(seg[0], "s")) {
		/* /t/s/ID and /t/s/ID/log: any submission of the teacher's courses */
		if (n == 2 || (n == 3 && !strcmp(seg[2], "log")))
			rc = ui_submission(r, &v, parse_id(seg[1]), n == 3 ? seg[2] : NULL);
	} else if (n == 1 && !strcmp(seg[0], "diff")) {
		rc = ui_diff(r, &v);
	} else if (n >= 2 && !(rc = teacher_assignment(r, v.teacher_id, seg[0], seg[1], &a))) {
		rc = WEB_NOTFOUND;
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
