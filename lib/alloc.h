/*
 * alloc.h: memory that is always there (git's wrapper.h). Every allocation
 * in Lifebelt goes through these: running out of memory is fatal, reported
 * by die() (which itself allocates nothing), never a NULL to check.
 */
#ifndef LIB_ALLOC_H
#define LIB_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
/* Zeroed; nmemb * size is checked for overflow. */
void *xcalloc(size_t nmemb, size_t size);
/* nmemb * size is checked for overflow; ptr may be NULL. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* git's growth rule: half as much again, plus some. */
#define alloc_nr(x) (((x) + 16) * 3 / 2)

/*
 * Make room in the array x for nr elements, alloc being its capacity
 * (git's ALLOC_GROW): x, nr and alloc are lvalues; x starts NULL with
 * alloc 0. Free x with free().
 */
#define ALLOC_GROW(x, nr, alloc) \
	do { \
		if ((size_t)(nr) > (size_t)(alloc)) { \
			if (alloc_nr(alloc) < (nr)) \
				(alloc) = (nr); \
			else \
				(alloc) = alloc_nr(alloc); \
			(x) = xreallocarray((x), (alloc), sizeof(*(x))); \
		} \
	} while (0)

#endif
