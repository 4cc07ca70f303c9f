/* cmd-people.c: `course add`, `student add`, `teacher add`, `key add`, `token`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "enrol.h"
#include "../db/counted.h"
#include "../db/model.h"
#include "../gitd/keys.h"
#include "../gitd/provision.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/secret.h"
#include "../lib/banned.h"

int cmd_course_add(int argc, const char **argv)
{
	const char *pos[1], *grace = NULL;
	struct opt opts[] = { { "grace-days", &grace, NULL }, { NULL, NULL, NULL } };
	struct db *db;
	int64_t id, days = 0;
	int rc;

	if (parse_args(current_cmd(), argc, argv, opts, pos, 1, 1) ||
	    name_check("course", pos[0]) || (grace && cli_grace_days(grace, &days)))
		return -1;
	if (cli_open_db(&db))
		return -1;
	if ((rc = db_begin(db)))
		goto done;
	rc = db_course_add(db, pos[0], &id);
	if (!rc && days)
		rc = db_course_set_grace_days(db, id, days);
	if (rc || (rc = db_commit(db)))
		db_rollback(db);
	if (rc == DB_EEXISTS)
		error("course '%s' already exists", pos[0]);
	else if (!rc)
		printf("course %s created\n", pos[0]);
done:
	db_close(db);
	return rc ? -1 : 0;
}

static int check_text(const char *what, const char *s)
{
	const unsigned char *p;

	if (!s)
		return 0;
	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return error("%s '%s' has control characters", what, s);
	if (strlen(s) > 200)
		return error("%s is longer than 200 characters", what);
	return 0;
}

/* `student add` and `teacher add`: one person, one course, one transaction. */
static int add_person(int argc, const char **argv, const char *role)
{
	const char *pos[2], *name = NULL, *email = NULL, *key = NULL, *github = NULL;
	struct opt opts[] = {
		{ "name", &name, NULL }, { "email", &email, NULL }, { "key", &key, NULL },
		{ "github", !strcmp(role, ROLE_STUDENT) ? &github : NULL, NULL }, { NULL, NULL, NULL }
	};
	struct provision_undo undo = PROVISION_UNDO_INIT;
	struct db *db;
	int64_t course_id, person_id;
	int rc;

	if (!opts[3].value)
		opts[3].name = NULL;
	if (parse_args(current_cmd(), argc, argv, opts, pos, 2, 2) ||
	    name_check("course", pos[0]) || name_check("login", pos[1]) ||
	    check_text("--name", name) || check_text("--email", email))
		return -1;
	if (name_login_reserved(pos[1]))
		return error("login '%s' is reserved (COURSE/NAME/%s is an assignment's tests "
			     "repository); choose another", pos[1], pos[1]);
	if (email && (!strchr(email, '@') || strchr(email, ' ') || strchr(email, ',')))
		return error("--email '%s' is not an e-mail address", email);
	if (github && github_name_valid(github))
		return error("--github '%s' is not a GitHub user name", github);
	if (cli_open_db(&db))
		return -1;
	rc = db_course_id(db, pos[0], &course_id);
	if (rc == DB_ENOTFOUND) {
		error("no course '%s' (create it with 'lifebelt course add %s')", pos[0], pos[0]);
		goto fail_close;
	}
	if (rc || db_begin(db))
		goto fail_close;
	rc = db_person_upsert(db, pos[1], name, email, github, &person_id);
	if (rc == DB_EEXISTS) {
		error("GitHub user '%s' already belongs to someone else", github);
		goto fail;
	}
	if (rc)
		goto fail;
	rc = enrol_person(db, course_id, person_id, pos[1], role, &undo);
	if (rc == DB_EEXISTS)
		error("%s is already enrolled in %s as a %s", pos[1], pos[0],
		      !strcmp(role, ROLE_STUDENT) ? ROLE_TEACHER : ROLE_STUDENT);
	if (rc)
		goto fail;
	if (key && enrol_key_file(db, person_id, key))
		goto fail;
	if (db_commit(db))
		goto fail;
	printf("%s %s enrolled in %s", role, pos[1], pos[0]);
	if (undo.nr)
		printf(" (%d repositor%s created)", undo.nr, undo.nr == 1 ? "y" : "ies");
	printf("\n");
	provision_undo_release(&undo);
	rc = key ? keys_sync(db) : 0;
	db_close(db);
	return rc;
fail:
	db_rollback(db);
	provision_undo_run(&undo);
fail_close:
	db_close(db);
	return -1;
}

int cmd_student_add(int argc, const char **argv)
{
	return add_person(argc, argv, ROLE_STUDENT);
}

int cmd_teacher_add(int argc, const char **argv)
{
	return add_person(argc, argv, ROLE_TEACHER);
}

int cmd_key_add(int argc, const char **argv)
{
	const char *pos[2];
	struct person p;
	struct db *db;
	int rc;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 2, 2) ||
	    cli_open_person(pos[0], &db, &p))
		return -1;
	rc = enrol_key_file(db, p.id, pos[1]);
	if (!rc) {
		printf("key added for %s\n", pos[0]);
		rc = keys_sync(db);
	}
	person_release(&p);
	db_close(db);
	return rc ? -1 : 0;
}

int cmd_token(int argc, const char **argv)
{
	const char *pos[1];
	struct buf token = BUF_INIT, hash = BUF_INIT, link = BUF_INIT, url = BUF_INIT;
	struct person p;
	struct db *db;
	int rc;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 1, 1) ||
	    cli_open_person(pos[0], &db, &p))
		return -1;
	if ((rc = secret_new_token(&token)))
		goto done;
	secret_hash(&hash, token.buf);
	if ((rc = db_token_set(db, p.id, hash.buf)))
		goto done;
	if ((rc = secret_web_key(&link, p.login, p.token_gen + 1)))
		goto done;
	db_config_get(db, "web.url", &url);
	printf("login:  %s\ntoken:  %s\nweb:    %s/me/%s/%s\n", p.login, token.buf, url.buf,
	       p.login, link.buf);
	printf("Use the token as the password for HTTPS pushes; the previous one no longer works.\n");
done:
	person_release(&p);
	buf_release(&token);
	buf_release(&hash);
	buf_release(&link);
	buf_release(&url);
	db_close(db);
	return rc ? -1 : 0;
}
