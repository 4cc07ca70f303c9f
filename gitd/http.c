/* http.c: smart HTTP for git: basic auth, one authorisation, git http-backend as a CGI. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "auth.h"
#include "http.h"
#include "../db/db.h"
#include "../db/model.h"
#include "../lib/buf.h"
#include "../lib/crypto.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/secret.h"
#include "../lib/throttle.h"
#include "../lib/banned.h"

#define REQ_MAGIC 0x6c626774u           /* marks a state as ours */
#define PENDING_MAX (1024 * 1024)       /* CGI output held while we still feed it input */
#define HEADERS_MAX (16 * 1024)
#define IO_TIMEOUT_MS 60000

/* One request being served by a git http-backend process. */
struct req {
	unsigned magic;
	pid_t pid;
	int in, out;            /* the CGI's stdin (we write) and stdout (we read) */
	int input_broken;       /* the CGI stopped reading: the rest of the body is dropped */
	struct buf pending;     /* CGI output read while feeding it, served first */
	size_t pending_off;
};

static const char unauthorized[] =
	"authentication required: your login as the user name and the token from "
	"`lifebelt token` as the password\n";

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *body)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
								  MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	if (status == MHD_HTTP_UNAUTHORIZED)
		ret = MHD_queue_basic_auth_fail_response(c, "lifebelt", r);
	else
		ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
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
 * Start git http-backend with env. Exec failure is reported through a
 * close-on-exec pipe, so only async-signal-safe calls run in the child.
 */
static int spawn_backend(struct req *r, struct env *env)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
	char *argv[] = { (char *)"git", (char *)"http-backend", NULL };
	int child_errno = 0, ret = -1;
	ssize_t n;

	if (!git_path)
		return error("git is not on PATH");
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
		error_errno("pipe");
		goto done;
	}
	r->pid = fork();
	if (r->pid < 0) {
		error_errno("fork");
		goto done;
	}
	if (!r->pid) {
		struct sigaction dfl;
		sigset_t none;

		/* The server ignores SIGPIPE and its threads may block signals: git must not inherit that. */
		memset(&dfl, 0, sizeof(dfl));
		dfl.sa_handler = SIG_DFL;
		sigaction(SIGPIPE, &dfl, NULL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0)
			child_errno = errno;
		else
			execve(git_path, argv, env->v);
		child_errno = errno;
		n = write(err[1], &child_errno, sizeof(child_errno));
		(void)n;
		_exit(127);
	}
	close(err[1]);
	err[1] = -1;
	do
		n = read(err[0], &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	if (n > 0) {
		errno = child_errno;
		error_errno("cannot run %s http-backend", git_path);
		waitpid(r->pid, NULL, 0);
		r->pid = 0;
		goto done;
	}
	r->in = in[1];
	r->out = out[0];
	in[1] = out[0] = -1;
	fcntl(r->in, F_SETFL, fcntl(r->in, F_GETFL) | O_NONBLOCK);
	ret = 0;
done:
	if (in[0] >= 0)
		close(in[0]);
	if (in[1] >= 0)
		close(in[1]);
	if (out[0] >= 0)
		close(out[0]);
	if (out[1] >= 0)
		close(out[1]);
	if (err[0] >= 0)
		close(err[0]);
	if (err[1] >= 0)
		close(err[1]);
	return ret;
}

/* Read what the CGI has written so far into r->pending; 0, or -1 at EOF or error. */
static int drain(struct req *r)
{
	char chunk[16384];
	ssize_t n;

	if (r->pending.len - r->pending_off > PENDING_MAX)
		return error("git http-backend wrote too much before reading its input");
	do
		n = read(r->out, chunk, sizeof(chunk));
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return -1;
	buf_add(&r->pending, chunk, (size_t)n);
	return 0;
}

/*
 * Hand len bytes of the request body to the CGI. While its stdin is full,
 * read its stdout, so that neither side waits for the other forever.
 */
