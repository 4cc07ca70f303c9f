/*
 * github.h: students' GitHub repositories, mirrored in by webhook and
 * graded like a direct push, the verdict reported back as a commit status.
 *
 *   github-secret.c   the credentials, kept in $LIFEBELT_HOME/github/ (0600)
 *   github-hook.c     POST /hooks/github in `lifebelt serve`: verify, record the
 *                     delivery, answer at once, hand the fetch to the mirror
 *   github-mirror.c   libgit2 fetch of a mapped repository into the student's
 *                     bare repository, and the submissions it brings
 *   github-api.c      GitHub's REST API: App tokens, commit statuses
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

#endif
