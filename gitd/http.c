/* http.c: smart HTTP for git: basic auth, one authorisation, git http-backend as a CGI. */
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "cgi.h"
#include "http.h"
#include "http-auth.h"
#include "../db/db.h"
#include "../db/model.h"
#include "../lib/buf.h"
#include "../lib/crypto.h"
#include "../lib/fsutil.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/push.h"
#include "../lib/secret.h"
#include "../lib/throttle.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

/*
 * Inflated request bodies: a push's pack is capped by git (receive.maxInputSize,
 * PUSH_GIT_INPUT_FACTOR times the assignment's cap, lib/push.h) and real git
 * never compresses it; a fetch's negotiation is
 * small, and git itself buffers at most 10 MiB of it: refuse before git does.
 */
#define INFLATE_PUSH_MAX ((size_t)64 << 20)
#define INFLATE_FETCH_MAX ((size_t)8 << 20)

static const char unauthorized[] =
	"authentication required: your Lifebelt login as the user name and your access token "
	"as the password; your teacher gives you the token (ask them for a new one if it is "
	"lost or refused)\n";

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *body)
{
	return cgi_reply(c, status, 0, body);
}

void http_client_addr(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	const char *real = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Real-IP");

	snprintf(out, n, "unknown");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)n);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)n);
	if (real && strlen(real) < n && strspn(real, "0123456789abcdefABCDEF.:") == strlen(real) &&
	    (!strcmp(out, "127.0.0.1") || !strcmp(out, "::1")))
		memcpy(out, real, strlen(real) + 1);
}

/* Check login and token in constant time; a missing person costs the same hash and compare. */
static int check_token(struct db *db, const char *login, const char *token)
{
	static const char dummy[] = "0000000000000000000000000000000000000000000000000000000000000000";
	struct buf hash = BUF_INIT;
	struct person p;
	int rc, ok;

	memset(&p, 0, sizeof(p));
	rc = name_valid(login) ? DB_ENOTFOUND : db_person_get(db, login, &p);
	secret_hash(&hash, token);
	if (!rc && p.token_hash) {
		ok = crypto_equal(hash.buf, hash.len, p.token_hash, strlen(p.token_hash));
	} else {
		crypto_equal(hash.buf, hash.len, dummy, strlen(dummy));
		ok = 0;
	}
	if (!rc)
		person_release(&p);
	buf_release(&hash);
	return ok ? 0 : -1;
}

static const char *const suffixes[] = { "/info/refs", "/git-upload-pack", "/git-receive-pack" };
enum { INFO_REFS, UPLOAD_PACK, RECEIVE_PACK };

/* Split "/git/REPO/SUFFIX" into the repository part and which endpoint; -1 if not smart HTTP. */
static int parse_url(const char *url, struct buf *repo)
{
	size_t n = strlen(url), i, k;

	url += strlen(HTTP_GIT_PREFIX);
	n -= strlen(HTTP_GIT_PREFIX);
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		k = strlen(suffixes[i]);
		if (n > k && !strcmp(url + n - k, suffixes[i])) {
			buf_add(repo, url, n - k);
			return (int)i;
		}
	}
	return -1;
}

/*
 * The Git LFS API (REPO/info/lfs/objects/batch, .../locks/verify): an
 * error git-lfs prints as it is, for every repository and without asking
 * who it is, as it tells nothing. To a bare 404 git-lfs would print its
 * own "not found" with the remote's URL, token and all.
 */
static int is_lfs(const char *url)
{
	return strstr(url, "/info/lfs/") || (strlen(url) >= 9 && !strcmp(url + strlen(url) - 9,
									  "/info/lfs"));
}

static enum MHD_Result reply_lfs(struct MHD_Connection *c)
{
	struct buf body = BUF_INIT;
	enum MHD_Result ret;

