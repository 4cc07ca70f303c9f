/* checkout.c: commit to work directory without git's checkout machinery (no hooks, filters, attributes). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "checkout.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/giterr.h"
#include "../lib/log.h"
#include "../lib/banned.h"

struct walk {
	git_repository *repo;
	const struct checkout_caps *caps;
	int64_t files, bytes;
	struct buf *why;
	int depth;              /* directories open above the one being written */
	struct buf path;        /* of the directory being written, "" or ending in '/' */
	struct buf *notes;      /* what the student should know of the checkout, or NULL */
};

static int too_big(struct walk *w)
{
	if (w->files > w->caps->max_files) {
		buf_addf(w->why, "the submission has more than %lld files", (long long)w->caps->max_files);
		return CHECKOUT_ETOOBIG;
	}
	if (w->bytes > w->caps->max_bytes) {
		buf_addf(w->why, "the submission is larger than %lld MiB",
			 (long long)(w->caps->max_bytes >> 20));
		return CHECKOUT_ETOOBIG;
	}
	return 0;
}

static int fault(struct walk *w, const char *what, const char *name)
{
	buf_addf(w->why, "checkout: %s %s: %s", what, name,
		 errno ? strerror(errno) : git_last_message());
	return error("%s", w->why->buf);
}

static int walk_tree(struct walk *w, const git_tree *tree, int dirfd)
{
	size_t i, n = git_tree_entrycount(tree);
	int rc;

	for (i = 0; i < n; i++) {
		const git_tree_entry *te = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(te);
		git_filemode_t mode = git_tree_entry_filemode(te);
		git_object *obj = NULL;

		errno = 0;
		/* git fsck refuses these on push; a mirrored repository might still carry them. */
		if (!strcmp(name, ".") || !strcmp(name, "..") || !strcasecmp(name, ".git") ||
		    strchr(name, '/'))
			continue;
		if (mode == GIT_FILEMODE_COMMIT) {  /* submodule: not fetched, not run */
			if (w->notes)
				buf_addf(w->notes, "submodule %s%s is not graded: its files are not in "
					 "this repository; commit them instead\n", w->path.buf, name);
			continue;
		}
		w->files++;
		if ((rc = too_big(w)))
			return rc;
		if (git_tree_entry_to_object(&obj, w->repo, te))
			return fault(w, "cannot read", name);
		if (mode == GIT_FILEMODE_TREE) {
			int sub;

			if (w->depth >= CHECKOUT_MAX_DEPTH) {
				buf_addf(w->why, "the submission's tree is deeper than %d levels",
					 CHECKOUT_MAX_DEPTH);
				git_object_free(obj);
				return CHECKOUT_ETOOBIG;
			}
			if (mkdirat(dirfd, name, 0755) ||
			    (sub = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
				git_object_free(obj);
				return fault(w, "cannot create directory", name);
			}
			{
				size_t len = w->path.len;

				buf_addf(&w->path, "%s/", name);
				w->depth++;
				rc = walk_tree(w, (const git_tree *)obj, sub);
				w->depth--;
				buf_setlen(&w->path, len);
			}
			close(sub);
		} else if (mode == GIT_FILEMODE_LINK) {
			const git_blob *b = (const git_blob *)obj;
			size_t len = git_blob_rawsize(b);
			char *target = xmalloc(len + 1);

			memcpy(target, git_blob_rawcontent(b), len);
			target[len] = '\0';
			rc = strlen(target) != len || !len || symlinkat(target, dirfd, name) ?
				fault(w, "cannot create symlink", name) : 0;
			free(target);
		} else {
			const git_blob *b = (const git_blob *)obj;
			int fd;

			w->bytes += git_blob_rawsize(b);
			if ((rc = too_big(w))) {
				git_object_free(obj);
				return rc;
			}
			fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				    mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644);
			rc = fd < 0 || fs_write_all(fd, git_blob_rawcontent(b), git_blob_rawsize(b)) ?
				fault(w, "cannot write", name) : 0;
			if (fd >= 0)
				close(fd);
		}
		git_object_free(obj);
		if (rc)
			return rc;
	}
	return 0;
}

int checkout_commit_in(git_repository *repo, const char *commit, const char *dir,
		       const struct checkout_caps *caps, struct buf *why, struct buf *notes)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_oid oid;
	struct walk w = { NULL, caps, 0, 0, why, 0, BUF_INIT, notes };
	int dirfd = -1, ret = -1;

	if (git_oid_fromstr(&oid, commit) || git_commit_lookup(&c, repo, &oid) ||
	    git_commit_tree(&tree, c)) {
		buf_addf(why, "cannot read commit %s: %s", commit, git_last_message());
		error("%s", why->buf);
		goto done;
	}
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0) {
		buf_addf(why, "cannot open %s: %s", dir, strerror(errno));
		error("%s", why->buf);
		goto done;
	}
	w.repo = repo;
	ret = walk_tree(&w, tree, dirfd);
