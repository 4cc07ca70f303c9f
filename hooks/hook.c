/* hook.c: dispatch of git's server-side hooks to their implementations. */
#include <string.h>
#include <unistd.h>

#include "hook.h"
#include "../lib/buf.h"
#include "../lib/banned.h"

int hook_is_hook(const char *name)
{
	return !strcmp(name, "pre-receive") || !strcmp(name, "post-receive");
}

int hook_main(const char *name, int argc, const char **argv)
{
	struct buf in = BUF_INIT;

	(void)name;
	(void)argc;
	(void)argv;
	/* Read all ref updates so git never sees a broken pipe. */
	buf_read_fd(&in, 0);
	buf_release(&in);
	return 0;
}
