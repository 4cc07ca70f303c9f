/* fuzz-accept-encoding.c: a request's Accept-Encoding header, as the web's pages read it (web/gzip.c). */
#include <stdlib.h>

#include "fuzz.h"
#include "../../web/gzip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *value = fuzz_string(data, size);

	gzip_accepted(value);
	free(value);
	return 0;
}
