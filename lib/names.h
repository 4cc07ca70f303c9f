/* names.h: the safe character set for course, assignment and login names. */
#ifndef LIB_NAMES_H
#define LIB_NAMES_H

/*
 * A name is 1..64 bytes of [a-z0-9._-], starts with a letter or digit, does
 * not end with '.' or ".git", and has no "..". Such a name is safe as a path
 * component, in a URL, in an SSH forced command and in a shell word.
 * Returns 0 when valid, -1 otherwise; `what` ("login", "course", ...) is used
 * only by name_check(), which also prints the one-line error.
 */
int name_valid(const char *s);
int name_check(const char *what, const char *s);

/*
 * The last part of COURSE/NAME/tests names the assignment's tests
 * repository (gitd/auth.c), so no one new may take this login.
 */
#define NAME_TESTS_REPO "tests"
/* Is s a login no one may be given? 1 or 0. */
int name_login_reserved(const char *s);

/* A GitHub user name: 1..39 of [A-Za-z0-9-], no leading/trailing/double '-'. */
int github_name_valid(const char *s);

#endif
