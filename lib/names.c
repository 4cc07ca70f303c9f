/* names.c: validation of names that become paths, URLs and shell words. */
#include <string.h>

#include "log.h"
#include "names.h"
#include "banned.h"

#define NAME_MAX_LEN 64

int name_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n > NAME_MAX_LEN)
		return -1;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return -1;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return -1;
	}
	if (strstr(s, "..") || s[n - 1] == '.')
		return -1;
	if (n >= 4 && !strcmp(s + n - 4, ".git"))
		return -1;
	return 0;
}

int name_check(const char *what, const char *s)
{
	if (!name_valid(s))
		return 0;
	return error("%s '%s' is not valid: use 1-64 lowercase letters, digits, '.', '_' or '-', "
		     "starting with a letter or digit", what, s);
}

int name_login_reserved(const char *s)
{
	return !strcmp(s, NAME_TESTS_REPO);
}

int github_name_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n > 39 || s[0] == '-' || s[n - 1] == '-' || strstr(s, "--"))
		return -1;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-'))
			return -1;
	}
	return 0;
}
