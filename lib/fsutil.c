/* fsutil.c: mkdir -p, rm -rf without following links, atomic writes. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "fsutil.h"
#include "log.h"
#include "alloc.h"
#include "banned.h"

int fs_mkdir_p(const char *path, mode_t mode)
{
	struct buf b = BUF_INIT;
	size_t i;
	int ret = 0;

	/* Usually only the last component is new: one system call, not one per component. */
	if (!mkdir(path, mode))
		return 0;
	if (errno != ENOENT && errno != EEXIST)
		return -1;
	buf_adds(&b, path);
	for (i = 1; i <= b.len; i++) {
		if (i < b.len && b.buf[i] != '/')
			continue;
		b.buf[i] = '\0';
		if (mkdir(b.buf, mode) && errno != EEXIST) {
			ret = -1;
			break;
		}
		if (i < b.len)
			b.buf[i] = '/';
	}
	if (!ret && !fs_is_dir(path)) {
		errno = ENOTDIR;
		ret = -1;
	}
	buf_release(&b);
	return ret;
}

int fs_remove_at(int parent, const char *name)
{
	struct stat st;
	int fd, ret = 0;
	DIR *d;
	struct dirent *e;

	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(parent, name, 0) && errno != ENOENT ? -1 : 0;
	fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		/*
		 * A directory without read or execute permission: open it up once,
		 * never through a symlink. One swapped for a symlink or a file since
		 * the fstatat is unlinked as what it now is.
		 */
		if (errno == EACCES && !fchmodat(parent, name, 0700, AT_SYMLINK_NOFOLLOW))
			fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		else if (errno == ELOOP || errno == ENOTDIR)
			return unlinkat(parent, name, 0) && errno != ENOENT ? -1 : 0;
		if (fd < 0)
			return -1;
	}
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fs_remove_at(dirfd(d), e->d_name))
			ret = -1;
	}
	closedir(d);
	if (unlinkat(parent, name, AT_REMOVEDIR) && errno != ENOENT)
		ret = -1;
	return ret;
}

int fs_remove_tree(const char *path)
{
	return fs_remove_at(AT_FDCWD, path);
}

int fs_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	struct buf tmp = BUF_INIT;
	int fd, saved;

	buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	/*
	 * The temporary name is made afresh, never opened through whatever is
	 * there: a symlink or a hard link planted under that name in a directory
	 * someone else can write to must not have us write its target. A file
	 * that a crash of ours left behind is unlinked (not followed) first.
	 */
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0 && errno == EEXIST && !unlink(tmp.buf))
		fd = open(tmp.buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		goto fail;
	if (fs_write_all(fd, data, len))
		goto fail_close;
	if (fchmod(fd, mode) || fsync(fd))
		goto fail_close;
	if (close(fd)) {
		fd = -1;
		goto fail_unlink;
	}
	if (rename(tmp.buf, path))
		goto fail_unlink;
	buf_release(&tmp);
	return 0;
fail_close:
	saved = errno;
	close(fd);
	errno = saved;
fail_unlink:
	saved = errno;
	unlink(tmp.buf);
	errno = saved;
fail:
	buf_release(&tmp);
	return -1;
}

int fs_is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

char *fs_realpath(const char *path)
{
	return realpath(path, NULL);
}

int fs_self_program(struct buf *out, const char *name)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	size_t len = out->len;

	if (n < 0)
		return error_errno("cannot find this program's path");
	self[n] = '\0';
	buf_addf(out, "%s-%s", self, name);
	if (!access(out->buf + len, X_OK))
		return 1;
	buf_setlen(out, len);
	buf_adds(out, self);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **fs_list_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t nr = 0, alloc = 0;

	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		ALLOC_GROW(names, nr + 2, alloc);       /* and the NULL at the end */
		names[nr++] = xstrdup(e->d_name);
	}
	closedir(d);
	ALLOC_GROW(names, nr + 1, alloc);
	names[nr] = NULL;
	qsort(names, nr, sizeof(*names), cmp_str);
	return names;
}

