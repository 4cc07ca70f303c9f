/* executor.h: the boundary between grading and running: a bundle goes in, observations come out (map: runner.h). */
#ifndef RUNNER_EXECUTOR_H
#define RUNNER_EXECUTOR_H

#include <stdint.h>
#include <jansson.h>

#include "capture.h"
#include "spec.h"

/*
 * The bundle: what an executor needs to run a job and nothing more. The
 * checked-out files (student's commit plus the teacher's `files`) are in
 * workdir; the commands and inputs come step by step. Expected outputs are
 * never part of it.
 */
struct bundle {
	const char *workdir;    /* prepared by the runner; the executor may move it */
	struct limits limits;
	int worker;             /* 0.. : keeps concurrent jobs apart (uid, cgroup) */
	const char *label;      /* "job-12": names cgroups and mounts */
	int more;               /* further jobs likely follow: the executor may start the next one's sandbox */
	const char *image;      /* an image's unpacked tree, the sandbox's / (image.h); NULL: the host's */
	/* the Docker executor's image, as `docker run` names it (lifebelt.json "image"); NULL: its default */
	const char *docker_image;
	const struct slurm_conf *slurm;         /* the Slurm executor's partition...; NULL: its defaults */
	/*
	 * The report files tests write (NULL-terminated; NULL: none): an
	 * executor whose work directory is elsewhere clears a step's own
	 * (struct step's report) there before the step and brings it back.
	 */
	const char *const *reports;
	/*
	 * The teacher's files in the work directory (NULL-terminated; NULL:
	 * none): an executor whose work directory is elsewhere puts them back
	 * as they were before each step, as grade.c does here.
	 */
	const char *const *files;
};

/* One command run as /bin/sh -c CMD in the work directory. */
struct step {
	const char *cmd;
	const char *input;      /* fed through a pipe, then closed; NULL: closed at once */
	size_t input_len;
	double cpu, wall;       /* this step's limits, seconds */
	int keep_stdout;        /* keep all of stdout (up to limits.output) for comparing */
	volatile int *cancel;   /* non-zero: stop the step at once (a fault: the runner is stopping) */
	/*
	 * The report the test reads after this step (one of the bundle's
	 * reports), removed before it here by grade.c; NULL: none. Another
	 * test's report stays, as it does here.
	 */
	const char *report;
	/*
	 * > 0: a descriptor that says nothing while the step runs; readable
	 * (data or its end) stops it as *cancel does. node-exec's stdin: the
	 * runner stopped, or is gone.
	 */
	int cancel_fd;
};

/* Which limit stopped a step, as the executor saw it. */
enum fired {
	FIRED_NONE, FIRED_CPU, FIRED_WALL, FIRED_MEMORY, FIRED_OUTPUT, FIRED_FILE_SIZE,
	FIRED_DISK
};

/* What happened, for one step. Release with observation_release(). */
struct observation {
	int exited;             /* 1: exit status in status; 0: killed by signal `signal` */
	int status, signal;
	double cpu, wall;       /* seconds */
	int64_t peak_memory;    /* bytes; -1 unknown */
	enum fired fired;
	int procs_capped;       /* the process limit refused a fork */
	struct capture out, err;
	char *fault;            /* set: an infrastructure fault (the step never really ran) */
};
void observation_release(struct observation *o);

struct executor;
struct slurm_conf;

/* open()'s answer when there is no room for the job now: back-pressure, not a fault. */
#define EXECUTOR_BUSY 1

/*
 * What a worker process keeps from job to job for an executor (the
 * bubblewrap executor's is in worker.h): made once in the worker by
 * worker_new(), passed to each of its sessions, freed by shutdown().
 */
struct worker;

/* An executor: one way of running bundles (bubblewrap here; a container or cluster later). */
struct executor_ops {
	const char *kind;       /* "bwrap" */
	/* A worker's state with nothing made yet: open() makes what it needs, once. */
	struct worker *(*worker_new)(void);
	/*
	 * Make w's session for bundle; -1 is an infrastructure fault (reported);
	 * EXECUTOR_BUSY: no room for it now (a cluster's CPUs all taken), the job
	 * goes back to the queue as it was, without using an attempt.
	 */
	int (*open)(struct worker *w, struct executor **out, const struct bundle *b);
	/* Run one step; a non-NULL o->fault or -1 is an infrastructure fault. */
	int (*run)(struct executor *e, const struct step *st, struct observation *o);
	/* A JSON object (a new reference) describing the isolation this session got, for provenance. */
	json_t *(*describe)(struct executor *e);
	/* Kill anything left, release the work directory's mount; frees e. */
	void (*close)(struct executor *e);
	/* At start-up: clear what sessions of runners that died left behind. */
	void (*sweep)(void);
	/* When the worker runs no more jobs: release what w kept between jobs, free w (NULL: nothing). */
	void (*shutdown)(struct worker *w);
	/*
	 * Before the runner makes a job's work directory: if a sandbox started
	 * ahead (bundle.more) suits limits l and root image (bundle.image),
	 * make workdir its fresh, empty,
	 * capped work directory and return 1 (open() then takes that sandbox);
	 * 0: the runner makes workdir itself. A sandbox started ahead never ran
	 * anything before; it is never one a job has used. May be NULL.
	 */
	int (*adopt)(struct worker *w, const char *workdir, const struct limits *l, const char *image);
	/*
	 * Its steps run on another machine, from a copy of the work directory:
	 * what must stay on this host (a checker with a test's expected
	 * output) runs here, in a bubblewrap sandbox of its own (grade.h).
	 */
	int remote;
};

/* Each job in a bubblewrap sandbox on this host (sandbox-bwrap.c; the map of files: runner.h). */
extern const struct executor_ops executor_bwrap;
/* Each job in a fresh Docker container (sandbox-docker.c). */
extern const struct executor_ops executor_docker;
/* Each job on a node of a Slurm cluster, through srun and `lifebelt node-exec` (sandbox-slurm.c). */
extern const struct executor_ops executor_slurm;

#endif
