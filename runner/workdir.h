/* workdir.h: a job's work directory, its own size- and inode-capped file system where possible (map: runner.h). */
#ifndef RUNNER_WORKDIR_H
#define RUNNER_WORKDIR_H

#include <stdint.h>

/*
 * Create the empty directory path. When we may mount (root), it is a tmpfs
 * of max_bytes with max_files inodes, so a submission can not fill the
 * host's disk; otherwise a plain directory (*capped = 0). 0 or -1 (reported).
 */
int workdir_create(const char *path, int64_t max_bytes, int64_t max_files, int *capped);
/*
 * Cap the tmpfs at path at max_bytes and max_files inodes (and what the
 * file system itself takes): mounted afresh, or with remount set, the one
 * mounted there resized. 0, or -1 with errno.
 */
int workdir_cap(const char *path, int64_t max_bytes, int64_t max_files, int remount);
/* Whether path is a file system of its own (the capped tmpfs). */
int workdir_own_fs(const char *path);
/*
 * Whether path is a file system of its own and that is full, of bytes or
 * of inodes: what explains a failed step best.
 */
int workdir_full(const char *path);
/* Give everything under path to the sandbox's user (SANDBOX_UID, as root). 0, or -1 with errno. */
int workdir_give(const char *path);
/* Unmount (if mounted) and remove path. 0 or -1 (reported). */
int workdir_remove(const char *path);
/* workdir_remove(path), on the background queue (later.h). */
void workdir_remove_later(const char *path);
/*
 * Unmount path and remove it if it is then an empty directory, on the
 * background queue: a mount of a file system that lives on elsewhere (a
 * stage's bind, a spare's work directory once a job adopted it). Never
 * recursive: what is below may be another path's too.
 */
void workdir_unmount_later(const char *path);

#endif
