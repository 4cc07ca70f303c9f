/*
 * post-receive.c: the post-receive hook as a program of its own.
 *
 * git starts the hook in a fresh process for every push. The lifebelt
 * binary links libgit2, libmicrohttpd and their ~30 libraries, and merely
 * loading them costs more than recording the push; this program links only
 * what the post-receive hook uses (statically, see the Makefile), so a
 * push pays for its own work only. `lifebelt init` points the hook at it
 * when it sits next to the lifebelt binary; the lifebelt binary itself
 * still runs the hook when called by that name.
 */
#include "../hook.h"
#include "../../lib/banned.h"

int main(void)
{
	return hook_enter(hook_post_receive);
}