void fs_list_free(char **names)
{
	size_t i;

	for (i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

/* The regular file src, as the new file name in dir (O_EXCL: nothing there is followed). */
static int copy_file_at(const char *src, int dir, const char *name, mode_t mode)
{
	struct buf data = BUF_INIT;
	int fd = -1, ret = 0;

	if (buf_read_file(&data, src))
		ret = error_errno("cannot read %s", src);
	else if ((fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			      mode)) < 0 || fs_write_all(fd, data.buf, data.len) || fchmod(fd, mode))
		ret = error_errno("cannot write %s", name);
	if (fd >= 0 && close(fd) && !ret)
		ret = error_errno("cannot write %s", name);
	buf_release(&data);
	return ret;
}

int fs_copy_at(const char *src, int dir, const char *name)
{
	struct stat st;
	int sub, ret;

	if (lstat(src, &st))
		return error_errno("cannot stat %s", src);
	if (S_ISREG(st.st_mode))
		return copy_file_at(src, dir, name, st.st_mode & 0755);
	if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlink(src, target, sizeof(target) - 1);

		if (n < 0)
			return error_errno("cannot read link %s", src);
		target[n] = '\0';
		if (symlinkat(target, dir, name))
			return error_errno("cannot create link %s", name);
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return error("%s is not a file, directory or symlink", src);
	if (mkdirat(dir, name, 0755) ||
	    (sub = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return error_errno("cannot create %s", name);
	ret = fs_each_at(src, sub, fs_copy_at);
	close(sub);
	return ret;
}

int fs_each_at(const char *src, int dirfd, int (*fn)(const char *path, int dirfd, const char *name))
{
	char **names = fs_list_dir(src);
	size_t i;
	int ret = 0;

	if (!names)
		return error_errno("cannot read directory %s", src);
	for (i = 0; names[i] && !ret; i++) {
		struct buf s = BUF_INIT;

		buf_addf(&s, "%s/%s", src, names[i]);
		ret = fn(s.buf, dirfd, names[i]);
		buf_release(&s);
	}
	fs_list_free(names);
	return ret;
}

int fs_copy_tree(const char *src, const char *dst)
{
	if (!access(dst, F_OK))
		return error("%s already exists", dst);
	if (fs_copy_at(src, AT_FDCWD, dst)) {
		fs_remove_tree(dst);
		return -1;
	}
	return 0;
}

static int hash_tree(const char *dir, const char *rel, struct buf *acc)
{
	char **names = fs_list_dir(dir);
	size_t i;
	int ret = 0;

	if (!names)
		return error_errno("cannot read directory %s", dir);
	for (i = 0; names[i] && !ret; i++) {
		struct buf p = BUF_INIT, r = BUF_INIT, data = BUF_INIT;
		struct stat st;

		buf_addf(&p, "%s/%s", dir, names[i]);
		buf_addf(&r, "%s%s", rel, names[i]);
		if (lstat(p.buf, &st)) {
			ret = error_errno("cannot stat %s", p.buf);
		} else if (S_ISDIR(st.st_mode)) {
			buf_addf(acc, "d %s%c", r.buf, 0);
			buf_addch(&r, '/');
			ret = hash_tree(p.buf, r.buf, acc);
		} else if (S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t n = readlink(p.buf, target, sizeof(target));

			if (n < 0)
				ret = error_errno("cannot read link %s", p.buf);
			else {
				buf_addf(acc, "l %s%c", r.buf, 0);
				crypto_sha256_hex(acc, target, (size_t)n);
			}
		} else if (buf_read_file(&data, p.buf)) {
			ret = error_errno("cannot read %s", p.buf);
		} else {
			buf_addf(acc, "%c %s%c", (st.st_mode & 0111) ? 'x' : 'f', r.buf, 0);
			crypto_sha256_hex(acc, data.buf, data.len);
		}
		buf_release(&p);
		buf_release(&r);
		buf_release(&data);
	}
	fs_list_free(names);
	return ret;
}

int fs_tree_hash(const char *dir, struct buf *out)
{
	struct buf acc = BUF_INIT;
	int ret = hash_tree(dir, "", &acc);

	if (!ret)
		crypto_sha256_hex(out, acc.buf, acc.len);
	buf_release(&acc);
	return ret;
}

int fs_nearly_full(const char *path, int64_t min_bytes)
{
	struct statvfs fs;

	if (statvfs(path, &fs))
		return 0;
	return (int64_t)fs.f_bavail * (int64_t)fs.f_frsize < min_bytes || (fs.f_files && !fs.f_favail);
}
