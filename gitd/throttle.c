/* throttle.c: a small table of addresses with recent login failures. */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "throttle.h"
#include "../lib/banned.h"

#define SLOTS 512

static struct slot {
	char addr[64];
	int failures;
	int64_t last_ms, next_ms;
} slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

int64_t throttle_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The slot of addr, or NULL; with take, the slot to reuse (free or least recent). */
static struct slot *find(const char *addr, int64_t now_ms, int take)
{
	struct slot *s, *victim = &slots[0];

	for (s = slots; s < slots + SLOTS; s++) {
		if (s->addr[0] && now_ms - s->last_ms > THROTTLE_FORGET_MS)
			s->addr[0] = '\0';
		if (s->addr[0] && !strcmp(s->addr, addr))
			return s;
		/* Prefer a free slot, else the one whose last failure is oldest. */
		if (!s->addr[0]) {
			if (victim->addr[0])
				victim = s;
		} else if (victim->addr[0] && s->last_ms < victim->last_ms) {
			victim = s;
		}
	}
	if (!take)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	if (strlen(addr) < sizeof(victim->addr))
		memcpy(victim->addr, addr, strlen(addr) + 1);
	return victim;
}

int throttle_may_try(const char *addr, int64_t now_ms)
{
	struct slot *s;
	int ok;

	pthread_mutex_lock(&lock);
	s = find(addr, now_ms, 0);
	ok = !s || s->failures < THROTTLE_FREE || now_ms >= s->next_ms;
	pthread_mutex_unlock(&lock);
	return ok;
}

void throttle_failed(const char *addr, int64_t now_ms)
{
	struct slot *s;

	pthread_mutex_lock(&lock);
	s = find(addr, now_ms, 1);
	s->failures++;
	s->last_ms = now_ms;
	if (s->failures >= THROTTLE_FREE) {
		int64_t wait = (int64_t)(s->failures - THROTTLE_FREE + 1) * THROTTLE_STEP_MS;

		s->next_ms = now_ms + (wait > THROTTLE_MAX_MS ? THROTTLE_MAX_MS : wait);
	}
	pthread_mutex_unlock(&lock);
}
