/* spec.h: the assignment spec in a teacher's tests directory. */
#ifndef RUNNER_SPEC_H
#define RUNNER_SPEC_H

/*
 * Check that dir holds a usable spec: lifebelt.json, or GitHub Classroom's
 * .github/classroom/autograding.json. Prints one line naming the file and
 * the field that is wrong; returns 0 or -1.
 */
int spec_check_dir(const char *dir);

#endif
