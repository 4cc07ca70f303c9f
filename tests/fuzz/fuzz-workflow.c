/* fuzz-workflow.c: GitHub Classroom's classroom.yml (runner/workflow.c, libyaml). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "../../lib/alloc.h"
#include "../../lib/buf.h"
#include "../../runner/spec.h"
#include "../../runner/workflow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spec s;
	struct buf warn = BUF_INIT;

	memset(&s, 0, sizeof(s));
	s.path = xstrdup("classroom.yml");
	workflow_parse(&s, (const char *)data, size, &warn);
	spec_release(&s);
	buf_release(&warn);
	return 0;
}
