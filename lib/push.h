/*
 * push.h: what one push to a student repository may bring, and the one
 * table of the server's push settings. The per-assignment caps are columns
 * of assignments (set by `lifebelt assignment add`); the settings are push.KEY
 * (db/settings.c lists them, hooks/pre-receive.c enforces them).
 */
#ifndef LIB_PUSH_H
#define LIB_PUSH_H

#include <stdint.h>

#include "timeutil.h"

/* An assignment's caps unless it says otherwise (the schema's defaults too). */
#define PUSH_INPUT_MB 50                /* what one push carries, MiB (--max-push-mb) */
#define PUSH_INPUT_MB_MAX 4096          /* the largest --max-push-mb */
#define PUSH_FILE_SIZE ((int64_t)5 << 20)       /* largest file, bytes */
#define PUSH_FILES 1000                 /* files a commit's tree may hold */

/*
 * git's own cap on what one push uploads (receive.maxInputSize) is this
 * many times the assignment's: a bound on the disk an upload can fill
 * before any hook runs, set well above the assignment's cap so that the
 * pre-receive hook, which tells the student the size and the cap, is what
 * refuses the usual too-large push.
 */
#define PUSH_GIT_INPUT_FACTOR 4

/*
 * A push is refused before git writes anything when the data directory's
 * file system has less room than this (bytes): git, run out of space half
 * way, says only "unpacker error", and leaves a quarantine to sweep.
 */
#define PUSH_MIN_FREE ((int64_t)1 << 20)
#define PUSH_NO_SPACE "the server is out of disk space, so this push was not stored; " \
	"tell your teacher, and push again once there is room"

/* The longest push.check_seconds may be: a day. */
#define PUSH_CHECK_MAX TIME_DAY

/*
 * X(id, key, default, max, help): the setting push.KEY; id names its slot
 * (PUSH_REFS). max 0: no bound of its own. Keep the order: it is the
 * order every listing shows.
 */
#define PUSH_KEYS(X) \
	X(REFS, "refs", 100, 0, "most branches one push may create or update") \
	X(BRANCHES, "branches", 1000, 0, "most branches a student repository may hold") \
	X(TREE_DEPTH, "tree_depth", 100, 0, \
	  "deepest directory nesting a pushed commit may have (at most 256)") \
	X(REPO_MB, "repo_mb", 200, 0, "largest size of a student repository, MiB") \
	X(CHECK_SECONDS, "check_seconds", 60, PUSH_CHECK_MAX, \
	  "longest time the server spends checking one push, seconds")

#define PUSH_KEY_ID(id, key, def, max, help) PUSH_##id,
enum { PUSH_KEYS(PUSH_KEY_ID) PUSH_NR };
#undef PUSH_KEY_ID

#endif
