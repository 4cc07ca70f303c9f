/* t-alloc.c: ALLOC_GROW, the x-allocators' overflow checks, and reports that allocate nothing. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "../../lib/alloc.h"
#include "../../lib/buf.h"
#include "../../lib/log.h"

/* Run fn in a child with stderr to a pipe; its exit status, and what it printed into out. */
static int in_child(void (*fn)(void), struct buf *out)
{
	int p[2], status = -1;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (!pid) {
		dup2(p[1], 2);
		close(p[0]);
		fn();
		_exit(0);
	}
	close(p[1]);
	buf_read_fd(out, p[0]);
	close(p[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void overflow(void)
{
	void *p = xreallocarray(NULL, SIZE_MAX / 2, 4);

	free(p);
}

static void long_error(void)
{
	struct buf b = BUF_INIT;
	int i;

	for (i = 0; i < 20000; i++)
		buf_addch(&b, 'x');
	error("%s", b.buf);
	error_errno("second %s", "line");
	buf_release(&b);
}

int main(void)
{
	struct buf out = BUF_INIT;
	int *v = NULL;
	size_t nr = 0, alloc = 0, i;
	int good = 1;
	char *s;

	for (i = 0; i < 1000; i++) {
		ALLOC_GROW(v, nr + 1, alloc);
		v[nr++] = (int)i;
	}
	for (i = 0; i < nr; i++)
		good &= v[i] == (int)i;
	ok(good && alloc >= nr, "ALLOC_GROW keeps what was there as the array grows");
	free(v);
	s = xstrndup("hello world", 5);
	is_str(s, "hello", "xstrndup copies at most n bytes");
	free(s);

	is_int(in_child(overflow, &out), 128, "an array size that overflows dies");
	is_str(out.buf, "fatal: allocation size overflow (9223372036854775807 x 4)\n",
	       "and says so in one line");
	buf_reset(&out);
	is_int(in_child(long_error, &out), 0, "error() with a message longer than its buffer returns");
	ok(strchr(out.buf, '\n') && strchr(out.buf, '\n') - out.buf + 1 == 8191,
	   "the message is cut to the buffer, its newline included");
	ok(strstr(out.buf, "xxx...\nerror: second line: ") != NULL, "the cut line ends with ... and the next follows");
	buf_release(&out);
	return done_testing();
}
