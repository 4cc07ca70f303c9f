/* fuzz-junit.c: a JUnit XML report, as a test framework (or a student) writes it (runner/junit.c). */
#include "fuzz.h"
#include "../../runner/cases.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cases c = { 0 };

	c.max = 1000;
	cases_parse_junit(&c, (const char *)data, size);
	cases_release(&c);
	return 0;
}
