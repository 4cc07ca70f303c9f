/* receipt.h: the signed line a push prints, which a student can show in a dispute. */
#ifndef HOOKS_RECEIPT_H
#define HOOKS_RECEIPT_H

#include <stdint.h>

struct buf;

/*
 * A receipt says "the server received COMMIT from LOGIN for COURSE/NAME at
 * TIME". As a line:
 *   lb1 COURSE/NAME LOGIN COMMIT 2026-11-30T21:05:03Z MAC
 * MAC is the first 32 hex digits of HMAC-SHA-256(server key, every field),
 * so only this server can issue one and changing any character breaks it.
 */
struct receipt {
	char course[65], name[65], login[65];
	char commit[65];
	int64_t received;
	char mac[65];
};

/* Append the receipt line for r (r->mac is ignored and filled in); 0 or -1 (reported). */
int receipt_make(struct buf *out, struct receipt *r);
/*
 * Parse a line as printed (a leading "remote:" and "receipt:" are skipped).
 * Returns 0, or -1 with *why set to a static reason (nothing printed).
 */
int receipt_parse(const char *line, struct receipt *r, const char **why);
/* 1 if r's MAC is the server's, 0 if not, -1 if the server key is unreadable (reported). */
int receipt_check(const struct receipt *r);

#endif
