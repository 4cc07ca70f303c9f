/* secret.c: tokens (random, stored hashed) and server-key derived links. */
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "home.h"
#include "secret.h"
#include "banned.h"

#define TOKEN_PREFIX "lbt_"
#define TOKEN_BYTES 20

int secret_new_token(struct buf *out)
{
	unsigned char raw[TOKEN_BYTES];

	if (crypto_random(raw, sizeof(raw)))
		return -1;
	buf_adds(out, TOKEN_PREFIX);
	crypto_hex(out, raw, sizeof(raw));
	return 0;
}

int secret_token_shaped(const char *s)
{
	size_t n = strlen(TOKEN_PREFIX);

	return !strncmp(s, TOKEN_PREFIX, n) && strlen(s + n) == 2 * TOKEN_BYTES &&
	       strspn(s + n, "0123456789abcdef") == 2 * TOKEN_BYTES;
}

void secret_hash(struct buf *out, const char *token)
{
	crypto_sha256_hex(out, token, strlen(token));
}

int secret_web_key(struct buf *out, const char *login, int64_t gen)
{
	struct buf key = BUF_INIT, msg = BUF_INIT, mac = BUF_INIT;
	int ret = -1;

	if (home_server_key(&key))
		goto done;
	buf_addf(&msg, "web%c%s%c%lld", 0, login, 0, (long long)gen);
	if (crypto_hmac_hex(&mac, key.buf, key.len, msg.buf, msg.len))
		goto done;
	buf_add(out, mac.buf, 32);
	ret = 0;
done:
	buf_release(&key);
	buf_release(&msg);
	buf_release(&mac);
	return ret;
}
