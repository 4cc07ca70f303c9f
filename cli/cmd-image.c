/* cmd-image.c: `lifebelt image add|list|rm`: the images assignments are graded in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../db/images.h"
#include "../db/model.h"
#include "../runner/executor.h"
#include "../runner/image.h"
#include "../runner/runner.h"
#include "../runner/spec.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

/* The assignments whose lifebelt.json names an image (name), as "COURSE/NAME, ..." in users. */
struct users {
	const char *name;
	struct buf list;
};

static int add_user(const char *which, const char *tests_dir, void *data)
{
	struct users *u = data;
	struct spec s;

	if (spec_load(tests_dir, &s))
		return 0;       /* (said why) a spec that cannot be read names no image */
	if (s.image && !strcmp(s.image, u->name))
		buf_addf(&u->list, "%s%s", u->list.len ? ", " : "", which);
	spec_release(&s);
	return 0;
}

/* The assignments using the image called name, into list ("" for none). 0 or -1. */
static int image_users(struct db *db, const char *name, struct buf *list)
{
	struct users u = { name, BUF_INIT };
	int rc = db_image_assignments(db, add_user, &u);

	buf_add(list, u.list.buf, u.list.len);
	buf_release(&u.list);
	return rc ? -1 : 0;
}

static int add_name(const struct image *im, void *data)
{
	struct buf *names = data;

	buf_addf(names, "%s%s", names->len ? ", " : "", im->name);
	return 0;
}

int image_known(struct db *db, const char *what, const char *name)
{
	struct image im;
	struct buf names = BUF_INIT;
	int rc = db_image_get(db, name, &im);

	if (rc != DB_ENOTFOUND) {
		image_release(&im);
		return rc ? -1 : 0;
	}
	db_image_each(db, add_name, &names);
	error("%s: no image '%s' on this server; %s%s (add one with 'lifebelt image add NAME SOURCE')",
	      what, name, names.len ? "known images: " : "there are no images yet",
	      names.buf);
	buf_release(&names);
	return -1;
}

int image_spec_check(struct db *db, const char *tests_dir)
{
	struct spec s;
	int ret;

	if (spec_load(tests_dir, &s))
		return -1;
	/* With the Docker executor (the spec's or the server's) the image is Docker's. */
	if (!s.image || runner_executor(db, &s) == &executor_docker)
		ret = 0;
	else if (name_valid(s.image))
		ret = error("%s: field 'image' must be an image's name (lifebelt image list)", s.path);
	else
		ret = image_known(db, s.path, s.image);
	spec_release(&s);
	return ret;
}

/* 12 hex digits of a digest, as docker shows an image's ID. */
static const char *short_digest(const char *d)
{
	static char s[13];

	snprintf(s, sizeof(s), "%.12s", strncmp(d, "sha256:", 7) ? d : d + 7);
	return s;
}

static void human_size(struct buf *out, int64_t bytes)
{
	if (bytes >= (int64_t)1 << 30)
		buf_addf(out, "%.1f GiB", bytes / (double)((int64_t)1 << 30));
	else
		buf_addf(out, "%.1f MiB", bytes / (double)(1 << 20));
}

int cmd_image_add(int argc, const char **argv)
{
	const char *pos[2];
	struct image im;
	struct buf digest = BUF_INIT, size = BUF_INIT;
	struct db *db = NULL;
	int reused, rc, ret = -1;

	memset(&im, 0, sizeof(im));
	if (parse_args(current_cmd(), argc, argv, NULL, pos, 2, 2) || name_check("image name", pos[0]))
		return -1;
	if (cli_open_db(&db))
		return -1;
	rc = db_image_get(db, pos[0], &im);
	if (!rc) {
		error("image '%s' exists (%s, from %s); add the new one under another name", pos[0],
		      im.digest, im.source);
		goto done;
	}
	if (rc != DB_ENOTFOUND)
		goto done;
	if (image_unpack(pos[1], &digest, &im.size, &reused))
		goto done;
	im.name = xstrdup(pos[0]);
	im.digest = xstrdup(digest.buf);
	im.source = xstrdup(pos[1]);
	im.added = time_now();
	rc = db_image_add(db, &im);
	if (rc == DB_EEXISTS)
		error("image '%s' was added meanwhile; add this one under another name", pos[0]);
	if (rc)
		goto done;
	human_size(&size, im.size);
	printf("%s: %s, %s%s\n", im.name, im.digest, size.buf,
	       reused ? " (the same image is unpacked already: shared)" : "");
	ret = 0;
done:
	db_close(db);
	image_release(&im);
	buf_release(&digest);
	buf_release(&size);
	return ret;
}

struct listing {
	struct db *db;
	struct buf def;         /* sandbox.image */
};

static int print_image(const struct image *im, void *data)
{
	struct listing *l = data;
	struct buf size = BUF_INIT, added = BUF_INIT, users = BUF_INIT;

	human_size(&size, im->size);
	time_format(&added, im->added);
	image_users(l->db, im->name, &users);
	if (!strcmp(l->def.buf, im->name))
		buf_addf(&users, "%sthe server's default (sandbox.image)", users.len ? ", " : "");
	printf("%-16s %-12s %10s  %s  %s\n", im->name, short_digest(im->digest), size.buf,
	       added.buf, users.len ? users.buf : "-");
	buf_release(&size);
	buf_release(&added);
	buf_release(&users);
	return 0;
}

int cmd_image_list(int argc, const char **argv)
{
	struct listing l = { NULL, BUF_INIT };
	int rc;

	if (parse_args(current_cmd(), argc, argv, NULL, NULL, 0, 0) || cli_open_db_readonly(&l.db))
		return -1;
	db_config_get(l.db, "sandbox.image", &l.def);
	printf("%-16s %-12s %10s  %-23s  %s\n", "NAME", "DIGEST", "SIZE", "ADDED", "USED BY");
	rc = db_image_each(l.db, print_image, &l);
	db_close(l.db);
	buf_release(&l.def);
	return rc ? -1 : 0;
}

int cmd_image_rm(int argc, const char **argv)
{
	const char *pos[1];
	struct image im;
	struct buf users = BUF_INIT, def = BUF_INIT;
	struct db *db = NULL;
	int64_t uses = 0;
	int rc, ret = -1;

	memset(&im, 0, sizeof(im));
	if (parse_args(current_cmd(), argc, argv, NULL, pos, 1, 1) || cli_open_db(&db))
		return -1;
	rc = db_image_get(db, pos[0], &im);
	if (rc == DB_ENOTFOUND)
		image_known(db, "lifebelt image rm", pos[0]);
	if (rc)
		goto done;
	if (image_users(db, im.name, &users))
		goto done;
	if (users.len) {
		error("image '%s' is in use by %s: their lifebelt.json names it", im.name, users.buf);
		goto done;
	}
	db_config_get(db, "sandbox.image", &def);
	if (!strcmp(def.buf, im.name)) {
		error("image '%s' is the server's default; 'lifebelt config set sandbox.image OTHER' "
		      "(or \"\" for the host's own system) first", im.name);
		goto done;
	}
	if (db_image_rm(db, im.name) || db_image_uses(db, im.digest, &uses))
		goto done;
	/* The tree goes with the last name that stands for it. */
	if (!uses && image_remove(im.digest))
		goto done;
	printf("removed image %s (%s)%s\n", im.name, im.digest,
	       uses ? "; its tree stays: another name stands for it" : "");
	ret = 0;
done:
	db_close(db);
	image_release(&im);
	buf_release(&users);
	buf_release(&def);
	return ret;
}
