/* t-throttle.c: failed logins from one address slow that address down, and only it. */
#include "tap.h"
#include "../../gitd/throttle.h"
#include "../../lib/banned.h"

int main(void)
{
	int64_t t = 1000000;
	int i, all = 1;

	for (i = 0; i < THROTTLE_FREE - 1; i++) {
		all &= throttle_may_try("192.0.2.1", t);
		throttle_failed("192.0.2.1", t);
	}
	ok(all, "the first %d failures are not slowed down", THROTTLE_FREE - 1);
	ok(throttle_may_try("192.0.2.1", t), "the %dth try is checked", THROTTLE_FREE);
	throttle_failed("192.0.2.1", t);
	ok(!throttle_may_try("192.0.2.1", t), "then the address must wait");
	ok(!throttle_may_try("192.0.2.1", t + THROTTLE_STEP_MS - 1), "for a whole step");
	ok(throttle_may_try("192.0.2.1", t + THROTTLE_STEP_MS), "and may try after it");
	ok(throttle_may_try("192.0.2.2", t), "another address is not affected");
	throttle_failed("192.0.2.1", t + THROTTLE_STEP_MS);
	ok(!throttle_may_try("192.0.2.1", t + 2 * THROTTLE_STEP_MS), "each failure waits longer");
	ok(throttle_may_try("192.0.2.1", t + 3 * THROTTLE_STEP_MS), "two steps after two slow failures");
	for (i = 0; i < 100; i++)
		throttle_failed("192.0.2.1", t + 3 * THROTTLE_STEP_MS);
	ok(!throttle_may_try("192.0.2.1", t + 3 * THROTTLE_STEP_MS + THROTTLE_MAX_MS - 1),
	   "the wait is capped ...");
	ok(throttle_may_try("192.0.2.1", t + 3 * THROTTLE_STEP_MS + THROTTLE_MAX_MS), "... at the maximum");
	ok(throttle_may_try("192.0.2.1", t + 3 * THROTTLE_STEP_MS + THROTTLE_FORGET_MS + 1),
	   "a quiet address is forgotten");
	throttle_failed("192.0.2.1", t + 3 * THROTTLE_STEP_MS + THROTTLE_FORGET_MS + 2);
	ok(throttle_may_try("192.0.2.1", t + 3 * THROTTLE_STEP_MS + THROTTLE_FORGET_MS + 2),
	   "and starts with free failures again");
	for (i = 0; i < 2000; i++) {
		char addr[32];

		snprintf(addr, sizeof(addr), "10.0.%d.%d", i / 256, i % 256);
		throttle_failed(addr, t);
	}
	ok(throttle_may_try("10.0.7.207", t), "many addresses: the table stays bounded");
	return done_testing();
}
