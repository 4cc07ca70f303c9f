/* http-auth.c: the login and token of an HTTP Basic Authorization header, bytes from anyone. */
#include <string.h>
#include <strings.h>

#include "http-auth.h"
#include "../lib/buf.h"
#include "../lib/crypto.h"
#include "../lib/banned.h"

static int has_control(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}

int http_auth_basic(const char *value, struct buf *login, struct buf *token)
{
	struct buf raw = BUF_INIT;
	const char *p, *colon;
	size_t n;
	int rc = -1;

	if (!value || strlen(value) > HTTP_AUTH_MAX || strncasecmp(value, "Basic", 5) ||
	    (value[5] != ' ' && value[5] != '\t'))
		return -1;
	for (p = value + 5; *p == ' ' || *p == '\t'; p++)
		;
	/* token68, then optional whitespace (RFC 7235) */
	n = strcspn(p, " \t");
	if (p[n + strspn(p + n, " \t")] || crypto_base64_decode(&raw, p, n))
		goto done;
	colon = memchr(raw.buf, ':', raw.len);
	if (!colon || has_control(raw.buf, raw.len))
		goto done;
	buf_add(login, raw.buf, (size_t)(colon - raw.buf));
	buf_add(token, colon + 1, raw.len - (size_t)(colon - raw.buf) - 1);
	rc = 0;
done:
	buf_release(&raw);
	return rc;
}
