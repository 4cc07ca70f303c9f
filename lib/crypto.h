/* crypto.h: random secrets, hashes, HMAC and constant-time comparison (libcrypto). */
#ifndef LIB_CRYPTO_H
#define LIB_CRYPTO_H

#include <stddef.h>

struct buf;

/* Fill out with n bytes from the kernel's CSPRNG; 0 or -1. */
int crypto_random(void *out, size_t n);
/* Append the lowercase hex of n bytes. */
void crypto_hex(struct buf *b, const void *data, size_t n);
/* Append hex(SHA-256(data)). */
void crypto_sha256_hex(struct buf *b, const void *data, size_t n);
/* Append hex(HMAC-SHA-256(key, data)); 0 or -1. */
int crypto_hmac_hex(struct buf *b, const void *key, size_t keylen,
		    const void *data, size_t n);
/* 1 if equal, 0 if not; time depends only on the lengths. */
int crypto_equal(const void *a, size_t alen, const void *b, size_t blen);
/* Standard base64 decode into b; -1 on bad input. */
int crypto_base64_decode(struct buf *b, const char *s, size_t n);

#endif
