/* hook.c: what every hook does first: read the ref updates, find the repository and the database. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hook.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

int hook_say(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	buf_addch(&b, '\n');
	rc = fwrite(b.buf, 1, b.len, stderr) == b.len && !fflush(stderr) ? 0 : -1;
	buf_release(&b);
	return rc;
}

const char *hook_push_option(int i)
{
	const char *count = getenv("GIT_PUSH_OPTION_COUNT");
	char var[40];

	if (i >= (count ? atoi(count) : 0) || i >= 100)
		return NULL;
	snprintf(var, sizeof(var), "GIT_PUSH_OPTION_%d", i);
	return getenv(var) ? getenv(var) : "";
}

/* "wait" 0, "wait=SECONDS" the seconds, HOOK_OPTION_BAD for a bad wait, -1 for another option. */
static int64_t parse_wait(const char *v)
{
	int64_t n = 0;

	if (!strcmp(v, "wait"))
		return 0;
	if (strncmp(v, "wait=", 5))
		return -1;
	v += 5;
	if (!*v || strlen(v) > 6 || strspn(v, "0123456789") != strlen(v))
		return HOOK_OPTION_BAD;
	n = atoll(v);
	return n < 1 || n > HOOK_WAIT_MAX ? HOOK_OPTION_BAD : n;
}

int64_t hook_wait_option(void)
{
	const char *v;
	int64_t n, ret = -1;
	int i;

	/* The last valid one counts, as with git's own options. */
	for (i = 0; (v = hook_push_option(i)); i++)
		if ((n = parse_wait(v)) >= 0)
			ret = n;
	return ret;
}

int hook_submit_option(void)
{
	const char *v;
	int i;

	for (i = 0; (v = hook_push_option(i)); i++)
		if (!strcmp(v, "submit"))
			return 1;
	return 0;
}

void hook_check_push_options(void)
{
	const char *v;
	int i;

	for (i = 0; (v = hook_push_option(i)); i++) {
		int64_t n = parse_wait(v);

		if (n == HOOK_OPTION_BAD)
			hook_say("push option '%.60s' ignored: wait=SECONDS takes a whole number of "
				 "seconds from 1 to %d", v, HOOK_WAIT_MAX);
		else if (n < 0 && strcmp(v, "submit"))
			hook_say("push option '%.60s' ignored: it is not known here; the known ones are "
				 "wait, wait=SECONDS and submit", v);
	}
}

void hook_graded_ref(const struct hook_ctx *h, struct buf *out)
{
	struct buf head = BUF_INIT;

	if (h->db) {
		buf_addf(out, "refs/heads/%s", h->a.branch);
	} else if (!buf_read_file(&head, "HEAD") && !strncmp(head.buf, "ref: ", 5)) {
		buf_trim(&head);
		buf_adds(out, head.buf + 5);
	} else {
		buf_adds(out, "refs/heads/main");
	}
	buf_release(&head);
}

/*
 * git runs hooks in the bare repository, which lives at
 * HOME/repos/COURSE/NAME/LOGIN.git: the data directory and the repository's
 * name both follow from the working directory, whatever the environment says.
 */
static int find_repo(struct buf *home, struct buf *rel)
{
	char *cwd = fs_realpath(".");
	size_t cut;
	int i;

	if (!cwd)
		return error_errno("cannot resolve the repository directory");
	buf_adds(home, cwd);
	free(cwd);
	cut = home->len;
	for (i = 0; i < 3; i++) {
		while (cut > 0 && home->buf[cut - 1] != '/')
			cut--;
		if (cut <= 1)
			return error("hook run outside a Lifebelt repository: %s", home->buf);
		cut--;
	}
	buf_adds(rel, home->buf + cut + 1);
	buf_setlen(home, cut);
	if (home->len < 6 || strcmp(home->buf + home->len - 6, "/repos"))
		return error("hook run outside a Lifebelt repository: %s/%s", home->buf, rel->buf);
	buf_setlen(home, home->len - 6);
	return 0;
}

/* COURSE/NAME/LOGIN.git into its three names. */
static int split_relpath(struct hook_ctx *h)
{
	const char *p = h->relpath, *s1 = strchr(p, '/'), *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
	size_t n = strlen(p);

	if (!s2 || n < 5 || strcmp(p + n - 4, ".git") ||
	    (size_t)(s1 - p) >= sizeof(h->course) || (size_t)(s2 - s1 - 1) >= sizeof(h->name) ||
	    (size_t)(p + n - 4 - s2 - 1) >= sizeof(h->login))
		return error("hook run outside a Lifebelt repository: %s", p);
	memcpy(h->course, p, (size_t)(s1 - p));
	memcpy(h->name, s1 + 1, (size_t)(s2 - s1 - 1));
	memcpy(h->login, s2 + 1, (size_t)(p + n - 4 - s2 - 1));
	if (name_valid(h->course) || name_valid(h->name) || name_valid(h->login))
		return error("hook run outside a Lifebelt repository: %s", p);
	return 0;
}

