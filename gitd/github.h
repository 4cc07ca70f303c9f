/*
 * github.h: students' GitHub repositories, mirrored in by webhook and
 * graded like a direct push, the verdict reported back as a commit status.
 *
 *   github-secret.c   the credentials, kept in $LIFEBELT_HOME/github/ (0600)
 *   github-hook.c     POST /hooks/github in `lifebelt serve`: verify, record the
 *                     delivery, answer at once, hand the fetch to the mirror
 *   github-map.c      the rules of an assignment's --github ORG/PATTERN
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

#include <microhttpd.h>

#include "../lib/codes.h"

struct buf;
struct db;

/* The credentials, by file name under $LIFEBELT_HOME/github/. */
#define GITHUB_SECRET_WEBHOOK "webhook-secret"  /* the webhook's shared secret */
#define GITHUB_SECRET_TOKEN "token"             /* a fine-grained personal access token */
#define GITHUB_SECRET_APP_KEY "app-key.pem"     /* a GitHub App's private key (PEM) */
#define GITHUB_SECRET_KNOWN_HOSTS "known_hosts" /* SSH host keys the mirror trusts */
#define GITHUB_SECRET_APP_ID "app-id"           /* the App's ID, kept beside its key */
#define GITHUB_SECRET_MAX 65536

/*
 * Keep data as the secret name: written whole or not at all, mode 0600 in
 * a directory of mode 0700. 0 or -1 (reported, without the secret).
 */
int github_secret_write(const char *name, const void *data, size_t len);

/* Overwrite a buffer that held a secret, then release it. */
void github_secret_release(struct buf *b);

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
/* Wake every thread in github_wait() (to stop them). */
void github_wake_all(void);
/* Wait until github_wake() or ms pass; 1 if woken (one wake-up is used up), 0 if not. */
int github_wait(int ms);

/* ---- the webhook (github-hook.c) ---- */

/* The route of `lifebelt serve` that GitHub posts to. */
#define GITHUB_HOOK_PATH "/hooks/github"

/*
 * What the webhook reads of a delivery's payload (the bytes GitHub signed;
 * the only parser of them, fuzzed by tests/fuzz/fuzz-webhook.c).
 */
struct github_payload {
	char *name;             /* repository.full_name, or NULL */
	char *default_branch;   /* repository.default_branch, or NULL */
	char *ref, *after;      /* a push's ref and the commit it moved to, or NULL */
	int deleted;
	int64_t pushed_at;      /* repository.pushed_at (seconds or ISO 8601); 0 when absent */
};
/* Parse body: 0, or -1 with why ("the body is not a JSON object (line N)"). Release p either way. */
int github_payload_read(const char *body, size_t len, struct github_payload *p, struct buf *why);
void github_payload_release(struct github_payload *p);
/* Why p's push is ignored (not a branch, a deletion, no commit), appended to why; NULL if none. */
const char *github_payload_push(const struct github_payload *p, struct buf *why);

/*
 * Is header (X-Hub-Signature-256: "sha256=" and 64 hex digits, in either
 * case) the HMAC-SHA256 of body under secret? Compared in constant time.
 * 1 or 0; a malformed header is 0.
 */
int github_signature_ok(const void *secret, size_t secret_len, const void *body, size_t len,
			const char *header);

/*
 * The MHD access handler of POST GITHUB_HOOK_PATH (MHD's arguments). In
 * order: no webhook secret is 503; a Content-Length over the
 * github.webhook_max_mb setting is 413 before the body is read (and so is
 * a body that grows past it); a missing or malformed X-Hub-Signature-256
 * is 401, X-GitHub-Event or X-GitHub-Delivery 400; then the signature over
 * the raw body (401, nothing stored) before the body is parsed. A ping is
 * 200; a push to a branch of a mapped repository is recorded 'queued' for
 * the mirror (github_wake()), 202; anything else is recorded 'ignored'
 * with the reason, 202; a delivery recorded before is 202 and nothing
 * more. Each answer is one line of text, and one line is logged. The
 * handler writes through a database handle of its own, one per server
 * thread. *state is this module's: free it with github_hook_completed().
 */
enum MHD_Result github_hook_handle(struct MHD_Connection *c, const char *method,
				   const char *upload, size_t *upload_size, void **state);
void github_hook_completed(void *state);

/*
 * Check an assignment's --github ORG/PATTERN ("my-org/hw1-{github}"):
 * {github} once, in the repository's name, and names GitHub allows for
 * every login it may become. 0, or -1 after one line saying what is wrong.
 */
int github_pattern_check(const char *pattern);

/* ---- the mirror (github-mirror.c) ---- */

/* The name a repository's SSH deploy key is kept under (a private key, 0600): appended to out. */
void github_deploy_key_name(struct buf *out, int64_t repo_id);


