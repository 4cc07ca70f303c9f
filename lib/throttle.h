/* throttle.h: slowing down token guessing, per address and login, without locking out the owner. */
#ifndef LIB_THROTTLE_H
#define LIB_THROTTLE_H

#include <stdint.h>

struct buf;

/*
 * The policy, for git over HTTP and the web's /login alike:
 *
 * - Only a guess counts: a well-formed login with a password shaped like a
 *   token. No password, an empty one, or JGit's "null" can never be right;
 *   such a request is refused at once and counts for nothing.
 * - Failures count per (address, login) pair: the first THROTTLE_FREE are
 *   free; then each one makes the pair wait THROTTLE_STEP_MS longer, up to
 *   THROTTLE_MAX_MS, before its next credential is checked. While it waits,
 *   nothing is checked, so asking more often does not guess faster.
 * - A success resets its pair, and is remembered: such a pair passes the
 *   address's wait below.
 * - An address has a looser cap of its own, THROTTLE_ADDR_FREE failures over
 *   all logins, for one client trying many logins; a NAT with hundreds of
 *   students stays far below it, and its students who signed in before
 *   pass anyway.
 * - An IPv6 address counts as its /64, which a single host may fill.
 * - A pair or address with no failure for THROTTLE_FORGET_MS starts afresh.
 */
#define THROTTLE_FREE 10
#define THROTTLE_ADDR_FREE 300
#define THROTTLE_STEP_MS 1000
#define THROTTLE_MAX_MS 30000
#define THROTTLE_FORGET_MS (15 * 60 * 1000)
/* How long a success lets its pair pass the address's wait. */
#define THROTTLE_GOOD_MS (12 * 3600 * 1000)

/* What throttle_ask() allows. */
#define THROTTLE_CHECK 0        /* check the credential, then call throttle_result() */
#define THROTTLE_NOGUESS 1      /* it cannot be right: refuse it unchecked; nothing counted */
#define THROTTLE_WAIT 2         /* refuse it unchecked (429) and say to retry in *retry_s: */
#define THROTTLE_WAIT_ADDR 3    /* the same, for the address's failures over all logins */

/*
 * May the credential (login, password) sent from addr be checked at now_ms (a
 * monotonic clock)? THROTTLE_CHECK reserves the pair's (and the address's)
 * next check: a request at the same moment waits for its result, or for a
 * step if none comes. On a wait, *retry_s is the whole seconds to wait
 * (at least 1). Thread-safe; the tables are bounded.
 */
int throttle_ask(const char *addr, const char *login, const char *password, int64_t now_ms,
		 int *retry_s);
/*
 * Append the one line that tells a client refused with code (THROTTLE_WAIT
 * or THROTTLE_WAIT_ADDR) for login why, and when to try again.
 */
void throttle_message(struct buf *out, int code, const char *login, int retry_s);
/* Report the check that throttle_ask() allowed: ok is 1 for a right credential. */
void throttle_result(const char *addr, const char *login, int ok, int64_t now_ms);
/* The monotonic clock in milliseconds. */
int64_t throttle_now_ms(void);

#endif
