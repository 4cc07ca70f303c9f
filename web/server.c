/* server.c: the libmicrohttpd server: limits, headers, the route table, dispatch. */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include <git2.h>
#include <microhttpd.h>

#include "cache.h"
#include "diff.h"
#include "guard.h"
#include "gzip.h"
#include "server.h"
#include "../gitd/github.h"
#include "../gitd/http.h"
#include "web.h"
#include "../db/db.h"
#include "../db/model.h"
#include "../db/web.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/banned.h"

/*
 * Limits: enough for a class at a deadline, not enough for one client to
 * starve the rest. The connection caps and the header deadline are settings
 * (web.connections, web.connections_per_address, web.header_seconds).
 */
#define WEB_THREADS             4
#define WEB_IDLE_TIMEOUT        30      /* seconds without a byte */
#define WEB_MAX_FORM            4096    /* the login form's body */
#define WEB_GZIP_MIN            1024    /* a smaller body goes in a packet or two as it is */

/*
 * A raw route gets libmicrohttpd's callback as it is (streaming bodies, its
 * own responses); `done` then frees what it kept in *state.
 */
typedef enum MHD_Result raw_fn(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *upload,
			       size_t *upload_size, void **state);

#define ROUTE_PREFIX    1       /* match path as a prefix; else exactly */
#define ROUTE_CACHE     2       /* pages that say so are kept until the database changes */
#define ROUTE_GZIP      4       /* pages sent gzip-compressed to clients that take it */

/*
 * Who is signed in for a route's pages (the teacher of a session cookie),
 * 0 for nobody. Asked on every request, before any kept page is looked
 * for: a kept page is served only to the viewer it was made for.
 */
typedef int64_t viewer_fn(struct request *r);

struct route {
	const char *path;
	unsigned int flags;
	page_fn *page;          /* a rendered page (GET, HEAD, small POST forms) */
	viewer_fn *viewer;      /* the page's viewer, into r->viewer_id; NULL: the URL says */
	raw_fn *raw;            /* or a handler of its own */
	void (*done)(void *state);
};

static struct db *thread_db(void);

/* git's smart HTTP (gitd/http.c) as a raw route. */
static enum MHD_Result git_raw(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *upload,
			       size_t *upload_size, void **state)
{
	(void)cls;
	(void)version;
	/*
	 * The thread's own handle, as pages use: opening one for each git
	 * request (and parsing the schema again) cost the thread, and the
	 * pages waiting on it, a millisecond or more a request in a rush.
	 */
	return http_git_handle(thread_db(), c, url, method, upload, upload_size, state);
}

static void git_done(void *state)
{
	http_git_completed(state);
}

/*
 * GitHub's webhook (gitd/github-hook.c), which writes through a handle of
 * its own. Its small body must arrive in the time a page's form has.
 */
static enum MHD_Result github_raw(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **state)
{
	(void)cls;
	(void)url;
	(void)version;
	if (!*state)
		guard_form_wait(c);
	else if (!*upload_size)
		guard_form_read(c);
	return github_hook_handle(c, method, upload, upload_size, state);
}

static void github_done(void *state)
{
	github_hook_completed(state);
}

/*
 * Every URL the server answers; nothing here maps to a file on disk.
 *
 * Compression and BREACH: a compressed page's length tells whoever sees
 * the encrypted traffic how well text they chose matched a secret on the
 * same page; enough requests recover the secret. Teachers' pages compress
 * (ROUTE_GZIP): their bodies hold no secret to guess (no CSRF token; the
 * session is a cookie, sent in headers, which gzip does not touch), no
 * query argument is written back into them (from and to are read as
 * numbers), and the session cookie is SameSite=Strict, so another site
 * cannot make a teacher's browser fetch them signed in, again and again.
 * A student's pages do not: every link on them carries the student's key,
 * a teammate's commit messages stand next to it, and a page waiting for a
 * verdict reloads itself (Refresh) as often as a guesser would want.
 */
