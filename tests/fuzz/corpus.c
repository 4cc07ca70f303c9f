/*
 * corpus.c: a fuzz target's main without libFuzzer: run each file (or
 * each file of each directory) given once, printing TAP. A crash, a
 * sanitizer report or a hang is the test's failure; `make test` runs
 * every corpus this way, so that an input that once crashed a parser
 * stays harmless.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "../../lib/alloc.h"
#include "../../lib/buf.h"

static int n;

static void run_file(const char *path)
{
	struct buf b = BUF_INIT;

	if (buf_read_file(&b, path)) {
		printf("not ok %d - %s: cannot read it\n", ++n, path);
		return;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)b.buf, b.len);
	printf("ok %d - %s\n", ++n, path);
	fflush(stdout);
	buf_release(&b);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *de;
		char **names = NULL;
		size_t nr = 0, alloc = 0, k;

		if (stat(argv[i], &st) || !S_ISDIR(st.st_mode)) {
			run_file(argv[i]);
			continue;
		}
		if (!(d = opendir(argv[i])))
			continue;
		while ((de = readdir(d)))
			if (de->d_name[0] != '.') {
				ALLOC_GROW(names, nr + 1, alloc);
				names[nr++] = xstrdup(de->d_name);
			}
		closedir(d);
		qsort(names, nr, sizeof(*names), by_name);
		for (k = 0; k < nr; k++) {
			struct buf p = BUF_INIT;

			buf_addf(&p, "%s/%s", argv[i], names[k]);
			run_file(p.buf);
			buf_release(&p);
			free(names[k]);
		}
		free(names);
	}
	printf("1..%d\n", n);
	return 0;
}
