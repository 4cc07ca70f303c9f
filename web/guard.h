/* guard.h: what a request must show before it reaches a route: one body framing, its header in time. */
#ifndef WEB_GUARD_H
#define WEB_GUARD_H

#include <microhttpd.h>

/*
 * libmicrohttpd (0.9.75, even with MHD_OPTION_STRICT_FOR_CLIENT at 1 or 2)
 * parses leniently: with two Content-Length headers the first wins and the
 * rest of the body is read as the next request (a smuggled request), and
 * Content-Length with Transfer-Encoding keeps the connection; its only
 * timeout is for inactivity, so a header sent one byte a second holds a
 * connection for ever. The guard closes these holes.
 *
 * guard_start() starts the sweeper that closes every connection whose
 * request is not read header_seconds after the connection opened or its
 * previous request ended; guard_stop() stops it (before MHD_stop_daemon).
 * guard_notify is the daemon's MHD_OPTION_NOTIFY_CONNECTION.
 */
int guard_start(unsigned int header_seconds);
void guard_stop(void);
void guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
		  enum MHD_ConnectionNotificationCode toe);

/*
 * At a request's first call (its header complete; version as libmicrohttpd
 * gives it): NULL if its framing is sound, and the request counts as read; else why it is refused (answer 400
 * and close the connection: what follows cannot be told apart from the next
 * request). A route with a long body (git's) keeps deadlines of its own.
 */
const char *guard_request(struct MHD_Connection *c, const char *version);
/*
 * A page that reads a small form: the deadline runs on from
 * guard_form_wait() until guard_form_read(), when the form is in.
 */
void guard_form_wait(struct MHD_Connection *c);
void guard_form_read(struct MHD_Connection *c);
/* At a request's end: the next request's deadline starts now. */
void guard_request_done(struct MHD_Connection *c);

#endif