static const struct route routes[] = {
	{ "/", 0, ui_home, NULL, NULL, NULL },
	{ "/healthz", 0, ui_healthz, NULL, NULL, NULL },
	{ "/metrics", 0, ui_metrics, NULL, NULL, NULL },
	{ "/style.css", 0, ui_style, NULL, NULL, NULL },
	{ "/login", 0, ui_login, NULL, NULL, NULL },
	{ "/logout", 0, ui_logout, NULL, NULL, NULL },
	{ "/me/", ROUTE_PREFIX | ROUTE_CACHE, ui_student, NULL, NULL, NULL },
	{ "/t/", ROUTE_PREFIX | ROUTE_CACHE | ROUTE_GZIP, ui_teacher, teacher_from_cookie, NULL, NULL },
	{ "/t", ROUTE_CACHE | ROUTE_GZIP, ui_teacher, teacher_from_cookie, NULL, NULL },
	{ HTTP_GIT_PREFIX, ROUTE_PREFIX, NULL, NULL, git_raw, git_done },
	{ GITHUB_HOOK_PATH, 0, NULL, NULL, github_raw, github_done },
	{ NULL, 0, NULL, NULL, NULL, NULL }
};

static const struct route *route_find(const char *url)
{
	const struct route *rt;

	for (rt = routes; rt->path; rt++)
		if (rt->flags & ROUTE_PREFIX ? !strncmp(url, rt->path, strlen(rt->path)) : !strcmp(url, rt->path))
			return rt;
	return NULL;
}

/* What a connection keeps between libmicrohttpd's calls for one request. */
struct conn_state {
	const struct route *route;
	void *raw_state;        /* a raw route's own */
	struct buf form;        /* a page route's POST body */
	int too_big;
};

static struct buf server_key = BUF_INIT;
static struct buf db_path = BUF_INIT;
static pthread_key_t db_key;
static int no_cache;

const struct buf *web_server_key(void)
{
	return &server_key;
}

static void db_destroy(void *p)
{
	cache_free();
	db_close(p);
}

/* The calling thread's read-only database handle, opened on first use. */
static struct db *thread_db(void)
{
	struct db *db = pthread_getspecific(db_key);

	if (!db) {
		if (db_open(&db, db_path.buf, DB_READONLY))
			return NULL;
		/*
		 * 32 MiB of pages kept per thread: a gradebook walks every
		 * submission of an assignment and each student's results,
		 * megabytes; in SQLite's default 2 MiB each request would read
		 * them from the file again.
		 */
		if (db_exec(db, "PRAGMA cache_size = -32768", "") < 0)
			warning("the web's database cache stays at SQLite's default size");
		pthread_setspecific(db_key, db);
	}
	return db;
}

const char *web_arg(struct request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

static void add_security_headers(struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'none'; style-src 'self'; form-action 'self'; "
				"frame-ancestors 'none'; base-uri 'none'");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
}

/* A header whose value is a number of seconds, unless it is 0. */
static void add_seconds_header(struct MHD_Response *resp, const char *name, int seconds)
{
	char v[32];

	if (!seconds)
		return;
	snprintf(v, sizeof(v), "%d", seconds);
	MHD_add_response_header(resp, name, v);
}

static unsigned int status_of(const struct request *r)
{
	return r->location ? MHD_HTTP_SEE_OTHER : r->status ? r->status : MHD_HTTP_OK;
}

/* A response of body (taken over) with the page's headers. */
static struct MHD_Response *response_of(struct request *r, char *body, size_t len)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);

	if (!resp) {
		free(body);
		return NULL;
	}
	add_security_headers(resp);
	/* Both forms say so, that a shared cache keeps each for the clients it suits. */
	if (r->negotiated)
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	MHD_add_response_header(resp, "Content-Type", r->type ? r->type : "text/html; charset=utf-8");
	if (r->no_store)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->download[0]) {
		char v[200];

		snprintf(v, sizeof(v), "attachment; filename=\"%s\"", r->download);
		MHD_add_response_header(resp, "Content-Disposition", v);
	}
	if (r->cookie.len)
		MHD_add_response_header(resp, "Set-Cookie", r->cookie.buf);
	if (r->location)
		MHD_add_response_header(resp, "Location", r->location);
	add_seconds_header(resp, "Refresh", r->refresh);
	add_seconds_header(resp, "Retry-After", r->retry_after);
	return resp;
}

