/*
 * tests-hook.c: the hooks of an assignment's tests repository. pre-receive
 * refuses a push whose tests are not a valid spec, naming the file and the
 * field; post-receive installs them as the tests the runner uses and, with
 * `git push -o regrade`, requeues every student's latest submission.
 * Only the repository's branch (its HEAD, main unless the teacher's
 * repository came with another) holds the tests; other branches and tags
 * are kept as they are, never checked or installed. Linked into the
 * lifebelt binary only, which has the runner's spec reader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "hook.h"
#include "../db/model.h"
#include "../db/queue.h"
#include "../gitd/auth.h"
#include "../gitd/tests.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/giterr.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/wake.h"
#include "../lib/banned.h"

#define REGRADE_OPTION "regrade"

struct tests_push {
	char course[65], name[65];
	struct db *db;
	struct assignment a;
	struct buf branch;      /* refs/heads/main */
	struct buf updates;     /* git's "OLD NEW REF" lines */
	int regrade;
};

int hook_in_tests_repo(void)
{
	char *cwd = fs_realpath(".");
	const char *base = cwd ? strrchr(cwd, '/') : NULL;
	int yes = base && !strcmp(base + 1, AUTH_TESTS_REPO);

	free(cwd);
	return yes;
}

/* The last '/' of s cut off: what followed it, or NULL when there is none. */
static char *cut_last(char *s)
{
	char *slash = strrchr(s, '/');

	if (!slash || slash == s)
		return NULL;
	*slash = '\0';
	return slash + 1;
}

/* The data directory, course and name from HOME/repos/COURSE/NAME/.tests.git. */
static int find_tests_repo(struct tests_push *t)
{
	char *cwd = fs_realpath("."), *repo, *name, *course, *repos;
	int ret = -1;

	if (!cwd)
		return error_errno("cannot resolve the repository directory");
	if ((repo = cut_last(cwd)) && !strcmp(repo, AUTH_TESTS_REPO) &&
	    (name = cut_last(cwd)) && !name_valid(name) &&
	    (course = cut_last(cwd)) && !name_valid(course) &&
	    (repos = cut_last(cwd)) && !strcmp(repos, "repos")) {
		snprintf(t->course, sizeof(t->course), "%s", course);
		snprintf(t->name, sizeof(t->name), "%s", name);
		home_set(cwd);
		ret = 0;
	} else {
		error("hook run outside a Lifebelt tests repository");
	}
	free(cwd);
	return ret;
}

/* The branch that holds the tests: the repository's HEAD. */
static void tests_branch(struct buf *out)
{
	struct buf head = BUF_INIT;

	if (!buf_read_file(&head, "HEAD") && !strncmp(head.buf, "ref: refs/heads/", 16)) {
		buf_trim(&head);
		buf_adds(out, head.buf + 5);
	} else {
		buf_adds(out, "refs/heads/main");
	}
	buf_release(&head);
}

/* Is regrade asked for? say: tell of the options that are not known (once a push). */
static void read_options(struct tests_push *t, int say)
{
	const char *v;
	int i;

	for (i = 0; (v = hook_push_option(i)); i++) {
		if (!strcmp(v, REGRADE_OPTION))
			t->regrade = 1;
		else if (say)
			hook_say("push option '%.60s' ignored: the tests repository knows only "
				 REGRADE_OPTION, v);
	}
}

static int is_zero(const char *hex)
{
	return strspn(hex, "0") == strlen(hex);
}

/*
 * Call fn for each update of git's "OLD NEW REF" lines; fn's non-zero stops
 * the walk and is returned.
 */
static int each_update(struct tests_push *t, int (*fn)(struct tests_push *t, const char *old_hex,
						       const char *new_hex, const char *ref, void *data),
		       void *data)
{
	char *line = t->updates.buf, *next;
	int rc = 0;

	for (; line && *line && !rc; line = next) {
		char old_hex[41], new_hex[41], ref[1024];

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (sscanf(line, "%40s %40s %1023s", old_hex, new_hex, ref) != 3)
			continue;
		rc = fn(t, old_hex, new_hex, ref, data);
		if (next)
			next[-1] = '\n';
	}
	return rc;
}

