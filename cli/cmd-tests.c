/* cmd-tests.c: `lifebelt tests repo` and `lifebelt github tests`: an assignment's tests in git. */
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "../db/model.h"
#include "../db/tests.h"
#include "../gitd/github.h"
#include "../gitd/provision.h"
#include "../gitd/tests.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/banned.h"

/* Make a's tests repository from the installed tests unless it exists; 1 if made, 0, -1. */
static int ensure_repo(const struct assignment *a)
{
	struct buf path = BUF_INIT;
	int rc = 0;

	tests_repo_path(&path, a->course, a->name);
	if (access(path.buf, F_OK))
		rc = provision_tests_repo(path.buf, a) ? -1 : 1;
	buf_release(&path);
	return rc;
}

int cmd_tests_repo(int argc, const char **argv)
{
	const char *pos[2];
	struct assignment a;
	struct db *db;
	int rc;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 2, 2) ||
	    cli_open_assignment(pos[0], pos[1], 1, &db, &a))
		return -1;
	rc = ensure_repo(&a);
	if (rc > 0)
		printf("tests repository %s/%s/tests created with the installed tests (version %s)\n",
		       a.course, a.name, a.tests_version);
	else if (!rc)
		printf("tests repository %s/%s/tests exists; nothing changed\n", a.course, a.name);
	assignment_release(&a);
	db_close(db);
	return rc < 0 ? -1 : 0;
}

int cmd_github_tests(int argc, const char **argv)
{
	const char *pos[3];
	struct assignment a;
	struct db *db;
	int rc;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 3, 3))
		return -1;
	if (!github_repo_name_ok(pos[2]))
		return error("'%s' is not OWNER/REPO as GitHub names repositories (e.g. "
			     "my-org/hw1-tests)", pos[2]);
	if (cli_open_assignment(pos[0], pos[1], 1, &db, &a))
		return -1;
	/* The mirror fetches into the tests repository: it must be there. */
	rc = ensure_repo(&a) < 0 ? -1 : db_tests_github_set(db, a.id, pos[2]);
	if (rc == DB_EEXISTS)
		error("%s is already mapped to another assignment's tests or a student's repository; "
		      "each GitHub repository mirrors into one", pos[2]);
	else if (!rc)
		printf("the tests of %s/%s mirror GitHub's %s: each push to its main branch is "
		       "checked and installed\n", a.course, a.name, pos[2]);
	assignment_release(&a);
	db_close(db);
	return rc ? -1 : 0;
}
