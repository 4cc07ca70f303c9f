/* cgi.c: CGI requests off the server's threads: one poll() thread moves every pipe, enforces deadlines and reaps. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "cgi.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/child.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

#define CGI_NICE 5             /* git http-backend and its hooks, see fork_cgi() */

/*
 * How it works. libmicrohttpd's threads never wait here: they append body
 * bytes to a CGI's queue and take its output from another, and when there
 * is no room or nothing to take they suspend the connection
 * (MHD_suspend_connection) and return. The pump thread alone writes and
 * reads the CGI's non-blocking pipes, resumes connections once they can go
 * on, watches a suspended connection's socket for the client leaving (MHD
 * does not while it is suspended), enforces the deadlines, and kills and
 * reaps process groups. One mutex guards every CGI; only the pump closes a
 * CGI's pipes and frees it, so a descriptor it polls is never reused under it.
 */

#define BODY_HIGH (1024 * 1024)         /* body bytes held for a CGI before the client waits */
#define OUT_MAX (256 * 1024)            /* output held for the client before the CGI waits */
#define HEADERS_MAX (16 * 1024)
#define CHUNK 65536
#define TERM_GRACE_MS 2000              /* SIGTERM to the group, SIGKILL this much later */
#define EXIT_GRACE_MS 5000              /* a CGI whose output has ended may take this long to exit */
#define TICK_MS 250                     /* deadlines and reaping are checked this often */
#define LINGER_BYTES (8 * 1024 * 1024)  /* a refused body is read on and dropped this far at most */
#define LINGER_MS 10000                 /* and for this long at most, see lingering() */

/* Bytes in a buffer from off on: what is queued and not yet taken. */
struct queue {
	struct buf b;
	size_t off;
};

static size_t q_len(const struct queue *q)
{
	return q->b.len - q->off;
}

/* n bytes were taken from the front: move the rest down once the front is large. */
static void q_took(struct queue *q, size_t n)
{
	q->off += n;
	if (q->off == q->b.len) {
		buf_reset(&q->b);
		q->off = 0;
	} else if (q->off >= CHUNK && q->off >= q->b.len / 2) {
		memmove(q->b.buf, q->b.buf + q->off, q_len(q));
		buf_setlen(&q->b, q_len(q));
		q->off = 0;
	}
}

static void q_drop(struct queue *q)
{
	buf_reset(&q->b);
	q->off = 0;
}

/* What a suspended connection waits for. */
enum wait_for { WAIT_ROOM, WAIT_HEADERS, WAIT_OUTPUT };