static void feed(struct req *r, const char *data, size_t len)
{
	while (len && !r->input_broken) {
		struct pollfd p[2] = { { r->in, POLLOUT, 0 }, { r->out, POLLIN, 0 } };
		int n = poll(p, 2, IO_TIMEOUT_MS);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r->input_broken = 1;
			break;
		}
		if ((p[1].revents & (POLLIN | POLLHUP)) && drain(r))
			r->input_broken = 1;
		if (p[0].revents & (POLLERR | POLLHUP)) {
			r->input_broken = 1;
		} else if (p[0].revents & POLLOUT) {
			ssize_t w = write(r->in, data, len);

			if (w < 0 && errno != EAGAIN && errno != EINTR)
				r->input_broken = 1;
			if (w > 0) {
				data += w;
				len -= (size_t)w;
			}
		}
	}
}

static ssize_t read_body(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct req *r = cls;
	ssize_t n;

	(void)pos;
	if (r->pending_off < r->pending.len) {
		size_t k = r->pending.len - r->pending_off;

		if (k > max)
			k = max;
		memcpy(buf, r->pending.buf + r->pending_off, k);
		r->pending_off += k;
		return (ssize_t)k;
	}
	do
		n = read(r->out, buf, max);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return MHD_CONTENT_READER_END_OF_STREAM;
	return n < 0 ? MHD_CONTENT_READER_END_WITH_ERROR : n;
}

/* The length of the CGI headers with their blank line, or 0 while incomplete. */
static size_t header_end(const struct buf *b)
{
	const char *lf = memmem(b->buf, b->len, "\n\n", 2);
	const char *crlf = memmem(b->buf, b->len, "\r\n\r\n", 4);

	if (crlf && (!lf || crlf < lf))
		return (size_t)(crlf - b->buf) + 4;
	return lf ? (size_t)(lf - b->buf) + 2 : 0;
}

/* The body is in: read the CGI's headers and queue the streamed response. */
static enum MHD_Result respond(struct MHD_Connection *c, struct req *r)
{
	struct MHD_Response *resp;
	unsigned int status = MHD_HTTP_OK;
	enum MHD_Result ret;
	char *line, *next;
	size_t hlen;

	if (r->in >= 0) {
		close(r->in);
		r->in = -1;
	}
	while (!(hlen = header_end(&r->pending)))
		if (r->pending.len > HEADERS_MAX || drain(r))
			return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "git http-backend failed\n");
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 65536, read_body, r, NULL);
	if (!resp)
		return MHD_NO;
	for (line = r->pending.buf; line < r->pending.buf + hlen; line = next) {
		char *colon, *value;

		next = strchr(line, '\n') + 1;
		next[-1] = '\0';
		if (next - 2 >= line && next[-2] == '\r')
			next[-2] = '\0';
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		for (value = colon + 1; *value == ' '; value++)
			;
		if (!strcasecmp(line, "Status"))
			status = (unsigned int)strtoul(value, NULL, 10);
		else
			MHD_add_response_header(resp, line, value);
	}
	r->pending_off = hlen;
	if (status < 200 || status > 599)
		status = MHD_HTTP_INTERNAL_SERVER_ERROR;
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* 429 for a throttled login: the line that says why, and Retry-After. */
static enum MHD_Result reply_wait(struct MHD_Connection *c, int code, const char *login, int retry_s)
{
	struct buf msg = BUF_INIT;
	struct MHD_Response *r;
	enum MHD_Result ret = MHD_NO;
	char v[16];

	throttle_message(&msg, code, login, retry_s);
	r = MHD_create_response_from_buffer(msg.len, msg.buf, MHD_RESPMEM_MUST_COPY);
	if (r) {
		snprintf(v, sizeof(v), "%d", retry_s);
		MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
		MHD_add_response_header(r, "Retry-After", v);
		ret = MHD_queue_response(c, MHD_HTTP_TOO_MANY_REQUESTS, r);
		MHD_destroy_response(r);
	}
	buf_release(&msg);
	return ret;
}

