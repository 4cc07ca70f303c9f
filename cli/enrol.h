/* enrol.h: putting a person in a course, with their repositories; shared by add and import. */
#ifndef CLI_ENROL_H
#define CLI_ENROL_H

#include <stdint.h>

struct db;
struct provision_undo;

/*
 * Enrol person_id (login) in course_id as role and, for a student, make a
 * repository for each of the course's assignments that they lack. Runs
 * inside the caller's transaction; repositories made are recorded in undo.
 * Returns 0, DB_EEXISTS (quietly: enrolled with the other role) or -1 (reported).
 */
int enrol_person(struct db *db, int64_t course_id, int64_t person_id, const char *login,
		 const char *role, struct provision_undo *undo);

/* Read one public key line from file and store it for person_id; 0 or -1 (reported). */
int enrol_key_file(struct db *db, int64_t person_id, const char *file);

#endif
