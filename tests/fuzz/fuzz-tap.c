/* fuzz-tap.c: TAP output, as a test framework (or a student) prints it (runner/tap.c). */
#include "fuzz.h"
#include "../../runner/cases.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cases c = { 0 };

	c.max = 1000;
	cases_parse_tap(&c, (const char *)data, size);
	cases_release(&c);
	return 0;
}
