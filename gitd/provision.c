/* provision.c: students' bare repositories, created with libgit2. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "provision.h"
#include "../db/model.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/home.h"
#include "../lib/giterr.h"
#include "../lib/log.h"
#include "../lib/push.h"
#include "../lib/banned.h"

/* Write dir's files into repo as a tree, recursively; *out is the tree id. */
static int write_tree(git_repository *repo, const char *dir, git_oid *out)
{
	git_treebuilder *tb = NULL;
	char **names = fs_list_dir(dir);
	size_t i;
	int ret = -1;

	if (!names)
		return error_errno("cannot read starter directory %s", dir);
	if (git_treebuilder_new(&tb, repo, NULL)) {
		git_fail("treebuilder");
		goto done;
	}
	for (i = 0; names[i]; i++) {
		struct buf path = BUF_INIT;
		struct stat st;
		git_oid oid;
		git_filemode_t mode;
		int r = -1;

		if (!strcmp(names[i], ".git"))
			continue;
		buf_addf(&path, "%s/%s", dir, names[i]);
		if (lstat(path.buf, &st)) {
			error_errno("cannot stat %s", path.buf);
		} else if (S_ISDIR(st.st_mode)) {
			mode = GIT_FILEMODE_TREE;
			r = write_tree(repo, path.buf, &oid);
		} else if (S_ISREG(st.st_mode)) {
			mode = (st.st_mode & 0111) ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
			r = git_blob_create_from_disk(&oid, repo, path.buf) ? git_fail(path.buf) : 0;
		} else if (S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t n = readlink(path.buf, target, sizeof(target));

			mode = GIT_FILEMODE_LINK;
			if (n < 0 || (size_t)n >= sizeof(target))
				error_errno("cannot read link %s", path.buf);
			else
				r = git_blob_create_from_buffer(&oid, repo, target, (size_t)n) ?
					git_fail(path.buf) : 0;
		} else {
			error("starter file %s is not a file, directory or symlink", path.buf);
		}
		if (!r && git_treebuilder_insert(NULL, tb, names[i], &oid, mode))
			r = git_fail(path.buf);
		buf_release(&path);
		if (r)
			goto done;
	}
	if (git_treebuilder_write(out, tb)) {
		git_fail("write tree");
		goto done;
	}
	ret = 0;
done:
	git_treebuilder_free(tb);
	fs_list_free(names);
	return ret;
}

/* The files of dir as the first commit on the assignment's branch, with message msg. */
static int first_commit(git_repository *repo, const struct assignment *a, const char *dir,
			const char *msg)
{
	git_oid tree_id, commit_id;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	struct buf ref = BUF_INIT;
	int ret = -1;

	if (write_tree(repo, dir, &tree_id))
		goto done;
	if (git_tree_lookup(&tree, repo, &tree_id) ||
	    git_signature_now(&sig, "Lifebelt", "lifebelt@localhost")) {
		git_fail("starter commit");
		goto done;
	}
	buf_addf(&ref, "refs/heads/%s", a->branch);
	if (git_commit_create(&commit_id, repo, ref.buf, sig, sig, NULL, msg, tree, 0, NULL)) {
		git_fail("starter commit");
		goto done;
	}
	ret = 0;
done:
	git_tree_free(tree);
	git_signature_free(sig);
	buf_release(&ref);
	return ret;
}

/* A git config value in double quotes, with '"' and '\\' escaped. */
static int add_quoted(struct buf *b, const char *v)
{
	buf_addch(b, '"');
	for (; *v; v++) {
		if (*v == '\n' || *v == '\r')
			return error("path has a line break: cannot be used in a git config");
		if (*v == '"' || *v == '\\')
			buf_addch(b, '\\');
		buf_addch(b, *v);
	}
	buf_adds(b, "\"\n");
	return 0;
}

static int write_file(const char *dir, const char *name, const struct buf *data)
{
	struct buf path = BUF_INIT;
	int fd, ret = 0;

	buf_addf(&path, "%s/%s", dir, name);
	fd = open(path.buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, data->buf, data->len) != (ssize_t)data->len)
		ret = error_errno("cannot write %s", path.buf);
	if (fd >= 0 && close(fd))
		ret = error_errno("cannot write %s", path.buf);
	buf_release(&path);
	return ret;
}

