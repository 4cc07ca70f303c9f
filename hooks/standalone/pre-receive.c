/*
 * pre-receive.c: the pre-receive hook as a program of its own.
 *
 * git starts the hook in a fresh process for every push; like
 * lifebelt-post-receive, this program links only what the hook uses
 * (libgit2, and the rest statically; see the Makefile), not the web
 * server's libraries. `lifebelt init` points the hook at it
 * when it sits next to the lifebelt binary; the lifebelt binary itself
 * still runs the hook when called by that name.
 */
#include "../hook.h"
#include "../../lib/banned.h"

int main(void)
{
	return hook_enter(hook_pre_receive);
}
