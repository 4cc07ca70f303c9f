/* server.c: the libmicrohttpd server: limits, headers, dispatch to routes. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "server.h"
#include "../gitd/http.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/banned.h"

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status,
			     const char *type, const char *body)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
								  MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Content-Security-Policy", "default-src 'none'; style-src 'self'");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **state)
{
	(void)cls;
	(void)version;
	if (!strncmp(url, HTTP_GIT_PREFIX, strlen(HTTP_GIT_PREFIX)))
		return http_git_handle(c, url, method, upload, upload_size, state);
	if (*upload_size)
		return MHD_NO;
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
			     "method not allowed\n");
	if (!strcmp(url, "/healthz"))
		return reply(c, MHD_HTTP_OK, "text/plain; charset=utf-8", "ok\n");
	return reply(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", "not found\n");
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

int web_serve(const struct serve_opts *o)
{
	struct sockaddr_in sa;
	struct MHD_Daemon *d;
	struct sigaction act;

	if (parse_listen(o->listen, &sa))
		return -1;
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG,
			     0, NULL, NULL, handle, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)4,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)1000,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)64,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
			     MHD_OPTION_NOTIFY_COMPLETED, http_git_completed, NULL,
			     MHD_OPTION_END);
	if (!d)
		return error_errno("cannot listen on %s", o->listen);
	memset(&act, 0, sizeof(act));
	act.sa_handler = on_signal;
	sigaction(SIGINT, &act, NULL);
	sigaction(SIGTERM, &act, NULL);
	log_info("lifebelt serving on http://%s/", o->listen);
	while (!stopping)
		pause();
	log_info("stopping");
	MHD_stop_daemon(d);
	return 0;
}
