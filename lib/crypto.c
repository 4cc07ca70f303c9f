/* crypto.c: thin, checked wrappers over OpenSSL's libcrypto. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/random.h>

/* The low-level SHA-256 calls below are deprecated in OpenSSL 3, not removed. */
#define OPENSSL_API_COMPAT 0x10101000L
#include <openssl/crypto.h>
#include <openssl/evp.h>
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

/*
 * libcrypto's decoder: a table built at first use, as ours was, is a race
 * between the server's threads. EVP_DecodeBlock() reads '=' as a zero
 * digit and counts the padding in its length, so the padding is checked
 * here: at most two '=', only at the end.
 */
int crypto_base64_decode(struct buf *b, const char *s, size_t n)
{
	size_t pad = 0, len = n / 4 * 3;
	int got;

	if (n % 4 || n > INT_MAX)
		return -1;
	while (pad < n && s[n - 1 - pad] == '=')
		pad++;
	if (pad > 2 || memchr(s, '=', n - pad))
		return -1;
	buf_grow(b, len);
	got = EVP_DecodeBlock((unsigned char *)b->buf + b->len, (const unsigned char *)s, (int)n);
	if (got < 0 || (size_t)got != len) {
		buf_setlen(b, b->len);  /* the terminating NUL again */
		return -1;
	}
	buf_setlen(b, b->len + len - pad);
	return 0;
}
