/* hook.h: git's server-side hooks, entered when the binary runs as hooks/NAME. */
#ifndef HOOKS_HOOK_H
#define HOOKS_HOOK_H

#include "../db/model.h"

/* What every hook knows once it has found its repository. */
struct hook_ctx {
	struct db *db;
	struct repo_info repo;  /* the repository being pushed to, with its owner */
	const char *relpath;    /* COURSE/NAME/LOGIN.git */
	const char *via;        /* ssh, http or local (LIFEBELT_VIA) */
};

/* Is name (the basename of argv[0]) one of Lifebelt's hooks? */
int hook_is_hook(const char *name);
/* Run hook name with git's arguments; returns the process exit code. */
int hook_main(const char *name, int argc, const char **argv);
/* One line to the student's terminal (git shows it as "remote: ..."). */
void hook_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int hook_post_receive(struct hook_ctx *h);

#endif