/*
 * Check a known-hosts file's text (lines "HOST[,HOST] TYPE KEY", as
 * `ssh-keyscan` prints them; hashed names and markers are refused) before
 * it is kept: 0, or -1 with one line in why naming the bad line.
 */
int github_known_hosts_check(const char *text, struct buf *why);

/*
 * Fetch the GitHub repository mapped to repository repo_id (repos.github_repo;
 * never a URL from a payload) into refs/github/heads/ of the student's bare
 * repository: over SSH from github.ssh_url with the repository's deploy key
 * when it has one (the server's key checked against the known hosts), else
 * over HTTPS from github.git_url with github_token_for(). Then the
 * assignment's branch moves to GitHub's tip (forced: a force-push on GitHub
 * is followed), every submission of the repository stays reachable under
 * refs/lifebelt/submissions/ID, and the tip is recorded by record_push() via
 * "webhook" at received (after the close: kept, not graded).
 *
 * 0 with why set to "COMMIT WHAT" (the 40 hex digits recorded, or "-" when
 * GitHub has no such branch, then what happened); -1 with why set to the
 * reason (never a secret). Nothing is recorded on failure.
 */
int github_mirror(struct db *db, int64_t repo_id, int64_t received, struct buf *why);

/*
 * Fetch the GitHub repository mirrored as the tests of assignment_id (see
 * `lifebelt github tests`) into its tests repository, and install the tip
 * of ref's branch as the tests if it is a valid spec (gitd/tests.h). 0
 * with why set as github_mirror() sets it, "COMMIT WHAT": installed, or
 * refused naming the file and the field; -1 with why when the fetch or
 * the server failed.
 */
int github_mirror_tests(struct db *db, int64_t assignment_id, const char *ref, struct buf *why);

/*
 * The same fetch for an imported history: the assignment's branch moves
 * to GitHub's tip and every commit comes along, but nothing is recorded
 * as a submission. 0 with why "COMMIT history mirrored, not graded" (or
 * "- ..." when GitHub has no such branch), or -1 with why.
 */
int github_mirror_history(struct db *db, int64_t repo_id, struct buf *why);

#define GITHUB_OID_HEX 40

/*
 * Fetch the GitHub repository full_name (HTTPS with github_token_for(), as
 * the mirror does) into a new bare repository at scratch, and write the
 * tree of its branch's tip into the existing empty directory dir (byte for
 * byte, as the runner checks out; the push caps on files and size hold).
 * 0 with the tip's 40 hex digits in commit, or -1 with why. The caller
 * removes scratch.
 */
int github_fetch_tree(struct db *db, const char *full_name, const char *branch,
		      const char *scratch, const char *dir, char commit[GITHUB_OID_HEX + 1],
		      struct buf *why);
/* Split a successful github_mirror()'s why: the commit into commit ("" if none), what happened returned. */
const char *github_mirrored(const struct buf *why, char commit[GITHUB_OID_HEX + 1]);

/*
 * Retries of what GitHub did not take (a fetch, a commit status): after
 * 10 s, doubling up to an hour. A fetch is given up ('failed') a day after
 * its arrival.
 */
#define GITHUB_RETRY_FIRST 10
#define GITHUB_RETRY_MAX 3600
#define GITHUB_GIVE_UP TIME_DAY
/* Seconds before the next try of something whose attempts (1 or more) failed. */
int64_t github_retry_delay(int attempts);
/* A claimed delivery is due again after this many seconds, should its fetch never end. */
#define GITHUB_MIRROR_LEASE 600
/* The mirror looks at the queue at least this often, ms (`github sync` and other processes write it too). */
#define GITHUB_MIRROR_LOOK_MS 2000

/*
 * Take the oldest due delivery, fetch and record it, and mark it 'done', or
 * 'retry' with backoff, or 'failed' (see above) with the reason. 1 when one
 * was taken, 0 when none is due, or a database error (the delivery, if
 * taken, falls due again after GITHUB_MIRROR_LEASE).
 */
int github_mirror_next(struct db *db);

/*
 * The mirror's threads in `lifebelt serve` (the setting github.mirror_threads,
 * at most GITHUB_MIRROR_THREADS_MAX), each with its own connection, waiting in
 * github_wait() between looks. Deliveries of one repository are fetched one
 * after the other, never at once.
 */
#define GITHUB_MIRROR_THREADS_MAX 16
int github_mirror_start(void);
/* Stop it (a fetch under way is cut short and retried later) and wait for it. */
void github_mirror_stop(void);

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

/* A failed status is tried again after github_retry_delay(); given up after this many tries. */
#define GITHUB_STATUS_MAX_ATTEMPTS 40

/*
 * For `lifebelt serve`: a thread with its own connection that sends the
 * commit statuses due (see db/statuses.h), looking every second. It never
 * holds up grading: the runner does not wait for it. 0, or -1 (reported).
 */
int github_status_start(void);
/* Stop the thread (a request in flight ends within GITHUB_API_SECONDS). */
void github_status_stop(void);

#endif
