/* spec.h: the assignment spec in a teacher's tests directory (lifebelt.json or autograding.json). */
#ifndef RUNNER_SPEC_H
#define RUNNER_SPEC_H

#include <stdint.h>
#include <jansson.h>

#include "../lib/limits.h"

struct buf;

/* The limits as a JSON object (a new reference), in the units lifebelt.json uses. */
json_t *limits_json(const struct limits *l);

enum spec_cmp { CMP_EXACT, CMP_INCLUDED, CMP_REGEX };
enum spec_format { FORMAT_IO, FORMAT_TAP, FORMAT_JUNIT };
enum spec_skipped {
	SKIPPED_ZERO,           /* a skipped case earns nothing of its points */
	SKIPPED_EXCLUDE         /* a skipped case is out of the total: worth 0 of 0 */
};

struct spec_test {
	char *name;
	char *setup;            /* autograding.json only; NULL when empty */
	char *run;
	char *input;            /* NULL: stdin is closed at once */
	char *output;           /* NULL: the exit status alone decides */
	enum spec_cmp cmp;
	enum spec_format format;
	char *report;           /* junit: file in the work dir (NULL: stdout) */
	double timeout;         /* wall seconds for this test (0: the limit) */
	double points;          /* per test; per case for tap/junit */
	int hidden;
	int cases;              /* tap/junit: the number of cases, fixed by the teacher (0: as reported) */
	enum spec_skipped skipped;      /* tap/junit: what a skipped case is worth */
};

struct spec {
	int classroom;          /* 1: GitHub Classroom autograding.json semantics */
	char *path;             /* the file it came from */
	char *dir;              /* the tests directory (the teacher's files are in it) */
	char *build;            /* NULL: no build step */
	struct spec_test *tests;
	int nr;
	char **files;           /* teacher files copied into the work dir */
	int nr_files;
	struct limits limits;   /* only the fields the spec sets */
	char *executor;         /* "bwrap" or "docker"; NULL: the server's runner.executor */
	char *image;            /* the Docker executor's image; NULL: its default */
};

/*
 * Read the spec in dir: lifebelt.json, else .github/classroom/autograding.json.
 * On error prints one line naming the file and the field and returns -1.
 * Free with spec_release().
 */
int spec_load(const char *dir, struct spec *s);
void spec_release(struct spec *s);

/*
 * Check that dir holds a usable spec (spec_load and throw it away). Prints
 * one line naming the file and the field that is wrong; returns 0 or -1.
 */
int spec_check_dir(const char *dir);

#endif
