/* alloc.c: allocations that die rather than return NULL. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "log.h"
#include "banned.h"

static void *checked(void *p, size_t size)
{
	if (!p && size)
		die("out of memory (%zu bytes)", size);
	return p;
}

void *xmalloc(size_t size)
{
	return checked(malloc(size ? size : 1), size ? size : 1);
}

void *xcalloc(size_t nmemb, size_t size)
{
	if (!nmemb || !size)
		nmemb = size = 1;
	return checked(calloc(nmemb, size), nmemb * size);
}

void *xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (!nmemb || !size)
		nmemb = size = 1;
	if (nmemb > (size_t)-1 / size)
		die("allocation size overflow (%zu x %zu)", nmemb, size);
	return checked(realloc(ptr, nmemb * size), nmemb * size);
}

char *xstrdup(const char *s)
{
	return checked(strdup(s), strlen(s) + 1);
}

char *xstrndup(const char *s, size_t n)
{
	return checked(strndup(s, n), n + 1);
}
