/* github-secret.c: the GitHub credentials, kept 0600 in the data directory, and the mirror's wake-up (see github.h). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "github.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/banned.h"

int github_secret_write(const char *name, const void *data, size_t len)
{
	struct buf dir = BUF_INIT, path = BUF_INIT;
	int ret = -1;

	home_path(&dir, "github");
	buf_addf(&path, "%s/%s", dir.buf, name);
	if ((mkdir(dir.buf, 0700) && errno != EEXIST) || chmod(dir.buf, 0700))
		error_errno("cannot make %s", dir.buf);
	else if (fs_write_atomic(path.buf, data, len, 0600))
		error_errno("cannot write %s", path.buf);
	else
		ret = 0;
	buf_release(&dir);
	buf_release(&path);
	return ret;
}

void github_secret_release(struct buf *b)
{
	if (b->alloc)
		OPENSSL_cleanse(b->buf, b->alloc);
	buf_release(b);
}

int github_secret_read(const char *name, struct buf *out)
{
	struct buf path = BUF_INIT;
	int ret = 0;

	home_path(&path, "github/%s", name);
	if (buf_read_file(out, path.buf))
		ret = errno == ENOENT ? GITHUB_ENOSECRET : error_errno("cannot read %s", path.buf);
	buf_release(&path);
	return ret;
}

int github_secret_load(const char *file, const char *what, struct buf *out)
{
	int rc = !strcmp(file, "-") ? buf_read_fd(out, 0) : buf_read_file(out, file);

	if (rc)
		return error_errno("cannot read the %s from %s", what, !strcmp(file, "-") ? "stdin" : file);
	if (out->len && out->buf[out->len - 1] == '\n')
		buf_setlen(out, out->len - 1);
	if (out->len && out->buf[out->len - 1] == '\r')
		buf_setlen(out, out->len - 1);
	if (!out->len)
		return error("the %s is empty: give a file that holds it, or '-' and type it", what);
	if (out->len > GITHUB_SECRET_MAX)
		return error("the %s is %zu bytes, more than the %d a secret may have", what, out->len,
			     GITHUB_SECRET_MAX);
	if (memchr(out->buf, '\0', out->len))
		return error("the %s holds a NUL byte: give the text GitHub shows, not a binary file", what);
	return 0;
}

int github_repo_name_ok(const char *full_name)
{
	const char *slash = strchr(full_name, '/'), *p;
	size_t owner = slash ? (size_t)(slash - full_name) : 0, name;

	if (!slash || !owner || owner > 39 || strchr(slash + 1, '/'))
		return 0;
	name = strlen(slash + 1);
	if (!name || name > 100 || !strcmp(slash + 1, ".") || !strcmp(slash + 1, ".."))
		return 0;
	for (p = full_name; *p; p++)
		if (p != slash && !(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && *p != '-' && *p != '_' && (*p != '.' || p < slash))
			return 0;
	return 1;
}

static pthread_mutex_t wake_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake_cv = PTHREAD_COND_INITIALIZER;
/*
 * Wake-ups not taken yet: one per github_wake(), as many as there are
 * mirror threads at most (more would only send threads to an empty queue).
 */
static unsigned wakes;

void github_wake(void)
{
	pthread_mutex_lock(&wake_mu);
	if (wakes < GITHUB_MIRROR_THREADS_MAX)
		wakes++;
	pthread_cond_signal(&wake_cv);
	pthread_mutex_unlock(&wake_mu);
}

void github_wake_all(void)
{
	pthread_mutex_lock(&wake_mu);
	wakes = GITHUB_MIRROR_THREADS_MAX;
	pthread_cond_broadcast(&wake_cv);
	pthread_mutex_unlock(&wake_mu);
}

int github_wait(int ms)
{
	struct timespec until;
	int woken;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&wake_mu);
	while (!wakes && pthread_cond_timedwait(&wake_cv, &wake_mu, &until) == 0)
		;
	woken = wakes != 0;
	if (woken)
		wakes--;
	pthread_mutex_unlock(&wake_mu);
	return woken;
}
