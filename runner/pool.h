/*
 * pool.h: the spare sandbox: the next job's sandbox, started ahead while a
 * worker's current job runs (its set-up is mostly waiting on the kernel):
 * a fresh holder on a fresh, empty work directory, which no job has used.
 * pool_adopt() hands it to the next job; a job with another /tmp size or
 * another image gets a new one instead. The runner's map of files: runner.h.
 */
#ifndef RUNNER_POOL_H
#define RUNNER_POOL_H

struct executor;
struct limits;
struct worker;

struct pool {
	struct executor *spare;         /* or NULL */
	int adopted;                    /* 1: spare's work directory is a job's now (the job removes it) */
	unsigned seq;                   /* names the spares: POOL_PREFIX<worker pid>-<seq> */
};

/* The spares' work directories, beside the jobs': POOL_PREFIX<worker pid>-<n> (loop.c sweeps them). */
#define POOL_PREFIX "spare-"

/* Start the sandbox of w's next job beside cur's work directory (quietly: none on failure). */
void pool_start(struct worker *w, const struct executor *cur);

/*
 * Before the runner makes a job's work directory: if the spare suits
 * limits l and has image's root (NULL: the host's), make workdir its work directory, its tmpfs resized for l, and
 * return 1; else 0 (the spare, if any, is discarded).
 */
int pool_adopt(struct worker *w, const char *workdir, const struct limits *l, const char *image);

/* The spare adopted for workdir, taken out of the pool; or NULL. */
struct executor *pool_take(struct worker *w, const char *workdir);

/* Stop the spare, if any (removing its work directory unless a job adopted it). */
void pool_discard(struct worker *w);

#endif
