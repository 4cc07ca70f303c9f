/*
 * github.h: students' GitHub repositories, mirrored in by webhook and
 * graded like a direct push, the verdict reported back as a commit status.
 *
 *   github-secret.c   the credentials, kept in $LIFEBELT_HOME/github/ (0600)
 *   github-hook.c     POST /hooks/github in `lifebelt serve`: verify, record the
 *                     delivery, answer at once, hand the fetch to the mirror
 *   github-mirror.c   libgit2 fetch of a mapped repository into the student's
 *                     bare repository, and the submissions it brings
 *   github-api.c      GitHub's REST API (libcurl): App tokens, commit statuses
 *   github-status.c   the reporter thread of `lifebelt serve`: each mirrored
 *                     submission's verdict as a commit status on GitHub
 *
 * A student's repository is mapped to one on GitHub by repos.github_repo
 * ("owner/name"); Lifebelt fetches only from the repository a mapping
 * names, never from a URL a payload carries.
 */
#ifndef GITD_GITHUB_H
#define GITD_GITHUB_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/codes.h"

struct buf;
struct db;

/* The credentials, by file name under $LIFEBELT_HOME/github/. */
#define GITHUB_SECRET_WEBHOOK "webhook-secret"  /* the webhook's shared secret */
#define GITHUB_SECRET_TOKEN "token"             /* a fine-grained personal access token */
#define GITHUB_SECRET_APP_KEY "app-key.pem"     /* a GitHub App's private key (PEM) */
#define GITHUB_SECRET_APP_ID "app-id"           /* the App's ID, kept beside its key */
#define GITHUB_SECRET_MAX 65536

/*
 * Keep data as the secret name: written whole or not at all, mode 0600 in
 * a directory of mode 0700. 0 or -1 (reported, without the secret).
 */
int github_secret_write(const char *name, const void *data, size_t len);

/* Append the secret name to out; 0, -1 (reported), or GITHUB_ENOSECRET when it is not set. */
int github_secret_read(const char *name, struct buf *out);

/*
 * For `lifebelt github secret|token|app ...`: read a secret from file, or
 * from stdin when file is "-" (never from the command line, where `ps`
 * shows it); one trailing newline is dropped. An empty secret, one larger
 * than GITHUB_SECRET_MAX or one with a NUL byte is refused with one line
 * naming what to do. 0 or -1.
 */
int github_secret_load(const char *file, const char *what, struct buf *out);

/*
 * The webhook and the mirror meet in the deliveries table (schema 3): the
 * webhook records a delivery as 'queued' and calls github_wake(); the
 * mirror's thread waits in github_wait() between looks at the queue.
 */
void github_wake(void);
/* Wait until github_wake() or ms pass; 1 if woken (the wake-ups are used up), 0 if not. */
int github_wait(int ms);

/* "owner/name" as GitHub allows it (letters, digits, '-', '_', '.'; not "." or ".."); 1 or 0. */
int github_repo_name_ok(const char *full_name);

/* ---- GitHub's REST API (github-api.c) ---- */

#define GITHUB_API_DEFAULT "https://api.github.com"
#define GITHUB_API_MAX_REPLY (1 << 20)  /* bytes of a reply read at most */
#define GITHUB_API_SECONDS 30           /* a request's whole time, connecting included */
/* An App's installation token is used until this many seconds before it expires. */
#define GITHUB_TOKEN_MARGIN 300

/* Append data in base64url without padding (RFC 7515's encoding of a JWT). */
void github_base64url(struct buf *out, const void *data, size_t len);

/*
 * The JSON Web Token a GitHub App authenticates with: RS256 over the
 * header {"alg":"RS256","typ":"JWT"} and the claims iat = now - 60 (for
 * clocks a little apart), exp = now + 540, iss = app_id. pem is the App's
 * private key. 0, or -1 with why (never the key) appended.
 */
int github_jwt(struct buf *out, const char *app_id, const char *pem, size_t pem_len, int64_t now,
	       struct buf *why);

/* 0 if pem is an RSA private key in PEM (as GitHub gives an App's), else -1 and why. */
int github_app_key_check(const char *pem, size_t pem_len, struct buf *why);

/*
 * The token to reach the GitHub repository full_name ("owner/name") with,
 * appended to token: the App's installation token when an App is set
 * (cached in memory per installation until GITHUB_TOKEN_MARGIN seconds
 * before it expires), else the fine-grained token. 0, GITHUB_ENOSECRET
 * when neither is set, or -1; why gets one line either way. The API's
 * address is the setting github.api_url.
 */
int github_token_for(const char *full_name, struct buf *token, struct buf *why);
/* The same, against the API at api ("https://api.github.com"). */
int github_token_at(const char *api, const char *full_name, struct buf *token, struct buf *why);
/* Drop the cached token of full_name's installation (GitHub refused it). */
void github_token_forget(const char *full_name);

/*
 * POST api/repos/full_name/statuses/sha with context "lifebelt".
 * description is cut to GitHub's 140 characters. 0, or -1 with why and
 * the HTTP status in *http (0 when no answer came).
 */
int github_status_post(const char *api, const char *full_name, const char *sha,
		       const char *state, const char *description, const char *target_url,
		       long *http, struct buf *why);

/* ---- the reporter (github-status.c) ---- */

/* Backoff of a failed status: 10 s, doubling, at most an hour; given up after this many tries. */
#define GITHUB_STATUS_RETRY_FIRST 10
#define GITHUB_STATUS_RETRY_MAX 3600
#define GITHUB_STATUS_MAX_ATTEMPTS 40

/* Seconds before the attempts-th retry. */
int64_t github_status_backoff(int attempts);

/*
 * For `lifebelt serve`: a thread with its own connection that sends the
 * commit statuses due (see db/statuses.h), looking every second. It never
 * holds up grading: the runner does not wait for it. 0, or -1 (reported).
 */
int github_status_start(void);
/* Stop the thread (a request in flight ends within GITHUB_API_SECONDS). */
void github_status_stop(void);

#endif
