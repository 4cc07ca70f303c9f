/*
 * fuzz-push-options.c: `git push -o OPTION`, as the hooks read it
 * (hooks/hook.c): git hands each option the client sent to the hooks as
 * GIT_PUSH_OPTION_i, their number as GIT_PUSH_OPTION_COUNT. Each line of
 * the input is one option (git refuses options with a newline or a NUL).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "../../hooks/hook.h"
#include "../../lib/buf.h"

/* More than the hooks read (100), to reach their cap. */
#define OPTIONS_MAX 120

/*
 * putenv() keeps the string itself in the environment: one per variable,
 * freed once replaced, so that millions of runs do not pile up copies
 * (setenv() keeps every value it was ever given).
 */
static char *vars[OPTIONS_MAX + 1];
static int nr_set;      /* GIT_PUSH_OPTION_i set by the run before */

static void put(int slot, const char *name, const char *value)
{
	struct buf b = BUF_INIT;
	char *old = vars[slot];

	if (value) {
		buf_addf(&b, "%s=%s", name, value);
		vars[slot] = buf_detach(&b, NULL);
		putenv(vars[slot]);
	} else {
		unsetenv(name);
		vars[slot] = NULL;
	}
	free(old);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_string(data, size), *line = in, *nl;
	char name[40], count[16];
	int n = 0, i;

	/* No option sent: git sets no count at all. */
	for (; size && line && n < OPTIONS_MAX; n++, line = nl ? nl + 1 : NULL) {
		if ((nl = strchr(line, '\n')))
			*nl = '\0';
		snprintf(name, sizeof(name), "GIT_PUSH_OPTION_%d", n);
		put(n + 1, name, line);
	}
	for (i = n; i < nr_set; i++) {
		snprintf(name, sizeof(name), "GIT_PUSH_OPTION_%d", i);
		put(i + 1, name, NULL);
	}
	nr_set = n;
	snprintf(count, sizeof(count), "%d", n);
	put(0, "GIT_PUSH_OPTION_COUNT", size ? count : NULL);
	hook_wait_option();
	hook_submit_option();
	hook_check_push_options();
	free(in);
	return 0;
}
