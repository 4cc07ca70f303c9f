/*
 * giterr.h: libgit2's last error, reported once where a libgit2 call
 * failed, for the files that use libgit2. Inline rather than a lib/ object
 * of its own: every lib/ object is linked into the post-receive hook,
 * which does not link libgit2 (see the Makefile).
 */
#ifndef LIB_GITERR_H
#define LIB_GITERR_H

#include <git2.h>

#include "log.h"

/* The message of the last libgit2 error on this thread; never NULL. */
static inline const char *git_last_message(void)
{
	const git_error *e = git_error_last();

	return e && e->message && *e->message ? e->message : "unknown libgit2 error";
}

/* Report "what: libgit2's message" with error(); returns -1. */
static inline int git_fail(const char *what)
{
	return error("%s: %s", what, git_last_message());
}

#endif