	buf_addf(&body, "{\"message\":\"%s\"}\n", auth_lfs_message);
	ret = cgi_reply_as(c, MHD_HTTP_NOT_IMPLEMENTED, 0, "application/vnd.git-lfs+json", body.buf);
	buf_release(&body);
	return ret;
}

/* A header value fit for the CGI environment: printable ASCII only. */
static const char *header(struct MHD_Connection *c, const char *name)
{
	const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
	const char *p;

	if (!v)
		return NULL;
	for (p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return NULL;
	return v;
}

static char *git_path;

static void setup_once(void)
{
	const char *path = getenv("PATH");
	struct buf dir = BUF_INIT;
	const char *p, *colon;

	/* Writing to an http-backend that died must be an error, not the end of the server. */
	signal(SIGPIPE, SIG_IGN);
	for (p = path ? path : "/usr/bin:/bin"; *p; p = colon + 1) {
		colon = strchr(p, ':');
		buf_reset(&dir);
		buf_add(&dir, p, colon ? (size_t)(colon - p) : strlen(p));
		buf_adds(&dir, "/git");
		if (dir.buf[0] == '/' && !access(dir.buf, X_OK)) {
			git_path = buf_detach(&dir, NULL);
			break;
		}
		if (!colon)
			break;
	}
	buf_release(&dir);
}

struct env {
	char *v[24];
	int nr;
};

__attribute__((format(printf, 2, 3)))
static void env_add(struct env *e, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	if (e->nr >= (int)(sizeof(e->v) / sizeof(e->v[0])) - 1)
		die("BUG: too many CGI variables");
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	e->v[e->nr++] = buf_detach(&b, NULL);
	e->v[e->nr] = NULL;
}

static void env_release(struct env *e)
{
	while (e->nr > 0)
		free(e->v[--e->nr]);
}

/*
 * When each push over HTTP began: its authenticated ref advertisement
 * (GET info/refs?service=git-receive-pack), git's first step of a push, as
 * the forced command's start is over SSH. The receive-pack POSTs that
 * follow within PUSH_BEGAN_MAX seconds take it as their receive time (the
 * hook credits no more in any case), so the client's own work between the
 * two (packing, a second round trip for its credentials) never makes a push
 * late. Kept by login and repository in a small table: a slot taken by
 * another push only loses the earlier time, and then the POST's own
 * arrival counts. Returns the receive time for a request arriving at now.
 */
#define PUSH_BEGAN_SLOTS 1024
#define PUSH_BEGAN_MAX 120

static struct {
	char key[256];
	int64_t at;
} push_began[PUSH_BEGAN_SLOTS];
static pthread_mutex_t push_began_lock = PTHREAD_MUTEX_INITIALIZER;

static int64_t push_start(const char *login, const char *rel, int64_t now, int advertised)
{
	char key[sizeof(push_began[0].key)];
	uint32_t h = 2166136261u;
	int64_t at = now;
	size_t i;

	if (snprintf(key, sizeof(key), "%s %s", login, rel) >= (int)sizeof(key))
		return now;
	for (i = 0; key[i]; i++)
		h = (h ^ (unsigned char)key[i]) * 16777619u;
	h %= PUSH_BEGAN_SLOTS;
	pthread_mutex_lock(&push_began_lock);
	if (advertised) {
		memcpy(push_began[h].key, key, strlen(key) + 1);
		push_began[h].at = now;
	} else if (!strcmp(push_began[h].key, key) && push_began[h].at <= now &&
		   now - push_began[h].at <= PUSH_BEGAN_MAX) {
		at = push_began[h].at;
	}
	pthread_mutex_unlock(&push_began_lock);
	return at;
}

/* 429 for a throttled login: the line that says why, and Retry-After. */
static enum MHD_Result reply_wait(struct MHD_Connection *c, int code, const char *login, int retry_s)
{
	struct buf msg = BUF_INIT;
	enum MHD_Result ret;

	throttle_message(&msg, code, login, retry_s);
	ret = cgi_reply(c, MHD_HTTP_TOO_MANY_REQUESTS, retry_s, msg.buf);
	buf_release(&msg);
	return ret;
}

/* Authenticate, authorise and start the backend; on refusal queue the answer. */
static enum MHD_Result start(struct db *db, struct MHD_Connection *c, const char *url,
			     const char *method, void **state)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	const char *service = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "service");
	const char *v;
	struct buf repo = BUF_INIT, rel = BUF_INIT, login = BUF_INIT, token = BUF_INIT;
	struct env env = { { NULL }, 0 };
	struct cgi *g = NULL;
	char addr[64];
	const char *user = NULL, *pass = NULL;
	char *argv[] = { NULL, (char *)"http-backend", NULL };
	enum MHD_Result ret;
	int which, want_write, rc, retry, gzip = 0;
	/* The receive time of a push: when its request reached us, before anything can delay it. */
	int64_t received = time_now();

	pthread_once(&once, setup_once);
	if (is_lfs(url)) {
		ret = reply_lfs(c);
		goto done;
	}
	which = parse_url(url, &repo);
	if (which < 0 || (which == INFO_REFS && (!service || (strcmp(service, "git-upload-pack") &&
							     strcmp(service, "git-receive-pack"))))) {
		ret = reply(c, MHD_HTTP_NOT_FOUND, "not found: only git's smart HTTP is served here\n");
		goto done;
	}
	if (strcmp(method, which == INFO_REFS ? "GET" : "POST")) {
		ret = reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
		goto done;
	}
	want_write = which == RECEIVE_PACK || (which == INFO_REFS && !strcmp(service, "git-receive-pack"));

	http_client_addr(c, addr, sizeof(addr));
	if (!http_auth_basic(header(c, "Authorization"), &login, &token)) {
		user = login.buf;
		pass = token.buf;
	}
	/* No credentials (git asks so first) or no possible token (JGit's "null"): no guess. */
	rc = throttle_ask(addr, user, pass, throttle_now_ms(), &retry);
	if (rc != THROTTLE_CHECK) {
		ret = rc == THROTTLE_NOGUESS ? reply(c, MHD_HTTP_UNAUTHORIZED, unauthorized) :
		      reply_wait(c, rc, user, retry);
		goto done;
	}
	if (!db) {
		ret = reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "server error\n");
		goto done;
	}
	rc = check_token(db, user, pass);
	throttle_result(addr, user, !rc, throttle_now_ms());
	if (rc) {
		ret = reply(c, MHD_HTTP_UNAUTHORIZED, unauthorized);
		goto done;
	}
	rc = auth_repo(db, user, repo.buf, want_write, &rel);
	if (rc) {
		struct buf msg = BUF_INIT;

		buf_addf(&msg, "%s\n", rc == AUTH_EDENIED ? auth_denied_message : "server error");
		ret = reply(c, rc == AUTH_EDENIED ? MHD_HTTP_FORBIDDEN : MHD_HTTP_INTERNAL_SERVER_ERROR,
			    msg.buf);
		buf_release(&msg);
		goto done;
	}
	if (want_write && fs_nearly_full(home_dir(), PUSH_MIN_FREE)) {
		ret = reply(c, MHD_HTTP_INSUFFICIENT_STORAGE, "error: " PUSH_NO_SPACE "\n");
		goto done;
	}
	if (want_write)
		received = push_start(user, rel.buf, received, which == INFO_REFS);

	/* The body is inflated here, with a cap, and git reads it plain up to its end. */
	if ((v = header(c, "Content-Encoding")) && strcmp(v, "identity")) {
		if (strcmp(v, "gzip") && strcmp(v, "x-gzip")) {
			ret = reply(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
				    "unsupported Content-Encoding: only gzip is accepted\n");
			goto done;
		}
		gzip = 1;
	}
	env_add(&env, "GIT_PROJECT_ROOT=%s/repos", home_dir());
	env_add(&env, "GIT_HTTP_EXPORT_ALL=1");
	env_add(&env, "PATH_INFO=/%s%s", rel.buf, suffixes[which]);
	env_add(&env, "REQUEST_METHOD=%s", method);
	env_add(&env, "QUERY_STRING=%s%s", which == INFO_REFS ? "service=" : "",
		which == INFO_REFS ? service : "");
	env_add(&env, "REMOTE_USER=%s", user);
	env_add(&env, "REMOTE_ADDR=%s", addr);
	env_add(&env, "LIFEBELT_VIA=http");
	env_add(&env, "LIFEBELT_LOGIN=%s", user);
	env_add(&env, "LIFEBELT_HOME=%s", home_dir());
	env_add(&env, "LIFEBELT_RECEIVED=%lld", (long long)received);
	env_add(&env, "PATH=%s", getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	if ((v = getenv("HOME")))
		env_add(&env, "HOME=%s", v);
	if ((v = header(c, "Content-Type")))
		env_add(&env, "CONTENT_TYPE=%s", v);
	/*
	 * No CONTENT_LENGTH: git then reads the body to its end, which comes
	 * when the whole body was handed over, or never matters because git
	 * is killed (given a length, git spins forever on a short body).
	 */
	if ((v = header(c, "Git-Protocol")))
		env_add(&env, "GIT_PROTOCOL=%s", v);

	if (!git_path) {
		error("git is not on PATH");
		ret = reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "server error\n");
		goto done;
	}
	argv[0] = git_path;
	rc = cgi_spawn(&g, c, user, argv, env.v, gzip,
		       which == RECEIVE_PACK ? INFLATE_PUSH_MAX : INFLATE_FETCH_MAX);
	if (rc == CGI_EBUSY) {
		ret = cgi_reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, 10,
				"the server is busy with other git requests; try again in a few seconds\n");
		goto done;
	} else if (rc == CGI_ELOGIN) {
		ret = cgi_reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, 10,
				"too many git requests of yours at once; wait for them to finish\n");
		goto done;
	} else if (rc) {
		ret = reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "server error\n");
		goto done;
	}
	*state = g;
	ret = MHD_YES;