/*
 * Frames in the WAL after this hook's last commit. Instead of SQLite's
 * automatic checkpoint, which runs inside the commit and, between hooks
 * that each open the database afresh, never gets to restart the WAL (a
 * process that opens the database with no other connection open rebuilds
 * the WAL's index, forgetting what was checkpointed, by reading and
 * checksumming the whole WAL, so the WAL grows and every hook and shell
 * reads all of it).
 */
static int wal_frames;

static int count_wal(void *data, sqlite3 *db, const char *name, int frames)
{
	(void)data;
	(void)db;
	(void)name;
	wal_frames = frames;
	return SQLITE_OK;
}

/*
 * Close the database. Once the WAL holds HOOK_WAL_PAGES pages, the hook that
 * closes the last connection checkpoints it and deletes it (outside any
 * write transaction; with other connections open this does nothing, one of
 * them will), so the WAL stays small and cheap to open.
 */
static void close_db(struct hook_ctx *h)
{
	if (h->db && wal_frames >= HOOK_WAL_PAGES)
		sqlite3_db_config(h->db->h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, (int *)NULL);
	db_close(h->db);
	h->db = NULL;
}

/*
 * Open the database and look the repository up. A database that is
 * missing, locked, busy or broken leaves h->db NULL (the hooks go on
 * without it); only a repository the database does not know is an error.
 */
static int open_db(struct hook_ctx *h)
{
	struct buf path = BUF_INIT;
	int rc;

	home_path(&path, "lifebelt.db");
	rc = access(path.buf, F_OK) ? DB_EBUSY : db_open(&h->db, path.buf, 0);
	buf_release(&path);
	h->db_error = rc == DB_EFULL ? DB_EFULL : DB_EBUSY;
	if (rc)
		return 0;
	sqlite3_busy_timeout(h->db->h, HOOK_BUSY_TIMEOUT_MS);
	/*
	 * The last connection to close checkpoints the WAL into the database
	 * and fsyncs it; in a rush every hook would, under the write lock. The
	 * WAL is durable as it is: checkpoint only when it has grown (see
	 * close_db()), and leave the rest to the server's long-lived connections.
	 */
	sqlite3_db_config(h->db->h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
	sqlite3_wal_hook(h->db->h, count_wal, NULL);
	rc = db_repo_by_path(h->db, h->relpath, &h->repo);
	if (!rc)
		rc = db_assignment_get_id(h->db, h->repo.assignment_id, &h->a);
	if (rc == DB_ENOTFOUND)
		return error("repository %s is not registered with Lifebelt", h->relpath);
	if (rc)
		close_db(h);
	return 0;
}

/*
 * The push's receive time: when it reached Lifebelt, which the transport
 * that runs git puts in LIFEBELT_RECEIVED (`lifebelt serve` when the
 * push's ref advertisement was asked for, see gitd/http.c push_start();
 * `lifebelt shell` when sshd started it), so that nothing
 * between then and this hook (a slow upload, a busy server) makes a push
 * late. A student cannot set it (sshd passes no environment of theirs, the
 * server builds the CGI's); only a whole number of seconds not after now
 * counts, else now. It is credited back at most RECEIVE_CREDIT seconds: a
 * connection opened before the deadline and held open (git waits for the
 * pushed commands as long as the client likes) must not stamp work that
 * was sent later.
 */
#define RECEIVE_CREDIT 120

static int64_t receive_time(void)
{
	const char *v = getenv("LIFEBELT_RECEIVED");
	int64_t now = time_now(), t;
	char *end;

	if (!v || !*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 12)
		return now;
	t = strtoll(v, &end, 10);
	if (t <= 0 || t > now)
		return now;
	return now - t > RECEIVE_CREDIT ? now - RECEIVE_CREDIT : t;
}

int hook_enter(int (*run)(struct hook_ctx *h))
{
	struct buf home = BUF_INIT, rel = BUF_INIT;
	struct hook_ctx h;
	const char *via = getenv("LIFEBELT_VIA"), *pusher = getenv("LIFEBELT_LOGIN");
	int ret = 1;

	memset(&h, 0, sizeof(h));
	h.db_error = DB_EBUSY;
	/* The receive time is taken before anything else can delay it. */
	h.now = receive_time();
	buf_init(&h.updates, 0);
	log_set_error_word("lifebelt");
	/* All ref updates are read first, so git never sees a broken pipe. */
	if (buf_read_fd(&h.updates, 0)) {
		error_errno("cannot read the ref updates");
		goto done;
	}
	if (find_repo(&home, &rel))
		goto done;
	home_set(home.buf);
	h.relpath = rel.buf;
	if (split_relpath(&h))
		goto done;
	h.via = via && (!strcmp(via, "ssh") || !strcmp(via, "http")) ? via : "local";
	h.pusher = pusher && *pusher ? pusher : NULL;
	if (open_db(&h))
		goto done;
	ret = run(&h);
done:
	assignment_release(&h.a);
	repo_info_release(&h.repo);
	close_db(&h);
	buf_release(&home);
	buf_release(&rel);
	buf_release(&h.updates);
	return ret;
}
