/* guard.c: refuse ambiguous request framing; close connections whose header does not arrive in time. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "guard.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

#define SWEEP_MS 250    /* how late past its deadline a connection may be closed */

/* One open connection, from libmicrohttpd's "started" notice to its "closed" one. */
struct watch {
	struct watch *prev, *next;
	int fd;
	int64_t since;          /* when the wait for the current request's header began */
	int in_request;         /* the request is read (see guard.h): being served */
	int cut;                /* already shut down by the sweeper */
};

/*
 * The list and every field of its entries are under lock. libmicrohttpd
 * reports a connection closed before it closes the socket, so the sweeper
 * never shuts down a descriptor that another connection has reused.
 */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake;
static struct watch head = { &head, &head, -1, 0, 0, 0 };
static int64_t header_us;
static int stopping;
static pthread_t sweeper;
static int sweeping;
static int closed_unlogged;     /* closed since the last log line (at most one a minute) */
static int64_t logged_at;

static struct watch *watch_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

void guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
		  enum MHD_ConnectionNotificationCode toe)
{
	struct watch *w = *socket_context;
	const union MHD_ConnectionInfo *ci;

	(void)cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!ci || !(w = calloc(1, sizeof(*w))))
			return;         /* unwatched: only its inactivity timeout applies */
		w->fd = ci->connect_fd;
		w->since = time_mono_us();
		pthread_mutex_lock(&lock);
		w->prev = head.prev;
		w->next = &head;
		head.prev->next = w;
		head.prev = w;
		pthread_mutex_unlock(&lock);
		*socket_context = w;
	} else if (w) {
		pthread_mutex_lock(&lock);
		w->prev->next = w->next;
		w->next->prev = w->prev;
		pthread_mutex_unlock(&lock);
		free(w);
		*socket_context = NULL;
	}
}

/* Mark c's request read or not; restart its deadline with it (a request ended). */
static void set_in_request(struct MHD_Connection *c, int in_request, int restart)
{
	struct watch *w = watch_of(c);

	if (!w)
		return;
	pthread_mutex_lock(&lock);
	w->in_request = in_request;
	if (restart)
		w->since = time_mono_us();
	pthread_mutex_unlock(&lock);
}

struct framing {
	int lengths, encodings, not_chunked;
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	struct framing *f = cls;

	(void)kind;
	if (!strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH)) {
		f->lengths++;
	} else if (!strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
		f->encodings++;
		if (!value || strcasecmp(value, "chunked"))
			f->not_chunked = 1;
	}
	return MHD_YES;
}

const char *guard_request(struct MHD_Connection *c, const char *version)
{
	struct framing f = { 0, 0, 0 };

	MHD_get_connection_values(c, MHD_HEADER_KIND, count_framing, &f);
	if (f.encodings && strcmp(version, MHD_HTTP_VERSION_1_1))
		return "Transfer-Encoding needs HTTP/1.1; send a Content-Length.";
	if (f.lengths > 1)
		return "The request has more than one Content-Length header; send exactly one.";
	if (f.lengths && f.encodings)
		return "The request has both Content-Length and Transfer-Encoding; "
		       "send only one of them.";
	if (f.encodings > 1 || f.not_chunked)
		return "The request's Transfer-Encoding is not supported; "
		       "send \"chunked\" or a Content-Length.";
	set_in_request(c, 1, 0);
	return NULL;
}

void guard_form_wait(struct MHD_Connection *c)
{
	set_in_request(c, 0, 0);
}

void guard_form_read(struct MHD_Connection *c)
{
	set_in_request(c, 1, 0);
}

void guard_request_done(struct MHD_Connection *c)
{
	set_in_request(c, 0, 1);
}

/* Shut down (libmicrohttpd then closes) every connection past its deadline; how many. */
static int sweep(void)
{
	int64_t now = time_mono_us();
	struct watch *w;
	int n = 0;

	for (w = head.next; w != &head; w = w->next) {
		if (w->in_request || w->cut || now - w->since < header_us)
			continue;
		shutdown(w->fd, SHUT_RDWR);
		w->cut = 1;
		n++;
	}
	return n;
}

static void *sweep_loop(void *unused)
{
	struct timespec t;
	int n;

	(void)unused;
	pthread_mutex_lock(&lock);
	while (!stopping) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		t.tv_nsec += SWEEP_MS * 1000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&wake, &lock, &t);
		if (stopping)
			break;
		closed_unlogged += sweep();
		if (closed_unlogged && time_mono_us() - logged_at >= 60 * 1000000LL) {
			n = closed_unlogged;
			closed_unlogged = 0;
			logged_at = time_mono_us();
			pthread_mutex_unlock(&lock);
			log_info("closed %d connection%s idle or slow for %lld s before a complete "
				 "request header", n, n == 1 ? "" : "s", (long long)(header_us / 1000000));
			pthread_mutex_lock(&lock);
		}
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

int guard_start(unsigned int header_seconds)
{
	pthread_condattr_t ca;

	header_us = (int64_t)header_seconds * 1000000;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&sweeper, NULL, sweep_loop, NULL))
		return error("cannot start the connection sweeper");
	sweeping = 1;
	return 0;
}

void guard_stop(void)
{
	if (!sweeping)
		return;
	pthread_mutex_lock(&lock);
	stopping = 1;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(sweeper, NULL);
	sweeping = 0;
}