/* Authenticate, authorise and start the backend; on refusal queue the answer. */
static enum MHD_Result start(struct MHD_Connection *c, const char *url, const char *method,
			     void **state)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	const char *service = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "service");
	const char *v;
	struct buf repo = BUF_INIT, rel = BUF_INIT, dbpath = BUF_INIT;
	struct env env = { { NULL }, 0 };
	struct db *db = NULL;
	struct req *r = NULL;
	char addr[64], *user = NULL, *pass = NULL;
	enum MHD_Result ret;
	int which, want_write, rc, retry;

	pthread_once(&once, setup_once);
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
	user = MHD_basic_auth_get_username_password(c, &pass);
	home_path(&dbpath, "lifebelt.db");
	/* No credentials (git asks so first) or no possible token (JGit's "null"): no guess. */
	rc = throttle_ask(addr, user, pass, throttle_now_ms(), &retry);
	if (rc != THROTTLE_CHECK) {
		ret = rc == THROTTLE_NOGUESS ? reply(c, MHD_HTTP_UNAUTHORIZED, unauthorized) :
		      reply_wait(c, rc, user, retry);
		goto done;
	}
	if (db_open(&db, dbpath.buf, DB_READONLY)) {
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
	db_close(db);
	db = NULL;
	if (rc) {
		struct buf msg = BUF_INIT;

		buf_addf(&msg, "%s\n", rc == AUTH_EDENIED ? auth_denied_message : "server error");
		ret = reply(c, rc == AUTH_EDENIED ? MHD_HTTP_FORBIDDEN : MHD_HTTP_INTERNAL_SERVER_ERROR,
			    msg.buf);
		buf_release(&msg);
		goto done;
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
	env_add(&env, "PATH=%s", getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	if ((v = getenv("HOME")))
		env_add(&env, "HOME=%s", v);
	if ((v = header(c, "Content-Type")))
		env_add(&env, "CONTENT_TYPE=%s", v);
	if ((v = header(c, "Content-Length")))
		env_add(&env, "CONTENT_LENGTH=%s", v);
	if ((v = header(c, "Content-Encoding")))
		env_add(&env, "HTTP_CONTENT_ENCODING=%s", v);
	if ((v = header(c, "Git-Protocol")))
		env_add(&env, "GIT_PROTOCOL=%s", v);

	r = calloc(1, sizeof(*r));
	if (!r)
		die("out of memory");
	r->magic = REQ_MAGIC;
	r->in = r->out = -1;
	buf_init(&r->pending, 0);
	if (spawn_backend(r, &env)) {
		free(r);
		ret = reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "server error\n");
		goto done;
	}
	*state = r;
	ret = MHD_YES;
done:
	if (db)
		db_close(db);
	MHD_free(user);
	MHD_free(pass);
	env_release(&env);
	buf_release(&repo);
	buf_release(&rel);
	buf_release(&dbpath);
	return ret;
}

enum MHD_Result http_git_handle(struct MHD_Connection *c, const char *url, const char *method,
				const char *upload, size_t *upload_size, void **state)
{
	struct req *r = *state;

	if (!r) {
		enum MHD_Result ret = start(c, url, method, state);

		/* A GET has no body: answer at once. */
		if (ret == MHD_YES && *state && !strcmp(method, "GET"))
			return respond(c, *state);
		return ret;
	}
	if (*upload_size) {
		feed(r, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	return respond(c, r);
}

void http_git_completed(void *cls, struct MHD_Connection *c, void **state,
			enum MHD_RequestTerminationCode toe)
{
	struct req *r = *state;

	(void)cls;
	(void)c;
	(void)toe;
	if (!r || r->magic != REQ_MAGIC)
		return;
	if (r->in >= 0)
		close(r->in);
	if (r->out >= 0)
		close(r->out);
	/* With its pipes closed the backend finishes or dies of SIGPIPE; wait for it. */
	if (r->pid > 0)
		while (waitpid(r->pid, NULL, 0) < 0 && errno == EINTR)
			;
	buf_release(&r->pending);
	r->magic = 0;
	free(r);
	*state = NULL;
}
