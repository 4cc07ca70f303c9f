/* shell.c: the SSH forced command: strict parsing, one authorisation, exec git. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "remote.h"
#include "shell.h"
#include "../db/access.h"
#include "../db/model.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/push.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

static const struct {
	const char *name;       /* as the git client sends it */
	const char *builtin;    /* git's subcommand */
	int write;
} services[] = {
	{ "git-upload-pack", "upload-pack", 0 },
	{ "git-receive-pack", "receive-pack", 1 },
};

/* Is the command's first word, of n bytes, name? */
static int verb_is(const char *cmd, size_t n, const char *name)
{
	return strlen(name) == n && !memcmp(cmd, name, n);
}

int shell_parse(const char *cmd, int *want_write, struct buf *path, const char **why)
{
	const char *sp = strchr(cmd, ' '), *p, *end;
	size_t i, n;

	for (p = cmd; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			*why = "control characters (a newline?) in the command";
			return -1;
		}
	n = sp ? (size_t)(sp - cmd) : strlen(cmd);
	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (verb_is(cmd, n, services[i].name))
			break;
	if (i == sizeof(services) / sizeof(services[0])) {
		/* git-lfs asks these before its push; it prints our answer. */
		*why = verb_is(cmd, n, "git-lfs-authenticate") || verb_is(cmd, n, "git-lfs-transfer") ?
			auth_lfs_message :
			verb_is(cmd, n, "git-upload-archive") ?
			"git archive --remote is not served; clone the repository instead" :
			"this account serves only git clone, fetch and push; no shell or other commands";
		return -1;
	}
	if (!sp) {
		*why = "the repository must be given as one quoted path, as git sends it";
		return -1;
	}
	p = sp + 1;
	end = p + strlen(p);
	if (end - p < 2 || *p != '\'' || end[-1] != '\'') {
		*why = "the repository must be given as one quoted path, as git sends it";
		return -1;
	}
	p++;
	end--;
	if (p == end || *p == '-') {
		*why = "the repository path must not be empty or start with '-'";
		return -1;
	}
	for (sp = p; sp < end; sp++)
		if (*sp == '\'' || *sp == '\\' || *sp == ' ' || (unsigned char)*sp > 0x7e) {
			*why = "the repository path has quotes, spaces or other characters that "
				"no repository name has";
			return -1;
		}
	*want_write = services[i].write;
	buf_add(path, p, (size_t)(end - p));
	return 0;
}

struct info {
	const char *login, *host_prefix;
	int nr;
};

static int info_line(const char *relpath, int writable, void *data)
{
	struct info *in = data;
	size_t n = strlen(relpath) - strlen(".git");
	size_t own = strlen(in->login) + 1;

	in->nr++;
	/* Own repositories are shown as the short COURSE/NAME that students type. */
	if (writable && n > own && relpath[n - own] == '/' &&
	    !memcmp(relpath + n - own + 1, in->login, own - 1))
		printf(" R W  %s%.*s\n", in->host_prefix, (int)(n - own), relpath);
	else
		printf(" R    %s%.*s\n", in->host_prefix, (int)n, relpath);
	return 0;
}

static int info_tests(const char *course, const char *name, void *data)
{
	struct info *in = data;

	in->nr++;
	printf(" R W  %s%s/%s/%s\n", in->host_prefix, course, name, NAME_TESTS_REPO);
	return 0;
}

static int shell_info(struct db *db, const char *login)
{
	struct buf user = BUF_INIT, host = BUF_INIT, prefix = BUF_INIT;
	struct info in = { login, NULL, 0 };
	int64_t port = db_config_int(db, "ssh.port");
	int rc;

	db_config_get(db, "ssh.user", &user);
	db_config_get(db, "ssh.host", &host);
	if (port == 22)
		buf_addf(&prefix, "%s@%s:", user.buf, host.buf);
	else
		buf_addf(&prefix, "ssh://%s@%s:%lld/", user.buf, host.buf, (long long)port);
	in.host_prefix = prefix.buf;
	printf("hello %s, this is Lifebelt. You can reach:\n\n", login);
	rc = db_access_each(db, login, info_line, &in);
	if (!rc)
		rc = db_access_tests_each(db, login, info_tests, &in);
	if (!rc && !in.nr)
		printf(" (no repositories yet)\n");
	if (!rc)
		printf("\nClone with: git clone %s%s\n", prefix.buf,
		       in.nr ? "COURSE/ASSIGNMENT" : "COURSE/ASSIGNMENT (once you have one)");
	buf_release(&user);
	buf_release(&host);
	buf_release(&prefix);
	return rc ? 1 : 0;
}

int shell_run(struct db *db, const char *login, const char *cmd)
{
	struct buf path = BUF_INIT, rel = BUF_INIT, abs = BUF_INIT;
	const char *why;
	int want_write, rc;

	if (!cmd)
		return shell_info(db, login);
	if (remote_is_lifebelt(cmd))
		return remote_run(db, login, cmd);
	if (shell_parse(cmd, &want_write, &path, &why)) {
		error("%s", why);
		goto fail;
	}
	rc = auth_repo(db, login, path.buf, want_write, &rel);
	if (rc == AUTH_EDENIED)
		error("%s; ssh with no command lists yours", auth_denied_message);
	if (rc)
		goto fail;
	home_path(&abs, "repos/%s", rel.buf);
	if (!fs_is_dir(abs.buf)) {
		error("repository %s is missing on the server; tell your teacher", rel.buf);
		goto fail;
	}
	if (want_write && fs_nearly_full(abs.buf, PUSH_MIN_FREE)) {
		error("%s", PUSH_NO_SPACE);
		goto fail;
	}
	if (setenv("LIFEBELT_VIA", "ssh", 1) || setenv("LIFEBELT_LOGIN", login, 1) ||
	    setenv("LIFEBELT_HOME", home_dir(), 1)) {
		error_errno("setenv");
		goto fail;
	}
	db_close(db);
	fflush(NULL);
	execlp("git", "git", services[want_write].builtin, abs.buf, (char *)NULL);
	die_errno("cannot run git %s", services[want_write].builtin);
fail:
	buf_release(&path);
	buf_release(&rel);
	buf_release(&abs);
	return 1;
}

int shell_main(const char *home, const char *login)
{
	const char *cmd = getenv("SSH_ORIGINAL_COMMAND");
	struct buf path = BUF_INIT;
	struct db *db;
	char received[24];
	int rc;

	/* A push's receive time is now, when sshd started us (the hooks read it). */
	snprintf(received, sizeof(received), "%lld", (long long)time_now());
	if (setenv("LIFEBELT_RECEIVED", received, 1))
		return error_errno("setenv");
	if (name_check("login", login))
		return 1;
	if (home)
		home_set(home);
	home_path(&path, "lifebelt.db");
	rc = db_open(&db, path.buf, DB_READONLY);
	if (rc == DB_EBUSY || rc == DB_EFULL)
		error("cannot read database %s", path.buf);
	buf_release(&path);
	if (rc)
		return 1;
	rc = shell_run(db, login, cmd && *cmd ? cmd : NULL);
	db_close(db);
	return rc;
}
