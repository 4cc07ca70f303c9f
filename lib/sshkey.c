/* sshkey.c: OpenSSH public key lines, checked down to the blob's own type. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "alloc.h"
#include "buf.h"
#include "crypto.h"
#include "sshkey.h"
#include "banned.h"

static const char *const key_types[] = {
	"ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
	"sk-ecdsa-sha2-nistp256@openssh.com", NULL
};

/* How many SSH wire strings each key type's blob holds (RFC 4253, 5656, 8709, PROTOCOL.u2f). */
static const int key_fields[] = { 2, 3, 3, 3, 3, 3, 4 };

static int known_type(const char *t, size_t n)
{
	int i;

	for (i = 0; key_types[i]; i++)
		if (strlen(key_types[i]) == n && !memcmp(key_types[i], t, n))
			return i;
	return -1;
}

/*
 * The blob must be exactly the type's sequence of length-prefixed strings,
 * so that a truncated or padded key is refused here rather than by sshd.
 */
static int blob_well_formed(const struct buf *raw, int type)
{
	size_t at = 0;
	int i;

	for (i = 0; i < key_fields[type]; i++) {
		uint32_t len;

		if (raw->len - at < 4)
			return 0;
		len = ((uint32_t)(unsigned char)raw->buf[at] << 24) |
		      ((uint32_t)(unsigned char)raw->buf[at + 1] << 16) |
		      ((uint32_t)(unsigned char)raw->buf[at + 2] << 8) |
		      (uint32_t)(unsigned char)raw->buf[at + 3];
		at += 4;
		if (len > raw->len - at)
			return 0;
		/* ed25519 public keys are 32 bytes. */
		if (i == 1 && (type == 0 || type == 5) && len != 32)
			return 0;
		at += len;
	}
	return at == raw->len;
}

int sshkey_parse(struct sshkey *k, const char *line, const char **why)
{
	const char *p = line, *t, *bl, *end;
	size_t tn, bn;
	struct buf raw = BUF_INIT, fp = BUF_INIT;
	unsigned char md[SHA256_DIGEST_LENGTH];
	unsigned char b64[64];
	uint32_t inner;
	int n, type;

	memset(k, 0, sizeof(*k));
	while (*p == ' ' || *p == '\t')
		p++;
	t = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	tn = (size_t)(p - t);
	if (!tn) {
		*why = "empty key";
		return -1;
	}
	if ((type = known_type(t, tn)) < 0) {
		*why = "unknown key type (expected ssh-ed25519, ssh-rsa or ecdsa-sha2-*)";
		return -1;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	bl = p;
	while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
		p++;
	bn = (size_t)(p - bl);
	if (!bn || crypto_base64_decode(&raw, bl, bn) || raw.len < 4 + tn) {
		*why = "key data is not valid base64";
		goto fail;
	}
	inner = ((uint32_t)(unsigned char)raw.buf[0] << 24) | ((uint32_t)(unsigned char)raw.buf[1] << 16) |
		((uint32_t)(unsigned char)raw.buf[2] << 8) | (uint32_t)(unsigned char)raw.buf[3];
	if (inner != tn || memcmp(raw.buf + 4, t, tn)) {
		*why = "key data does not match its type (truncated or mixed-up key?)";
		goto fail;
	}
	if (!blob_well_formed(&raw, type)) {
		*why = "key data is truncated or malformed";
		goto fail;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	for (const char *c = p; c < end; c++) {
		if ((unsigned char)*c < 0x20 || *c == '"' || *c == '\\') {
			*why = "key comment has control or quote characters";
			goto fail;
		}
	}
	SHA256((unsigned char *)raw.buf, raw.len, md);
	n = EVP_EncodeBlock(b64, md, sizeof(md));
	while (n > 0 && b64[n - 1] == '=')
		n--;
	buf_adds(&fp, "SHA256:");
	buf_add(&fp, b64, (size_t)n);
	k->type = xstrndup(t, tn);
	k->blob = xstrndup(bl, bn);
	k->comment = xstrndup(p, (size_t)(end - p));
	k->fingerprint = buf_detach(&fp, NULL);
	buf_release(&raw);
	return 0;
fail:
	buf_release(&raw);
	buf_release(&fp);
	return -1;
}

void sshkey_release(struct sshkey *k)
{
	free(k->type);
	free(k->blob);
	free(k->comment);
	free(k->fingerprint);
	memset(k, 0, sizeof(*k));
}
