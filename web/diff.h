/* diff.h: the changes between two commits as HTML, within a budget, computed once per pair. */
#ifndef WEB_DIFF_H
#define WEB_DIFF_H

#include <git2.h>

struct buf;

#include "../lib/codes.h"     /* diff_html()'s answers besides 0 and -1: DIFF_NOTFOUND, DIFF_BUSY */

/* How long a client asked to retry should wait, in seconds. */
#define DIFF_RETRY_SECONDS 2

/*
 * Append the changes from commit `from` to commit `to` (hex ids) of repo
 * to out: a <pre class="diff"> and notes
 * for what is not shown. Files too large, past the page's byte budget or
 * past its time budget are named with their sizes, not diffed.
 *
 * The result is kept in a cache that every server thread shares (a pair of
 * commits always has the same changes), so each pair is computed once. Only
 * one computation runs at a time, so diffs never hold more than one of the
 * server's threads: while one runs, any other request that would need one
 * gets DIFF_BUSY (answer 503 with Retry-After).
 */
int diff_html(struct buf *out, git_repository *repo, const char *from, const char *to);

/* Drop the cache (at exit, so that leak checkers see nothing). */
void diff_cache_free(void);

#endif
