/* common.c: option parsing and database opening for the subcommands. */
#include <errno.h>
#include <pwd.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../db/model.h"
#include "../lib/buf.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

static int usage_error(const struct cmd *c, const char *what, const char *arg)
{
	return error("%s%s%s; usage: lifebelt %s %s", what, arg ? " " : "", arg ? arg : "",
		     c->name, c->usage);
}

int parse_args(const struct cmd *c, int argc, const char **argv, const struct opt *opts,
	       const char **pos, int min, int max)
{
	int i, npos = 0, only_pos = 0;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		const struct opt *o;
		const char *eq;
		size_t n;

		if (only_pos || a[0] != '-' || !a[1]) {
			if (npos == max)
				return usage_error(c, "unexpected argument", a);
			pos[npos++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_pos = 1;
			continue;
		}
		if (a[1] != '-')
			return usage_error(c, "unknown option", a);
		a += 2;
		eq = strchr(a, '=');
		n = eq ? (size_t)(eq - a) : strlen(a);
		for (o = opts; o && o->name; o++)
			if (strlen(o->name) == n && !memcmp(o->name, a, n))
				break;
		if (!o || !o->name)
			return usage_error(c, "unknown option", argv[i]);
		if (o->flag) {
			if (eq)
				return usage_error(c, "option takes no value:", argv[i]);
			*o->flag = 1;
			continue;
		}
		if (eq) {
			*o->value = eq + 1;
		} else {
			if (i + 1 >= argc)
				return usage_error(c, "missing value for", argv[i]);
			*o->value = argv[++i];
		}
	}
	if (npos < min)
		return usage_error(c, "missing argument", NULL);
	return 0;
}

int cli_open_db(struct db **db)
{
	struct buf path = BUF_INIT;
	int rc;

	home_path(&path, "lifebelt.db");
	rc = db_open(db, path.buf, 0);
	if (rc == DB_EBUSY)
		error("database %s is busy, locked or read-only; try again", path.buf);
	else if (rc == DB_EFULL)
		error("the disk holding database %s is full; make room and try again", path.buf);
	buf_release(&path);
	return rc ? -1 : 0;
}

int cli_open_db_readonly(struct db **db)
{
	struct buf path = BUF_INIT;
	int rc;

	home_path(&path, "lifebelt.db");
	rc = db_open(db, path.buf, DB_READONLY);
	if (rc == DB_EBUSY || rc == DB_EFULL)
		error("cannot read database %s", path.buf);
	buf_release(&path);
	return rc ? -1 : 0;
}

int cli_open_person(const char *login, struct db **db, struct person *p)
{
	int rc;

	if (name_check("login", login) || cli_open_db(db))
		return -1;
	rc = db_person_get(*db, login, p);
	if (rc == DB_ENOTFOUND)
		error("no person with login '%s'", login);
	if (rc) {
		db_close(*db);
		*db = NULL;
		return -1;
	}
	return 0;
}

int cli_time(const char *opt, const char *s, int64_t *out)
{
	if (time_parse(s, out))
		return error("bad time for %s: '%s' (use ISO 8601 with an offset, "
			     "e.g. 2026-12-01T23:59:00+01:00 or 2026-12-01T22:59:00Z)", opt, s);
	return 0;
}

int cli_open_assignment(const char *course, const char *name, int writable, struct db **db,
			struct assignment *a)
{
	int rc;

	memset(a, 0, sizeof(*a));
	if (name_check("course", course) || name_check("assignment", name) ||
	    (writable ? cli_open_db(db) : cli_open_db_readonly(db)))
		return -1;
	rc = db_assignment_get(*db, course, name, a);
	if (rc == DB_ENOTFOUND)
		error("no assignment %s/%s (create it with 'lifebelt assignment add')", course, name);
	if (rc) {
		db_close(*db);
		*db = NULL;
		return -1;
	}
	return 0;
}

int cli_number(const char *opt, const char *s, double lo, double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (!*s || *end || errno || isnan(*out) || *out < lo || *out > hi)
		return error("bad value for %s: '%s' (a number from %g to %g)", opt, s, lo, hi);
	return 0;
}

void cli_actor(struct buf *out)
{
	const char *via = getenv("LIFEBELT_VIA"), *login = getenv("LIFEBELT_LOGIN");
	const char *user = getenv("SUDO_USER");
	struct passwd *pw;

	if (via && !strcmp(via, "ssh") && login && !name_valid(login)) {
		buf_addf(out, "%s via ssh", login);
		return;
	}
	if (!user || !*user)
		user = getenv("USER");
	if ((!user || !*user) && (pw = getpwuid(geteuid())))
		user = pw->pw_name;
	buf_addf(out, "%s on the server", user && *user ? user : "?");
}
