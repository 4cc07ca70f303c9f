/* fuzz-ssh-command.c: SSH_ORIGINAL_COMMAND, what an SSH client asks the forced command to run (gitd/shell.c). */
#include <stdlib.h>

#include "fuzz.h"
#include "../../gitd/shell.h"
#include "../../lib/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cmd = fuzz_string(data, size);
	struct buf path = BUF_INIT;
	const char *why;
	int w;

	shell_parse(cmd, &w, &path, &why);
	buf_release(&path);
	free(cmd);
	return 0;
}
