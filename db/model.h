/* model.h: courses, people, keys, assignments, repositories and settings. */
#ifndef DB_MODEL_H
#define DB_MODEL_H

#include <stdint.h>

#include "db.h"

struct sshkey;

/* ---- courses ---- */

/* Add a course; DB_EEXISTS if the name is taken. */
int db_course_add(struct db *db, const char *name, int64_t *id);
/* DB_ENOTFOUND if there is no such course. */
int db_course_id(struct db *db, const char *name, int64_t *id);

/* ---- people ---- */

struct person {
	int64_t id;
	char *login, *name, *email, *github, *token_hash;
	int64_t token_gen;
};
void person_release(struct person *p);

/* Look a person up by login; DB_ENOTFOUND. Release with person_release(). */
int db_person_get(struct db *db, const char *login, struct person *p);
/*
 * Create the person if the login is new, else fill in the fields given
 * (NULL leaves a field as it is). DB_EEXISTS if the GitHub name belongs to
 * someone else. *id is set either way.
 */
int db_person_upsert(struct db *db, const char *login, const char *name,
		     const char *email, const char *github, int64_t *id);

#define ROLE_STUDENT "student"
#define ROLE_TEACHER "teacher"
/*
 * Enrol person in course with role. Enrolling again in the same role is a
 * no-op (returns 0); DB_EEXISTS if they are enrolled with the other role.
 */
int db_enrol(struct db *db, int64_t course_id, int64_t person_id, const char *role);
/* The person's role in the course into *role (static string); DB_ENOTFOUND. */
int db_role(struct db *db, int64_t course_id, int64_t person_id, const char **role);
/* Call fn for each person enrolled in course with role, in login order. */
int db_course_people(struct db *db, int64_t course_id, const char *role,
		     int (*fn)(const struct person *p, void *data), void *data);

/* Store a public key for person; DB_EEXISTS if the key is already registered (to anyone). */
int db_key_add(struct db *db, int64_t person_id, const struct sshkey *k);
/* Call fn for every key on the host with its owner's login, in key id order. */
int db_key_each(struct db *db, int (*fn)(const char *login, const char *type,
					 const char *blob, void *data), void *data);
/* Replace the person's token hash and bump token_gen (so the old web link dies too). */
int db_token_set(struct db *db, int64_t person_id, const char *hash_hex);

/* ---- assignments ---- */

struct assignment {
	int64_t id, course_id;
	char *course, *name, *tests_dir, *tests_version, *starter_dir, *branch, *limits;
	int64_t due, close;         /* close is 0 when the assignment never closes */
	double late_penalty;        /* percent per started day */
	int64_t late_days;
	int64_t max_input_size, max_file_size, max_files;
	int64_t reveal_after;       /* hidden tests' output shown to students from then; 0: never */
	double points;              /* worth in the gradebook; 0: the tests' own total */
};
void assignment_release(struct assignment *a);

/* Insert a; sets a->id. DB_EEXISTS if the course already has that name. */
int db_assignment_add(struct db *db, struct assignment *a);
/* By course and name; DB_ENOTFOUND. */
int db_assignment_get(struct db *db, const char *course, const char *name, struct assignment *a);
int db_assignment_get_id(struct db *db, int64_t id, struct assignment *a);
int db_assignment_each(struct db *db, int64_t course_id,
		       int (*fn)(const struct assignment *a, void *data), void *data);

/* Give person until `until` for assignment (replaces an earlier extension). */
int db_extension_set(struct db *db, int64_t assignment_id, int64_t person_id, int64_t until);
/* The extension's end, or DB_ENOTFOUND. */
int db_extension_get(struct db *db, int64_t assignment_id, int64_t person_id, int64_t *until);

/* ---- repositories ---- */

/* Record the repository at path (COURSE/NAME/LOGIN.git); DB_EEXISTS if there is one already. */
int db_repo_add(struct db *db, int64_t assignment_id, int64_t person_id, const char *path,
		int64_t *id);
/* DB_ENOTFOUND if the person has no repository for the assignment. */
int db_repo_id(struct db *db, int64_t assignment_id, int64_t person_id, int64_t *id);

/* A repository with its owner, as the hooks and transports need it. */
struct repo_info {
	int64_t id, assignment_id, person_id;
	char *login;
};
/* Look up the repository at relpath (COURSE/NAME/LOGIN.git); DB_ENOTFOUND. */
int db_repo_by_path(struct db *db, const char *relpath, struct repo_info *r);
void repo_info_release(struct repo_info *r);

/* ---- settings (settings.c) ---- */

struct buf;

/* One server setting: its name, default and meaning. */
struct config_key {
	const char *name, *def, *help;
	long long max;          /* a whole number from 1 to max; 0: text */
};
#define CONFIG_NUMBER 1000000000LL   /* max of a number with no bound of its own */
extern const struct config_key config_keys[];
/* The row for name, or NULL if there is no such setting. */
const struct config_key *config_key_find(const char *name);
/* Check value for key; 0, or -1 after printing what is wrong. */
int config_check(const struct config_key *k, const char *value);

/* The stored value of key appended to out; DB_ENOTFOUND when unset. */
int db_setting_get(struct db *db, const char *key, struct buf *out);
int db_setting_set(struct db *db, const char *key, const char *value);
/* The value of a known setting, or its default; appended to out. */
void db_config_get(struct db *db, const char *key, struct buf *out);
/* A known numeric setting as an integer. */
int64_t db_config_int(struct db *db, const char *key);
/*
 * Known numeric settings keys[0..n-1] into out[], in one query (the runner,
 * once per job); their defaults when db is NULL (a hook without the database).
 */
void db_config_ints(struct db *db, const char *const *keys, int64_t *out, int n);

#endif
