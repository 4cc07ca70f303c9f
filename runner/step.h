/*
 * step.h: one step of a bubblewrap session, start to observation: start
 * the step (entering the holder's sandbox, or in a bwrap of its own), pump
 * its pipes until it ends or a limit fires, reap it, classify what
 * happened. The runner's map of files: runner.h.
 */
#ifndef RUNNER_STEP_H
#define RUNNER_STEP_H

struct executor;
struct observation;
struct step;

/* executor_ops.run for bwrap: 0, or -1 with o->fault set (an infrastructure fault). */
int step_run(struct executor *e, const struct step *st, struct observation *o);

#endif