/* The page as it is; r->out is taken over. */
static struct MHD_Response *make_response(struct request *r)
{
	size_t len;
	char *body = buf_detach(&r->out, &len);

	return response_of(r, body, len);
}

/*
 * The page gzip-compressed, for a route that negotiates it; NULL when
 * the page is too small to gain, or zlib failed (send it as it is then).
 * r->out is left as it was; *size is the compressed length.
 */
static struct MHD_Response *make_gzip_response(struct request *r, size_t *size)
{
	struct buf z = BUF_INIT;
	struct MHD_Response *resp;
	size_t len;
	char *body;

	if (!r->negotiated || r->out.len < WEB_GZIP_MIN)
		return NULL;
	if (gzip_compress(&z, r->out.buf, r->out.len)) {
		warning("could not compress %s; sent as it is", r->url);
		buf_release(&z);
		return NULL;
	}
	body = buf_detach(&z, &len);
	*size = len;
	if ((resp = response_of(r, body, len)))
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	return resp;
}

/* Send the page, gzip-compressed if gzip is set and it gains. */
static enum MHD_Result send_request(struct request *r, int gzip)
{
	size_t size;
	struct MHD_Response *resp = gzip ? make_gzip_response(r, &size) : NULL;
	enum MHD_Result ret;

	if (!resp)
		resp = make_response(r);
	if (!resp)
		return MHD_NO;
	ret = MHD_queue_response(r->conn, status_of(r), resp);
	MHD_destroy_response(resp);
	return ret;
}

/*
 * The cache key of a request: its viewer (0 when the URL itself carries
 * the secret), its path and the query arguments that pages read, in a
 * fixed order, each with its length (so no two requests share a key by
 * accident). Other arguments change nothing on a page: they must not make
 * a new key, which would render and keep the same page again.
 */
static void cache_key(struct buf *key, struct MHD_Connection *c, int64_t viewer, const char *url)
{
	static const char *const page_args[] = { "from", "to", NULL };
	const char *const *a;
	const char *v;

	buf_addf(key, "%lld %zu:%s", (long long)viewer, strlen(url), url);
	for (a = page_args; *a; a++) {
		v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, *a);
		buf_addf(key, " %zu:%s", v ? strlen(v) : 0, v ? v : "");
	}
}

static enum MHD_Result add_accept_encoding(void *cls, enum MHD_ValueKind kind, const char *name,
					   const char *value)
{
	struct buf *list = cls;

	(void)kind;
	if (!strcasecmp(name, MHD_HTTP_HEADER_ACCEPT_ENCODING) && value)
		buf_addf(list, "%s%s", list->len ? ", " : "", value);
	return MHD_YES;
}

/*
 * Whether the request takes gzip. A header sent twice is one list
 * (RFC 9110 5.3), so that "gzip;q=0" in the second is not missed.
 */
static int takes_gzip(struct MHD_Connection *c)
{
	struct buf list = BUF_INIT;
	int ret;

	MHD_get_connection_values(c, MHD_HEADER_KIND, add_accept_encoding, &list);
	ret = gzip_accepted(list.buf);
	buf_release(&list);
	return ret;
}

