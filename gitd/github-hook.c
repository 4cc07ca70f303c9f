/* github-hook.c: POST /hooks/github: verify GitHub's signature, record the delivery, answer at once. */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "github.h"
#include "../db/github.h"
#include "../db/tests.h"
#include "../db/model.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/number.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

#define SIG_PREFIX "sha256="
#define SIG_BYTES 32
#define GUID_MAX 64             /* GitHub's are UUIDs: 36 */
#define EVENT_MAX 64
#define REF_MAX 255

/* One request to the webhook, from its header to its answer. */
struct hook {
	struct buf secret, body;
	size_t cap;             /* bytes the body may have */
	int64_t arrived;        /* the server's clock when the header came */
	char guid[GUID_MAX + 1], event[EVENT_MAX + 1];
	int too_big;            /* the body passed cap: the rest is dropped */
	int answered;           /* the 413 went out while the body was coming in */
};

static int unhex(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* The digest a signature header names into out; 0, or -1 when it is not "sha256=" and 64 hex digits. */
static int parse_signature(const char *header, unsigned char *out)
{
	size_t i;

	if (!header || strncmp(header, SIG_PREFIX, strlen(SIG_PREFIX)))
		return -1;
	header += strlen(SIG_PREFIX);
	if (strlen(header) != 2 * SIG_BYTES)
		return -1;
	for (i = 0; i < SIG_BYTES; i++) {
		int hi = unhex(header[2 * i]), lo = unhex(header[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int github_signature_ok(const void *secret, size_t secret_len, const void *body, size_t len,
			const char *header)
{
	unsigned char want[SIG_BYTES], got[EVP_MAX_MD_SIZE];
	unsigned int got_len = 0;

	if (parse_signature(header, want) || secret_len > INT32_MAX)
		return 0;
	if (!HMAC(EVP_sha256(), secret, (int)secret_len, body, len, got, &got_len) ||
	    got_len != SIG_BYTES)
		return 0;
	return CRYPTO_memcmp(want, got, SIG_BYTES) == 0;
}

/*
 * The handle this module writes through, one per server thread (the
 * pages' handles are read-only), opened on first use and closed with
 * the thread.
 */
static pthread_key_t db_key;
static pthread_once_t db_once = PTHREAD_ONCE_INIT;

static void db_destroy(void *db)
{
	db_close(db);
}

static void db_key_make(void)
{
	if (pthread_key_create(&db_key, db_destroy))
		die("cannot create a thread key");
}

static struct db *hook_db(void)
{
	struct db *db;

	pthread_once(&db_once, db_key_make);
	if (!(db = pthread_getspecific(db_key))) {
		struct buf path = BUF_INIT;

		home_path(&path, "lifebelt.db");
		if (db_open(&db, path.buf, 0))
			db = NULL;
		else
			pthread_setspecific(db_key, db);
		buf_release(&path);
	}
	return db;
}

/* The server log's line for an answer: "github delivery GUID (EVENT): STATUS LINE". */
static void say(const struct hook *h, unsigned int status, const char *line)
{
	log_info("github delivery %s (%s): %u %s", h && h->guid[0] ? h->guid : "-",
		 h && h->event[0] ? h->event : "-", status, line);
}

/* Answer with one line of text (a newline is added), and log it with the delivery's names. */
__attribute__((format(printf, 4, 5)))
static enum MHD_Result answer(struct MHD_Connection *c, const struct hook *h, unsigned int status,
			      const char *fmt, ...)
{
	struct buf line = BUF_INIT;
	struct MHD_Response *r;
	enum MHD_Result ret = MHD_NO;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&line, fmt, ap);
	va_end(ap);
	say(h, status, line.buf);
	buf_addch(&line, '\n');
	r = MHD_create_response_from_buffer(line.len, line.buf, MHD_RESPMEM_MUST_COPY);
	if (r) {
		MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
		MHD_add_response_header(r, "Cache-Control", "no-store");
		ret = MHD_queue_response(c, status, r);
		MHD_destroy_response(r);
	}
	buf_release(&line);
	return ret;
}

#define TOO_LARGE "the body is larger than the %zu MiB this server takes (setting github.webhook_max_mb)"

static enum MHD_Result too_large(struct MHD_Connection *c, const struct hook *h, size_t cap)
{
	return answer(c, h, MHD_HTTP_CONTENT_TOO_LARGE, TOO_LARGE, cap >> 20);
}

/*
 * A body without a length (chunked) has passed the cap while it comes in.
 * libmicrohttpd 0.9 queues no answer until the whole body is in, so the
 * 413 is written to the socket now; the connection closes once the client
 * stops sending or the guard's deadline passes. 1 when any of it went out
 * (then nothing more may: a part of it, from a full socket buffer, only
 * ends in the connection closed); 0 when none did, and it goes the usual
 * way once the body is in.
 */
static int too_large_now(struct MHD_Connection *c, const struct hook *h)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c,
						MHD_CONNECTION_INFO_CONNECTION_FD);
	struct buf line = BUF_INIT, out = BUF_INIT;
	ssize_t n = -1;
	int sent;

	buf_addf(&line, TOO_LARGE, h->cap >> 20);
	buf_addf(&out, "HTTP/1.1 413 Content Too Large\r\nContent-Type: text/plain; charset=utf-8\r\n"
		 "Cache-Control: no-store\r\nConnection: close\r\nContent-Length: %zu\r\n\r\n%s\n",
		 line.len + 1, line.buf);
	if (ci && ci->connect_fd >= 0)
		n = send(ci->connect_fd, out.buf, out.len, MSG_NOSIGNAL | MSG_DONTWAIT);
	sent = n > 0;
	if (sent)
		say(h, MHD_HTTP_CONTENT_TOO_LARGE, line.buf);
	buf_release(&line);
	buf_release(&out);
	return sent;
}

static const char *header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

/* Copy a header of at most max bytes of [A-Za-z0-9_-] into out; -1 when missing or not so. */
static int token_header(struct MHD_Connection *c, const char *name, char *out, size_t max)
{
	const char *v = header(c, name);
	size_t n = v ? strlen(v) : 0;

	if (!n || n > max || strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789_-") != n)
		return -1;
	memcpy(out, v, n + 1);
	return 0;
}

static void hook_free(struct hook *h)
{
	if (!h)
		return;
	OPENSSL_cleanse(h->secret.buf, h->secret.len);
	buf_release(&h->secret);
	buf_release(&h->body);
	free(h);
}

/*
 * The request's header is in: refuse at once what needs no body (no
 * secret, too large, headers missing), else keep *hp to read the body.
 */
static enum MHD_Result start(struct MHD_Connection *c, const char *method, struct hook **hp)
{
	struct hook *h = xcalloc(1, sizeof(*h));
	const char *v;
	struct db *db = NULL;
	int64_t mb, length;
	unsigned char sig[SIG_BYTES];
	enum MHD_Result ret;
	int rc;

	h->arrived = time_now();
	buf_init(&h->secret, 0);
	buf_init(&h->body, 0);
	if (strcmp(method, "POST")) {
		ret = answer(c, NULL, MHD_HTTP_METHOD_NOT_ALLOWED, "only POST is served here");
		goto refused;
	}
	rc = github_secret_read(GITHUB_SECRET_WEBHOOK, &h->secret);
	if (rc == GITHUB_ENOSECRET || (!rc && !h->secret.len)) {
		ret = answer(c, NULL, MHD_HTTP_SERVICE_UNAVAILABLE,
			     "this server has no webhook secret: its admin sets one with "
			     "'lifebelt github secret FILE'");
		goto refused;
	}
	if (rc || !(db = hook_db())) {
		ret = answer(c, NULL, MHD_HTTP_SERVICE_UNAVAILABLE,
			     "the server cannot record deliveries now; it has been logged");
		goto refused;
	}
	mb = db_config_int(db, "github.webhook_max_mb");
	h->cap = (size_t)mb << 20;
	if ((v = header(c, "Content-Length")) &&
	    (number_parse(v, 0, INT64_MAX, &length) || (uint64_t)length > h->cap)) {
		ret = too_large(c, NULL, h->cap);
		goto refused;
	}
	if (parse_signature(header(c, "X-Hub-Signature-256"), sig)) {
		ret = answer(c, NULL, MHD_HTTP_UNAUTHORIZED,
			     "missing or malformed X-Hub-Signature-256: give the webhook a secret");
		goto refused;
	}
	if (token_header(c, "X-GitHub-Event", h->event, EVENT_MAX) ||
	    token_header(c, "X-GitHub-Delivery", h->guid, GUID_MAX)) {
		ret = answer(c, NULL, MHD_HTTP_BAD_REQUEST,
			     "missing or malformed X-GitHub-Event or X-GitHub-Delivery");
		goto refused;
	}
	if ((v = header(c, "Content-Type")) && strncasecmp(v, "application/json", 16)) {
		ret = answer(c, h, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
			     "set the webhook's content type to application/json");
		goto refused;
	}
	*hp = h;
	return MHD_YES;
refused:
	hook_free(h);
	return ret;
}

/* A ref fit to store and show: printable ASCII, not too long. */
static int ref_ok(const char *ref)
{
	const char *p;

	if (!ref || !*ref || strlen(ref) > REF_MAX)
		return 0;
	for (p = ref; *p; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return 0;
	return 1;
}

/* A commit id: 40 (SHA-1) or 64 (SHA-256) lower-case hex digits. */
static int commit_ok(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	return (n == 40 || n == 64) && strspn(id, "0123456789abcdef") == n;
}

/* repository.pushed_at: seconds in push payloads, an ISO 8601 time in others; 0 when neither. */
static int64_t pushed_at(json_t *repository)
{
	json_t *v = json_object_get(repository, "pushed_at");
	int64_t t = 0;

	if (json_is_integer(v))
		t = json_integer_value(v);
	else if (json_is_string(v) && time_parse(json_string_value(v), &t))
		t = 0;
	return t > 0 ? t : 0;
}

static char *string_of(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? xstrdup(v) : NULL;
}

int github_payload_read(const char *body, size_t len, struct github_payload *p, struct buf *why)
{
	json_error_t jerr;
	json_t *root, *repository;

	memset(p, 0, sizeof(*p));
	/* jansson caps nesting itself (JSON_PARSER_MAX_DEPTH); the body's size is capped before. */
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(root)) {
		buf_addf(why, "the body is not a JSON object (line %d)", jerr.line);
		json_decref(root);
		return -1;
	}
	repository = json_object_get(root, "repository");
	p->name = string_of(repository, "full_name");
	p->default_branch = string_of(repository, "default_branch");
	p->ref = string_of(root, "ref");
	p->after = string_of(root, "after");
	p->deleted = json_is_true(json_object_get(root, "deleted"));
	p->pushed_at = pushed_at(repository);
	json_decref(root);
	return 0;
}

void github_payload_release(struct github_payload *p)
{
	free(p->name);
	free(p->default_branch);
	free(p->ref);
	free(p->after);
	memset(p, 0, sizeof(*p));
}

const char *github_payload_push(const struct github_payload *p, struct buf *why)
{
	size_t mark = why->len;

	if (!ref_ok(p->ref) || strncmp(p->ref, "refs/heads/", 11))
		buf_addf(why, "not a branch: %s", ref_ok(p->ref) ? p->ref : "(no ref)");
	else if (p->deleted || (p->after && strspn(p->after, "0") == strlen(p->after)))
		buf_addf(why, "the push deletes %s", p->ref);
	else if (!commit_ok(p->after))
		buf_adds(why, "the push names no commit (after)");
	return why->len > mark ? why->buf + mark : NULL;
}

/*
 * Is name the GitHub repository of an assignment's tests? Then d->tests_of
 * is set, and a push to another branch than its default one is ignored
 * (why says so): only that branch holds the tests. 0, DB_ENOTFOUND, -1.
 */
static int tests_push(struct db *db, const struct github_payload *p, struct delivery *d,
		      struct buf *why)
{
	const char *branch = p->default_branch, *ref = p->ref;
	int rc = db_tests_github_find(db, p->name, &d->tests_of);

	if (!rc && branch && ref_ok(ref) && (strncmp(ref, "refs/heads/", 11) || strcmp(ref + 11, branch)))
		buf_addf(why, "%s is not %s, the branch of %s that holds the tests", ref, branch, p->name);
	return rc;
}

/*
 * Fill d from a push's payload: queued for the mirror, or ignored with
 * the reason in why (and d->detail). -1 when the database failed.
 */
static int push(struct db *db, const struct github_payload *p, struct delivery *d, struct buf *why)
{
	int rc;

	d->status = DELIVERY_IGNORED;
	if (!p->name || !github_repo_name_ok(p->name)) {
		buf_adds(why, "repository.full_name is missing or not a GitHub repository name");
		return 0;
	}
	rc = db_github_repo_find(db, p->name, &d->repo_id);
	if (rc == DB_ENOTFOUND && !(rc = tests_push(db, p, d, why)) && why->len)
		return 0;
	if (rc == DB_ENOTFOUND) {
		buf_addf(why, "%s is not mapped to a student repository", p->name);
		return 0;
	}
	if (rc)
		return -1;
	if (github_payload_push(p, why))
		return 0;
	d->status = DELIVERY_QUEUED;
	d->ref = p->ref;
	d->commit_id = p->after;
	d->pushed_at = p->pushed_at;
	buf_addf(why, "%s %s of %s", p->ref, p->after, p->name);
	return 0;
}

/* The body is in and signed: parse it, record the delivery and answer. */
static enum MHD_Result finish(struct MHD_Connection *c, struct hook *h)
{
	struct buf why = BUF_INIT;
	struct delivery d;
	struct github_payload p;
	struct db *db = hook_db();
	enum MHD_Result ret;
	int rc = 0;

	memset(&p, 0, sizeof(p));
	if (!db) {
		ret = answer(c, h, MHD_HTTP_SERVICE_UNAVAILABLE,
			     "the server cannot record deliveries now; it has been logged");
		goto done;
	}
	if (!github_signature_ok(h->secret.buf, h->secret.len, h->body.buf, h->body.len,
				 header(c, "X-Hub-Signature-256"))) {
		ret = answer(c, h, MHD_HTTP_UNAUTHORIZED, "the signature does not match: the webhook's "
			     "secret on GitHub must be the one given to 'lifebelt github secret'");
		goto done;
	}
	if (github_payload_read(h->body.buf, h->body.len, &p, &why)) {
		ret = answer(c, h, MHD_HTTP_BAD_REQUEST, "%s", why.buf);
		goto done;
	}
	memset(&d, 0, sizeof(d));
	d.guid = h->guid;
	d.event = h->event;
	d.received = h->arrived;
	d.status = DELIVERY_IGNORED;
	if (!strcmp(h->event, "ping"))
		buf_adds(&why, "ping");
	else if (!strcmp(h->event, "push"))
		rc = push(db, &p, &d, &why);
	else
		buf_addf(&why, "event %s is not used", h->event);
	if (!strcmp(h->event, "push") && rc) {
		ret = answer(c, h, MHD_HTTP_SERVICE_UNAVAILABLE, "the database failed; it has been logged");
		goto done;
	}
	d.detail = strcmp(d.status, DELIVERY_QUEUED) ? why.buf : "";
	rc = db_delivery_add(db, &d);
	if (rc == DB_EEXISTS)
		ret = answer(c, h, MHD_HTTP_ACCEPTED, "already recorded: a redelivery changes nothing");
	else if (rc)
		ret = answer(c, h, MHD_HTTP_SERVICE_UNAVAILABLE, "the delivery could not be recorded; "
			     "it has been logged, and GitHub can redeliver it");
	else if (!strcmp(h->event, "ping"))
		ret = answer(c, h, MHD_HTTP_OK, "pong: the webhook reaches Lifebelt");
	else if (!strcmp(d.status, DELIVERY_QUEUED)) {
		github_wake();
		ret = answer(c, h, MHD_HTTP_ACCEPTED, "queued: %s", why.buf);
	} else
		ret = answer(c, h, MHD_HTTP_ACCEPTED, "ignored: %s", why.buf);
done:
	github_payload_release(&p);
	buf_release(&why);
	return ret;
}

enum MHD_Result github_hook_handle(struct MHD_Connection *c, const char *method,
				   const char *upload, size_t *upload_size, void **state)
{
	struct hook *h = *state;
	size_t n;

	if (!h)
		return start(c, method, (struct hook **)state);
	if ((n = *upload_size)) {
		*upload_size = 0;
		/* A body without a length (chunked) that passes the cap is answered and dropped. */
		if (!h->too_big && n > h->cap - h->body.len) {
			h->too_big = 1;
			buf_release(&h->body);
			h->answered = too_large_now(c, h);
		}
		if (!h->too_big)
			buf_add(&h->body, upload, n);
		return MHD_YES;
	}
	if (h->too_big)
		return h->answered ? MHD_NO : too_large(c, h, h->cap);
	return finish(c, h);
}

void github_hook_completed(void *state)
{
	hook_free(state);
}
