/* checker.c: the directory a teacher's checker program runs in, made and removed by descriptor. */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checker.h"
#include "../lib/buf.h"
#include "../lib/crypto.h"
#include "../lib/fsutil.h"
#include "../lib/log.h"
#include "../lib/banned.h"

/* A new read-only file name of the directory open at dir holding data (O_EXCL: nothing there is followed). */
static int put_file(int dir, const char *name, const char *data, size_t len)
{
	int fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0444);
	int ret;

	if (fd < 0)
		return -1;
	ret = fs_write_all(fd, data, len);
	if (close(fd))
		ret = -1;
	return ret;
}

int checker_prepare(struct checker *c, const char *workdir, const char *path,
		    const char *input, const char *expected, const char *actual, size_t actual_len,
		    struct buf *cmd, struct buf *why)
{
	const char *base = strrchr(path, '/');
	unsigned char rnd[12];
	struct buf name = BUF_INIT;
	int dir = -1, ret = -1;

	base = base ? base + 1 : path;
	memset(c, 0, sizeof(*c));
	c->top = open(workdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (c->top < 0 || crypto_random(rnd, sizeof(rnd))) {
		buf_addf(why, "cannot open the work directory (%s)", strerror(errno));
		goto done;
	}
	crypto_hex(&name, rnd, sizeof(rnd));
	if (snprintf(c->name, sizeof(c->name), ".lifebelt-checker-%s", name.buf) >= (int)sizeof(c->name)) {
		*c->name = '\0';
		buf_adds(why, "the checker's directory name is too long");
		goto done;
	}
	/* A random name: an entry the student made cannot be in the way, or be it. */
	if (mkdirat(c->top, c->name, 0700) ||
	    (dir = openat(c->top, c->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		buf_addf(why, "cannot make the checker's directory (%s)", strerror(errno));
		goto done;
	}
	if (put_file(dir, "input", input ? input : "", input ? strlen(input) : 0) ||
	    put_file(dir, "expected", expected ? expected : "", expected ? strlen(expected) : 0) ||
	    put_file(dir, "actual", actual, actual_len) ||
	    fs_copy_at(path, dir, base) || fchmodat(dir, base, 0555, 0) || fchmod(dir, 0555)) {
		buf_addf(why, "cannot give the checker its files (%s; is the work directory full?)",
			 strerror(errno));
		goto done;
	}
	buf_addf(cmd, "cd %s && exec ./%s input expected actual", c->name, base);
	ret = 0;
done:
	if (dir >= 0)
		close(dir);
	if (ret && c->top >= 0 && *c->name)
		checker_remove(c);
	else if (ret && c->top >= 0)
		close(c->top);
	if (ret)
		c->top = -1;
	buf_release(&name);
	return ret;
}

int checker_remove(struct checker *c)
{
	int ret = 0;

	if (c->top < 0)
		return 0;
	/* Writable again, so that a runner that is not root may empty it. */
	fchmodat(c->top, c->name, 0700, 0);
	if (fs_remove_at(c->top, c->name))
		ret = error_errno("cannot remove the checker's directory %s", c->name);
	close(c->top);
	c->top = -1;
	return ret;
}
