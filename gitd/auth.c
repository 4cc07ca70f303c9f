/* auth.c: canonical repository names and who may read or write them. */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "../db/access.h"
#include "../db/model.h"
#include "../lib/buf.h"
#include "../lib/names.h"
#include "../lib/banned.h"

const char auth_denied_message[] =
	"access denied: you may push to and fetch only your own repositories "
	"(COURSE/ASSIGNMENT) and your team's (COURSE/ASSIGNMENT/TEAM), and teachers "
	"fetch those of their courses";

const char auth_lfs_message[] =
	"Lifebelt does not store Git LFS files; commit the files themselves: "
	"git lfs migrate export --include=PATTERN (each PATTERN you gave "
	"git lfs track, as in .gitattributes), then push again";

#define AUTH_PATH_MAX 256

int auth_canonical(const char *login, const char *path, struct buf *out)
{
	char copy[AUTH_PATH_MAX + 1];
	char *part[4], *p, *slash;
	size_t n;
	int nr = 0;

	if (!login || name_valid(login) || !path)
		return AUTH_EDENIED;
	if (*path == '/')
		path++;
	n = strlen(path);
	if (!n || n > AUTH_PATH_MAX)
		return AUTH_EDENIED;
	memcpy(copy, path, n + 1);
	if (copy[n - 1] == '/')
		copy[--n] = '\0';
	if (n > 4 && !strcmp(copy + n - 4, ".git"))
		copy[n -= 4] = '\0';
	for (p = copy; nr < 4; p = slash + 1) {
		part[nr++] = p;
		slash = strchr(p, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
	if (nr < 2 || nr > 3)
		return AUTH_EDENIED;
	if (nr == 2)
		part[2] = (char *)login;
	for (nr = 0; nr < 3; nr++)
		if (name_valid(part[nr]))
			return AUTH_EDENIED;
	/* COURSE/NAME/tests is the tests repository, whatever login asks (see names.h). */
	if (part[2] != login && !strcmp(part[2], NAME_TESTS_REPO))
		buf_addf(out, "%s/%s/%s", part[0], part[1], AUTH_TESTS_REPO);
	else
		buf_addf(out, "%s/%s/%s.git", part[0], part[1], part[2]);
	return 0;
}

int auth_is_tests(const char *rel, char course[65], char name[65])
{
	const char *s1 = strchr(rel, '/'), *s2 = s1 ? strchr(s1 + 1, '/') : NULL;

	if (!s2 || strcmp(s2 + 1, AUTH_TESTS_REPO) || s1 - rel > 64 || s2 - s1 - 1 > 64)
		return 0;
	snprintf(course, 65, "%.*s", (int)(s1 - rel), rel);
	snprintf(name, 65, "%.*s", (int)(s2 - s1 - 1), s1 + 1);
	return !name_valid(course) && !name_valid(name);
}

int auth_repo(struct db *db, const char *login, const char *path, int want_write,
	      struct buf *canonical)
{
	struct buf rel = BUF_INIT;
	char course[65], name[65];
	const char *role;
	int own, rc;

	if (auth_canonical(login, path, &rel)) {
		rc = AUTH_EDENIED;
		goto done;
	}
	if (auth_is_tests(rel.buf, course, name)) {
		/* Teachers of the course read and write it; no one else reaches it. */
		rc = db_access_tests(db, login, course, name);
		if (rc == DB_ENOTFOUND)
			rc = AUTH_EDENIED;
		if (!rc)
			buf_add(canonical, rel.buf, rel.len);
		goto done;
	}
	rc = db_access_repo(db, login, rel.buf, &role, &own);
	if (rc == DB_ENOTFOUND) {
		rc = AUTH_EDENIED;
		goto done;
	}
	if (rc)
		goto done;
	if (!strcmp(role, ROLE_TEACHER) ? want_write : !own) {
		rc = AUTH_EDENIED;
		goto done;
	}
	buf_add(canonical, rel.buf, rel.len);
done:
	buf_release(&rel);
	return rc;
}
