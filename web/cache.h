/* cache.h: finished pages kept per server thread until the database changes. */
#ifndef WEB_CACHE_H
#define WEB_CACHE_H

#include <stddef.h>
#include <stdint.h>

struct MHD_Response;

/*
 * A page whose content depends only on its viewer, its URL and the
 * database (a student's pages: the secret is in the URL; a teacher's: the
 * viewer is in the key) can be kept and served again until any write to
 * the database, which PRAGMA data_version reveals. Each thread has its own
 * cache; nothing is shared or locked.
 *
 * A page may be kept in two forms: as it is, and gzip-compressed (once,
 * when it is kept, not on every request that takes gzip).
 *
 * cache_check() drops the thread's pages when data_version moved on; then
 * cache_get() returns a kept 200 response for key, the gzip form if gzip
 * is set and there is one (borrowed: queue it, do not destroy it), or
 * NULL; cache_put() keeps resp and gzip (NULL for none) for key, size
 * bytes in all, taking over the caller's references.
 */
void cache_check(int64_t data_version);
struct MHD_Response *cache_get(const char *key, int gzip);
void cache_put(const char *key, struct MHD_Response *resp, struct MHD_Response *gzip, size_t size);
/* Pages served from a kept copy, and pages kept, by every thread since the start. */
void cache_stats(uint64_t *hits, uint64_t *kept);
/* Drop the calling thread's pages (when the cache is full). */
void cache_clear(void);
/* Drop them and the cache itself, at thread exit. */
void cache_free(void);

#endif
