/*
 * fuzz-spec.c: a tests directory's spec as spec_load() reads it. The first
 * byte picks the file (lifebelt.json, .github/classroom/autograding.json,
 * or .github/workflows/classroom.yml); the rest is its content.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "../../lib/buf.h"
#include "../../lib/fsutil.h"
#include "../../runner/spec.h"

static char dir[64];

static void remove_dir(void)
{
	fs_remove_tree(dir);
}

static void write_file(const char *rel, const uint8_t *data, size_t size)
{
	struct buf p = BUF_INIT;
	FILE *f;

	buf_addf(&p, "%s/%s", dir, rel);
	if ((f = fopen(p.buf, "w"))) {
		fwrite(data, 1, size, f);
		fclose(f);
	}
	buf_release(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const files[] = { "lifebelt.json", ".github/classroom/autograding.json",
					     ".github/workflows/classroom.yml" };
	struct spec s;
	struct buf p = BUF_INIT;

	if (!*dir) {
		const char *tmp = getenv("TMPDIR");

		/* Files are written on every run: a tmpfs TMPDIR makes it several times faster. */
		snprintf(dir, sizeof(dir), "%s/lifebelt-fuzz-spec.%ld", tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp",
			 (long)getpid());
		buf_addf(&p, "%s/.github/classroom", dir);
		fs_mkdir_p(p.buf, 0700);
		buf_reset(&p);
		buf_addf(&p, "%s/.github/workflows", dir);
		fs_mkdir_p(p.buf, 0700);
		buf_release(&p);
		atexit(remove_dir);
	}
	if (!size)
		return 0;
	write_file(files[data[0] % 3], data + 1, size - 1);
	if (!spec_load(dir, &s))
		spec_release(&s);
	for (size_t i = 0; i < 3; i++) {
		buf_reset(&p);
		buf_addf(&p, "%s/%s", dir, files[i]);
		unlink(p.buf);
	}
	buf_release(&p);
	return 0;
}