struct cgi {
	struct cgi *next;
	struct MHD_Connection *conn;    /* NULL once MHD is done with the request */
	int sock;                       /* the client's socket, polled only while suspended */
	pid_t pid;                      /* the CGI, leader of its group; -1 while starting, 0 once reaped */
	int in, out;                    /* our ends of its stdin and stdout; -1 once closed */
	int exec_err;                   /* closes at its exec, or brings exec's errno; -1 once read */
	char login[65];
	enum wait_for wait;
	unsigned suspended:1, body_done:1, out_eof:1, queued:1, gzip:1, z_end:1, killed:1;
	unsigned linger:1;              /* refused for its body: answered at the body's end */
	struct queue body;              /* request bytes not yet written (still compressed with gzip) */
	struct queue plain;             /* inflated bytes not yet written */
	z_stream z;
	size_t inflate_max;
	struct queue output;            /* CGI output not yet handed to MHD */
	int64_t started, last_body, term_at, exit_at, fail_at;   /* monotonic ms */
	size_t lingered;                /* body bytes dropped since it failed */
	unsigned int fail;              /* an HTTP status once the request failed */
	const char *why;                /* and the line for the client */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct cgi *all;
static struct cgi_limits lim;
static int wake_fd = -1, stopping, running, pump_done;
static pthread_t pump;

static int64_t now_ms(void)
{
	return time_mono_us() / 1000;
}

static void wake(void)
{
	uint64_t one = 1;
	ssize_t n = write(wake_fd, &one, sizeof(one));

	(void)n;        /* a full counter already wakes the pump */
}

static void cgi_free(struct cgi *g)
{
	if (g->exec_err >= 0)
		close(g->exec_err);
	if (g->gzip)
		inflateEnd(&g->z);
	buf_release(&g->body.b);
	buf_release(&g->plain.b);
	buf_release(&g->output.b);
	free(g);
}

enum MHD_Result cgi_reply(struct MHD_Connection *c, unsigned int status, int retry_after,
			  const char *body)
{
	return cgi_reply_as(c, status, retry_after, "text/plain; charset=utf-8", body);
}

enum MHD_Result cgi_reply_as(struct MHD_Connection *c, unsigned int status, int retry_after,
			     const char *type, const char *body)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
								  MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	if (retry_after > 0) {
		char v[16];

		snprintf(v, sizeof(v), "%d", retry_after);
		MHD_add_response_header(r, "Retry-After", v);
	}
	if (status == MHD_HTTP_UNAUTHORIZED)
		ret = MHD_queue_basic_auth_fail_response(c, "lifebelt", r);
	else
		ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Start ending the CGI's whole process group (the pump closes its pipes and reaps it). Under mu. */
static void terminate(struct cgi *g)
{
	if (g->pid > 0 && !g->term_at) {
		kill(-g->pid, SIGTERM);
		g->term_at = now_ms();
	}
}

/* The request failed with status and a line for the client; its CGI ends. Under mu. */
static void fail(struct cgi *g, unsigned int status, const char *why)
{
	if (!g->fail) {
		g->fail = status;
		g->why = why;
		if (status != MHD_HTTP_SERVICE_UNAVAILABLE && g->conn)
			warning("git request of %s stopped: %.*s", g->login, (int)strcspn(why, "\n"), why);
	}
	terminate(g);
}

/* The body itself is refused: answered with status once it is all in (see lingering()). Under mu. */
static void refuse(struct cgi *g, unsigned int status, const char *why)
{
	if (!g->fail) {
		g->linger = 1;
		g->fail_at = now_ms();
	}
	fail(g, status, why);
}

/* The length of the CGI headers with their blank line, or 0 while incomplete. */
static size_t header_end(const struct queue *q)
{
	const char *p = q->b.buf + q->off;
	const char *lf = memmem(p, q_len(q), "\n\n", 2);
	const char *crlf = memmem(p, q_len(q), "\r\n\r\n", 4);

	if (crlf && (!lf || crlf < lf))
		return (size_t)(crlf - p) + 4;
	return lf ? (size_t)(lf - p) + 2 : 0;
}

/* Can a suspended connection go on? Under mu. */
static int ready(const struct cgi *g)
{
	if (g->fail)
		return 1;
	switch (g->wait) {
	case WAIT_ROOM:
		return q_len(&g->body) < BODY_HIGH / 2 || g->in < 0;
	case WAIT_HEADERS:
		return g->out_eof || (header_end(&g->output) && g->in < 0) ||
			q_len(&g->output) > HEADERS_MAX;
	case WAIT_OUTPUT:
		return g->out_eof || q_len(&g->output);
	}
	return 1;
}

/* Called by MHD's thread, under mu: wait for the pump (or fail when stopping). */
static void suspend(struct cgi *g, enum wait_for w)
{
	if (stopping) {
		fail(g, MHD_HTTP_SERVICE_UNAVAILABLE, "the server is stopping; try again in a minute\n");
		return;
	}
	g->wait = w;
	/* MHD may call again before it acts on the suspension: suspending twice breaks its lists. */
	if (g->suspended || ready(g))
		return;
	g->suspended = 1;
	MHD_suspend_connection(g->conn);
	wake();
}

/* Answer a failed request, if nothing was sent yet. Under mu. */
static enum MHD_Result answer_failure(struct cgi *g)
{
	if (g->queued)
		return MHD_NO;
	g->queued = 1;
	return cgi_reply(g->conn, g->fail, g->fail == MHD_HTTP_SERVICE_UNAVAILABLE ? 10 : 0, g->why);
}

/*
 * 1 while the rest of a refused body is read and dropped. libmicrohttpd
 * queues no response while a body arrives, only before it or once it is
 * all in (cgi_respond() then answers): closing at once would leave the
 * client without its answer, or reset under it. As a server lingers
 * after an early answer, a body refused for what it holds is read on,
 * LINGER_BYTES for LINGER_MS at most; past that, or after a failure of
 * another kind (a deadline, the server stopping), the connection closes.
 * Under mu.
 */
static int lingering(struct cgi *g, size_t n)
{
	g->lingered += n;
	return g->linger && g->lingered <= LINGER_BYTES && now_ms() - g->fail_at <= LINGER_MS;
}

enum MHD_Result cgi_upload(struct cgi *g, const char *data, size_t *size)
{
	enum MHD_Result ret = MHD_YES;

