/* checker.h: a teacher's checker program, run in a directory of its own after a test (map: runner.h). */
#ifndef RUNNER_CHECKER_H
#define RUNNER_CHECKER_H

#include <stddef.h>

struct buf;

/* The checker's directory, a new entry of the work directory. */
struct checker {
	int top;                /* the work directory, open; -1: nothing made */
	char name[48];          /* ".lifebelt-checker-" and random hex */
};

/*
 * After a test's run, with none of its processes left: make the directory
 * `name` in workdir, never reached through anything the student left
 * there, holding the files input, expected and actual (the test's input,
 * expected output and everything the program printed on stdout) and a
 * copy of the checker program (path, in the tests directory), all
 * read-only. cmd gets the step's command: the checker started as
 * ./NAME input expected actual inside that directory, so neither a file
 * of the student's nor the work directory stands in for it or for its
 * arguments. 0, or -1 with why set (a full work directory); the
 * directory is removed again then.
 */
int checker_prepare(struct checker *c, const char *workdir, const char *path,
		    const char *input, const char *expected, const char *actual, size_t actual_len,
		    struct buf *cmd, struct buf *why);

/*
 * Remove the directory and what the checker left in it, before any later
 * step could read a hidden test's expected output there. 0 or -1.
 */
int checker_remove(struct checker *c);

#endif
