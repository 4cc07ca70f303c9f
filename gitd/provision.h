/* provision.h: making students' bare repositories, with hooks and policy. */
#ifndef GITD_PROVISION_H
#define GITD_PROVISION_H

struct assignment;
struct buf;

/*
 * Create the bare repository at abs_path (which must not exist) for
 * assignment a: HEAD on a->branch; Lifebelt's hooks through core.hooksPath;
 * receive.denyNonFastForwards, denyDeletes, fsckObjects, maxInputSize (four
 * times a->max_input_size, which the pre-receive hook enforces), advertisePushOptions; a reflog for every ref. When a->starter_dir is set
 * its files become the first commit on the branch. Returns 0 or -1 (the
 * half-made directory is removed).
 */
int provision_repo(const char *abs_path, const struct assignment *a);

/*
 * An assignment's tests repository at abs_path (see gitd/tests.h): made as
 * provision_repo() makes a student's, with the hooks of PROVISION_TESTS_HOOKS
 * and a->tests_dir's files as its first commit. 0 or -1 (nothing left).
 */
int provision_tests_repo(const char *abs_path, const struct assignment *a);
/* Where the tests repositories' hooks are linked, under the data directory. */
#define PROVISION_TESTS_HOOKS "hooks/tests"

/*
 * Remember paths made during one command so that a failure removes them
 * all and leaves the disk as it was.
 */
struct provision_undo {
	int nr, alloc;
	char **paths;
};
#define PROVISION_UNDO_INIT { 0, 0, NULL }
void provision_undo_add(struct provision_undo *u, const char *path);
/* Remove everything recorded (newest first) and forget it. */
void provision_undo_run(struct provision_undo *u);
/* Forget the records without removing anything: the command succeeded. */
void provision_undo_release(struct provision_undo *u);

/* The relative repository path "COURSE/NAME/LOGIN.git" into out. */
void provision_repo_relpath(struct buf *out, const char *course, const char *name,
			    const char *login);

/*
 * Install (or refresh) the hook links in home/hooks to this binary (or the
 * hooks built alone beside it) and in home/PROVISION_TESTS_HOOKS to this
 * binary; 0 or -1.
 */
int provision_hooks(void);

#endif
