/* workdir.c: fresh work directories, on a private tmpfs when the runner may mount one (map: runner.h). */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "enter.h"
#include "later.h"
#include "workdir.h"
#include "../lib/alloc.h"
#include "../lib/fsutil.h"
#include "../lib/log.h"
#include "../lib/banned.h"

int workdir_cap(const char *path, int64_t max_bytes, int64_t max_files, int remount)
{
	char opts[128];

	/* The root directory and a few the file system makes take inodes too. */
	snprintf(opts, sizeof(opts), "size=%lld,nr_inodes=%lld%s", (long long)max_bytes,
		 (long long)max_files + 16, remount ? "" : ",mode=0755");
	return mount(remount ? NULL : "lifebelt-work", path, "tmpfs",
		     (remount ? MS_REMOUNT : 0) | MS_NOSUID | MS_NODEV, opts);
}

int workdir_create(const char *path, int64_t max_bytes, int64_t max_files, int *capped)
{
	*capped = 0;
	later_wait_for(path);
	workdir_remove(path);   /* a leftover from a runner that died */
	if (fs_mkdir_p(path, 0755))
		return error_errno("cannot create %s", path);
	if (geteuid() != 0)
		return 0;
	if (!workdir_cap(path, max_bytes, max_files, 0))
		*capped = 1;
	return 0;
}

/* 1 if path is a file system of its own, with its statvfs() in fs. */
static int own_fs(const char *path, struct statvfs *fs)
{
	struct statvfs parent;
	char up[4096];

	return snprintf(up, sizeof(up), "%s/..", path) < (int)sizeof(up) &&
	       !statvfs(path, fs) && !statvfs(up, &parent) && fs->f_fsid != parent.f_fsid;
}

int workdir_own_fs(const char *path)
{
	struct statvfs fs;

	return own_fs(path, &fs);
}

int workdir_full(const char *path)
{
	struct statvfs fs;

	return own_fs(path, &fs) && (fs.f_bavail == 0 || fs.f_favail == 0);
}

int workdir_remove(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return 0;
	while (!umount2(path, MNT_DETACH))
		;   /* a mount stacked by an earlier crash goes too */
	if (fs_remove_tree(path))
		return error_errno("cannot remove %s", path);
	return 0;
}

static void remove_now(void *path)
{
	workdir_remove(path);
	free(path);
}

static void unmount_now(void *path)
{
	umount2(path, MNT_DETACH);
	rmdir(path);
	free(path);
}

void workdir_remove_later(const char *path)
{
	later_add(remove_now, xstrdup(path), path);
}

void workdir_unmount_later(const char *path)
{
	later_add(unmount_now, xstrdup(path), path);
}

static int give_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return lchown(path, SANDBOX_UID, SANDBOX_GID) ? -1 : 0;
}

int workdir_give(const char *path)
{
	return nftw(path, give_one, 16, FTW_PHYS) ? -1 : 0;
}