	pthread_mutex_lock(&mu);
	if (!g->fail) {
		int was_empty = !q_len(&g->body);

		g->last_body = now_ms();
		/* A CGI that stopped reading (its input closed) gets no more: the rest is dropped. */
		if (g->in >= 0)
			buf_add(&g->body.b, data, *size);
		if (q_len(&g->body) > BODY_HIGH)
			suspend(g, WAIT_ROOM);
		else if (was_empty)
			wake();
	}
	if (g->fail && !lingering(g, *size))
		ret = answer_failure(g);
	*size = 0;
	pthread_mutex_unlock(&mu);
	return ret;
}

/* MHD's content reader: the CGI's output after its headers. */
static ssize_t read_output(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct cgi *g = cls;
	size_t n;
	ssize_t ret = 0;

	(void)pos;
	pthread_mutex_lock(&mu);
	if (g->fail) {
		ret = MHD_CONTENT_READER_END_WITH_ERROR;
	} else if ((n = q_len(&g->output))) {
		if (n > max)
			n = max;
		memcpy(buf, g->output.b.buf + g->output.off, n);
		/* The pump stops reading a CGI whose output is full: tell it there is room. */
		if (q_len(&g->output) >= OUT_MAX && q_len(&g->output) - n < OUT_MAX)
			wake();
		q_took(&g->output, n);
		ret = (ssize_t)n;
	} else if (g->out_eof) {
		ret = MHD_CONTENT_READER_END_OF_STREAM;
	} else {
		suspend(g, WAIT_OUTPUT);
		if (g->fail)
			ret = MHD_CONTENT_READER_END_WITH_ERROR;
	}
	pthread_mutex_unlock(&mu);
	return ret;
}

/* Turn the CGI's header block (Status: and the rest) into a streamed response and queue it. */
static enum MHD_Result queue_response(struct MHD_Connection *c, struct cgi *g, char *hdr,
				      size_t hlen)
{
	struct MHD_Response *resp;
	unsigned int status = MHD_HTTP_OK;
	enum MHD_Result ret;
	char *line, *next;

	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, CHUNK, read_output, g, NULL);
	if (!resp)
		return MHD_NO;
	for (line = hdr; line < hdr + hlen; line = next) {
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
	if (status < 200 || status > 599)
		status = MHD_HTTP_INTERNAL_SERVER_ERROR;
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

enum MHD_Result cgi_respond(struct cgi *g)
{
	struct MHD_Connection *c = g->conn;
	struct buf hdr = BUF_INIT;
	enum MHD_Result ret = MHD_YES;
	size_t hlen;

	pthread_mutex_lock(&mu);
	if (!g->body_done) {
		g->body_done = 1;
		wake();
	}
	if (!g->fail && !g->queued) {
		/*
		 * git answers 200 before it reads the body: hold that until the
		 * body is all in, so that a body refused here (too large
		 * inflated) still gets its own status.
		 */
		hlen = header_end(&g->output);
		if (!hlen && (g->out_eof || q_len(&g->output) > HEADERS_MAX))
			fail(g, MHD_HTTP_BAD_GATEWAY, "git http-backend failed; it has been logged\n");
		else if (!hlen || (g->in >= 0 && !g->out_eof))
			suspend(g, WAIT_HEADERS);
		if (g->suspended || g->fail)
			hlen = 0;
		if (hlen) {
			buf_add(&hdr, g->output.b.buf + g->output.off, hlen);
			q_took(&g->output, hlen);
			g->queued = 1;
		}
	}
	if (g->fail)
		ret = answer_failure(g);
	pthread_mutex_unlock(&mu);
	/* Outside the lock: MHD may call the reader, which takes it. */
	if (hdr.len)
		ret = queue_response(c, g, hdr.buf, hdr.len);
	buf_release(&hdr);
	return ret;
}

void cgi_completed(struct cgi *g)
{
	struct cgi **pp;

	pthread_mutex_lock(&mu);
	g->conn = NULL;
	g->sock = -1;
	/* A client that left, a body cut short, an error answered: nothing may keep running for it. */
	if (!g->out_eof)
		fail(g, MHD_HTTP_BAD_REQUEST, "the request ended before git was done\n");
	else
		g->exit_at = now_ms() + EXIT_GRACE_MS;
	if (pump_done && !g->pid) {
		for (pp = &all; *pp != g; pp = &(*pp)->next)
			;
		*pp = g->next;
		cgi_free(g);
	} else {
		wake();
	}
	pthread_mutex_unlock(&mu);
}

/*
 * Fork the CGI; only async-signal-safe calls in the child. Its exec's
 * failure comes back through a close-on-exec pipe, *exec_err, which the
 * pump reads: the caller is one of the server's threads, and waiting here
 * for the child to reach exec, at CGI_NICE on a busy machine, held that
 * thread and every page on it for tens of milliseconds a request
 * (bench/rush, http-wait: 15 ms at the median, 140 ms at p99).
 */
static pid_t fork_cgi(char *const argv[], char *const env[], int *in, int *out, int *exec_err)
{
	int ip[2] = { -1, -1 }, op[2] = { -1, -1 }, ep[2] = { -1, -1 };
	pid_t pid = -1;
	ssize_t n;

	if (pipe2(ip, O_CLOEXEC) || pipe2(op, O_CLOEXEC) || pipe2(ep, O_CLOEXEC)) {
		error_errno("pipe");
		goto done;
	}
	pid = fork();
	if (pid < 0) {
		error_errno("fork");
		goto done;
	}
	if (!pid) {
		/* A group of its own, so that a kill reaches git's children and hooks too. */
		setpgid(0, 0);
		/*
		 * Below the server's own threads: on a busy machine a page, or the
		 * pump that feeds every push, goes first (bench/rush, http-wait:
		 * pages' p99 in a 25-push rush on 2 cores, 60-84 ms without, 30-48
		 * with). The receive time is taken before git starts.
		 */
		setpriority(PRIO_PROCESS, 0, CGI_NICE);
		/* The server ignores SIGPIPE and its threads block signals: git must not inherit that. */
		child_default_signals();
		if (dup2(ip[0], 0) >= 0 && dup2(op[1], 1) >= 0)
			execve(argv[0], argv, env);
		child_fail(ep[1]);
	}
	setpgid(pid, pid);
	*in = ip[1];
	*out = op[0];
	*exec_err = ep[0];
	ip[1] = op[0] = ep[0] = -1;
	fcntl(*in, F_SETFL, fcntl(*in, F_GETFL) | O_NONBLOCK);
	fcntl(*out, F_SETFL, fcntl(*out, F_GETFL) | O_NONBLOCK);
	fcntl(*exec_err, F_SETFL, fcntl(*exec_err, F_GETFL) | O_NONBLOCK);
done:
	for (n = 0; n < 2; n++) {
		if (ip[n] >= 0)
			close(ip[n]);
		if (op[n] >= 0)
			close(op[n]);
		if (ep[n] >= 0)
			close(ep[n]);
	}
	return pid;
}

int cgi_spawn(struct cgi **out, struct MHD_Connection *c, const char *login,
	      char *const argv[], char *const env[], int gzip, size_t inflate_max)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	struct cgi *g, **pp;
	int total = 0, mine = 0, in = -1, outfd = -1, exec_err = -1;
	pid_t pid;

	g = xcalloc(1, sizeof(*g));
	g->conn = c;
	g->sock = ci ? ci->connect_fd : -1;
	g->pid = -1;
	g->in = g->out = g->exec_err = -1;
	snprintf(g->login, sizeof(g->login), "%s", login);
	buf_init(&g->body.b, 0);
	buf_init(&g->plain.b, 0);
	buf_init(&g->output.b, 0);
	g->started = g->last_body = now_ms();
	if (gzip) {
		/* 16 + MAX_WBITS: gzip framing only, as the encoding says. */
		if (inflateInit2(&g->z, 16 + MAX_WBITS) != Z_OK) {
			free(g);
			return error("cannot start inflating a request");
		}
		g->gzip = 1;
		g->inflate_max = inflate_max;
	}

	/* Take a place first (the limits hold even while forking), then start outside the lock. */
	pthread_mutex_lock(&mu);
	for (pp = &all; *pp; pp = &(*pp)->next)
		if ((*pp)->pid) {
			total++;
			mine += !strcmp((*pp)->login, g->login);
		}
	if (!running || stopping || total >= lim.backends || mine >= lim.backends_per_login) {
		int busy = mine >= lim.backends_per_login ? CGI_ELOGIN : CGI_EBUSY;

		pthread_mutex_unlock(&mu);
		cgi_free(g);
		return busy;
	}
	*pp = g;
	pthread_mutex_unlock(&mu);

	pid = fork_cgi(argv, env, &in, &outfd, &exec_err);
	pthread_mutex_lock(&mu);
	if (pid < 0) {
		g->pid = 0;
		for (pp = &all; *pp != g; pp = &(*pp)->next)
			;
		*pp = g->next;
	} else {
		g->pid = pid;
		g->in = in;
		g->out = outfd;
		g->exec_err = exec_err;
		/* Stopping began while we forked. */
		if (stopping)
			fail(g, MHD_HTTP_SERVICE_UNAVAILABLE, "the server is stopping; try again in a minute\n");
		wake();
	}
	pthread_mutex_unlock(&mu);
	if (pid < 0) {
		cgi_free(g);
		return -1;
	}
	*out = g;
	return 0;
}

/* Inflate more of the body into g->plain, within the cap. Under mu. */
static void inflate_some(struct cgi *g)
{
	int rc;

	if (g->z_end) {
		q_drop(&g->body);       /* bytes after the gzip stream: nothing git would read */
		return;
	}
	buf_grow(&g->plain.b, CHUNK);
	g->z.next_in = (unsigned char *)g->body.b.buf + g->body.off;
	g->z.avail_in = (unsigned int)(q_len(&g->body) > (1u << 30) ? (1u << 30) : q_len(&g->body));
	g->z.next_out = (unsigned char *)g->plain.b.buf + g->plain.b.len;
	g->z.avail_out = CHUNK;
	rc = inflate(&g->z, Z_NO_FLUSH);
	q_took(&g->body, (size_t)(g->z.next_in - (unsigned char *)g->body.b.buf) - g->body.off);
	buf_setlen(&g->plain.b, g->plain.b.len + CHUNK - g->z.avail_out);
	if (g->z.total_out > g->inflate_max)
		refuse(g, MHD_HTTP_CONTENT_TOO_LARGE,
		       "the gzip-compressed request inflates to more than this server accepts; "
		       "push or fetch without Content-Encoding: gzip\n");
	else if (rc == Z_STREAM_END)
		g->z_end = 1;
	else if (rc != Z_OK && rc != Z_BUF_ERROR)
		refuse(g, MHD_HTTP_BAD_REQUEST, "the request says it is gzip-compressed but is not\n");
}

/* Write what we can of the body to the CGI. Under mu, in the pump. */
static void feed(struct cgi *g)
{
	for (;;) {
		struct queue *q = g->gzip ? &g->plain : &g->body;
		ssize_t w;

		if (g->gzip && !q_len(q) && q_len(&g->body) && !g->fail) {
			size_t before = q_len(&g->body);

			inflate_some(g);
			if (!q_len(q) && q_len(&g->body) == before)
				return;
			continue;
		}
		if (!q_len(q) || g->fail)
			return;
		w = write(g->in, q->b.buf + q->off, q_len(q));
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			return;
		if (w <= 0) {
			/* The CGI stopped reading (it refused the push, say): drop the rest. */
			close(g->in);
			g->in = -1;
			q_drop(&g->body);
			q_drop(&g->plain);
			return;
		}
		q_took(q, (size_t)w);
	}
}

/* Read what the CGI wrote. Under mu, in the pump. */
static void drain(struct cgi *g)
{
	char chunk[CHUNK];
	ssize_t n;

	while (q_len(&g->output) < OUT_MAX) {
		n = read(g->out, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			close(g->out);
			g->out = -1;
			g->out_eof = 1;
			return;
		}
		buf_add(&g->output.b, chunk, (size_t)n);
	}
}

/* Did the CGI reach its exec? The pipe closes then, or brings exec's errno. Under mu, in the pump. */
static void exec_checked(struct cgi *g)
{
	int child_errno = child_exec_result(g->exec_err);

	if (child_errno < 0 && errno == EAGAIN)
		return;
	if (child_errno > 0) {
		errno = child_errno;
		error_errno("cannot run git http-backend");
		fail(g, MHD_HTTP_INTERNAL_SERVER_ERROR, "server error\n");
	}
	close(g->exec_err);
	g->exec_err = -1;
}

/* Deadlines, kills and reaping of one CGI. Under mu, in the pump. */
static void check(struct cgi *g, int64_t now)
{
	siginfo_t si;

	/* A connection waiting for the CGI to take its body is not idle. */
	if (g->suspended && g->wait == WAIT_ROOM)
		g->last_body = now;
	if (!g->fail && g->conn && !g->body_done) {
		if (now - g->last_body > (int64_t)lim.idle_seconds * 1000)
			fail(g, MHD_HTTP_REQUEST_TIMEOUT, "the request body stopped arriving\n");
		else if (now - g->started > (int64_t)lim.body_seconds * 1000)
			fail(g, MHD_HTTP_REQUEST_TIMEOUT, "the request body took too long to arrive\n");
	}
	if (!g->fail && g->pid > 0 && now - g->started > (int64_t)lim.run_seconds * 1000)
		fail(g, MHD_HTTP_GATEWAY_TIMEOUT, "the git request took too long and was stopped\n");
	if (g->exit_at && now > g->exit_at)
		terminate(g);
	/* SIGTERM lets git remove its temporary objects; stopping, there is less time. */
	if (g->term_at && !g->killed && g->pid > 0 &&
	    now - g->term_at > (stopping ? TERM_GRACE_MS / 4 : TERM_GRACE_MS)) {
		kill(-g->pid, SIGKILL);
		g->killed = 1;
	}
	if (g->fail) {
		if (g->in >= 0)
			close(g->in);
		if (g->out >= 0)
			close(g->out);
		g->in = g->out = -1;
		q_drop(&g->body);
		q_drop(&g->plain);
	} else if (g->in >= 0 && g->body_done && !q_len(&g->body) && !q_len(&g->plain)) {
		close(g->in);   /* the body is all in: EOF tells git */
		g->in = -1;
	}
	/* Exited? Kill what it left in its group before reaping, while the group id is still its. */
	memset(&si, 0, sizeof(si));
	if (g->pid <= 0)
		return;
	if (waitid(P_PID, (id_t)g->pid, &si, WEXITED | WNOHANG | WNOWAIT)) {
		if (errno == ECHILD)    /* reaped by someone else: not ours to count any more */
			g->pid = 0;
	} else if (si.si_pid == g->pid) {
		kill(-g->pid, SIGKILL);
		waitpid(g->pid, NULL, 0);
		g->pid = 0;
	}
}

struct polled {
	struct cgi *g;
	int what;       /* 0 stdin, 1 stdout, 2 the client's socket, 3 the exec check */
};

static void *pump_main(void *unused)
{
	struct pollfd *pfd = NULL;
	struct polled *who = NULL;
	struct MHD_Connection **resume = NULL;
	size_t cap_pfd = 0, cap_who = 0, cap_resume = 0, n, nres, i;

	(void)unused;
	pthread_mutex_lock(&mu);
	for (;;) {
		struct cgi *g, **pp;
		int64_t now = now_ms();
		int busy = 0, idle;
		uint64_t count;

		for (n = 0, pp = &all; *pp; pp = &(*pp)->next)
			n++;
		/* Four descriptors a CGI at most, and the wake-up; a connection each to resume. */
		ALLOC_GROW(pfd, 4 * n + 1, cap_pfd);
		ALLOC_GROW(who, 4 * n + 1, cap_who);
		ALLOC_GROW(resume, n, cap_resume);
		pfd[0].fd = wake_fd;
		pfd[0].events = POLLIN;
		n = 1;
		nres = 0;
		for (pp = &all; (g = *pp);) {
			if (g->pid >= 0)
				check(g, now);
			if (!g->conn && !g->pid) {
				*pp = g->next;
				cgi_free(g);
				continue;
			}
			pp = &g->next;
			busy |= g->pid != 0;
			if (g->suspended && ready(g)) {
				g->suspended = 0;
				resume[nres++] = g->conn;
			}
			if (g->in >= 0 && (q_len(&g->body) || q_len(&g->plain))) {
				pfd[n] = (struct pollfd){ g->in, POLLOUT, 0 };
				who[n++] = (struct polled){ g, 0 };
			}
			if (g->out >= 0 && q_len(&g->output) < OUT_MAX) {
				pfd[n] = (struct pollfd){ g->out, POLLIN, 0 };
				who[n++] = (struct polled){ g, 1 };
			}
			if (g->exec_err >= 0) {
				pfd[n] = (struct pollfd){ g->exec_err, POLLIN, 0 };
				who[n++] = (struct polled){ g, 3 };
			}
			/* Only a hang-up: bytes of a next request must not wake us. */
			if (g->suspended && g->sock >= 0) {
				pfd[n] = (struct pollfd){ g->sock, POLLRDHUP, 0 };
				who[n++] = (struct polled){ g, 2 };
			}
		}
		if (stopping && !busy && !nres) {
			int left = 0;

			for (g = all; g; g = g->next)
				left |= g->suspended;
			if (!left)
				break;
		}
		idle = !all;
		pthread_mutex_unlock(&mu);
		/* Outside the lock (MHD takes its own); only this thread resumes, so each is still suspended. */
		for (i = 0; i < nres; i++)
			MHD_resume_connection(resume[i]);
		/* With no request there is nothing to check until one is spawned (which wakes us). */
		if (poll(pfd, n, idle ? -1 : TICK_MS) < 0 && errno != EINTR)
			error_errno("poll");
		pthread_mutex_lock(&mu);
		if (pfd[0].revents & POLLIN)
			count = (uint64_t)read(wake_fd, &count, sizeof(count));
		for (i = 1; i < n; i++) {
			g = who[i].g;
			if (!pfd[i].revents)
				continue;
			if (who[i].what == 0 && g->in == pfd[i].fd && !g->fail)
				feed(g);
			else if (who[i].what == 1 && g->out == pfd[i].fd)
				drain(g);
			else if (who[i].what == 2 && g->suspended)
				fail(g, MHD_HTTP_BAD_REQUEST, "the client left\n");
			else if (who[i].what == 3 && g->exec_err == pfd[i].fd)
				exec_checked(g);
		}
	}
	pthread_mutex_unlock(&mu);
	free(pfd);
	free(who);
	free(resume);
	return NULL;
}

int cgi_start(const struct cgi_limits *l)
{
	lim = *l;
	wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (wake_fd < 0)
		return error_errno("eventfd");
	if (pthread_create(&pump, NULL, pump_main, NULL)) {
		close(wake_fd);
		wake_fd = -1;
		return error("cannot start the git request thread");
	}
	running = 1;
	return 0;
}

void cgi_stop(void)
{
	struct cgi *g;

	if (!running)
		return;
	pthread_mutex_lock(&mu);
	stopping = 1;
	for (g = all; g; g = g->next)
		fail(g, MHD_HTTP_SERVICE_UNAVAILABLE, "the server is stopping; try again in a minute\n");
	wake();
	pthread_mutex_unlock(&mu);
	pthread_join(pump, NULL);
	pthread_mutex_lock(&mu);
	pump_done = 1;
	pthread_mutex_unlock(&mu);
	running = 0;
}
