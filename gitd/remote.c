/* remote.c: Lifebelt's own commands over SSH: a strict split, one table, exec (see remote.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "remote.h"
#include "../db/access.h"
#include "../db/model.h"
#include "../lib/buf.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/banned.h"

/*
 * What may be run over SSH. A teacher's row takes the course as its first
 * argument, right after the command's words, where the command itself
 * reads it (an argument not starting with '-' is the first positional);
 * login must teach that course, named exactly as the database has it.
 * `me` takes no arguments: it is given login's own.
 */
static const struct remote_cmd {
	const char *name;
	int teacher;
	const char *usage;
} remote_cmds[] = {
	{ "me", 0, "your courses, submissions, scores and receipts" },
	{ "grades", 1, "COURSE NAME [--csv]" },
	{ "submissions", 1, "COURSE NAME [LOGIN]" },
	{ "extend", 1, "COURSE NAME LOGIN --until TIME" },
	{ "regrade", 1, "COURSE NAME [LOGIN] [--no-wait]" },
	{ "assignment list", 1, "COURSE" },
	{ "assignment show", 1, "COURSE NAME" },
	{ "assignment edit", 1, "COURSE NAME [--due TIME] [--close TIME|never] [...]" },
	{ "override", 1, "COURSE NAME LOGIN ..." },
};
#define NR_REMOTE (sizeof(remote_cmds) / sizeof(remote_cmds[0]))

static int plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c >= 0x80 || (c && strchr("._:+,=@/%-", c));
}

static int quotable(unsigned char c)
{
	return c >= 0x20 && c != 0x7f && c != '$' && c != '`' && c != '\\';
}

int remote_split(const char *cmd, struct remote_words *w)
{
	const char *p = cmd;
	char *out = w->store;

	w->nr = 0;
	if (strlen(cmd) > REMOTE_MAX_LEN)
		return -1;
	while (*p) {
		if (*p == ' ') {
			p++;
			continue;
		}
		if (w->nr == REMOTE_MAX_WORDS)
			return -1;
		w->word[w->nr++] = out;
		while (*p && *p != ' ') {
			if (*p == '\'' || *p == '"') {
				char q = *p++;

				for (; *p != q; p++) {
					if (!*p || !quotable(*p))
						return -1;
					*out++ = *p;
				}
				p++;
			} else if (plain(*p)) {
				*out++ = *p++;
			} else {
				return -1;
			}
		}
		*out++ = '\0';
	}
	return 0;
}

int remote_is_lifebelt(const char *cmd)
{
	unsigned char c = cmd[8];

	/* "lifebelt;id" too, to be refused here; "lifebelt-x" is no command of ours. */
	return !strncmp(cmd, "lifebelt", 8) &&
		!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
}

/* How many of words[0..nr) name c ("assignment edit" is two), or 0. */
static int match(const struct remote_cmd *c, const char *const *words, int nr)
{
	const char *name = c->name;
	int used = 0;

	while (*name) {
		size_t n = strcspn(name, " ");

		if (used >= nr || strlen(words[used]) != n || memcmp(words[used], name, n))
			return 0;
		used++;
		name += n;
		name += *name == ' ';
	}
	return used;
}

/* "-p PORT USER@HOST" or "USER@HOST", as an ssh command line names the server. */
static void ssh_dest(struct db *db, struct buf *out)
{
	struct buf user = BUF_INIT, host = BUF_INIT;
	int64_t port = db_config_int(db, "ssh.port");

	db_config_get(db, "ssh.user", &user);
	db_config_get(db, "ssh.host", &host);
	if (port != 22)
		buf_addf(out, "-p %lld ", (long long)port);
	buf_addf(out, "%s@%s", user.buf, host.buf);
	buf_release(&user);
	buf_release(&host);
}

/*
 * The one line for every refusal, whatever was wrong (no such command, not
 * a teacher, another teacher's course, a course that does not exist, a
 * character no command has): nobody learns which courses there are.
 */
static int refuse(struct db *db)
{
	struct buf dest = BUF_INIT;

	ssh_dest(db, &dest);
	error("not allowed: you may run 'lifebelt me', and for the courses you teach "
	      "'lifebelt grades|submissions|extend|regrade|assignment list|show|edit|override "
	      "COURSE ...' (see: ssh %s lifebelt help)", dest.buf);
	buf_release(&dest);
	return 1;
}

