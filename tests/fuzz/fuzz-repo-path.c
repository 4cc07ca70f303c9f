/*
 * fuzz-repo-path.c: a repository path asked for over SSH or smart HTTP,
 * for a login (gitd/auth.c): the bytes before the first newline are the
 * login, the rest the path.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "../../gitd/auth.h"
#include "../../lib/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), *nl = strchr(s, '\n');
	struct buf out = BUF_INIT;

	if (nl)
		*nl++ = '\0';
	auth_canonical(s, nl ? nl : "", &out);
	buf_release(&out);
	free(s);
	return 0;
}
