/* assign.h: making an assignment with its repositories; shared by `assignment add` and import. */
#ifndef CLI_ASSIGN_H
#define CLI_ASSIGN_H

struct assignment;
struct db;
struct provision_undo;

/*
 * Create assignment a (course_id, course, name, times, branch and caps
 * set) inside the caller's transaction: a->tests_dir is copied into
 * $LIFEBELT_HOME/tests/COURSE/NAME and then names that copy; with
 * starter_is_tests the copy is also the starter (a->starter_dir). Every
 * student of the course gets a repository (counted in *made), and github
 * (NULL for none) becomes the assignment's pattern (mapped repositories in
 * *mapped). What is made on disk is recorded in undo. 0 or -1 (reported).
 */
int assignment_create(struct db *db, struct assignment *a, const char *github,
		      int starter_is_tests, struct provision_undo *undo, int *made, int *mapped);

#endif