static enum MHD_Result run_page(struct MHD_Connection *c, const struct route *rt, const char *url,
				const char *method, struct conn_state *cs)
{
	struct buf key = BUF_INIT;
	struct request r;
	enum MHD_Result ret;
	int rc, gzip = 0;

	memset(&r, 0, sizeof(r));
	r.conn = c;
	r.method = method;
	r.url = url;
	r.body = cs->form.buf;
	r.body_len = cs->form.len;
	buf_init(&r.out, 8192);
	buf_init(&r.cookie, 0);
	if (rt->flags & ROUTE_GZIP) {
		r.negotiated = 1;
		gzip = takes_gzip(c);
	}
	if (cs->too_big) {
		page_error(&r, MHD_HTTP_CONTENT_TOO_LARGE, "The form is too large.");
	} else if (strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "POST")) {
		page_error(&r, MHD_HTTP_METHOD_NOT_ALLOWED, "Method not allowed.");
	} else if (!(r.db = thread_db()) || db_read_begin(r.db)) {
		r.db = NULL;
		page_error(&r, MHD_HTTP_SERVICE_UNAVAILABLE, "The database is not available.");
	} else {
		int64_t version;
		struct MHD_Response *kept;

		if (rt->viewer)
			r.viewer_id = rt->viewer(&r);
		/* Nobody signed in is sent to sign in: never a kept page. */
		if ((rt->flags & ROUTE_CACHE) && !no_cache && strcmp(method, "POST") &&
		    (!rt->viewer || r.viewer_id) && !db_data_version(r.db, &version)) {
			cache_check(version);
			cache_key(&key, c, r.viewer_id, url);
			if ((kept = cache_get(key.buf, gzip))) {
				ret = MHD_queue_response(c, MHD_HTTP_OK, kept);
				goto done;
			}
		}
		rc = rt->page(&r, url + strlen(rt->path));
		if (rc == WEB_NOTFOUND)
			page_error(&r, MHD_HTTP_NOT_FOUND, "There is no such page.");
		else if (rc)
			page_error(&r, MHD_HTTP_INTERNAL_SERVER_ERROR, "Something went wrong; it has been logged.");
	}
	if (key.len && r.cacheable && status_of(&r) == MHD_HTTP_OK && !r.cookie.len && !r.refresh) {
		/* Compressed now, once, for every request that takes gzip until the next write. */
		size_t zsize = 0, size = r.out.len;
		struct MHD_Response *zresp = make_gzip_response(&r, &zsize), *resp;

		if ((resp = make_response(&r))) {
			ret = MHD_queue_response(c, MHD_HTTP_OK, gzip && zresp ? zresp : resp);
			cache_put(key.buf, resp, zresp, size + zsize);
		} else {
			ret = MHD_NO;
			if (zresp)
				MHD_destroy_response(zresp);
		}
	} else {
		ret = send_request(&r, gzip);
	}
done:
	if (r.db)
		db_read_end(r.db);
	buf_release(&r.out);
	buf_release(&r.cookie);
	buf_release(&key);
	return ret;
}

