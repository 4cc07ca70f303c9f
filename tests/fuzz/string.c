/* string.c: fuzz_string for libFuzzer builds (corpus.c has its own). */
#include <string.h>

#include "fuzz.h"
#include "../../lib/alloc.h"

char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}
