/* cgroup.h: memory and process limits of a job through cgroups (v1 or v2), where the machine has them. */
#ifndef RUNNER_CGROUP_H
#define RUNNER_CGROUP_H

#include <stdint.h>
#include <sys/types.h>

struct buf;

/* A job's cgroup(s). Fields are empty strings for a controller we could not get. */
struct cgroup {
	int version;            /* 0: none, 1 or 2 */
	char memory[512];       /* directory of the memory cgroup (v2: the one cgroup) */
	char pids[512];         /* directory of the pids cgroup (v2: same as memory) */
	int procs_fd[2];        /* cgroup.procs files to join, opened before fork; -1 */
	int lock_fd[2];         /* the directories, flock()ed while we own them (see cgroup_create); -1 */
	pid_t spare;            /* a process of ours in the cgroups that kills leave alone, or 0 */
};

/*
 * Make cgroups with memory and pids limits, below our own, named
 * lifebelt-<label><start>-<pid> after the calling process (its pid and
 * start time) and flock()ed by it as long as it keeps them: a runner that
 * finds them unlocked knows their owner is dead (cgroup_sweep), whatever
 * became of its pid. Never fails: what the machine does not offer is left
 * out (cgroup_describe says what we got). label: letters only.
 */
void cgroup_create(struct cgroup *cg, const char *label, int64_t memory, int64_t pids);
/* Change the limits of cgroups made by cgroup_create (for the next job). */
void cgroup_limit(const struct cgroup *cg, int64_t memory, int64_t pids);
/* In a forked child before exec: move the calling process in (async-signal-safe). */
void cgroup_join(const struct cgroup *cg);
/* 1 if pid is in every cgroup of cg. */
int cgroup_has(const struct cgroup *cg, pid_t pid);
/* Counters to tell which limit fired during a step. */
struct cgroup_counts {
	int64_t oom_kills, mem_fails, pids_max, peak;
};
void cgroup_counts(const struct cgroup *cg, struct cgroup_counts *c);
/* Reset the peak memory counter where the kernel allows it. */
void cgroup_reset_peak(const struct cgroup *cg);
/* SIGKILL every process in the cgroups until they are empty. */
void cgroup_kill(const struct cgroup *cg);
/* Kill what is left and remove the cgroups. */
void cgroup_destroy(struct cgroup *cg);
/*
 * Remove the cgroups left by runners that died, below our own cgroup,
 * killing what still runs in them: those no process holds locked, and those
 * of older runners (lifebelt-<label>-<pid>) whose pid is gone. A live
 * runner's are left alone.
 */
void cgroup_sweep(void);
/* Append a JSON value: {"version":1,"memory":true,"pids":true}. */
void cgroup_describe(const struct cgroup *cg, struct buf *out);

#endif
