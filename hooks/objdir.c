/* objdir.c: what a repository's object directory holds, and sweeping what killed pushes left. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "objdir.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

#define QUARANTINE_PREFIX "tmp_objdir-incoming-"
/*
 * An object directory nests three levels at most (a quarantine's pack/);
 * deeper directories are not git's and are not descended into, which keeps
 * the walk to a few open descriptors whatever is there.
 */
#define MAX_LEVELS 4

static void note_time(int64_t *newest, const struct stat *st)
{
	if (newest && st->st_mtime > *newest)
		*newest = st->st_mtime;
}

/*
 * Add up the directory open on fd (closed here), levels deep below the top.
 * Without newest, a directory is entered without a stat of its own: a
 * repository's loose objects fill up to 256 of them.
 */
static int usage_fd(int fd, int levels, int64_t *bytes, int64_t *newest)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;
	int ret = 0;

	if (!d) {
		close(fd);
		return -1;
	}
	while (!ret && (errno = 0, e = readdir(d))) {
		struct stat st;
		int sub, is_dir = !newest && e->d_type == DT_DIR;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!is_dir) {
			if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW)) {
				if (errno != ENOENT)  /* gone meanwhile: a concurrent push's cleanup */
					ret = -1;
				continue;
			}
			note_time(newest, &st);
			if (S_ISREG(st.st_mode))
				*bytes += st.st_size;
			is_dir = S_ISDIR(st.st_mode);
		}
		if (is_dir && levels < MAX_LEVELS) {
			sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub >= 0)
				ret = usage_fd(sub, levels + 1, bytes, newest);
			else if (errno != ENOENT)
				ret = -1;
		}
	}
	if (!ret && errno)
		ret = -1;
	closedir(d);
	return ret;
}

int objdir_usage(const char *dir, int64_t *bytes, int64_t *newest)
{
	struct stat st;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	*bytes = 0;
	if (newest)
		*newest = 0;
	if (fd < 0)
		return -1;
	if (newest && fstat(fd, &st)) {
		close(fd);
		return -1;
	}
	if (newest)
		note_time(newest, &st);
	return usage_fd(fd, 1, bytes, newest);
}

int objdir_sweep(const char *objects, const char *keep)
{
	const char *keep_name = keep ? strrchr(keep, '/') : NULL;
	int64_t now = time_now();
	char **names = fs_list_dir(objects);
	int removed = 0;
	size_t i;

	keep_name = keep_name ? keep_name + 1 : keep;
	for (i = 0; names && names[i]; i++) {
		struct buf path = BUF_INIT;
		int64_t bytes, newest;

		if (strncmp(names[i], QUARANTINE_PREFIX, strlen(QUARANTINE_PREFIX)) ||
		    (keep_name && !strcmp(names[i], keep_name)))
			continue;
		buf_addf(&path, "%s/%s", objects, names[i]);
		/* Its newest file, not the directory's own time: a slow upload keeps writing its pack. */
		/* Quietly: a hook's messages go to a student; what stays is tried again later. */
		if (!objdir_usage(path.buf, &bytes, &newest) && newest < now - OBJDIR_STALE &&
		    !fs_remove_tree(path.buf))
			removed++;
		buf_release(&path);
	}
	fs_list_free(names);
	return removed;
}