/*
 * git's own cap on what one push uploads (receive.maxInputSize), well above
 * the assignment's (see lib/push.h): git stops only a push far beyond it,
 * saying merely "pack exceeds maximum allowed size".
 */
static long long git_input_cap(int64_t cap)
{
	return cap > INT64_MAX / PUSH_GIT_INPUT_FACTOR ? INT64_MAX :
		(long long)cap * PUSH_GIT_INPUT_FACTOR;
}

/*
 * The repository is written by hand rather than by git_repository_init():
 * HEAD, config, objects/ and refs/ are all git needs, and a course makes
 * thousands of these, where each extra file and directory costs.
 */
static int make_skeleton(const char *dir, const struct assignment *a, const char *hooks_dir)
{
	struct buf b = BUF_INIT, hooks = BUF_INIT, sub = BUF_INIT;
	static const char *const dirs[] = { "objects", "refs", "refs/heads" };
	size_t i;
	int ret = -1;

	if (mkdir(dir, 0755)) {
		error_errno("cannot create %s", dir);
		goto done;
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		buf_reset(&sub);
		buf_addf(&sub, "%s/%s", dir, dirs[i]);
		if (mkdir(sub.buf, 0755)) {
			error_errno("cannot create %s", sub.buf);
			goto done;
		}
	}
	buf_addf(&b, "ref: refs/heads/%s\n", a->branch);
	if (write_file(dir, "HEAD", &b))
		goto done;
	home_path(&hooks, "%s", hooks_dir);
	buf_reset(&b);
	buf_adds(&b, "[core]\n"
		 "\trepositoryformatversion = 0\n"
		 "\tfilemode = true\n"
		 "\tbare = true\n"
		 "\tlogAllRefUpdates = always\n"
		 "\thooksPath = ");
	if (add_quoted(&b, hooks.buf))
		goto done;
	buf_addf(&b, "[receive]\n"
		 "\tdenyNonFastForwards = true\n"
		 "\tdenyDeletes = true\n"
		 "\tdenyCurrentBranch = true\n"
		 "\tfsckObjects = true\n"
		 "\tadvertisePushOptions = true\n"
		 "\tmaxInputSize = %lld\n"
		 "[uploadpack]\n"
		 "\tallowAnySHA1InWant = false\n"
		 "[lifebelt]\n"
		 "\tcourse = %s\n"
		 "\tassignment = %s\n",
		 git_input_cap(a->max_input_size), a->course, a->name);
	if (write_file(dir, "config", &b))
		goto done;
	ret = 0;
done:
	buf_release(&b);
	buf_release(&hooks);
	buf_release(&sub);
	return ret;
}

static int link_hooks(const char *dir, int standalone);

/* A repository at abs_path with its hooks in hooks_dir and the files of first_dir committed. */
static int make_repo(const char *abs_path, const struct assignment *a, const char *hooks_dir,
		     const char *first_dir, const char *msg)
{
	git_repository *repo = NULL;
	struct buf parent = BUF_INIT;
	const char *slash = strrchr(abs_path, '/');
	int ret = -1;

	if (!access(abs_path, F_OK))
		return error("repository %s already exists", abs_path);
	if (slash && slash != abs_path) {
		buf_add(&parent, abs_path, (size_t)(slash - abs_path));
		if (fs_mkdir_p(parent.buf, 0755)) {
			error_errno("cannot create %s", parent.buf);
			buf_release(&parent);
			return -1;
		}
	}
	buf_release(&parent);
	if (make_skeleton(abs_path, a, hooks_dir))
		goto done;
	if (first_dir) {
		git_libgit2_init();
		if (git_repository_open_bare(&repo, abs_path)) {
			git_fail(abs_path);
			goto done;
		}
		if (first_commit(repo, a, first_dir, msg))
			goto done;
	}
	ret = 0;
done:
	git_repository_free(repo);
	if (ret)
		fs_remove_tree(abs_path);
	return ret;
}

