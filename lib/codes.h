/*
 * codes.h: the named failures functions return, one number each across
 * every module. 0 is success and -1 a failure already reported; the codes
 * below are the expected cases a caller acts on. Each module has a range
 * of its own (libgit2's GIT_E... habit), so a code handed up through
 * another module still means one thing: a db lookup's "not found" is never
 * taken for a page's 404 or a checkout's "too big".
 */
#ifndef LIB_CODES_H
#define LIB_CODES_H

enum {
	/* db/: what SQLite said, for the caller to decide how loud to be */
	DB_ENOTFOUND = -100,    /* no such row */
	DB_EEXISTS = -101,      /* a constraint: the row is there already */
	DB_EBUSY = -102,        /* busy past the timeout, locked, read-only or unreachable */
	DB_EFULL = -103,        /* the disk (or the file system's quota) is full */

	/* web/ */
	WEB_NOTFOUND = -200,    /* no such page: one 404 for missing and forbidden alike */
	DIFF_NOTFOUND = -201,   /* a commit is not in the repository */
	DIFF_BUSY = -202,       /* other changes are being computed: ask the client to retry */

	/* runner/ */
	CHECKOUT_ETOOBIG = -300,        /* the commit is too big (not an infrastructure fault) */

	/* gitd/ */
	AUTH_EDENIED = -400,    /* bad name, no such repository, or not yours to reach this way */
	CGI_EBUSY = -401,       /* too many CGIs at once: answer 503 */
	CGI_ELOGIN = -402,      /* this login has too many */
	GITHUB_ENOSECRET = -410,        /* a GitHub credential is not set */
	TESTS_EBAD = -420,      /* pushed tests are not a valid spec (or too big) */
};

#endif
