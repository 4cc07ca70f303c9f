/* receipt.c: HMAC-signed receipts over course, assignment, login, commit and receive time. */
#include <stdio.h>
#include <string.h>

#include "receipt.h"
#include "../lib/buf.h"
#include "../lib/crypto.h"
#include "../lib/home.h"
#include "../lib/names.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

#define RECEIPT_TAG "lb1"
#define MAC_HEX 32

static int compute_mac(const struct receipt *r, struct buf *mac)
{
	struct buf key = BUF_INIT, msg = BUF_INIT;
	int ret = -1;

	if (home_server_key(&key))
		goto done;
	/* NUL separators: no field can contain one, so no two receipts sign alike. */
	buf_addf(&msg, "receipt%c%s%c%s%c%s%c%s%c%lld", 0, r->course, 0, r->name, 0, r->login,
		 0, r->commit, 0, (long long)r->received);
	if (crypto_hmac_hex(mac, key.buf, key.len, msg.buf, msg.len))
		goto done;
	buf_setlen(mac, MAC_HEX);
	ret = 0;
done:
	buf_release(&key);
	buf_release(&msg);
	return ret;
}

int receipt_make(struct buf *out, struct receipt *r)
{
	struct buf mac = BUF_INIT;

	if (compute_mac(r, &mac))
		return -1;
	snprintf(r->mac, sizeof(r->mac), "%s", mac.buf);
	buf_addf(out, RECEIPT_TAG " %s/%s %s %s ", r->course, r->name, r->login, r->commit);
	time_format_iso(out, r->received);
	buf_addf(out, " %s", r->mac);
	buf_release(&mac);
	return 0;
}

static int is_hex(const char *s, size_t min, size_t max)
{
	size_t n = strspn(s, "0123456789abcdef");

	return !s[n] && n >= min && n <= max;
}

/* Copy the next space-separated word of *p into out (of size n); 0 or -1. */
static int word(const char **p, char *out, size_t n)
{
	const char *s = *p + strspn(*p, " \t");
	size_t len = strcspn(s, " \t\r\n");

	if (!len || len >= n)
		return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	*p = s + len;
	return 0;
}

int receipt_parse(const char *line, struct receipt *r, const char **why)
{
	char tag[16], where[140], when[40];
	const char *p = line, *slash;

	memset(r, 0, sizeof(*r));
	*why = "expected 'lb1 COURSE/NAME LOGIN COMMIT TIME MAC'";
	p += strspn(p, " \t");
	if (!strncmp(p, "remote:", 7))
		p += 7;
	p += strspn(p, " \t");
	if (!strncmp(p, "receipt:", 8))
		p += 8;
	if (word(&p, tag, sizeof(tag)) || strcmp(tag, RECEIPT_TAG) ||
	    word(&p, where, sizeof(where)) || word(&p, r->login, sizeof(r->login)) ||
	    word(&p, r->commit, sizeof(r->commit)) || word(&p, when, sizeof(when)) ||
	    word(&p, r->mac, sizeof(r->mac)))
		return -1;
	if (p[strspn(p, " \t\r\n")]) {
		*why = "unexpected text after the receipt's MAC";
		return -1;
	}
	slash = strchr(where, '/');
	if (!slash || (size_t)(slash - where) >= sizeof(r->course)) {
		*why = "the second field must be COURSE/NAME";
		return -1;
	}
	memcpy(r->course, where, (size_t)(slash - where));
	r->course[slash - where] = '\0';
	snprintf(r->name, sizeof(r->name), "%s", slash + 1);
	if (name_valid(r->course) || name_valid(r->name) || name_valid(r->login)) {
		*why = "course, assignment or login is not a valid name";
		return -1;
	}
	if (!is_hex(r->commit, 40, 64)) {
		*why = "the commit must be 40 (or 64) lowercase hex digits";
		return -1;
	}
	if (time_parse(when, &r->received)) {
		*why = "the receive time must look like 2026-11-30T21:05:03Z";
		return -1;
	}
	if (!is_hex(r->mac, MAC_HEX, MAC_HEX)) {
		*why = "the MAC must be 32 lowercase hex digits";
		return -1;
	}
	return 0;
}

int receipt_check(const struct receipt *r)
{
	struct buf mac = BUF_INIT;
	int ok;

	if (compute_mac(r, &mac))
		return -1;
	ok = crypto_equal(mac.buf, mac.len, r->mac, strlen(r->mac));
	buf_release(&mac);
	return ok;
}
