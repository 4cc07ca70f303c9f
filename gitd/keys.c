/* keys.c: writing authorized_keys for the SSH account that students reach. */
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "keys.h"
#include "../db/model.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/banned.h"

/* sshd runs the forced command through the account's shell: allow only plain path bytes. */
static int path_safe(const char *what, const char *p)
{
	const char *c;

	if (*p != '/')
		return error("%s '%s' is not absolute", what, p);
	for (c = p; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || strchr("/._+-", *c)))
			return error("%s '%s' has characters that are unsafe in an SSH forced "
				     "command (use only letters, digits and / . _ + -)", what, p);
	return 0;
}

/*
 * The forced command's program: lifebelt-shell next to this binary when it
 * is there (it starts faster, see gitd/standalone/shell.c), else this
 * binary's `shell` subcommand.
 */
static int shell_command(struct buf *out)
{
	int lean = fs_self_program(out, "shell");

	if (lean < 0 || path_safe("program path", out->buf))
		return -1;
	if (!lean)
		buf_adds(out, " shell");
	return 0;
}

int keys_line(struct buf *out, const char *login, const char *type, const char *blob)
{
	struct buf prog = BUF_INIT;
	int ret = -1;

	if (shell_command(&prog) || path_safe("data directory", home_dir()))
		goto done;
	buf_addf(out, "command=\"%s --home %s %s\",restrict %s %s\n",
		 prog.buf, home_dir(), login, type, blob);
	ret = 0;
done:
	buf_release(&prog);
	return ret;
}

void keys_file(struct db *db, struct buf *out)
{
	struct buf set = BUF_INIT;

	db_config_get(db, "ssh.authorized_keys", &set);
	if (set.buf[0] == '/')
		buf_add(out, set.buf, set.len);
	else
		home_path(out, "%s", set.buf);
	buf_release(&set);
}

struct collect {
	struct buf text;
	int nr;
};

static int add_key(const char *login, const char *type, const char *blob, void *data)
{
	struct collect *c = data;

	c->nr++;
	return keys_line(&c->text, login, type, blob);
}

int keys_write(struct db *db, int *nr)
{
	struct collect c = { BUF_INIT, 0 };
	struct buf path = BUF_INIT, lock = BUF_INIT;
	char *slash;
	int fd = -1, ret = -1;

	keys_file(db, &path);
	slash = strrchr(path.buf, '/');
	if (slash && slash != path.buf) {
		*slash = '\0';
		if (fs_mkdir_p(path.buf, 0755)) {
			error_errno("cannot create %s", path.buf);
			goto done;
		}
		*slash = '/';
	}
	/* Two commands at once: the one that reads the database last also writes last. */
	buf_addf(&lock, "%s.lock", path.buf);
	fd = open(lock.buf, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX)) {
		error_errno("cannot lock %s", lock.buf);
		goto done;
	}
	buf_adds(&c.text, "# Written by lifebelt (`lifebelt keys`); changes here are lost.\n");
	if (db_key_each(db, add_key, &c))
		goto done;
	if (fs_write_atomic(path.buf, c.text.buf, c.text.len, 0644)) {
		error_errno("cannot write %s", path.buf);
		goto done;
	}
	if (nr)
		*nr = c.nr;
	ret = 0;
done:
	if (fd >= 0)
		close(fd);
	buf_release(&c.text);
	buf_release(&path);
	buf_release(&lock);
	return ret;
}

int keys_sync(struct db *db)
{
	if (!keys_write(db, NULL))
		return 0;
	return error("the keys are stored, but SSH will not know them until "
		     "'lifebelt keys' succeeds");
}
