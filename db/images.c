/* images.c: assignment images' names and digests (see images.h). */
#include <stdlib.h>
#include <string.h>

#include "images.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/banned.h"

void image_release(struct image *im)
{
	free(im->name);
	free(im->digest);
	free(im->source);
	memset(im, 0, sizeof(*im));
}

#define IMAGE_COLS "name, digest, source, size, added"

static void image_fill(sqlite3_stmt *st, struct image *im)
{
	im->name = db_text_dup(st, 0);
	im->digest = db_text_dup(st, 1);
	im->source = db_text_dup(st, 2);
	im->size = sqlite3_column_int64(st, 3);
	im->added = sqlite3_column_int64(st, 4);
}

int db_image_add(struct db *db, const struct image *im)
{
	int rc = db_exec(db, "INSERT INTO images (" IMAGE_COLS ") VALUES (?, ?, ?, ?, ?)", "tttii",
			 im->name, im->digest, im->source, im->size, im->added);

	return rc < 0 ? rc : 0;
}

int db_image_get(struct db *db, const char *name, struct image *im)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT " IMAGE_COLS " FROM images WHERE name = ?", "t", name);
	int rc;

	memset(im, 0, sizeof(*im));
	if (!st)
		return -1;
	if (!(rc = db_row(db, st)))
		image_fill(st, im);
	sqlite3_finalize(st);
	return rc;
}

int db_image_each(struct db *db, int (*fn)(const struct image *im, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT " IMAGE_COLS " FROM images ORDER BY name", "");
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		struct image im;

		image_fill(st, &im);
		rc = fn(&im, data);
		image_release(&im);
		if (rc)
			break;
	}
	return db_walk_done(st, rc);
}

int db_image_rm(struct db *db, const char *name)
{
	int rc = db_exec(db, "DELETE FROM images WHERE name = ?", "t", name);

	return rc < 0 ? rc : rc ? 0 : DB_ENOTFOUND;
}

int db_image_uses(struct db *db, const char *digest, int64_t *n)
{
	return db_int(db, n, "SELECT count(*) FROM images WHERE digest = ?", "t", digest);
}

int db_image_assignments(struct db *db, int (*fn)(const char *which, const char *tests_dir,
						  void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT c.name || '/' || a.name, a.tests_dir FROM assignments a "
				   "JOIN courses c ON c.id = a.course_id ORDER BY c.name, a.name", "");

	return db_walk_texts(db, st, fn, data);
}
