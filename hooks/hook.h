/* hook.h: git's server-side hooks, entered when the binary runs as hooks/NAME. */
#ifndef HOOKS_HOOK_H
#define HOOKS_HOOK_H

/* Is name (the basename of argv[0]) one of Lifebelt's hooks? */
int hook_is_hook(const char *name);
/* Run hook name with git's arguments; returns the process exit code. */
int hook_main(const char *name, int argc, const char **argv);

#endif
