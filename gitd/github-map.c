/* github-map.c: the rules of an assignment's --github pattern (see github.h). */
#include <string.h>

#include "github.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/banned.h"

#define PATTERN_LOGIN "{github}"
#define GITHUB_LOGIN_MAX 39     /* GitHub's longest user name */

int github_pattern_check(const char *pattern)
{
	const char *slash = strchr(pattern, '/'), *at = strstr(pattern, PATTERN_LOGIN);
	struct buf shortest = BUF_INIT, longest = BUF_INIT;
	int ok;

	if (!slash)
		return error("--github '%s' is not ORG/PATTERN: give the organisation and the "
			     "repositories' names, e.g. my-org/hw1-{github}", pattern);
	if (!at || at < slash || strstr(at + 1, PATTERN_LOGIN))
		return error("--github '%s' must have {github} once, in the repository's name "
			     "(e.g. my-org/hw1-{github}): it becomes each student's GitHub login",
			     pattern);
	/* The shortest and the longest login must both give names GitHub allows. */
	buf_add(&shortest, pattern, (size_t)(at - pattern));
	buf_add(&longest, pattern, (size_t)(at - pattern));
	buf_addch(&shortest, 'a');
	while (longest.len < (size_t)(at - pattern) + GITHUB_LOGIN_MAX)
		buf_addch(&longest, 'a');
	buf_adds(&shortest, at + strlen(PATTERN_LOGIN));
	buf_adds(&longest, at + strlen(PATTERN_LOGIN));
	ok = github_repo_name_ok(shortest.buf) && github_repo_name_ok(longest.buf);
	buf_release(&shortest);
	buf_release(&longest);
	if (!ok)
		return error("--github '%s' gives names GitHub does not allow: ORG/NAME of letters, "
			     "digits, '-', '_' and '.', a name of at most 100 with a 39-letter login",
			     pattern);
	return 0;
}