struct help_ctx {
	struct buf teaches;
	int nr;
};

static int help_course(const char *course, const char *role, void *data)
{
	struct help_ctx *h = data;

	if (strcmp(role, ROLE_TEACHER))
		return 0;
	buf_addf(&h->teaches, "%s%s", h->nr++ ? " " : "", course);
	return 0;
}

static int remote_help(struct db *db, const char *login)
{
	struct help_ctx h = { BUF_INIT, 0 };
	struct buf dest = BUF_INIT;
	size_t i;

	if (db_access_courses_each(db, login, help_course, &h))
		return 1;
	ssh_dest(db, &dest);
	printf("hello %s, you may run, as ssh %s lifebelt COMMAND:\n\n", login, dest.buf);
	for (i = 0; i < NR_REMOTE; i++)
		if (!remote_cmds[i].teacher)
			printf("   lifebelt %-18s %s\n", remote_cmds[i].name, remote_cmds[i].usage);
	if (h.nr) {
		printf("\nand for the courses you teach (%s):\n\n", h.teaches.buf);
		for (i = 0; i < NR_REMOTE; i++)
			if (remote_cmds[i].teacher)
				printf("   lifebelt %s %s\n", remote_cmds[i].name, remote_cmds[i].usage);
		printf("\nThe course comes first, as shown. 'ssh %s lifebelt help COMMAND' "
		       "tells more about one.\n", dest.buf);
	}
	buf_release(&h.teaches);
	buf_release(&dest);
	return 0;
}

/*
 * The lifebelt program: this one, or for lifebelt-shell the lifebelt
 * installed beside it (lifebelt-shell links neither the commands nor
 * their libraries).
 */
static int remote_program(struct buf *out)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	size_t suffix = strlen("-shell");

	if (n < 0)
		return error_errno("cannot find this program's path");
	self[n] = '\0';
	if ((size_t)n > suffix && !strcmp(self + n - suffix, "-shell"))
		self[n - suffix] = '\0';
	buf_adds(out, self);
	return 0;
}

int remote_run(struct db *db, const char *login, const char *cmd)
{
	struct remote_words w;
	const struct remote_cmd *c = NULL;
	const char *argv[REMOTE_MAX_WORDS + 2];
	struct buf prog = BUF_INIT;
	size_t i;
	int used = 0, help, n, rc;

	if (remote_split(cmd, &w) || !w.nr || strcmp(w.word[0], "lifebelt"))
		return refuse(db);
	if (w.nr == 1 || (w.nr == 2 && !strcmp(w.word[1], "help")))
		return remote_help(db, login);
	help = !strcmp(w.word[1], "help");
	for (i = 0; i < NR_REMOTE && !c; i++)
		if ((used = match(&remote_cmds[i], w.word + 1 + help, w.nr - 1 - help)))
			c = &remote_cmds[i];
	if (!c)
		return refuse(db);
	/* "lifebelt help COMMAND": what the server's lifebelt says of a command login may run. */
	if (help) {
		if (w.nr != 2 + used)
			return refuse(db);
	} else if (c->teacher) {
		const char *course = 1 + used < w.nr ? w.word[1 + used] : NULL;

		/* Nothing else but the stored name: no case folding, no "..", no spaces. */
		if (!course || name_valid(course))
			return refuse(db);
		rc = db_access_teaches(db, login, course);
		if (rc == DB_ENOTFOUND)
			return refuse(db);
		if (rc)
			return 1;
	} else if (w.nr != 1 + used) {
		return refuse(db);
	}
	for (n = 0; n < w.nr; n++)
		argv[n] = w.word[n];
	if (!c->teacher && !help)
		argv[n++] = login;
	argv[n] = NULL;
	if (remote_program(&prog))
		return 1;
	if (setenv("LIFEBELT_VIA", "ssh", 1) || setenv("LIFEBELT_LOGIN", login, 1) ||
	    setenv("LIFEBELT_HOME", home_dir(), 1)) {
		error_errno("setenv");
		buf_release(&prog);
		return 1;
	}
	db_close(db);
	fflush(NULL);
	execv(prog.buf, (char *const *)argv);
	die_errno("cannot run %s", prog.buf);
}
