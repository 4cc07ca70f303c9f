/* objdir.h: a repository's object directory: its size, and the quarantines killed pushes left. */
#ifndef HOOKS_OBJDIR_H
#define HOOKS_OBJDIR_H

#include <stdint.h>

/* A push quarantine nothing has written to for this long (seconds) belongs to no live push. */
#define OBJDIR_STALE 3600

/*
 * Bytes of the regular files under dir (symlinks not followed) into *bytes,
 * and, unless newest is NULL (cheaper), the newest modification time of dir
 * and everything under it into *newest. 0, or -1 (errno set; not reported).
 */
int objdir_usage(const char *dir, int64_t *bytes, int64_t *newest);

/*
 * Remove git's push quarantines (tmp_objdir-incoming-*) in the object
 * directory objects that nothing has written to for OBJDIR_STALE seconds,
 * except the one named keep (a path, or NULL). git removes its quarantine
 * when a push ends; a receive-pack that was killed leaves it behind.
 * Returns how many were removed; what cannot be removed is left, quietly,
 * for the next time.
 */
int objdir_sweep(const char *objects, const char *keep);

#endif
