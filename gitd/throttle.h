/* throttle.h: slowing down repeated failed logins from one address. */
#ifndef GITD_THROTTLE_H
#define GITD_THROTTLE_H

#include <stdint.h>

/* Failures an address may make before it is slowed down. */
#define THROTTLE_FREE 10
/* After the free ones, each failure makes the address wait this much longer, up to the cap. */
#define THROTTLE_STEP_MS 1000
#define THROTTLE_MAX_MS 30000
/* An address with no failure for this long starts afresh. */
#define THROTTLE_FORGET_MS (15 * 60 * 1000)

/*
 * May addr have its credentials checked at now_ms (a monotonic clock)?
 * 1 if yes; 0 while it must wait (the caller answers as for a failure, and
 * checks nothing, so guessing gets no faster by asking more often).
 * Thread-safe; remembers a bounded number of addresses.
 */
int throttle_may_try(const char *addr, int64_t now_ms);
/* Record a failed login from addr at now_ms. */
void throttle_failed(const char *addr, int64_t now_ms);
/* The monotonic clock in milliseconds. */
int64_t throttle_now_ms(void);

#endif
