/* tests.c: checking and installing an assignment's tests from its git repository (see tests.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "auth.h"
#include "tests.h"
#include "../db/model.h"
#include "../db/tests.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../runner/checkout.h"
#include "../runner/spec.h"
#include "../lib/banned.h"

void tests_repo_path(struct buf *out, const char *course, const char *name)
{
	home_path(out, "repos/%s/%s/%s", course, name, AUTH_TESTS_REPO);
}

/*
 * A spec that is a symlink would have the server read a file of its own
 * (and say what is wrong with it): the spec and the directories above it
 * must be what was committed. 0, or TESTS_EBAD with why set.
 */
static int spec_not_linked(const char *dir, struct buf *why)
{
	static const char *const paths[] = { "lifebelt.json", ".github", ".github/classroom",
					     ".github/classroom/autograding.json" };
	struct buf p = BUF_INIT;
	struct stat st;
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]) && !rc; i++) {
		buf_reset(&p);
		buf_addf(&p, "%s/%s", dir, paths[i]);
		if (!lstat(p.buf, &st) && S_ISLNK(st.st_mode)) {
			buf_addf(why, "%s is a symbolic link; commit the file itself", paths[i]);
			rc = TESTS_EBAD;
		}
	}
	buf_release(&p);
	return rc;
}

/*
 * Write commit into the new directory dir and read its spec. The spec's
 * error names dir's path: only what follows it is shown, as the teacher's
 * repository has it ("lifebelt.json: ...").
 */
static int write_and_check(git_repository *repo, const char *commit, const struct assignment *a,
			   const char *dir, struct buf *why)
{
	struct checkout_caps caps = { a->max_files, a->max_input_size };
	char line[1024];
	size_t n = strlen(dir);
	int rc;

	rc = checkout_commit_in(repo, commit, dir, &caps, why, NULL);
	if (rc == CHECKOUT_ETOOBIG)
		return TESTS_EBAD;
	if (rc)
		return -1;
	if (spec_not_linked(dir, why))
		return TESTS_EBAD;
	log_capture_errors(line, sizeof(line));
	rc = spec_check_dir(dir);
	log_capture_errors(NULL, 0);
	if (!rc)
		return 0;
	if (!strncmp(line, dir, n) && line[n] == '/')
		buf_adds(why, line + n + 1);
	else if (!strncmp(line, "tests directory ", 16))
		buf_adds(why, "no lifebelt.json (or .github/classroom/autograding.json) at the top");
	else
		buf_adds(why, line);
	return TESTS_EBAD;
}

/* A fresh directory made from tmpl (ending in XXXXXX) under the data directory's work/. */
static int make_temp(struct buf *dir, const char *tmpl)
{
	struct buf parent = BUF_INIT;
	int rc;

	home_path(&parent, "work");
	rc = fs_mkdir_p(parent.buf, 0755);
	buf_release(&parent);
	home_path(dir, "work/%s", tmpl);
	if (rc || !mkdtemp(dir->buf))
		return error_errno("cannot make a directory %s", dir->buf);
	return 0;
}

int tests_check(git_repository *repo, const char *commit, const struct assignment *a,
		struct buf *why)
{
	struct buf dir = BUF_INIT;
	int rc;

	if (make_temp(&dir, "tests-check-XXXXXX")) {
		buf_adds(why, "the server cannot make a directory to check the tests in");
		buf_release(&dir);
		return -1;
	}
	rc = write_and_check(repo, commit, a, dir.buf, why);
	if (fs_remove_tree(dir.buf))
		warning("cannot remove %s", dir.buf);
	buf_release(&dir);
	return rc;
}

/*
 * Remove the versions in dir other than keep and the one replaced (old, a
 * path), so that a job that read the previous version keeps it. A
 * directory still being written (NAME.tmp-PID) is another install's.
 */
