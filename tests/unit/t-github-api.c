/* t-github-api.c: base64url, a GitHub App's JWT (checked with libcrypto's verifier), the App key check and the status backoff. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "tap.h"
#include "../../cli/cli.h"
#include "../../gitd/github.h"
#include "../../lib/buf.h"
#include "../../lib/crypto.h"
#include "../../lib/banned.h"

/* Unit tests link every object but the command table's own file. */
const struct cmd commands[] = { { NULL, NULL, NULL, NULL } };
const struct cmd *current_cmd(void)
{
	return commands;
}

static const char *b64url(struct buf *b, const void *data, size_t n)
{
	buf_reset(b);
	github_base64url(b, data, n);
	return b->buf;
}

static void base64url(void)
{
	struct buf b = BUF_INIT;

	/* RFC 4648's vectors, less the padding. */
	is_str(b64url(&b, "", 0), "", "base64url: empty");
	is_str(b64url(&b, "f", 1), "Zg", "base64url: one byte, no padding");
	is_str(b64url(&b, "fo", 2), "Zm8", "base64url: two bytes, no padding");
	is_str(b64url(&b, "foo", 3), "Zm9v", "base64url: three bytes");
	is_str(b64url(&b, "foobar", 6), "Zm9vYmFy", "base64url: six bytes");
	/* The two letters where base64url differs from base64: '+' is '-' and '/' is '_'. */
	is_str(b64url(&b, "\xfb\xff", 2), "-_8", "base64url: 0xfb 0xff is -_8 (base64: +/8=)");
	is_str(b64url(&b, "\xff\xff\xff", 3), "____", "base64url: three 0xff bytes");
	is_str(b64url(&b, "\0\0\0\0", 4), "AAAAAA", "base64url: NUL bytes count");
	buf_reset(&b);
	buf_adds(&b, "x.");
	github_base64url(&b, "foo", 3);
	is_str(b.buf, "x.Zm9v", "base64url appends");
	buf_release(&b);
}

/* Decode a base64url part into out (by way of standard base64 with padding); 0 or -1. */
static int unb64url(struct buf *out, const char *s, size_t n)
{
	struct buf std = BUF_INIT;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (s[i] == '+' || s[i] == '/' || s[i] == '=')
			return -1;      /* not base64url */
		buf_addch(&std, s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i]);
	}
	while (std.len % 4)
		buf_addch(&std, '=');
	rc = crypto_base64_decode(out, std.buf, std.len);
	buf_release(&std);
	return rc;
}

static EVP_PKEY *rsa_key(int bits)
{
	return EVP_RSA_gen(bits);
}

/* The private key as PEM: traditional (PKCS#1, as GitHub gives it) or PKCS#8. */
static void key_pem(struct buf *out, EVP_PKEY *key, int traditional)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *p;
	long n;

	if (traditional)
		PEM_write_bio_PrivateKey_traditional(bio, key, NULL, NULL, 0, NULL, NULL);
	else
		PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL);
	n = BIO_get_mem_data(bio, &p);
	buf_reset(out);
	buf_add(out, p, (size_t)n);
	BIO_free(bio);
}

static int verify(EVP_PKEY *key, const char *msg, size_t n, const struct buf *sig)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int rc = EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
		 EVP_DigestVerify(md, (const unsigned char *)sig->buf, sig->len,
				  (const unsigned char *)msg, n) == 1;

	EVP_MD_CTX_free(md);
	return rc;
}

