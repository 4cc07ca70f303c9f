/* workflow.h: GitHub Classroom's workflow (classroom.yml) read as an assignment spec. */
#ifndef RUNNER_WORKFLOW_H
#define RUNNER_WORKFLOW_H

#include <stddef.h>

struct buf;
struct spec;

/* The largest workflow read, and how deep its YAML may nest. */
#define WORKFLOW_MAX_BYTES (1 << 20)
#define WORKFLOW_MAX_DEPTH 32

/* workflow_parse() found the older workflow that runs education/autograding on autograding.json. */
#define WORKFLOW_AUTOGRADING_JSON 1

/*
 * Read the len bytes of a workflow (the file s->path, which errors name)
 * into s: each grader step (autograding-io-grader, -command-grader,
 * -python-grader, under classroom-resources/ or education/) a test, in
 * the order of the steps, counted only if the grading reporter lists it.
 * actions/checkout is understood and skipped; any other step is refused.
 * Things GitHub graded as errors (an unknown comparison-method, an
 * invalid regular expression) are accepted and described in warn, a line
 * each. Untrusted bytes: at most WORKFLOW_MAX_BYTES, nesting at most
 * WORKFLOW_MAX_DEPTH, read by libyaml.
 *
 * Returns 0, WORKFLOW_AUTOGRADING_JSON (the workflow is the older one
 * whose only grader is autograding.json: s gets no tests), or -1 after
 * printing one line naming the line of the file, the step and what is
 * wrong ("classroom.yml: line 23: steps[3] (id: t): ..."). Warnings name
 * their line the same way. The tests are
 * freed by spec_release() either way.
 */
int workflow_parse(struct spec *s, const char *text, size_t len, struct buf *warn);

#endif
