/* fuzz-receipt.c: a receipt line a student pastes into `lifebelt receipt verify` (hooks/receipt.c). */
#include <stdlib.h>

#include "fuzz.h"
#include "../../hooks/receipt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = fuzz_string(data, size);
	struct receipt r;
	const char *why;

	receipt_parse(line, &r, &why);
	free(line);
	return 0;
}