done:
	buf_release(&login);
	buf_release(&token);
	env_release(&env);
	buf_release(&repo);
	buf_release(&rel);
	return ret;
}

enum MHD_Result http_git_handle(struct db *db, struct MHD_Connection *c, const char *url,
				const char *method, const char *upload, size_t *upload_size,
				void **state)
{
	if (!*state) {
		enum MHD_Result ret = start(db, c, url, method, state);

		/* A GET has no body: answer at once. */
		if (ret == MHD_YES && *state && !strcmp(method, "GET"))
			return cgi_respond(*state);
		return ret;
	}
	if (*upload_size)
		return cgi_upload(*state, upload, upload_size);
	return cgi_respond(*state);
}

void http_git_completed(void *state)
{
	if (state)
		cgi_completed(state);
}

int http_git_start(void)
{
	static const char *const keys[] = { "http.git_body_seconds", "http.git_seconds",
					    "http.git_backends", "http.git_backends_per_login" };
	int64_t v[4];
	struct cgi_limits l;
	struct buf path = BUF_INIT;
	struct db *db;
	int rc;

	home_path(&path, "lifebelt.db");
	rc = db_open(&db, path.buf, DB_READONLY);
	buf_release(&path);
	if (rc)
		return error("cannot read the settings");
	db_config_ints(db, keys, v, 4);
	db_close(db);
	l.body_seconds = (int)v[0];
	l.run_seconds = (int)v[1];
	l.backends = (int)v[2];
	l.backends_per_login = (int)v[3];
	l.idle_seconds = HTTP_GIT_IDLE_SECONDS;
	return cgi_start(&l);
}

void http_git_stop(void)
{
	cgi_stop();
}
