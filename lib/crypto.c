/* crypto.c: thin, checked wrappers over OpenSSL's libcrypto. */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

/* The low-level SHA-256 calls below are deprecated in OpenSSL 3, not removed. */
#define OPENSSL_API_COMPAT 0x10101000L
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "buf.h"
#include "crypto.h"
#include "log.h"
#include "banned.h"

int crypto_random(void *out, size_t n)
{
	unsigned char *p = out;

	while (n) {
		ssize_t got = getrandom(p, n, 0);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return error_errno("getrandom");
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

void crypto_hex(struct buf *b, const void *data, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = data;
	size_t i;

	buf_grow(b, n * 2);
	for (i = 0; i < n; i++) {
		buf_addch(b, hex[p[i] >> 4]);
		buf_addch(b, hex[p[i] & 15]);
	}
}

static void sha256(const void *data, size_t n, unsigned char md[SHA256_DIGEST_LENGTH])
{
	SHA256_CTX c;

	SHA256_Init(&c);
	SHA256_Update(&c, data, n);
	SHA256_Final(md, &c);
}

void crypto_sha256_hex(struct buf *b, const void *data, size_t n)
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	sha256(data, n, md);
	crypto_hex(b, md, sizeof(md));
}

/*
 * HMAC-SHA-256 as RFC 2104 builds it, over the low-level SHA-256 calls:
 * OpenSSL 3's HMAC() fetches a provider on first use, which costs more
 * than everything else a hook process does for a push.
 */
int crypto_hmac_hex(struct buf *b, const void *key, size_t keylen,
		    const void *data, size_t n)
{
	unsigned char k[SHA256_CBLOCK], pad[SHA256_CBLOCK], md[SHA256_DIGEST_LENGTH];
	SHA256_CTX c;
	size_t i;

	memset(k, 0, sizeof(k));
	if (keylen > sizeof(k))
		sha256(key, keylen, k);
	else
		memcpy(k, key, keylen);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] = k[i] ^ 0x36;
	SHA256_Init(&c);
	SHA256_Update(&c, pad, sizeof(pad));
	SHA256_Update(&c, data, n);
	SHA256_Final(md, &c);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] = k[i] ^ 0x5c;
	SHA256_Init(&c);
	SHA256_Update(&c, pad, sizeof(pad));
	SHA256_Update(&c, md, sizeof(md));
	SHA256_Final(md, &c);
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(pad, sizeof(pad));
	crypto_hex(b, md, sizeof(md));
	return 0;
}

int crypto_equal(const void *a, size_t alen, const void *b, size_t blen)
{
	if (alen != blen)
		return 0;
	return CRYPTO_memcmp(a, b, alen) == 0;
}

int crypto_base64_decode(struct buf *b, const char *s, size_t n)
{
	static signed char table[256];
	static int ready;
	unsigned int acc = 0;
	int bits = 0;
	size_t i, pad = 0;

	if (!ready) {
		const char *alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

		memset(table, -1, sizeof(table));
		for (i = 0; i < 64; i++)
			table[(unsigned char)alpha[i]] = (signed char)i;
		ready = 1;
	}
	if (n % 4)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '=') {
			pad++;
			continue;
		}
		if (pad || table[c] < 0)
			return -1;
		acc = (acc << 6) | (unsigned int)table[c];
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addch(b, (int)((acc >> bits) & 0xff));
		}
	}
	return pad > 2 ? -1 : 0;
}
