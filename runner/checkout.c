/* checkout.c: commit to work directory without git's checkout machinery (no hooks, filters, attributes). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "checkout.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/log.h"
#include "../lib/banned.h"

struct walk {
	git_repository *repo;
	const struct checkout_caps *caps;
	int64_t files, bytes;
	struct buf *why;
	int depth;              /* directories open above the one being written */
};

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

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
	const git_error *ge = git_error_last();

	buf_addf(w->why, "checkout: %s %s: %s", what, name,
		 errno ? strerror(errno) : ge && ge->message ? ge->message : "failed");
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
		if (mode == GIT_FILEMODE_COMMIT)   /* submodule: not fetched, not run */
			continue;
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
			w->depth++;
			rc = walk_tree(w, (const git_tree *)obj, sub);
			w->depth--;
			close(sub);
		} else if (mode == GIT_FILEMODE_LINK) {
			const git_blob *b = (const git_blob *)obj;
			size_t len = git_blob_rawsize(b);
			char *target = malloc(len + 1);

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
			rc = fd < 0 || write_all(fd, git_blob_rawcontent(b), git_blob_rawsize(b)) ?
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

int checkout_commit(const char *repo_path, const char *commit, const char *dir,
		    const struct checkout_caps *caps, struct buf *why)
{
	git_repository *repo = NULL;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_oid oid;
	struct walk w = { NULL, caps, 0, 0, why, 0 };
	int dirfd = -1, ret = -1;

	git_libgit2_init();
	/* A bare repository opened by path: no config from the environment, no hooks. */
	if (git_repository_open_bare(&repo, repo_path)) {
		buf_addf(why, "cannot open repository %s: %s", repo_path, git_error_last()->message);
		error("%s", why->buf);
		goto done;
	}
	if (git_oid_fromstr(&oid, commit) || git_commit_lookup(&c, repo, &oid) ||
	    git_commit_tree(&tree, c)) {
		buf_addf(why, "cannot read commit %s: %s", commit, git_error_last()->message);
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
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}

/* Make every directory on the way to dir/rel's parent a real directory. */
static int make_parents(const char *dir, const char *rel)
{
	struct buf p = BUF_INIT;
	const char *s = rel;
	int ret = 0;

	buf_adds(&p, dir);
	while (!ret) {
		const char *slash = strchr(s, '/');
		struct stat st;

		if (!slash)
			break;
		buf_addch(&p, '/');
		buf_add(&p, s, slash - s);
		if (!lstat(p.buf, &st) && !S_ISDIR(st.st_mode) && fs_remove_tree(p.buf))
			ret = error_errno("cannot remove %s", p.buf);
		else if (mkdir(p.buf, 0755) && errno != EEXIST)
			ret = error_errno("cannot create %s", p.buf);
		s = slash + 1;
	}
	buf_release(&p);
	return ret;
}

int checkout_overlay(const char *tests_dir, const char *rel, const char *dir)
{
	struct buf src = BUF_INIT, dst = BUF_INIT, data = BUF_INIT;
	struct stat st;
	int ret = -1;

	buf_addf(&src, "%s/%s", tests_dir, rel);
	buf_addf(&dst, "%s/%s", dir, rel);
	if (make_parents(dir, rel))
		goto done;
	if (fs_remove_tree(dst.buf)) {
		error_errno("cannot remove %s", dst.buf);
		goto done;
	}
	if (lstat(src.buf, &st)) {
		error_errno("cannot read %s", src.buf);
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = fs_copy_tree(src.buf, dst.buf);
	} else if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlink(src.buf, target, sizeof(target) - 1);

		if (n < 0 || (target[n] = '\0', symlink(target, dst.buf)))
			error_errno("cannot copy the symlink %s", src.buf);
		else
			ret = 0;
	} else if (buf_read_file(&data, src.buf) ||
		 fs_write_atomic(dst.buf, data.buf, data.len, st.st_mode & 0755))
		error_errno("cannot copy %s", src.buf);
	else
		ret = 0;
done:
	buf_release(&src);
	buf_release(&dst);
	buf_release(&data);
	return ret;
}
