/* t-throttle.c: guesses slow down their own (address, login) pair; owners and neighbours pass. */
#include "tap.h"
#include "../../lib/throttle.h"
#include "../../lib/banned.h"

#define WRONG "lbt_0000000000000000000000000000000000000000"
#define RIGHT "lbt_1111111111111111111111111111111111111111"

/* One request as the server makes it: ask, and if allowed, check and report. */
static int try_login(const char *addr, const char *login, const char *pass, int64_t now, int *retry)
{
	int code = throttle_ask(addr, login, pass, now, retry);

	if (code == THROTTLE_CHECK)
		throttle_result(addr, login, !strcmp(pass, RIGHT), now);
	return code;
}

/* n wrong guesses at now; how many were checked. */
static int guesses(const char *addr, const char *login, int n, int64_t now)
{
	int i, checked = 0, retry;

	for (i = 0; i < n; i++)
		checked += try_login(addr, login, WRONG, now, &retry) == THROTTLE_CHECK;
	return checked;
}

int main(void)
{
	int64_t t = 100000000, now;
	int retry, i, checked, longest;

	is_int(throttle_ask("192.0.2.1", "alice", NULL, t, &retry), THROTTLE_NOGUESS,
	       "no password is no guess");
	is_int(throttle_ask("192.0.2.1", "alice", "", t, &retry), THROTTLE_NOGUESS, "nor is an empty one");
	is_int(throttle_ask("192.0.2.1", "alice", "null", t, &retry), THROTTLE_NOGUESS,
	       "nor JGit's \"null\"");
	is_int(throttle_ask("192.0.2.1", "../x", WRONG, t, &retry), THROTTLE_NOGUESS,
	       "nor a login that cannot exist");
	is_int(throttle_ask("192.0.2.1", NULL, WRONG, t, &retry), THROTTLE_NOGUESS, "nor no login");
	for (i = 0; i < 1000; i++)
		throttle_ask("192.0.2.1", "alice", "null", t, &retry);
	is_int(guesses("192.0.2.1", "alice", THROTTLE_FREE, t), THROTTLE_FREE,
	       "after 1000 of those, the %d free guesses are all checked", THROTTLE_FREE);

	is_int(try_login("192.0.2.1", "alice", WRONG, t, &retry), THROTTLE_WAIT, "then the pair must wait");
	is_int(retry, THROTTLE_STEP_MS / 1000, "a step, and says so");
	is_int(try_login("192.0.2.1", "alice", RIGHT, t + THROTTLE_STEP_MS - 1, &retry), THROTTLE_WAIT,
	       "even the right token waits out the step: nothing is checked meanwhile");
	is_int(try_login("192.0.2.2", "alice", RIGHT, t, &retry), THROTTLE_CHECK,
	       "the owner from another address is checked at once");
	is_int(try_login("192.0.2.1", "bob", RIGHT, t, &retry), THROTTLE_CHECK,
	       "another login from the same address is checked at once");
	is_int(guesses("192.0.2.1", "alice", 1, t + THROTTLE_STEP_MS), 1, "after the step, one guess is checked");
	is_int(try_login("192.0.2.1", "alice", WRONG, t + 2 * THROTTLE_STEP_MS, &retry), THROTTLE_WAIT,
	       "and each failure waits a step longer");
	is_int(retry, 1, "(the rest of two steps)");
	is_int(try_login("192.0.2.1", "alice", RIGHT, t + 3 * THROTTLE_STEP_MS, &retry), THROTTLE_CHECK,
	       "once the wait is over, the owner's right token is checked ...");
	is_int(guesses("192.0.2.1", "alice", THROTTLE_FREE, t + 3 * THROTTLE_STEP_MS), THROTTLE_FREE,
	       "... and resets the pair");

	/* A long run of guesses: the wait grows to the cap and stays there. */
	for (i = 0, checked = 0; i < 200; i++)
		checked += guesses("192.0.2.3", "carol", 50, t + (int64_t)i * 1000);
	/* Free ones, then waits of 1, 2, 3 ... s: about 19 more fit into 200 s. */
	ok(checked <= THROTTLE_FREE + 20, "10,000 guesses in 200 s: only %d checked", checked);
	/* A patient guesser, asking again as soon as told. */
	for (i = 0, now = t + 200000, longest = 0; i < 100; i++)
		if (try_login("192.0.2.3", "carol", WRONG, now, &retry) != THROTTLE_CHECK) {
			longest = retry > longest ? retry : longest;
			now += retry * 1000;
		}
	is_int(longest, THROTTLE_MAX_MS / 1000, "the wait grows up to %d s", THROTTLE_MAX_MS / 1000);
	is_int(try_login("192.0.2.3", "carol", WRONG, now + THROTTLE_FORGET_MS + 1, &retry),
	       THROTTLE_CHECK, "a quiet pair is forgotten");

	/* Parallel guesses: each check counts until it reports, so a burst gets no extra free ones. */
	for (i = 0, checked = 0; i < 50; i++)
		checked += throttle_ask("192.0.2.4", "dave", WRONG, t, &retry) == THROTTLE_CHECK;
	is_int(checked, THROTTLE_FREE, "50 guesses at once: %d checked", THROTTLE_FREE);
	for (i = 0; i < checked; i++)
		throttle_result("192.0.2.4", "dave", 0, t);

	/* One address trying many logins meets the address's cap ... */
	is_int(try_login("198.51.100.7", "erin", RIGHT, t, &retry), THROTTLE_CHECK, "erin signs in");
	for (i = 0, checked = 0; i < THROTTLE_ADDR_FREE + 50; i++) {
		char login[32];

		snprintf(login, sizeof(login), "user%d", i);
		checked += guesses("198.51.100.7", login, 1, t);
	}
	is_int(checked, THROTTLE_ADDR_FREE, "one address: %d failures over all logins are free",
	       THROTTLE_ADDR_FREE);
	is_int(try_login("198.51.100.7", "frank", RIGHT, t, &retry), THROTTLE_WAIT_ADDR,
	       "then a login new to it waits too");
	is_int(try_login("198.51.100.7", "erin", RIGHT, t, &retry), THROTTLE_CHECK,
	       "... but one who signed in from it before passes");
	is_int(try_login("198.51.100.8", "frank", RIGHT, t, &retry), THROTTLE_CHECK,
	       "and other addresses are not affected");

	/* IPv6: one host's /64 is one address. */
	is_int(guesses("2001:db8:1:2::1", "hana", THROTTLE_FREE, t), THROTTLE_FREE, "IPv6: the free guesses");
	is_int(try_login("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "hana", WRONG, t, &retry), THROTTLE_WAIT,
	       "another address of the same /64 waits too");
	is_int(try_login("2001:db8:1:3::1", "hana", RIGHT, t, &retry), THROTTLE_CHECK,
	       "another /64 does not");
	is_int(guesses("::ffff:192.0.2.9", "hana", THROTTLE_FREE, t), THROTTLE_FREE,
	       "IPv4 written as IPv6: the free guesses");
	is_int(try_login("::ffff:192.0.2.10", "hana", RIGHT, t, &retry), THROTTLE_CHECK,
	       "and each such address is one of its own");

	/* Many pairs: the table stays bounded and keeps working. */
	for (i = 0; i < 20000; i++) {
		char addr[32];

		snprintf(addr, sizeof(addr), "10.%d.%d.%d", i / 65536, i / 256 % 256, i % 256);
		guesses(addr, "gina", 1, t);
	}
	is_int(try_login("10.0.7.207", "gina", RIGHT, t, &retry), THROTTLE_CHECK,
	       "20,000 addresses later: still checked");
	return done_testing();
}
