/* t-http-auth.c: the login and token of an Authorization header, as git sends it or as anyone might. */
#include <string.h>

#include "tap.h"
#include "../../gitd/http-auth.h"
#include "../../lib/buf.h"

/* Does value give exactly login and token (want_login NULL: is it refused)? */
static int gives(const char *value, const char *want_login, const char *want_token)
{
	struct buf login = BUF_INIT, token = BUF_INIT;
	int rc = http_auth_basic(value, &login, &token), ret;

	if (!want_login)
		ret = rc == -1 && !login.len && !token.len;
	else
		ret = !rc && !strcmp(login.buf, want_login) && !strcmp(token.buf, want_token);
	buf_release(&login);
	buf_release(&token);
	return ret;
}

int main(void)
{
	static const char *const bad[] = {
		"", "Basic", "Basic ", "Bearer YWxpY2U6bGJ0XzAw", "BasicYWxpY2U6eA==",
		"Basic YWxpY2U",                /* not a multiple of 4 */
		"Basic YWxpY2U=eA==",           /* padding inside */
		"Basic YWxpY2U6eA== x",         /* two tokens */
		"Basic YWxpY2U=",               /* "alice": no colon */
		"Basic YWxpY2UKOng=",           /* "alice\n:x": a control byte */
		"Basic YQA6eA==",               /* "a\0:x" */
		"Basic ====", "Basic !!!!", NULL
	};
	char big[HTTP_AUTH_MAX + 8];
	int i;

	/* "alice:lbt_0123", as git sends the login and token of a URL or a credential helper */
	ok(gives("Basic YWxpY2U6bGJ0XzAxMjM=", "alice", "lbt_0123"), "git's header gives login and token");
	ok(gives("basic   YWxpY2U6bGJ0XzAxMjM=  ", "alice", "lbt_0123"),
	   "the scheme in any case, and spaces around the credentials");
	ok(gives("Basic YTpiOmM=", "a", "b:c"), "the token is all after the first colon");
	ok(gives("Basic Og==", "", ""), "an empty login and token are given, for the caller to refuse");
	ok(http_auth_basic(NULL, NULL, NULL) == -1, "no header");
	for (i = 0; bad[i]; i++)
		ok(gives(bad[i], NULL, NULL), "'%s' is refused", bad[i]);
	memcpy(big, "Basic ", 6);
	memset(big + 6, 'A', sizeof(big) - 7);
	big[sizeof(big) - 1] = '\0';
	ok(gives(big, NULL, NULL), "a header longer than %d bytes is refused unread", HTTP_AUTH_MAX);
	return done_testing();
}
