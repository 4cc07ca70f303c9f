/* wake.c: a FIFO at LIFEBELT_HOME/work/wake; writers never block, the runner polls it. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "home.h"
#include "log.h"
#include "wake.h"
#include "banned.h"

static void wake_path(struct buf *b)
{
	home_path(b, "work/wake");
}

void wake_notify(void)
{
	struct buf path = BUF_INIT;
	int fd;

	wake_path(&path);
	/* ENXIO when no runner has the FIFO open: nobody to wake. */
	fd = open(path.buf, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = write(fd, "w", 1);

		(void)n;  /* EAGAIN: the FIFO is full of wake-ups already */
		close(fd);
	}
	buf_release(&path);
}

int wake_open(void)
{
	struct buf path = BUF_INIT;
	int fd;

	wake_path(&path);
	if (mkfifo(path.buf, 0660) && errno != EEXIST) {
		error_errno("cannot create %s", path.buf);
		buf_release(&path);
		return -1;
	}
	/* O_RDWR keeps a writer open ourselves, so poll() never sees a hang-up. */
	fd = open(path.buf, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		error_errno("cannot open %s", path.buf);
	buf_release(&path);
	return fd;
}

int wake_wait(int fd, int timeout_ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char drain[256];
	int rc = poll(&p, 1, timeout_ms);

	if (rc < 0)
		return errno == EINTR ? 0 : error_errno("poll");
	if (!rc)
		return 0;
	while (read(fd, drain, sizeof(drain)) > 0)
		;
	return 1;
}
