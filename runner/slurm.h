/* slurm.h: the Slurm executor's settings and Slurm's own words for a job's end (map: runner.h). */
#ifndef RUNNER_SLURM_H
#define RUNNER_SLURM_H

struct buf;
struct db;
struct limits;
struct spec;

/* Where a job goes on the cluster: slurm.* settings, then the spec's "slurm" object. */
struct slurm_conf {
	char *partition, *account, *reservation;        /* NULL or "": Slurm's default */
	char *command;          /* lifebelt on the nodes (slurm.command) */
	int immediate;          /* seconds srun may wait for a CPU before giving the job back */
	int hold;               /* minutes a worker's srun serves jobs (slurm.hold_minutes) */
	int margin;             /* Slurm jobs started beyond the partition's free CPUs (slurm.margin) */
};

/* Fill c from the server's settings (db may be NULL) and s's overrides. Release with slurm_conf_release(). */
void slurm_conf_load(struct db *db, const struct spec *s, struct slurm_conf *c);
void slurm_conf_release(struct slurm_conf *c);

enum slurm_end {
	SLURM_END_MEMORY,       /* OUT_OF_MEMORY: the running step's memory verdict */
	SLURM_END_FAULT         /* anything else: an infrastructure fault, retried */
};

/*
 * How a job ended, from `scontrol show job -o ID`'s line: the JobState (and
 * Reason) into state, e.g. "NODE_FAIL (NodeDown)". An empty or unreadable
 * answer is a fault whose state says so.
 */
enum slurm_end slurm_end_parse(const char *scontrol, struct buf *state);

/*
 * Start the worker's srun for a job of c and l now, if it has none that
 * fits and a CPU of the partition is free, without waiting for it: the
 * job's checkout, or the worker's first claim, then overlaps srun's start
 * (tens of milliseconds). The job's open() waits for it, or starts one
 * itself. Nothing is said if it cannot: open() says it.
 */
void slurm_start_ahead(const struct slurm_conf *c, const struct limits *l);

/*
 * Slurm jobs this host's runners have on the cluster now, one
 * "ID NAME STATE TIME NODE" line each (squeue), appended to out.
 * 0, or -1 if squeue could not be run.
 */
int slurm_jobs(struct buf *out);

#endif
