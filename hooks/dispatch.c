/* dispatch.c: which hook the lifebelt binary runs when git calls it by a hook's name. */
#include <string.h>

#include "hook.h"
#include "../lib/banned.h"

int hook_is_hook(const char *name)
{
	return !strcmp(name, "pre-receive") || !strcmp(name, "post-receive");
}

int hook_main(const char *name, int argc, const char **argv)
{
	(void)argc;
	(void)argv;
	if (hook_in_tests_repo())
		return hook_tests(!strcmp(name, "post-receive"));
	return hook_enter(strcmp(name, "post-receive") ? hook_pre_receive : hook_post_receive);
}
