/* http.h: git's smart HTTP under /git/, served by `lifebelt serve` through git http-backend. */
#ifndef GITD_HTTP_H
#define GITD_HTTP_H

#include <stddef.h>

#include <microhttpd.h>

struct db;

/* URLs under this prefix belong to http_git_handle(). */
#define HTTP_GIT_PREFIX "/git/"

/* A git request's body may pause this long (the web server's idle timeout). */
#define HTTP_GIT_IDLE_SECONDS 30

/*
 * Start and stop what serves git requests (gitd/cgi.h), with the limits of
 * the http.* settings. Stop before MHD_stop_daemon(): it kills every
 * backend. The daemon needs MHD_ALLOW_SUSPEND_RESUME.
 */
int http_git_start(void);
void http_git_stop(void);

/*
 * The MHD access handler for /git/COURSE/NAME[/LOGIN][.git]/{info/refs,
 * git-upload-pack,git-receive-pack} (same arguments as MHD's). Basic auth
 * with a login and the token of `lifebelt token`; every authentication
 * failure gets the same 401, and a login guessed at from one address is
 * slowed down with 429 (lib/throttle.h). Authorisation is auth_repo(). Only smart HTTP is
 * served. `git http-backend` runs off the server's threads (gitd/cgi.h):
 * the body is streamed into it as it arrives (gzip inflated here, within a
 * cap) and its output streamed back; a connection that must wait for it is
 * suspended. *state is this module's. db is the calling thread's
 * read-only handle, kept by the caller (NULL if it could not be opened: the
 * request gets a 500).
 */
enum MHD_Result http_git_handle(struct db *db, struct MHD_Connection *c, const char *url,
				const char *method, const char *upload, size_t *upload_size,
				void **state);

/* The request of state ended: what is left of its backend is killed and reaped off this thread. */
void http_git_completed(void *state);

/*
 * The client's address as text, for throttling. Behind a reverse proxy on the
 * same host every request comes from loopback: then the proxy's X-Real-IP is used.
 */
void http_client_addr(struct MHD_Connection *c, char *out, size_t n);

#endif
