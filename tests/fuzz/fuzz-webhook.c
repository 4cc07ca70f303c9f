/* fuzz-webhook.c: a GitHub webhook delivery's payload, once its signature holds (gitd/github-hook.c). */
#include "fuzz.h"
#include "../../gitd/github.h"
#include "../../lib/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct github_payload p;
	struct buf why = BUF_INIT;

	if (!github_payload_read((const char *)data, size, &p, &why)) {
		if (p.name)
			github_repo_name_ok(p.name);
		github_payload_push(&p, &why);
	}
	github_payload_release(&p);
	buf_release(&why);
	return 0;
}
