/* fsutil.h: directories and files, created and removed with care. */
#ifndef LIB_FSUTIL_H
#define LIB_FSUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct buf;

/* mkdir -p with mode for the directories it makes; 0 or -1 (errno set). */
int fs_mkdir_p(const char *path, mode_t mode);
/* rm -rf that never follows symlinks; 0 or -1. A missing path is success. */
int fs_remove_tree(const char *path);
/*
 * The same for the entry name of the directory open at dirfd: only through
 * directory descriptors, so however the tree changes meanwhile, nothing
 * outside it is touched.
 */
int fs_remove_at(int dirfd, const char *name);
/*
 * Write data to path through a temporary file (path.tmp.PID, made with
 * O_EXCL, never opened through a link) and rename(2); 0 or -1.
 */
int fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode);
/* write(2) all of data, going on after EINTR and short writes; 0 or -1 (errno set). */
int fs_write_all(int fd, const void *data, size_t len);
/* 1 if path is a directory, 0 if not. */
int fs_is_dir(const char *path);

/*
 * 1 if the file system holding path has less than min_bytes left for an
 * unprivileged writer, or no free inode; 0 if it has room or cannot be asked.
 */
int fs_nearly_full(const char *path, int64_t min_bytes);
/* Absolute, symlink-free form of path (which must exist); NULL on error. free() it. */
char *fs_realpath(const char *path);

/*
 * This program's lean companion "<this program>-name" (lifebelt-shell,
 * lifebelt-post-receive, lifebelt-holder...), built beside it: append its
 * absolute path to out and return 1 if it is executable there; else append
 * this program's own path and return 0. -1 (reported) if that is unknown.
 */
int fs_self_program(struct buf *out, const char *name);

/*
 * The names in dir other than "." and "..", sorted bytewise, NULL-terminated.
 * NULL (errno set) if dir cannot be read. Free with fs_list_free().
 */
char **fs_list_dir(const char *dir);
void fs_list_free(char **names);

/*
 * Copy the tree at src to dst (which must not exist): directories, regular
 * files with their execute bits, symlinks as symlinks. 0 or -1 (reported;
 * a partial dst is removed).
 */
int fs_copy_tree(const char *src, const char *dst);
/*
 * Copy the file, directory or symlink at src to the new entry name of the
 * directory open at dirfd, the same way. Nothing on the destination side
 * is followed or opened if it exists: each entry is made afresh (O_EXCL,
 * mkdirat, symlinkat) and descended into by descriptor. 0 or -1 (reported;
 * what was made is left to the caller).
 */
int fs_copy_at(const char *src, int dirfd, const char *name);
/*
 * For each entry of the directory src, in sorted order, fn(src/entry,
 * dirfd, entry) until one fails: 0, fn's failure, or -1 (reported) if src
 * cannot be read. fs_copy_at() and its kind descend a tree with it.
 */
int fs_each_at(const char *src, int dirfd, int (*fn)(const char *path, int dirfd, const char *name));
/*
 * Append hex SHA-256 over the tree at dir: each entry's relative path, type,
 * mode bits and content, in sorted order. Two trees hash alike exactly when
 * a checkout of them would. 0 or -1 (reported).
 */
int fs_tree_hash(const char *dir, struct buf *out);

#endif
