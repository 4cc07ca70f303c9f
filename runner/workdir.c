/* workdir.c: fresh work directories, on a private tmpfs when the runner may mount one. */
#include <errno.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "later.h"
#include "workdir.h"
#include "../lib/fsutil.h"
#include "../lib/log.h"
#include "../lib/banned.h"

int workdir_create(const char *path, int64_t max_bytes, int64_t max_files, int *capped)
{
	char opts[128];

	*capped = 0;
	later_wait_for(path);
	workdir_remove(path);   /* a leftover from a runner that died */
	if (fs_mkdir_p(path, 0755))
		return error_errno("cannot create %s", path);
	if (geteuid() != 0)
		return 0;
	snprintf(opts, sizeof(opts), "size=%lld,nr_inodes=%lld,mode=0755",
		 (long long)max_bytes, (long long)max_files + 16);
	if (!mount("lifebelt-work", path, "tmpfs", MS_NOSUID | MS_NODEV, opts))
		*capped = 1;
	return 0;
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