int provision_repo(const char *abs_path, const struct assignment *a)
{
	struct buf msg = BUF_INIT;
	int ret;

	buf_addf(&msg, "Starter files for %s/%s\n", a->course, a->name);
	ret = make_repo(abs_path, a, "hooks", a->starter_dir, msg.buf);
	buf_release(&msg);
	return ret;
}

int provision_tests_repo(const char *abs_path, const struct assignment *a)
{
	struct buf msg = BUF_INIT, hooks = BUF_INIT;
	int ret;

	/*
	 * Its hooks are what checks a push: make sure they are there, also in a
	 * data directory that `lifebelt init` made before they existed.
	 */
	home_path(&hooks, "%s", PROVISION_TESTS_HOOKS);
	if (link_hooks(hooks.buf, 0)) {
		buf_release(&hooks);
		return -1;
	}
	buf_release(&hooks);
	buf_addf(&msg, "Tests of %s/%s\n", a->course, a->name);
	ret = make_repo(abs_path, a, PROVISION_TESTS_HOOKS, a->tests_dir, msg.buf);
	buf_release(&msg);
	return ret;
}

void provision_repo_relpath(struct buf *out, const char *course, const char *name,
			    const char *login)
{
	buf_addf(out, "%s/%s/%s.git", course, name, login);
}

void provision_undo_add(struct provision_undo *u, const char *path)
{
	ALLOC_GROW(u->paths, u->nr + 1, u->alloc);
	u->paths[u->nr++] = xstrdup(path);
}

void provision_undo_run(struct provision_undo *u)
{
	while (u->nr > 0) {
		char *p = u->paths[--u->nr];

		if (fs_remove_tree(p))
			warning("could not remove %s", p);
		free(p);
	}
	provision_undo_release(u);
}

void provision_undo_release(struct provision_undo *u)
{
	int i;

	for (i = 0; i < u->nr; i++)
		free(u->paths[i]);
	free(u->paths);
	u->paths = NULL;
	u->nr = u->alloc = 0;
}

/*
 * Point dir/NAME at target_of(NAME) for each hook, replacing a link that
 * points elsewhere. 0 or -1.
 */
static int link_hooks(const char *dir, int standalone)
{
	static const char *const names[] = { "pre-receive", "post-receive" };
	size_t i;
	int ret = 0;

	if (fs_mkdir_p(dir, 0755))
		return error_errno("cannot create %s", dir);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct buf link = BUF_INIT, tmp = BUF_INIT, target = BUF_INIT;
		char have[4096];
		ssize_t h;

		/* A hook built alone (lifebelt-post-receive) starts faster; see the Makefile. */
		if (fs_self_program(&target, standalone ? names[i] : "") < 0) {
			ret = -1;
			buf_release(&target);
			break;
		}
		buf_addf(&link, "%s/%s", dir, names[i]);
		h = readlink(link.buf, have, sizeof(have) - 1);
		if (h == (ssize_t)target.len && !memcmp(have, target.buf, target.len)) {
			buf_release(&link);
			buf_release(&target);
			continue;
		}
		buf_addf(&tmp, "%s.tmp", link.buf);
		unlink(tmp.buf);
		if (symlink(target.buf, tmp.buf) || rename(tmp.buf, link.buf))
			ret = error_errno("cannot install hook %s", link.buf);
		buf_release(&link);
		buf_release(&tmp);
		buf_release(&target);
	}
	return ret;
}

int provision_hooks(void)
{
	struct buf dir = BUF_INIT, tests = BUF_INIT;
	int ret;

	home_path(&dir, "hooks");
	/*
	 * The tests repositories' hooks check and install a spec: only the
	 * lifebelt binary has the runner's code for it.
	 */
	home_path(&tests, "%s", PROVISION_TESTS_HOOKS);
	ret = link_hooks(dir.buf, 1) | link_hooks(tests.buf, 0);
	buf_release(&dir);
	buf_release(&tests);
	return ret ? -1 : 0;
}