static int check_one(struct tests_push *t, const char *old_hex, const char *new_hex,
		     const char *ref, void *data)
{
	git_repository *repo = data;
	struct buf why = BUF_INIT;
	int rc;

	(void)old_hex;
	if (strcmp(ref, t->branch.buf))
		return 0;
	if (is_zero(new_hex)) {
		hook_say("refusing the push: %s holds the tests of %s/%s and cannot be deleted",
			 ref, t->course, t->name);
		return 1;
	}
	rc = tests_check(repo, new_hex, &t->a, &why);
	if (rc == TESTS_EBAD)
		hook_say("refusing the push: the tests are not valid: %s", why.buf);
	else if (rc)
		hook_say("refusing the push: %s", why.buf);
	buf_release(&why);
	return rc ? 1 : 0;
}

static int pre_receive(struct tests_push *t)
{
	git_repository *repo = NULL;
	int rc;

	/* From the environment: git points it at the quarantined objects of this push. */
	if (git_repository_open_ext(&repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL))
		return git_fail("cannot open the repository");
	rc = each_update(t, check_one, repo);
	git_repository_free(repo);
	return rc ? 1 : 0;
}

static int install_one(struct tests_push *t, const char *old_hex, const char *new_hex,
		       const char *ref, void *data)
{
	git_repository *repo = data;
	const char *via = getenv("LIFEBELT_VIA"), *by = getenv("LIFEBELT_LOGIN");
	struct buf why = BUF_INIT;
	git_oid tip;
	int rc, nr = 0;

	(void)old_hex;
	if (strcmp(ref, t->branch.buf)) {
		hook_say("%s: kept, not installed (only %s holds the tests)", ref, t->branch.buf + 11);
		return 0;
	}
	if (is_zero(new_hex))
		return 0;
	if (!via || (strcmp(via, "ssh") && strcmp(via, "http")))
		via = "local";
	/* A push that came after this one installs its own tip; never install an older one last. */
	if (!git_reference_name_to_id(&tip, repo, ref) && strcmp(git_oid_tostr_s(&tip), new_hex)) {
		hook_say("%s moved on to %s meanwhile: that push installs it", ref,
			 git_oid_tostr_s(&tip));
		return 0;
	}
	rc = tests_install(t->db, &t->a, repo, new_hex, via, by, &why);
	if (rc) {
		hook_say("the tests were NOT installed: %s; to install them, push another commit "
			 "(git commit --allow-empty -m install)", why.buf);
		buf_release(&why);
		return 1;
	}
	hook_say("tests version %s installed for %s/%s", new_hex, t->course, t->name);
	if (t->regrade) {
		rc = db_regrade(t->db, t->a.id, 0, NULL, &nr);
		if (nr)
			wake_notify();
		hook_say("requeued %d submission%s of %s/%s to be graded with the new tests%s", nr,
			 nr == 1 ? "" : "s", t->course, t->name,
			 rc ? " (then the database failed: run `lifebelt regrade`)" : "");
		t->regrade = 0;
	}
	buf_release(&why);
	return 0;
}

static int post_receive(struct tests_push *t)
{
	git_repository *repo = NULL;
	int rc;

	if (git_repository_open_bare(&repo, "."))
		return git_fail("cannot open the repository");
	rc = each_update(t, install_one, repo);
	if (t->regrade)
		hook_say("push option " REGRADE_OPTION " ignored: the tests did not change");
	git_repository_free(repo);
	return rc ? 1 : 0;
}

int hook_tests(int post)
{
	struct tests_push t;
	struct buf path = BUF_INIT;
	int rc, ret = 1;

	memset(&t, 0, sizeof(t));
	buf_init(&t.branch, 0);
	buf_init(&t.updates, 0);
	log_set_error_word("lifebelt");
	if (buf_read_fd(&t.updates, 0)) {
		error_errno("cannot read the ref updates");
		goto done;
	}
	if (find_tests_repo(&t))
		goto done;
	home_path(&path, "lifebelt.db");
	if (db_open(&t.db, path.buf, 0)) {
		error("the server's database is unavailable; push again in a moment");
		goto done;
	}
	sqlite3_busy_timeout(t.db->h, HOOK_BUSY_TIMEOUT_MS);
	rc = db_assignment_get(t.db, t.course, t.name, &t.a);
	if (rc) {
		if (rc == DB_ENOTFOUND)
			error("no assignment %s/%s for this tests repository", t.course, t.name);
		goto done;
	}
	tests_branch(&t.branch);
	read_options(&t, !post);
	git_libgit2_init();
	ret = post ? post_receive(&t) : pre_receive(&t);
	git_libgit2_shutdown();
done:
	assignment_release(&t.a);
	db_close(t.db);
	buf_release(&path);
	buf_release(&t.branch);
	buf_release(&t.updates);
	return ret;
}
