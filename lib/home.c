/* home.c: LIFEBELT_HOME and the layout of the data directory. */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "home.h"
#include "log.h"
#include "push.h"
#include "banned.h"

static struct buf home = BUF_INIT;

static void forget_server_key(void);

void home_set(const char *dir)
{
	forget_server_key();
	buf_reset(&home);
	if (dir[0] != '/') {
		char *cwd = getcwd(NULL, 0);

		if (!cwd)
			die_errno("getcwd");
		buf_addf(&home, "%s/", cwd);
		free(cwd);
	}
	buf_adds(&home, dir);
	while (home.len > 1 && home.buf[home.len - 1] == '/')
		buf_setlen(&home, home.len - 1);
}

const char *home_dir(void)
{
	if (!home.len) {
		const char *env = getenv("LIFEBELT_HOME");

		home_set(env && *env ? env : HOME_DEFAULT);
	}
	return home.buf;
}

void home_path(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	buf_addf(b, "%s/", home_dir());
	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

/*
 * The key is read once per process: every personal link and receipt needs
 * it, and a page request or a hook should not go to the disk for it each
 * time. The lock makes the first read safe from the web server's threads.
 */
static struct buf server_key = BUF_INIT;
static pthread_mutex_t server_key_lock = PTHREAD_MUTEX_INITIALIZER;

/* Another data directory has another key. */
static void forget_server_key(void)
{
	pthread_mutex_lock(&server_key_lock);
	buf_release(&server_key);
	pthread_mutex_unlock(&server_key_lock);
}

static int read_server_key(struct buf *key)
{
	struct buf path = BUF_INIT, hex = BUF_INIT;
	size_t i;
	int ret = -1;

	home_path(&path, "server.key");
	if (buf_read_file(&hex, path.buf)) {
		error_errno("cannot read the server key %s", path.buf);
		goto done;
	}
	buf_trim(&hex);
	if (hex.len < 32 || hex.len % 2) {
		error("server key %s is malformed", path.buf);
		goto done;
	}
	for (i = 0; i < hex.len; i += 2) {
		char pair[3] = { hex.buf[i], hex.buf[i + 1], 0 };
		char *end;
		long v = strtol(pair, &end, 16);

		if (*end) {
			error("server key %s is malformed", path.buf);
			goto done;
		}
		buf_addch(key, (int)v);
	}
	ret = 0;
done:
	buf_release(&path);
	buf_release(&hex);
	return ret;
}

int home_server_key(struct buf *key)
{
	int ret = 0;

	home_dir();  /* settles the data directory (home_set) outside the lock */
	pthread_mutex_lock(&server_key_lock);
	if (!server_key.len && read_server_key(&server_key)) {
		buf_reset(&server_key);
		ret = -1;
	}
	if (!ret)
		buf_add(key, server_key.buf, server_key.len);
	pthread_mutex_unlock(&server_key_lock);
	return ret;
}

int home_out_of_space(void)
{
	return fs_nearly_full(home_dir(), PUSH_MIN_FREE);
}
