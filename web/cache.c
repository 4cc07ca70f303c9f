/* cache.c: per-thread kept pages, dropped as a whole when the database changes. */
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "cache.h"
#include "../lib/alloc.h"
#include "../lib/banned.h"

#define CACHE_SLOTS 1024                /* power of two; at most half are used */
#define CACHE_MAX_BYTES (32u << 20)     /* per thread */

struct slot {
	char *key;
	struct MHD_Response *resp;
	struct MHD_Response *gzip;      /* the same page gzip-compressed, or NULL */
};

struct cache {
	struct slot slot[CACHE_SLOTS];
	size_t used, bytes;
	int64_t version;
};

static __thread struct cache *cache;
/* Every thread's pages served again and pages kept, for /metrics. */
static uint64_t hits, kept;

static size_t hash(const char *s)
{
	size_t h = 14695981039346656037u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void drop(struct MHD_Response *resp, struct MHD_Response *gzip)
{
	MHD_destroy_response(resp);
	if (gzip)
		MHD_destroy_response(gzip);
}

void cache_clear(void)
{
	size_t i;

	if (!cache)
		return;
	for (i = 0; i < CACHE_SLOTS; i++) {
		if (!cache->slot[i].key)
			continue;
		free(cache->slot[i].key);
		drop(cache->slot[i].resp, cache->slot[i].gzip);
		cache->slot[i].key = NULL;
	}
	cache->used = cache->bytes = 0;
}

void cache_free(void)
{
	cache_clear();
	free(cache);
	cache = NULL;
}

void cache_check(int64_t data_version)
{
	if (!cache) {
		cache = xcalloc(1, sizeof(*cache));
		cache->version = data_version;
	}
	if (cache->version != data_version) {
		cache_clear();
		cache->version = data_version;
	}
}

static struct slot *find(const char *key)
{
	size_t i = hash(key) & (CACHE_SLOTS - 1);

	while (cache->slot[i].key && strcmp(cache->slot[i].key, key))
		i = (i + 1) & (CACHE_SLOTS - 1);
	return &cache->slot[i];
}

struct MHD_Response *cache_get(const char *key, int gzip)
{
	struct slot *s;

	if (!cache)
		return NULL;
	s = find(key);
	if (!s->key)
		return NULL;
	__atomic_add_fetch(&hits, 1, __ATOMIC_RELAXED);
	return gzip && s->gzip ? s->gzip : s->resp;
}

void cache_stats(uint64_t *hits_out, uint64_t *kept_out)
{
	*hits_out = __atomic_load_n(&hits, __ATOMIC_RELAXED);
	*kept_out = __atomic_load_n(&kept, __ATOMIC_RELAXED);
}

void cache_put(const char *key, struct MHD_Response *resp, struct MHD_Response *gzip, size_t size)
{
	struct slot *s;

	if (!cache || size > CACHE_MAX_BYTES / 8) {
		drop(resp, gzip);
		return;
	}
	if (cache->used >= CACHE_SLOTS / 2 || cache->bytes + size > CACHE_MAX_BYTES)
		cache_clear();
	s = find(key);
	if (s->key) {
		drop(resp, gzip);
		return;
	}
	s->key = xstrdup(key);
	s->resp = resp;
	s->gzip = gzip;
	cache->used++;
	cache->bytes += size;
	__atomic_add_fetch(&kept, 1, __ATOMIC_RELAXED);
}
