/* secret.h: personal tokens and the links derived from the server key. */
#ifndef LIB_SECRET_H
#define LIB_SECRET_H

#include <stdint.h>

struct buf;

/* Append a fresh token ("lbt_" + 40 hex digits) to out; 0 or -1. */
int secret_new_token(struct buf *out);
/*
 * 1 if s has the form of a token, so that it could be one; 0 if it can be
 * nobody's (no password, JGit's "null", a typo), which is no guess at all.
 */
int secret_token_shaped(const char *s);
/* Append the stored form of a token: hex SHA-256. */
void secret_hash(struct buf *out, const char *token);
/*
 * Append the key of a person's web link: HMAC(server key, "web" login gen),
 * 32 hex digits. It changes when `lifebelt token` bumps gen, so a leaked
 * link dies with the old token; nothing secret is stored in the database.
 */
int secret_web_key(struct buf *out, const char *login, int64_t gen);

#endif