done:
	if (dirfd >= 0)
		close(dirfd);
	git_tree_free(tree);
	git_commit_free(c);
	buf_release(&w.path);
	return ret;
}

int checkout_commit(const char *repo_path, const char *commit, const char *dir,
		    const struct checkout_caps *caps, struct buf *why, struct buf *notes)
{
	git_repository *repo = NULL;
	int ret = -1;

	git_libgit2_init();
	/* A bare repository opened by path: no config from the environment, no hooks. */
	if (git_repository_open_bare(&repo, repo_path)) {
		buf_addf(why, "cannot open repository %s: %s", repo_path, git_last_message());
		error("%s", why->buf);
	} else {
		ret = checkout_commit_in(repo, commit, dir, caps, why, notes);
	}
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}

/*
 * The subdirectory name of parent, opened; whatever else is there (a
 * symlink, a file) is removed and a directory made, with parent's owner
 * (see restore_at()). Never follows a link.
 */
static int real_subdir(int parent, const char *name)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd >= 0 || (errno != ENOENT && errno != ENOTDIR && errno != ELOOP))
		return fd;
	if (errno != ENOENT && fs_remove_at(parent, name))
		return -1;
	if (mkdirat(parent, name, 0755) && errno != EEXIST)
		return -1;
	fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && !fstat(parent, &st))
		fchown(fd, st.st_uid, st.st_gid);
	return fd;
}

/*
 * Put src back at name in dir: a file or symlink made afresh, a directory
 * descended into, so what else it holds (a build's output) stays. What is
 * made gets dir's owner, as the first copy did (the sandbox's user, when
 * the executor handed it the work directory): a test may still write to a
 * data file of the teacher's.
 */
static int restore_at(const char *src, int dir, const char *name)
{
	struct stat st, parent;
	int sub, ret;

	if (lstat(src, &st) || fstat(dir, &parent))
		return error_errno("cannot stat %s", src);
	if (!S_ISDIR(st.st_mode)) {
		if (fs_remove_at(dir, name))
			return error_errno("cannot remove %s", name);
		if (fs_copy_at(src, dir, name))
			return -1;
		fchownat(dir, name, parent.st_uid, parent.st_gid, AT_SYMLINK_NOFOLLOW);
		return 0;
	}
	if ((sub = real_subdir(dir, name)) < 0)
		return error_errno("cannot make %s a directory", name);
	ret = fs_each_at(src, sub, restore_at);
	close(sub);
	return ret;
}

/*
 * The student's tree is walked by directory descriptor only, and each
 * entry is made afresh: a symlink, or a name planted where the copy goes,
 * can not make us write outside the work directory.
 */
static int overlay(const char *tests_dir, const char *rel, const char *dir, int merge)
{
	struct buf src = BUF_INIT, name = BUF_INIT;
	const char *s = rel, *slash;
	int fd, sub, ret = -1;

	buf_addf(&src, "%s/%s", tests_dir, rel);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		error_errno("cannot open %s", dir);
		goto done;
	}
	while ((slash = strchr(s, '/'))) {
		buf_reset(&name);
		buf_add(&name, s, slash - s);
		for (s = slash; *s == '/'; s++)
			;
		if (!*s)
			break;   /* "data/": the directory itself */
		if ((sub = real_subdir(fd, name.buf)) < 0) {
			error_errno("cannot make %s a directory in %s", name.buf, dir);
			goto done;
		}
		close(fd);
		fd = sub;
		buf_reset(&name);
	}
	if (!name.len)
		buf_adds(&name, s);
	if (!name.len || !strcmp(name.buf, ".") || !strcmp(name.buf, "..")) {
		error("cannot copy %s over the work directory itself", rel);
		goto done;
	}
	if (merge) {
		if (restore_at(src.buf, fd, name.buf))
			goto done;
	} else if (fs_remove_at(fd, name.buf)) {
		error_errno("cannot remove %s in %s", rel, dir);
		goto done;
	} else if (fs_copy_at(src.buf, fd, name.buf)) {
		error("cannot copy %s", src.buf);
		goto done;
	}
	ret = 0;
done:
	if (fd >= 0)
		close(fd);
	buf_release(&src);
	buf_release(&name);
	return ret;
}

int checkout_overlay(const char *tests_dir, const char *rel, const char *dir)
{
	return overlay(tests_dir, rel, dir, 0);
}

int checkout_restore(const char *tests_dir, const char *rel, const char *dir)
{
	return overlay(tests_dir, rel, dir, 1);
}
