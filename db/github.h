/* github.h: the SQL of GitHub mirroring: repository mappings, patterns and the deliveries' log. */
#ifndef DB_GITHUB_H
#define DB_GITHUB_H

#include <stdint.h>

#include "db.h"

/* ---- mappings: repos.github_repo ("owner/name"), assignments.github (the pattern) ---- */

/*
 * The student repository mapped to the GitHub repository full_name
 * (case-insensitive, as GitHub compares names) into *repo_id;
 * DB_ENOTFOUND when none is.
 */
int db_github_repo_find(struct db *db, const char *full_name, int64_t *repo_id);
/* Map the student repository repo_id to full_name. */
int db_github_repo_set(struct db *db, int64_t repo_id, const char *full_name);

/* Keep pattern ("ORG/hw1-{github}") as the assignment's; DB_EEXISTS if another assignment has it. */
int db_github_pattern_set(struct db *db, int64_t assignment_id, const char *pattern);
/*
 * Map every unmapped repository of the assignment (or, with person_id
 * not 0, of that person in every assignment) whose student has a GitHub
 * login and whose assignment has a pattern: {github} in the pattern
 * becomes the login. A name another repository already has is left
 * unmapped. Returns how many repositories were mapped, or an error.
 */
int db_github_map(struct db *db, int64_t assignment_id, int64_t person_id);

/* ---- deliveries ---- */

#define DELIVERY_QUEUED "queued"
#define DELIVERY_IGNORED "ignored"

/* One delivery of a webhook, as the webhook records it and `github deliveries` shows it. */
struct delivery {
	const char *guid;       /* X-GitHub-Delivery */
	const char *event;      /* X-GitHub-Event */
	int64_t received;       /* its arrival, the server's clock */
	int64_t repo_id;        /* the mapped student repository; 0 for none */
	int64_t tests_of;       /* or the assignment whose tests the repository is; 0 for none */
	const char *repo;       /* when listed: the GitHub repository it was mapped to, or NULL */
	const char *status;     /* DELIVERY_QUEUED, DELIVERY_IGNORED, or the mirror's words */
	const char *detail;     /* why it was ignored, or what the mirror says */
	const char *ref, *commit_id;    /* a push's ref and "after"; NULL for other events */
	int64_t pushed_at;      /* repository.pushed_at; 0 when the payload had none */
};

/* Record d; DB_EEXISTS (quietly) when its guid was recorded before: a redelivery. */
int db_delivery_add(struct db *db, const struct delivery *d);
/* Call fn for the newest limit deliveries, newest first; fn's non-zero stops the walk. */
int db_delivery_each(struct db *db, int limit, int (*fn)(const struct delivery *d, void *data),
		     void *data);

/* ---- `lifebelt github status` ---- */

/* One student of an assignment, with their mapping and what came of it. */
struct github_student {
	const char *login;
	const char *github;     /* their GitHub login, or NULL */
	const char *repo;       /* the mapped GitHub repository, or NULL */
	int has_repo;           /* they have a repository for the assignment at all */
	int64_t delivered;      /* the last delivery's arrival; 0 for none */
	const char *delivery_status, *delivery_detail;
	int64_t mirrored;       /* the receive time of the last submission via the webhook; 0 for none */
	const char *commit_id;  /* its commit */
};

/* Call fn for each student of the assignment (in course_id), in login order. */
int db_github_students(struct db *db, int64_t course_id, int64_t assignment_id,
		       int (*fn)(const struct github_student *s, void *data), void *data);
/* The assignment's pattern appended to out; DB_ENOTFOUND when it has none. */
int db_github_pattern_get(struct db *db, int64_t assignment_id, struct buf *out);

#endif
