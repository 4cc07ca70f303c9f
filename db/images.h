/* images.h: the SQL of assignment images: each name and the digest it stands for. */
#ifndef DB_IMAGES_H
#define DB_IMAGES_H

#include <stdint.h>

#include "db.h"

struct image {
	char *name;
	char *digest;           /* sha256:<64 hex> */
	char *source;
	int64_t size;           /* bytes of the unpacked tree */
	int64_t added;
};
void image_release(struct image *im);

/* Record name for digest; DB_EEXISTS if the name is taken. */
int db_image_add(struct db *db, const struct image *im);
/* The image called name into *im (release it); DB_ENOTFOUND. */
int db_image_get(struct db *db, const char *name, struct image *im);
/* Call fn for each image, by name; 0, an error, or what fn stopped with. */
int db_image_each(struct db *db, int (*fn)(const struct image *im, void *data), void *data);
/* Forget name; DB_ENOTFOUND. */
int db_image_rm(struct db *db, const char *name);
/* How many names stand for digest, into *n. */
int db_image_uses(struct db *db, const char *digest, int64_t *n);

/*
 * Call fn with "COURSE/NAME" and the tests directory of every assignment
 * (for finding those whose spec names an image); as db_image_each.
 */
int db_image_assignments(struct db *db, int (*fn)(const char *which, const char *tests_dir,
						  void *data), void *data);

#endif
