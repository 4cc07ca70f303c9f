/* t-fsutil.c: copies, atomic writes and removals that never follow a link out of their tree. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "../../lib/buf.h"
#include "../../lib/fsutil.h"
#include "../../lib/banned.h"

static char root[] = "/tmp/t-fsutil.XXXXXX";

/* root/rel, in one of two buffers used in turn (a call may take two paths). */
static const char *at(const char *rel)
{
	static struct buf b[2] = { BUF_INIT, BUF_INIT };
	static int turn;

	turn = !turn;
	buf_reset(&b[turn]);
	buf_addf(&b[turn], "%s/%s", root, rel);
	return b[turn].buf;
}

static void put(const char *rel, const char *text)
{
	FILE *f = fopen(at(rel), "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static int same(const char *rel, const char *text)
{
	struct buf b = BUF_INIT;
	int eq = !buf_read_file(&b, at(rel)) && !strcmp(b.buf, text);

	buf_release(&b);
	return eq;
}

int main(void)
{
	struct buf link = BUF_INIT;
	int dir;

	if (!mkdtemp(root))
		return 1;
	mkdir(at("src"), 0755);
	mkdir(at("src/sub"), 0755);
	mkdir(at("dst"), 0755);
	mkdir(at("outside"), 0755);
	put("src/sub/f", "teacher");
	put("canary", "canary");

	/* fs_write_atomic: a link planted on its temporary name is replaced, not written through. */
	buf_addf(&link, "%s.tmp.%ld", at("dst/w"), (long)getpid());
	symlink(at("canary"), link.buf);
	is_int(fs_write_atomic(at("dst/w"), "new", 3, 0644), 0, "an atomic write past a planted link");
	ok(same("canary", "canary"), "the link's target is untouched");
	ok(same("dst/w", "new"), "the file has the data");

	/* fs_copy_at: nothing is opened through an existing name. */
	dir = open(at("dst"), O_RDONLY | O_DIRECTORY);
	symlink(at("canary"), at("dst/f"));
	ok(fs_copy_at(at("src/sub/f"), dir, "f") < 0, "a copy onto an existing link is refused");
	ok(same("canary", "canary"), "and writes nothing through it");
	{
		struct stat st;

		ok(!lstat(at("dst/f"), &st) && S_ISLNK(st.st_mode), "the planted link is really there");
	}
	is_int(fs_remove_at(dir, "f"), 0, "the link is removed");
	ok(same("canary", "canary"), "its target stays");
	is_int(fs_copy_at(at("src"), dir, "copy"), 0, "a tree is copied");
	ok(same("dst/copy/sub/f", "teacher"), "with its files");

	/* fs_remove_at: a link to a directory outside goes, the directory stays. */
	put("outside/keep", "keep");
	symlink(at("outside"), at("dst/copy/sub/out"));
	is_int(fs_remove_at(dir, "copy"), 0, "a tree with a link to a directory is removed");
	ok(access(at("dst/copy"), F_OK) < 0, "all of it");
	ok(same("outside/keep", "keep"), "without following the link");
	close(dir);

	buf_release(&link);
	fs_remove_tree(root);
	return done_testing();
}
