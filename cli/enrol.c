/* enrol.c: enrolment with repositories and keys, inside the caller's transaction. */
#include <string.h>

#include "enrol.h"
#include "../db/github.h"
#include "../db/model.h"
#include "../db/teams.h"
#include "../gitd/provision.h"
#include "../lib/buf.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/sshkey.h"
#include "../lib/banned.h"

struct repo_ctx {
	struct db *db;
	int64_t person_id;
	const char *login;
	struct provision_undo *undo;
};

static int make_repo(const struct assignment *a, void *data)
{
	struct repo_ctx *ctx = data;
	struct buf rel = BUF_INIT, abs = BUF_INIT;
	int64_t id;
	int rc;

	if (!db_repo_id(ctx->db, a->id, ctx->person_id, &id))
		return 0;
	/* A team's member pushes to the team's repository only. */
	if (!db_team_of(ctx->db, a->id, ctx->person_id, &rel)) {
		buf_release(&rel);
		return 0;
	}
	provision_repo_relpath(&rel, a->course, a->name, ctx->login);
	home_path(&abs, "repos/%s", rel.buf);
	rc = db_repo_add(ctx->db, a->id, ctx->person_id, rel.buf, &id);
	if (rc)
		rc = error("cannot record repository %s", rel.buf);
	else if (!(rc = provision_repo(abs.buf, a)))
		provision_undo_add(ctx->undo, abs.buf);
	buf_release(&rel);
	buf_release(&abs);
	return rc;
}

int enrol_person(struct db *db, int64_t course_id, int64_t person_id, const char *login,
		 const char *role, struct provision_undo *undo)
{
	struct repo_ctx ctx = { db, person_id, login, undo };
	int rc = db_enrol(db, course_id, person_id, role);

	if (rc)
		return rc == DB_EEXISTS ? DB_EEXISTS : -1;
	if (strcmp(role, ROLE_STUDENT))
		return 0;
	if (db_assignment_each(db, course_id, make_repo, &ctx))
		return -1;
	/* The assignments' --github patterns, for new repositories and a login given late. */
	return db_github_map(db, 0, person_id) < 0 ? -1 : 0;
}

int enrol_key_file(struct db *db, int64_t person_id, const char *file)
{
	struct buf content = BUF_INIT;
	struct sshkey k;
	const char *why;
	char *nl;
	int rc = -1;

	if (buf_read_file(&content, file)) {
		error_errno("cannot read key file %s", file);
		goto done;
	}
	buf_trim(&content);
	nl = memchr(content.buf, '\n', content.len);
	if (nl) {
		error("key file %s has more than one line; give one public key (the .pub file)", file);
		goto done;
	}
	if (sshkey_parse(&k, content.buf, &why)) {
		error("key file %s: %s", file, why);
		goto done;
	}
	rc = db_key_add(db, person_id, &k);
	if (rc == DB_EEXISTS)
		error("key %s in %s is already registered (each key belongs to one person)",
		      k.fingerprint, file);
	sshkey_release(&k);
	rc = rc ? -1 : 0;
done:
	buf_release(&content);
	return rc;
}
