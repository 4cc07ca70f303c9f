/* backup.h: what `lifebelt backup`, `restore` and `fsck` share: copying and checking. */
#ifndef CLI_BACKUP_H
#define CLI_BACKUP_H

#include <stdint.h>

struct buf;

/* The version of a backup's layout; restore reads this one only. */
#define BACKUP_FORMAT 1
/* Written last: a backup without it is incomplete. */
#define BACKUP_MANIFEST "manifest.json"
/* Held shared by `serve` and `runner` for as long as they run, under the data directory. */
#define BACKUP_LOCK "lifebelt.lock"

struct copy_stats {
	int64_t files, bytes, repos;
};

/* Repository paths, relative to the repos/ folder. */
struct repo_paths {
	size_t nr, alloc;
	char **items;
};
/*
 * Append every bare repository (a folder named *.git: COURSE/NAME/LOGIN.git,
 * .tests.git) under top/rel to out, in sorted order. 0 or -1 (reported).
 */
int backup_find_repos(const char *top, const char *rel, struct repo_paths *out);
void repo_paths_release(struct repo_paths *l);

/*
 * Copy the tree at src to dst (which must not exist): directories, regular
 * files and symlinks with their modes and times (and owners when run as
 * root); anything else, and lock files, is left out. Files that vanish
 * while the copy runs (a spooled push imported, a log rotated) are skipped:
 * the tree may be in use. Adds to *st. 0 or -1 (reported).
 */
int backup_copy_tree(const char *src, const char *dst, struct copy_stats *st);

/*
 * Copy the bare repository src to dst (which must not exist) while pushes
 * go on: refs, reflogs and config first, then the objects, then a check
 * that every ref's history is complete in the copy; objects a repack moved
 * meanwhile are copied in further passes. Push quarantines are left out.
 * 0 or -1 (reported).
 */
int backup_copy_repo(const char *src, const char *dst, struct copy_stats *st);

/*
 * Check that every object reachable from the refs of the bare repository
 * at path is there (commits, trees, blobs). Each problem is appended to
 * problems as a line "WHAT: DETAIL\n" (at most a few per repository).
 * Returns the number of problems, or -1 when the repository cannot be
 * opened (said in problems too).
 */
int backup_repo_check(const char *path, struct buf *problems);

/*
 * Hold the data directory's lock for as long as the process runs (serve,
 * runner): shared, so that several may run. A lock that cannot be taken is
 * a warning: the server runs all the same.
 */
void backup_lock_hold(void);
/*
 * 1 if a server or runner holds the lock of the data directory dir, 0 if
 * none does (or dir has no lock file).
 */
int backup_home_busy(const char *dir);

/* "1.2 GiB"-style size into out. */
void backup_human(struct buf *out, int64_t bytes);

/* A progress line on stderr (a terminal only) every second or so: "what: n/total". */
void backup_progress(const char *what, int64_t n, int64_t total);

#endif
