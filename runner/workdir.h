/* workdir.h: a job's work directory, its own size- and inode-capped file system where possible. */
#ifndef RUNNER_WORKDIR_H
#define RUNNER_WORKDIR_H

#include <stdint.h>

/*
 * Create the empty directory path. When we may mount (root), it is a tmpfs
 * of max_bytes with max_files inodes, so a submission can not fill the
 * host's disk; otherwise a plain directory (*capped = 0). 0 or -1 (reported).
 */
int workdir_create(const char *path, int64_t max_bytes, int64_t max_files, int *capped);
/* Unmount (if mounted) and remove path. 0 or -1 (reported). */
int workdir_remove(const char *path);

#endif
