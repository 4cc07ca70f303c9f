/* fuzz-sshkey.c: an SSH public key line, as a roster or `key add` gives it (lib/sshkey.c). */
#include <stdlib.h>

#include "fuzz.h"
#include "../../lib/sshkey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = fuzz_string(data, size);
	struct sshkey k;
	const char *why;

	if (!sshkey_parse(&k, line, &why))
		sshkey_release(&k);
	free(line);
	return 0;
}
