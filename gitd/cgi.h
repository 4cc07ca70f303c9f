/* cgi.h: git http-backend requests served off the web server's threads: one pump thread, deadlines, caps. */
#ifndef GITD_CGI_H
#define GITD_CGI_H

#include <stddef.h>

#include <microhttpd.h>

/* What one `lifebelt serve` allows its git requests (from the http.* settings). */
struct cgi_limits {
	int body_seconds;       /* a request body must have arrived within this */
	int idle_seconds;       /* and may not pause longer than this */
	int run_seconds;        /* a request, its CGI included, ends within this */
	int backends;           /* CGI processes at once */
	int backends_per_login; /* of which one login may hold this many */
};

/*
 * Start the pump thread that moves every CGI's bytes and enforces l.
 * Needs a daemon started with MHD_ALLOW_SUSPEND_RESUME. 0, or -1.
 */
int cgi_start(const struct cgi_limits *l);
/*
 * Before MHD_stop_daemon(): kill every CGI's process group, resume every
 * suspended connection (their requests fail) and stop the pump thread.
 */
void cgi_stop(void);

/* One CGI request; owned by this module, handed back through cgi_completed(). */
struct cgi;

#include "../lib/codes.h"     /* CGI_EBUSY (answer 503), CGI_ELOGIN (this login has too many) */

/*
 * Run argv[0] (a full path) with env as the CGI of connection c, in a
 * process group of its own. login counts against backends_per_login.
 * With gzip, the body is inflated here, at most inflate_max bytes, and the
 * CGI reads it plain (the caller must not pass it a content length or an
 * encoding). 0 and *out, or -1, CGI_EBUSY or CGI_ELOGIN.
 */
int cgi_spawn(struct cgi **out, struct MHD_Connection *c, const char *login,
	      char *const argv[], char *const env[], int gzip, size_t inflate_max);

/* The access handler's calls with body bytes: takes all of *size (sets it to 0). */
enum MHD_Result cgi_upload(struct cgi *g, const char *data, size_t *size);
/* The access handler's last call (the body is in): queue the CGI's response, or wait for it. */
enum MHD_Result cgi_respond(struct cgi *g);
/* The request ended (MHD's completed callback): the pump kills and reaps what is left. */
void cgi_completed(struct cgi *g);

/* A plain-text answer; with retry_after > 0 a Retry-After header; a 401 asks for Basic auth. */
enum MHD_Result cgi_reply(struct MHD_Connection *c, unsigned int status, int retry_after,
			  const char *body);
/* The same with body of Content-Type type. */
enum MHD_Result cgi_reply_as(struct MHD_Connection *c, unsigned int status, int retry_after,
			     const char *type, const char *body);

#endif
