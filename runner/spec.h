/*
 * spec.h: the assignment spec in a teacher's tests directory (lifebelt.json,
 * GitHub Classroom's classroom.yml or autograding.json).
 */
#ifndef RUNNER_SPEC_H
#define RUNNER_SPEC_H

#include <stdint.h>
#include <jansson.h>

#include "../lib/limits.h"

struct buf;

/* The limits as a JSON object (a new reference), in the units lifebelt.json uses. */
json_t *limits_json(const struct limits *l);

enum spec_cmp {
	CMP_EXACT, CMP_INCLUDED, CMP_REGEX,
	CMP_WHITESPACE,         /* lifebelt.json: word by word */
	CMP_NUMBERS,            /* lifebelt.json: word by word, numbers within a tolerance */
	CMP_INVALID             /* classroom.yml: a comparison-method GitHub's io grader refused */
};
enum spec_format { FORMAT_IO, FORMAT_TAP, FORMAT_JUNIT };
/* classroom.yml: the action that grades a test (GRADER_NONE in the other formats). */
enum spec_grader { GRADER_NONE, GRADER_IO, GRADER_COMMAND, GRADER_PYTHON };
enum spec_skipped {
	SKIPPED_ZERO,           /* a skipped case earns nothing of its points */
	SKIPPED_EXCLUDE         /* a skipped case is out of the total: worth 0 of 0 */
};

struct spec_test {
	char *name;
	char *setup;            /* autograding.json, classroom.yml; NULL when empty */
	char *run;
	char *input;            /* NULL: stdin is closed at once */
	char *output;           /* NULL: the exit status alone decides */
	enum spec_cmp cmp;
	int ignore_case;        /* lifebelt.json: "ignore_case" */
	double tolerance;       /* lifebelt.json: "tolerance", for comparison "numbers" */
	char *checker;          /* lifebelt.json: a program of the tests directory that decides (NULL: none) */
	enum spec_format format;
	char *report;           /* junit: file in the work dir (NULL: stdout) */
	double timeout;         /* wall seconds for this test (0: the limit) */
	double points;          /* per test; per case for tap/junit */
	int hidden;
	int cases;              /* tap/junit: the number of cases, fixed by the teacher (0: as reported) */
	enum spec_skipped skipped;      /* tap/junit: what a skipped case is worth */
	enum spec_grader grader;        /* classroom.yml: io, command or python grader */
	char *id;               /* classroom.yml: the step's id, NULL without one */
	int uncounted;          /* classroom.yml: the reporter does not list it: worth nothing */
};

struct spec {
	int classroom;          /* 1: GitHub Classroom autograding.json semantics */
	int workflow;           /* 1: classroom.yml, GitHub Classroom's grading actions */
	char *path;             /* the file it came from */
	char *dir;              /* the tests directory (the teacher's files are in it) */
	char *build;            /* NULL: no build step */
	char *image;            /* the image whose root the sandbox has (lifebelt image), or NULL */
	struct spec_test *tests;
	int nr;
	char **files;           /* teacher files copied into the work dir */
	int nr_files;
	struct limits limits;   /* only the fields the spec sets */
	char *warnings;         /* lines for the teacher (a file ignored, ...); NULL: none */
	/* "bwrap", "docker" or "slurm"; NULL: the server's runner.executor. With docker, image names a Docker image. */
	char *executor;
	/* "slurm": {"partition", "account", "reservation"}, in that order; NULL: the server's */
	char *slurm[3];
};

/*
 * Read the spec in dir: lifebelt.json, else classroom.yml
 * (.github/workflows/classroom.yml or at the top), else autograding.json
 * (.github/classroom/autograding.json or at the top). A classroom.yml
 * that only runs education/autograding reads autograding.json. The files
 * not read are named in s->warnings. On error prints one line naming the
 * file and the field and returns -1. Free with spec_release().
 */
int spec_load(const char *dir, struct spec *s);

/* The report files of s's tests, NULL-terminated (the bundle's reports); free the array, not its strings. */
const char **spec_reports(const struct spec *s);

/* Print the spec's warnings, each a warning line of its own. */
void spec_warn(const struct spec *s);

/* The spec's file as named inside its tests directory ("lifebelt.json", ".github/workflows/classroom.yml"). */
const char *spec_file(const struct spec *s);
void spec_release(struct spec *s);

/* Whether t is a Docker image as `docker run` names it ("lifebelt-python:1"). */
int docker_image_valid(const char *t);

/*
 * Check that dir holds a usable spec (spec_load and throw it away). Prints
 * one line naming the file and the field that is wrong; returns 0 or -1.
 * The spec's warnings are printed as warnings.
 */
int spec_check_dir(const char *dir);

#endif