static void prune(const char *dir, const char *keep, const char *old)
{
	const char *old_base = strrchr(old, '/');
	char **names = fs_list_dir(dir);
	size_t i;

	if (!names)
		return;
	for (i = 0; names[i]; i++) {
		struct buf p = BUF_INIT;

		if (!strcmp(names[i], keep) || (old_base && !strcmp(names[i], old_base + 1)) ||
		    strstr(names[i], ".tmp-"))
			continue;
		buf_addf(&p, "%s/%s", dir, names[i]);
		if (fs_remove_tree(p.buf))
			warning("cannot remove an old version of the tests, %s", p.buf);
		buf_release(&p);
	}
	fs_list_free(names);
}

int tests_stage(const struct assignment *a, git_repository *repo, const char *commit,
		struct buf *dir, struct buf *why)
{
	struct buf tmp = BUF_INIT, versions = BUF_INIT;
	int rc = -1;

	home_path(&versions, "tests/%s/.versions/%s", a->course, a->name);
	buf_addf(dir, "%s/%s", versions.buf, commit);
	buf_addf(&tmp, "%s.tmp-%ld", dir->buf, (long)getpid());
	if (fs_mkdir_p(versions.buf, 0750) || fs_remove_tree(tmp.buf) ||
	    mkdir(tmp.buf, 0750)) {
		buf_addf(why, "cannot make %s: %s", tmp.buf, strerror(errno));
		goto done;
	}
	rc = write_and_check(repo, commit, a, tmp.buf, why);
	if (rc)
		goto done;
	/* Installed before (a mirror fetching again, an older version again): that copy is as good. */
	if (fs_is_dir(dir->buf)) {
		fs_remove_tree(tmp.buf);
	} else if (rename(tmp.buf, dir->buf)) {
		buf_addf(why, "cannot move the tests into %s: %s", dir->buf, strerror(errno));
		rc = -1;
	}
done:
	if (rc)
		fs_remove_tree(tmp.buf);
	buf_release(&tmp);
	buf_release(&versions);
	return rc;
}

void tests_prune(const struct assignment *a, const char *commit, const char *old)
{
	struct buf versions = BUF_INIT;

	home_path(&versions, "tests/%s/.versions/%s", a->course, a->name);
	prune(versions.buf, commit, old);
	buf_release(&versions);
}

int tests_install(struct db *db, const struct assignment *a, git_repository *repo,
		  const char *commit, const char *via, const char *by, struct buf *why)
{
	struct buf dir = BUF_INIT, old = BUF_INIT;
	int rc = tests_stage(a, repo, commit, &dir, why);

	if (rc)
		goto done;
	rc = db_tests_install(db, a->id, dir.buf, commit, via, by, &old);
	if (rc) {
		buf_adds(why, "the database could not record the new tests; push again");
		rc = -1;
		goto done;
	}
	tests_prune(a, commit, old.buf);
done:
	buf_release(&dir);
	buf_release(&old);
	return rc;
}

int tests_resolve(git_repository *repo, const char *version, struct buf *commit)
{
	git_object *obj = NULL;
	git_reference *head = NULL;
	struct buf spec = BUF_INIT;
	const git_oid *tip;
	char hex[GIT_OID_HEXSZ + 1];
	size_t n = strlen(version);
	int rc = TESTS_EBAD;

	if (n < 7 || n > GIT_OID_HEXSZ || strspn(version, "0123456789abcdef") != n)
		goto done;
	buf_addf(&spec, "%s^{commit}", version);
	if (git_revparse_single(&obj, repo, spec.buf) || git_repository_head(&head, repo))
		goto done;
	/* Only the branch's history: drafts on other branches were never checked. */
	tip = git_reference_target(head);
	if (!tip || (!git_oid_equal(tip, git_object_id(obj)) &&
		     git_graph_descendant_of(repo, tip, git_object_id(obj)) != 1))
		goto done;
	git_oid_tostr(hex, sizeof(hex), git_object_id(obj));
	buf_adds(commit, hex);
	rc = 0;
done:
	git_object_free(obj);
	git_reference_free(head);
	buf_release(&spec);
	return rc;
}
