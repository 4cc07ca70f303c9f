/* cgroup.h: memory and process limits of a job through cgroups (v1 or v2), where available (map: runner.h). */
#ifndef RUNNER_CGROUP_H
#define RUNNER_CGROUP_H

#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>

struct buf;

/*
 * v1 only: the hierarchies besides memory and pids in which a cgroup is
 * made too, without limits, so that a step sees a cgroup of its own in
 * each (see cgroup_shown): the JVM reads its limits only if it finds
 * cpu, cpuacct and cpuset besides memory.
 */
#define CGROUP_VIEWS 3
#define CGROUP_DIRS (2 + CGROUP_VIEWS)

/* A job's cgroup(s). Fields are empty strings for a controller we could not get. */
struct cgroup {
	int version;            /* 0: none, 1 or 2 */
	char memory[512];       /* directory of the memory cgroup (v2: the one cgroup) */
	char pids[512];         /* directory of the pids cgroup (v2: same as memory) */
	char view[CGROUP_VIEWS][512];   /* v1: the cgroups in the other hierarchies, or "" */
	char view_mount[CGROUP_VIEWS][64];   /* their hierarchies' names below /sys/fs/cgroup */
	int procs_fd[CGROUP_DIRS];  /* cgroup.procs files to join (memory, pids, views), opened before fork; -1 */
	int lock_fd[CGROUP_DIRS];   /* the directories, flock()ed while we own them (see cgroup_create); -1 */
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
/*
 * The same, into the v1 cgroups made to be shown only (cpu, cpuacct,
 * cpuset): for the sandbox's pid 1, which the kills between steps spare.
 * Kept in the steps' CPU group, it reaps them as promptly as when neither
 * had one of its own.
 */
void cgroup_join_views(const struct cgroup *cg);
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
/*
 * The cgroups a step is in, to be shown to it read-only where container-aware
 * runtimes (the JVM, node, .NET) look for their limits: for v2 the one
 * cgroup at /sys/fs/cgroup; for v1 each hierarchy's at
 * /sys/fs/cgroup/<its controllers> (memory, pids, cpu, ...). Under the
 * step's cgroup namespace each is its root, "/", in /proc/self/cgroup and
 * in the mount table alike. Fills dir[i] and at[i] (below /, without the
 * leading slash: "sys/fs/cgroup/memory"); returns how many.
 */
int cgroup_shown(const struct cgroup *cg, const char *dir[CGROUP_DIRS], char at[CGROUP_DIRS][64]);
/* Append a JSON value: {"version":1,"memory":true,"pids":true}. */
json_t *cgroup_describe(const struct cgroup *cg);

#endif
