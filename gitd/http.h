/* http.h: git's smart HTTP under /git/, served by `lifebelt serve` through git http-backend. */
#ifndef GITD_HTTP_H
#define GITD_HTTP_H

#include <stddef.h>

#include <microhttpd.h>

/* URLs under this prefix belong to http_git_handle(). */
#define HTTP_GIT_PREFIX "/git/"

/*
 * The MHD access handler for /git/COURSE/NAME[/LOGIN][.git]/{info/refs,
 * git-upload-pack,git-receive-pack} (same arguments as MHD's). Basic auth
 * with a login and the token of `lifebelt token`; every authentication
 * failure gets the same 401, and a login guessed at from one address is
 * slowed down with 429 (lib/throttle.h). Authorisation is auth_repo(). Only smart HTTP is
 * served. The request body is streamed into `git http-backend` as it
 * arrives and its output streamed back. *state is this module's.
 */
enum MHD_Result http_git_handle(struct MHD_Connection *c, const char *url, const char *method,
				const char *upload, size_t *upload_size, void **state);

/*
 * MHD_OPTION_NOTIFY_COMPLETED callback: ends the request's http-backend
 * process and frees its state. Ignores states that are not this module's.
 */
void http_git_completed(void *cls, struct MHD_Connection *c, void **state,
			enum MHD_RequestTerminationCode toe);

/*
 * The client's address as text, for throttling. Behind a reverse proxy on the
 * same host every request comes from loopback: then the proxy's X-Real-IP is used.
 */
void http_client_addr(struct MHD_Connection *c, char *out, size_t n);

#endif
