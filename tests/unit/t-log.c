/* t-log.c: error() captured in place of printed, for checks whose verdict is shown elsewhere. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "../../lib/log.h"
#include "../../lib/banned.h"

/* What error() wrote to stderr while fn ran. */
static void stderr_of(void (*fn)(void), char *out, size_t size)
{
	char path[] = "/tmp/t-log.XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	ssize_t n;

	fflush(stderr);
	dup2(fd, 2);
	fn();
	dup2(saved, 2);
	close(saved);
	n = pread(fd, out, size - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
}

static char line[16];

static void two_captured(void)
{
	log_capture_errors(line, sizeof(line));
	error("first: %s", "lifebelt.json: tests[0]: a long message");
	error("second");
	log_capture_errors(NULL, 0);
}

static void one_after(void)
{
	error("printed %d", 1);
}

int main(void)
{
	char out[256];

	stderr_of(two_captured, out, sizeof(out));
	is_str(out, "", "a captured error prints nothing");
	is_str(line, "first: lifebelt", "the first error is kept, cut to the buffer");
	stderr_of(one_after, out, sizeof(out));
	is_str(out, "error: printed 1\n", "after the capture ends, errors print again");
	is_str(line, "first: lifebelt", "and the capture is left as it was");
	log_capture_errors(line, sizeof(line));
	is_str(line, "", "a new capture starts empty");
	log_capture_errors(NULL, 0);
	return done_testing();
}
