/* checkout.h: a submission's commit written into a fresh work directory, with libgit2. */
#ifndef RUNNER_CHECKOUT_H
#define RUNNER_CHECKOUT_H

#include <stdint.h>

struct buf;

#include "../lib/codes.h"     /* CHECKOUT_ETOOBIG: refused, the commit is too big */
/* Deepest directory nesting checked out (a descriptor is open per level); deeper is ETOOBIG. */
#define CHECKOUT_MAX_DEPTH 256

struct checkout_caps {
	int64_t max_files;      /* entries (files, links, directories) */
	int64_t max_bytes;      /* total size of the files */
};

/*
 * Write the tree of commit (40 hex) in the bare repository at repo into the
 * existing empty directory dir. Blobs are written byte for byte: no hooks,
 * filters, attributes or submodules run (a submodule entry is skipped, and
 * a line saying so is added to notes unless it is NULL),
 * committed symlinks are created as symlinks and never followed, ".git"
 * entries are skipped. Returns 0; CHECKOUT_ETOOBIG with the reason in why;
 * or -1 (an infrastructure fault, reported, reason in why).
 */
int checkout_commit(const char *repo, const char *commit, const char *dir,
		    const struct checkout_caps *caps, struct buf *why, struct buf *notes);

/* The same, from a repository already open (a push's quarantine: see gitd/tests.c). */
typedef struct git_repository git_repository;
int checkout_commit_in(git_repository *repo, const char *commit, const char *dir,
		       const struct checkout_caps *caps, struct buf *why, struct buf *notes);

/*
 * Copy the teacher's file or directory tests_dir/rel over dir/rel, replacing
 * whatever the student committed there (a symlink or a file in the way of a
 * directory is removed, never followed). Inside dir, every step goes through
 * directory descriptors without following links, and every entry is made
 * afresh (no temporary names): nothing the student committed can redirect a
 * write. 0 or -1 (reported).
 */
int checkout_overlay(const char *tests_dir, const char *rel, const char *dir);
/*
 * Put the teacher's tests_dir/rel back over dir/rel the same way, after
 * steps ran: each of its files and symlinks is made afresh, with the owner
 * of the directory it is in; each directory is descended into, so what
 * else it holds (a build's output) stays. 0 or -1 (reported).
 */
int checkout_restore(const char *tests_dir, const char *rel, const char *dir);

#endif
