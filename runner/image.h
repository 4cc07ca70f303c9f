/*
 * image.h: assignment images in the data directory: a source (what `docker
 * save` writes, an OCI layout, a registry) unpacked once per manifest
 * digest into images/<hex>/rootfs, which the sandbox then has as its /
 * (launch.h, bwrap-args.c). The names are in the database (db/images.h).
 * The runner's map of files: runner.h.
 */
#ifndef RUNNER_IMAGE_H
#define RUNNER_IMAGE_H

#include <stdint.h>

struct buf;

/* Append the unpacked tree of digest ("sha256:<hex>"): LIFEBELT_HOME/images/<hex>/rootfs. */
void image_tree(struct buf *out, const char *digest);

/*
 * Unpack source ("docker-archive:FILE", "oci:DIR[:TAG]" or
 * "docker://REF") with skopeo and umoci into the data directory, unless
 * a tree of its manifest digest is there already (*reused is then 1).
 * The tree appears whole or not at all (made aside, then renamed), and
 * must have /bin/sh. Its digest is appended to digest, its size in bytes
 * put in *size. 0, or -1 after one line saying what was wrong.
 */
int image_unpack(const char *source, struct buf *digest, int64_t *size, int *reused);

/* Remove digest's unpacked tree (when no name stands for it any more). 0 or -1 (reported). */
int image_remove(const char *digest);

#endif
