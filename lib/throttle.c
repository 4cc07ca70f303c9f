/* throttle.c: a bounded table of (address, login) pairs and addresses with recent login failures. */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "crypto.h"
#include "names.h"
#include "secret.h"
#include "throttle.h"
#include "banned.h"

#define BUCKETS 1024
#define WAYS 8
#define KEY_MAX 136     /* "ADDR\nLOGIN": an address (< 64 bytes), a login (<= 64) */

/* A pair "ADDR\nLOGIN", or an address "ADDR\n"; a free slot has an empty key. */
static struct slot {
	char key[KEY_MAX];
	int failures;           /* since the last success, counting a check still under way */
	int64_t last_fail_ms;
	int64_t next_ms;        /* no check before this, once failures reach the free ones */
	int64_t good_ms;        /* the pair's last success; 0 if none */
} table[BUCKETS][WAYS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static uint64_t seed;

int64_t throttle_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A secret seed, so that nobody can aim many keys at one bucket to evict a slot. */
static void seed_once(void)
{
	if (crypto_random(&seed, sizeof(seed)))
		seed = (uint64_t)throttle_now_ms() * 0x9e3779b97f4a7c15ull;
}

static struct slot *bucket(const char *key)
{
	uint64_t h = seed ^ 0xcbf29ce484222325ull;

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 0x100000001b3ull;
	h ^= h >> 29;
	return table[h % BUCKETS];
}

static int is_good(const struct slot *s, int64_t now_ms)
{
	return s->good_ms && now_ms - s->good_ms <= THROTTLE_GOOD_MS;
}

/* Forget old failures; free a slot that holds nothing worth keeping. */
static void age(struct slot *s, int64_t now_ms)
{
	if (!s->key[0])
		return;
	if (s->failures && now_ms - s->last_fail_ms > THROTTLE_FORGET_MS)
		s->failures = 0;
	if (!s->failures && !is_good(s, now_ms))
		s->key[0] = '\0';
}

static int64_t recent(const struct slot *s)
{
	if (!s->key[0])
		return INT64_MIN;
	return s->last_fail_ms > s->good_ms ? s->last_fail_ms : s->good_ms;
}

/* The slot of key, or NULL; with create, a fresh one in place of the least recent of its bucket. */
static struct slot *find(const char *key, int64_t now_ms, int create)
{
	struct slot *way = bucket(key), *s, *victim = way;

	for (s = way; s < way + WAYS; s++) {
		age(s, now_ms);
		if (s->key[0] && !strcmp(s->key, key))
			return s;
		if (recent(s) < recent(victim))
			victim = s;
	}
	if (!create)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	memcpy(victim->key, key, strlen(key) + 1);
	return victim;
}

/* When the next check may come after failures, free ones first; 0: at once. */
static int64_t next_check(int failures, int free_ones, int64_t now_ms)
{
	int64_t wait;

	if (failures < free_ones)
		return 0;
	wait = (int64_t)(failures - free_ones + 1) * THROTTLE_STEP_MS;
	return now_ms + (wait > THROTTLE_MAX_MS ? THROTTLE_MAX_MS : wait);
}

/*
 * The keys of the pair and of the address. An IPv6 address counts by its /64:
 * one host is given a whole /64 and may use any address in it. A longer
 * address is cut, which keeps it one key.
 */
static void keys(const char *addr, const char *login, char *pair, char *host)
{
	char net[INET6_ADDRSTRLEN];
	struct in6_addr a6;

	if (strchr(addr, ':') && inet_pton(AF_INET6, addr, &a6) == 1 && !IN6_IS_ADDR_V4MAPPED(&a6)) {
		memset(a6.s6_addr + 8, 0, 8);
		if (inet_ntop(AF_INET6, &a6, net, sizeof(net)))
			addr = net;     /* "2001:db8:1:2::": the /64 */
	}
	snprintf(pair, KEY_MAX, "%.63s\n%s", addr, login);
	snprintf(host, KEY_MAX, "%.63s\n", addr);
}

int throttle_ask(const char *addr, const char *login, const char *password, int64_t now_ms,
		 int *retry_s)
{
	char pair[KEY_MAX], host[KEY_MAX];
	struct slot *p, *a;
	int64_t until = 0;
	int code = THROTTLE_WAIT;

	*retry_s = 0;
	if (!login || name_valid(login) || !password || !secret_token_shaped(password))
		return THROTTLE_NOGUESS;
	keys(addr, login, pair, host);
	pthread_once(&once, seed_once);
	pthread_mutex_lock(&lock);
	a = find(host, now_ms, 0);
	p = find(pair, now_ms, 1);
	if (a == p)
		a = NULL;       /* the address's slot made room for the pair */
	if (p->failures >= THROTTLE_FREE && now_ms < p->next_ms)
		until = p->next_ms;
	if (a && !is_good(p, now_ms) && a->failures >= THROTTLE_ADDR_FREE && now_ms < a->next_ms &&
	    a->next_ms > until) {
		until = a->next_ms;
		code = THROTTLE_WAIT_ADDR;
	}
	if (!until) {
		/*
		 * Counted as a failure until it proves right: a burst of parallel
		 * guesses cannot all pass as free ones.
		 */
		p->failures++;
		p->last_fail_ms = now_ms;
		p->next_ms = next_check(p->failures, THROTTLE_FREE, now_ms);
		if (a && !is_good(p, now_ms) && a->failures >= THROTTLE_ADDR_FREE)
			a->next_ms = now_ms + THROTTLE_STEP_MS;
	}
	pthread_mutex_unlock(&lock);
	if (!until)
		return THROTTLE_CHECK;
	*retry_s = (int)((until - now_ms + 999) / 1000);
	return code;
}

void throttle_result(const char *addr, const char *login, int ok, int64_t now_ms)
{
	char pair[KEY_MAX], host[KEY_MAX];
	struct slot *s;

	keys(addr, login, pair, host);
	pthread_once(&once, seed_once);
	pthread_mutex_lock(&lock);
	s = find(pair, now_ms, 1);
	if (ok) {
		s->failures = 0;
		s->next_ms = 0;
		s->good_ms = now_ms;
		goto done;
	}
	if (!s->failures)
		s->failures = 1;        /* the slot was reused while its check ran */
	s->last_fail_ms = now_ms;
	s->next_ms = next_check(s->failures, THROTTLE_FREE, now_ms);
	/* The pair is done with: finding the address may reuse its slot. */
	s = find(host, now_ms, 1);
	s->failures++;
	s->last_fail_ms = now_ms;
	s->next_ms = next_check(s->failures, THROTTLE_ADDR_FREE, now_ms);
done:
	pthread_mutex_unlock(&lock);
}

void throttle_message(struct buf *out, int code, const char *login, int retry_s)
{
	if (code == THROTTLE_WAIT_ADDR)
		buf_adds(out, "too many failed sign-ins from your address");
	else
		buf_addf(out, "too many wrong tokens for %s from your address", login);
	buf_addf(out, ": wait %d s, then try again with the token from `lifebelt token`\n", retry_s);
}