static void jwt(void)
{
	EVP_PKEY *key = rsa_key(2048), *other = rsa_key(2048);
	struct buf pem = BUF_INIT, out = BUF_INIT, why = BUF_INIT, part = BUF_INIT, sig = BUF_INIT;
	const char *dot1, *dot2;
	json_t *h, *c;
	int64_t now = 1800000000;

	ok(key && other, "made two RSA keys");
	key_pem(&pem, key, 1);
	ok(strstr(pem.buf, "BEGIN RSA PRIVATE KEY") != NULL, "the key is PEM PKCS#1, as GitHub's");
	is_int(github_jwt(&out, "123456", pem.buf, pem.len, now, &why), 0, "a JWT is made");
	ok(!strpbrk(out.buf, "+/= \n"), "the JWT is base64url without padding: %.40s...", out.buf);
	dot1 = strchr(out.buf, '.');
	dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	ok(dot1 && dot2 && !strchr(dot2 + 1, '.'), "the JWT has three parts");
	if (!dot1 || !dot2)
		return;

	ok(!unb64url(&part, out.buf, (size_t)(dot1 - out.buf)), "the header decodes");
	h = json_loadb(part.buf, part.len, JSON_REJECT_DUPLICATES, NULL);
	is_str(json_string_value(json_object_get(h, "alg")), "RS256", "header: alg RS256");
	is_str(json_string_value(json_object_get(h, "typ")), "JWT", "header: typ JWT");
	is_int(json_object_size(h), 2, "header: nothing else");
	json_decref(h);

	buf_reset(&part);
	ok(!unb64url(&part, dot1 + 1, (size_t)(dot2 - dot1 - 1)), "the claims decode");
	c = json_loadb(part.buf, part.len, JSON_REJECT_DUPLICATES, NULL);
	is_int(json_integer_value(json_object_get(c, "iat")), now - 60, "claims: iat is now - 60");
	is_int(json_integer_value(json_object_get(c, "exp")), now + 540, "claims: exp is now + 540");
	is_str(json_string_value(json_object_get(c, "iss")), "123456", "claims: iss is the App ID");
	is_int(json_object_size(c), 3, "claims: nothing else");
	json_decref(c);

	ok(!unb64url(&sig, dot2 + 1, strlen(dot2 + 1)), "the signature decodes");
	is_int(sig.len, 256, "the signature has 2048 bits");
	ok(verify(key, out.buf, (size_t)(dot2 - out.buf), &sig),
	   "the signature verifies with the App's public key (RS256)");
	ok(!verify(other, out.buf, (size_t)(dot2 - out.buf), &sig),
	   "and not with another key");
	ok(!verify(key, out.buf, (size_t)(dot2 - out.buf) - 1, &sig),
	   "and not over other bytes");

	/* PKCS#8, as `openssl genpkey` writes it, is taken too. */
	key_pem(&pem, key, 0);
	buf_reset(&out);
	is_int(github_jwt(&out, "7", pem.buf, pem.len, now, &why), 0, "a PKCS#8 key signs too");

	EVP_PKEY_free(key);
	EVP_PKEY_free(other);
	buf_release(&pem);
	buf_release(&out);
	buf_release(&why);
	buf_release(&part);
	buf_release(&sig);
}

static void key_check(void)
{
	EVP_PKEY *small = rsa_key(1024), *ec = EVP_EC_gen("P-256");
	struct buf pem = BUF_INIT, why = BUF_INIT, out = BUF_INIT;
	static const char garbage[] = "-----BEGIN RSA PRIVATE KEY-----\nnot base64\n-----END RSA PRIVATE KEY-----\n";

	is_int(github_app_key_check(garbage, sizeof(garbage) - 1, &why), -1, "garbage is no key");
	ok(strstr(why.buf, "not a private key in PEM") != NULL, "and says so: %s", why.buf);
	buf_reset(&why);
	is_int(github_app_key_check("ssh-ed25519 AAAA", 16, &why), -1, "a public SSH key is no key");
	buf_reset(&why);
	key_pem(&pem, ec, 0);
	is_int(github_app_key_check(pem.buf, pem.len, &why), -1, "an EC key is refused");
	ok(strstr(why.buf, "not an RSA key") != NULL, "and says so: %s", why.buf);
	buf_reset(&why);
	key_pem(&pem, small, 1);
	is_int(github_app_key_check(pem.buf, pem.len, &why), -1, "a 1024-bit RSA key is refused");
	ok(strstr(why.buf, "1024-bit") != NULL, "and says so: %s", why.buf);
	buf_reset(&why);
	is_int(github_jwt(&out, "1", garbage, sizeof(garbage) - 1, 0, &why), -1,
	       "no JWT from garbage");
	is_int(out.len, 0, "and nothing appended");
	EVP_PKEY_free(small);
	EVP_PKEY_free(ec);
	buf_release(&pem);
	buf_release(&why);
	buf_release(&out);
}

static void backoff(void)
{
	is_int(github_retry_delay(1), 10, "backoff: 10 s after the first failure");
	is_int(github_retry_delay(2), 20, "backoff: then 20 s");
	is_int(github_retry_delay(3), 40, "backoff: then 40 s");
	is_int(github_retry_delay(9), 2560, "backoff: 2560 s after the ninth");
	is_int(github_retry_delay(10), 3600, "backoff: at most an hour");
	is_int(github_retry_delay(1000), 3600, "backoff: at most an hour, however many");
}

int main(void)
{
	base64url();
	jwt();
	key_check();
	backoff();
	return done_testing();
}
