/* people.c: courses, people, enrolments, SSH keys and tokens. */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "../lib/log.h"
#include "../lib/sshkey.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

int db_course_add(struct db *db, const char *name, int64_t *id)
{
	int rc = db_exec(db, "INSERT INTO courses (name, created) VALUES (?, ?)", "ti",
			 name, time_now());

	if (rc < 0)
		return rc;
	*id = sqlite3_last_insert_rowid(db->h);
	return 0;
}

int db_course_id(struct db *db, const char *name, int64_t *id)
{
	return db_int(db, id, "SELECT id FROM courses WHERE name = ?", "t", name);
}

void person_release(struct person *p)
{
	free(p->login);
	free(p->name);
	free(p->email);
	free(p->github);
	free(p->token_hash);
	memset(p, 0, sizeof(*p));
}

#define PERSON_COLS "p.id, p.login, p.name, p.email, p.github, p.token_hash, p.token_gen"

static void person_fill(sqlite3_stmt *st, struct person *p)
{
	p->id = sqlite3_column_int64(st, 0);
	p->login = db_text_dup(st, 1);
	p->name = db_text_dup(st, 2);
	p->email = db_text_dup(st, 3);
	p->github = db_text_dup_or_null(st, 4);
	p->token_hash = db_text_dup_or_null(st, 5);
	p->token_gen = sqlite3_column_int64(st, 6);
}

static int person_query(struct db *db, struct person *p, const char *sql, const char *key)
{
	/* Kept prepared: each page behind a personal link or a session looks its person up. */
	sqlite3_stmt *st = db_query(db, sql, "t", key);
	int rc;

	memset(p, 0, sizeof(*p));
	if (!st)
		return -1;
	if (!(rc = db_row(db, st)))
		person_fill(st, p);
	db_done(db, st);
	return rc;
}

int db_person_get(struct db *db, const char *login, struct person *p)
{
	return person_query(db, p, "SELECT " PERSON_COLS " FROM people p WHERE p.login = ?", login);
}

int db_person_upsert(struct db *db, const char *login, const char *name,
		     const char *email, const char *github, int64_t *id)
{
	int rc = db_int(db, id, "SELECT id FROM people WHERE login = ?", "t", login);

	if (rc == DB_ENOTFOUND) {
		rc = db_exec(db, "INSERT INTO people (login, name, email, github, created) "
			     "VALUES (?, ?, ?, ?, ?)", "tttti",
			     login, name ? name : "", email ? email : "", github, time_now());
		if (rc < 0)
			return rc;
		*id = sqlite3_last_insert_rowid(db->h);
		return 0;
	}
	if (rc)
		return rc;
	if (name && (rc = db_exec(db, "UPDATE people SET name = ? WHERE id = ?", "ti", name, *id)) < 0)
		return rc;
	if (email && (rc = db_exec(db, "UPDATE people SET email = ? WHERE id = ?", "ti", email, *id)) < 0)
		return rc;
	if (github && (rc = db_exec(db, "UPDATE people SET github = ? WHERE id = ?", "ti", github, *id)) < 0)
		return rc;
	return 0;
}

int db_enrol(struct db *db, int64_t course_id, int64_t person_id, const char *role)
{
	const char *have;
	int rc = db_role(db, course_id, person_id, &have);

	if (!rc)
		return strcmp(have, role) ? DB_EEXISTS : 0;
	if (rc != DB_ENOTFOUND)
		return rc;
	rc = db_exec(db, "INSERT INTO enrolments (course_id, person_id, role) VALUES (?, ?, ?)",
		     "iit", course_id, person_id, role);
	return rc < 0 ? rc : 0;
}

int db_role(struct db *db, int64_t course_id, int64_t person_id, const char **role)
{
	int64_t teacher;
	int rc = db_int(db, &teacher, "SELECT role = 'teacher' FROM enrolments "
			"WHERE course_id = ? AND person_id = ?", "ii", course_id, person_id);

	if (!rc)
		*role = teacher ? ROLE_TEACHER : ROLE_STUDENT;
	return rc;
}

int db_course_people(struct db *db, int64_t course_id, const char *role,
		     int (*fn)(const struct person *p, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT " PERSON_COLS " FROM people p "
				   "JOIN enrolments e ON e.person_id = p.id "
				   "WHERE e.course_id = ? AND e.role = ? ORDER BY p.login",
				   "it", course_id, role);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		struct person p;

		person_fill(st, &p);
		rc = fn(&p, data);
		person_release(&p);
		if (rc)
			break;
	}
	return db_walk_done(st, rc);
}

int db_key_add(struct db *db, int64_t person_id, const struct sshkey *k)
{
	int rc = db_exec(db, "INSERT INTO ssh_keys (person_id, type, blob, comment, fingerprint, added) "
			 "VALUES (?, ?, ?, ?, ?, ?)", "itttti", person_id, k->type, k->blob,
			 k->comment, k->fingerprint, time_now());

	return rc < 0 ? rc : 0;
}

int db_key_each(struct db *db, int (*fn)(const char *login, const char *type,
					 const char *blob, void *data), void *data)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT p.login, k.type, k.blob FROM ssh_keys k "
				   "JOIN people p ON p.id = k.person_id ORDER BY k.id", "");
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW)
		if ((rc = fn(db_text(st, 0), db_text(st, 1), db_text(st, 2), data)))
			break;
	return db_walk_done(st, rc);
}

int db_token_set(struct db *db, int64_t person_id, const char *hash_hex)
{
	int rc = db_exec(db, "UPDATE people SET token_hash = ?, token_gen = token_gen + 1 "
			 "WHERE id = ?", "ti", hash_hex, person_id);

	if (rc < 0)
		return rc;
	return rc ? 0 : DB_ENOTFOUND;
}