/* A short error page; with close_after, the connection ends after it. */
static enum MHD_Result refuse(struct MHD_Connection *c, unsigned int status, const char *message,
			      int close_after)
{
	struct request r;
	struct MHD_Response *resp;
	enum MHD_Result ret = MHD_NO;

	memset(&r, 0, sizeof(r));
	r.conn = c;
	buf_init(&r.out, 0);
	buf_init(&r.cookie, 0);
	page_error(&r, status, message);
	if ((resp = make_response(&r))) {
		if (close_after)
			MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
		ret = MHD_queue_response(c, status, resp);
		MHD_destroy_response(resp);
	}
	buf_release(&r.out);
	buf_release(&r.cookie);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **state)
{
	struct conn_state *cs = *state;

	if (!cs) {
		const struct route *rt = route_find(url);
		const char *bad = guard_request(c, version);

		if (bad)
			return refuse(c, MHD_HTTP_BAD_REQUEST, bad, 1);
		cs = xcalloc(1, sizeof(*cs));
		buf_init(&cs->form, 0);
		cs->route = rt;
		*state = cs;
		if (!rt || rt->page) {
			guard_form_wait(c);
			return MHD_YES;     /* wait for the body, if any */
		}
	}
	if (cs->route && cs->route->raw)
		return cs->route->raw(cls, c, url, method, version, upload, upload_size,
				      &cs->raw_state);
	if (*upload_size) {
		if (cs->form.len + *upload_size > WEB_MAX_FORM)
			cs->too_big = 1;
		else
			buf_add(&cs->form, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	guard_form_read(c);
	if (!cs->route)
		return refuse(c, MHD_HTTP_NOT_FOUND, "There is no such page.", 0);
	return run_page(c, cs->route, url, method, cs);
}

static void completed(void *cls, struct MHD_Connection *c, void **state,
		      enum MHD_RequestTerminationCode why)
{
	struct conn_state *cs = *state;

	(void)cls;
	(void)why;
	guard_request_done(c);
	if (!cs)
		return;
	if (cs->route && cs->route->done)
		cs->route->done(cs->raw_state);
	buf_release(&cs->form);
	free(cs);
	*state = NULL;
}

static int parse_listen(const char *s, struct sockaddr_in *sa)
{
	const char *colon = strrchr(s, ':');
	struct buf host = BUF_INIT;
	char *end;
	long port;
	int ret = 0;

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (!colon)
		return error("--listen '%s' is not ADDR:PORT", s);
	port = strtol(colon + 1, &end, 10);
	if (!colon[1] || *end || port < 1 || port > 65535)
		return error("--listen '%s': bad port", s);
	sa->sin_port = htons((uint16_t)port);
	buf_add(&host, s, (size_t)(colon - s));
	if (inet_pton(AF_INET, host.buf, &sa->sin_addr) != 1)
		ret = error("--listen '%s': '%s' is not an IPv4 address", s, host.buf);
	buf_release(&host);
	return ret;
}

/* The server's settings, read once at start, in this order. */
static const char *const limit_keys[] = {
	"web.header_seconds", "web.connections", "web.connections_per_address"
};

static int read_limits(int64_t *limits)
{
	struct db *db;

	if (db_open(&db, db_path.buf, DB_READONLY))
		return -1;
	db_config_ints(db, limit_keys, limits, (int)(sizeof(limit_keys) / sizeof(*limit_keys)));
	db_close(db);
	return 0;
}

/*
 * Every connection holds a descriptor and a git request a few more: raise
 * the soft limit on open files to the hard one, and keep the connection cap
 * at half of it, so that the database and git's pipes always find some.
 */
static unsigned int fit_connections(int64_t want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return (unsigned int)want;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY && (uint64_t)want > rl.rlim_cur / 2) {
		warning("web.connections is %lld but this process may open only %llu files; "
			"serving at most %llu connections", (long long)want,
			(unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_cur / 2);
		want = (int64_t)(rl.rlim_cur / 2);
	}
	return (unsigned int)want;
}

int web_serve(const struct serve_opts *o)
{
	struct sockaddr_in sa;
	struct MHD_Daemon *d;
	int64_t limits[sizeof(limit_keys) / sizeof(*limit_keys)];
	sigset_t stop;
	int sig;

	if (parse_listen(o->listen, &sa))
		return -1;
	no_cache = o->no_cache;
	home_path(&db_path, "lifebelt.db");
	if (home_server_key(&server_key) || read_limits(limits))
		return -1;
	if (pthread_key_create(&db_key, db_destroy))
		return error("cannot create a thread key");
	git_libgit2_init();
	/* Pages only read; a repository's ownership is not ours to check here. */
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
	signal(SIGPIPE, SIG_IGN);
	/* The server's threads inherit this mask; only sigwait() below takes the signals. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	if (guard_start((unsigned int)limits[0]))
		return -1;
	if (http_git_start()) {
		guard_stop();
		return -1;
	}
	/* Suspend/resume: git requests wait for their backend without holding a thread. */
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
			     MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME,
			     0, NULL, NULL, handle, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)WEB_THREADS,
			     MHD_OPTION_CONNECTION_LIMIT, fit_connections(limits[1]),
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)limits[2],
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)WEB_IDLE_TIMEOUT,
			     MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)1024,
			     MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
			     MHD_OPTION_NOTIFY_CONNECTION, guard_notify, NULL,
			     MHD_OPTION_END);
	if (!d) {
		int ret = error_errno("cannot listen on %s", o->listen);

		http_git_stop();
		guard_stop();
		return ret;
	}
	log_info("lifebelt serving on http://%s/", o->listen);
	while (sigwait(&stop, &sig))
		;
	log_info("stopping");
	http_git_stop();
	guard_stop();
	MHD_stop_daemon(d);
	diff_cache_free();
	git_libgit2_shutdown();
	buf_release(&server_key);
	buf_release(&db_path);
	return 0;
}
