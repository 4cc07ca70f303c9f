/* http-auth.h: the credentials of an HTTP Authorization header, as git sends them. */
#ifndef GITD_HTTP_AUTH_H
#define GITD_HTTP_AUTH_H

struct buf;

/* No Authorization header longer than this is read (a login and a token take ~150). */
#define HTTP_AUTH_MAX 1024

/*
 * The login and token of an Authorization header of HTTP Basic
 * authentication (RFC 7617): "Basic BASE64(LOGIN:TOKEN)", the scheme in
 * any case, the password split at the first colon. 0 with both appended
 * to login and token, -1 (nothing appended) when value is NULL, longer
 * than HTTP_AUTH_MAX, another scheme, not base64, or its credentials
 * have no colon or a control byte. Whether the login and token are
 * anyone's is the caller's question.
 */
int http_auth_basic(const char *value, struct buf *login, struct buf *token);

#endif
