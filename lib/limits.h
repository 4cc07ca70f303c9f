/*
 * limits.h: a job's resource limits, and the one table that names them.
 * The table gives each limit its key (lifebelt.json's "limits" and the
 * server setting limits.KEY), its unit, its built-in default, its largest
 * value and its description; the spec reader, the settings, the provenance
 * and the manual pages are all made from it.
 */
#ifndef LIB_LIMITS_H
#define LIB_LIMITS_H

#include <stddef.h>
#include <stdint.h>

#include "timeutil.h"

#define MiB ((int64_t)1024 * 1024)

/*
 * Resource limits of a job. Times in seconds, sizes in bytes. A zero field
 * means "not set" while limits are being merged (limits_merge).
 */
struct limits {
	double cpu;             /* CPU seconds per test (RLIMIT_CPU) */
	double wall;            /* wall-clock seconds per test */
	double job;             /* wall-clock seconds for the whole job */
	int64_t memory;         /* bytes, cgroup (and RLIMIT_AS without one) */
	int64_t processes;      /* cgroup pids.max and RLIMIT_NPROC */
	int64_t file_size;      /* RLIMIT_FSIZE */
	int64_t open_files;     /* RLIMIT_NOFILE */
	int64_t tmp;            /* size of the private /tmp */
	int64_t capture;        /* bytes of each stream kept (head + tail) */
	int64_t output;         /* bytes a step may print in all before it is stopped */
	int64_t disk;           /* bytes the work directory may hold */
	int64_t files;          /* entries the work directory may hold */
	int64_t cases;          /* cases one tap or junit test may report */
};

/* The longest a job may run, seconds: a day. */
#define LIMIT_JOB_MAX TIME_DAY

/*
 * X(key, field, unit, default, max, help): unit is how many of the field's
 * units (bytes, seconds) one of the key's is; default and max are in the
 * key's units. Keep the order: it is the order every listing shows.
 */
#define LIMIT_KEYS(X) \
	X("cpu_seconds", cpu, 1, 5, 3600, "CPU time per test, seconds") \
	X("wall_seconds", wall, 1, 15, 3600, "wall-clock time per test, seconds") \
	X("job_seconds", job, 1, 120, LIMIT_JOB_MAX, "wall-clock time for the whole job (build and every test), seconds") \
	X("memory_mb", memory, MiB, 512, 65536, "memory of the job's processes together, MiB") \
	X("processes", processes, 1, 64, 4096, "processes (and threads) the job may have at once") \
	X("file_mb", file_size, MiB, 16, 65536, "largest file a test may write, MiB") \
	X("open_files", open_files, 1, 256, 65536, "files one process may have open") \
	X("tmp_mb", tmp, MiB, 64, 65536, "size of the job's private /tmp and /dev/shm, MiB") \
	X("output_kb", capture, 1024, 1024, 1048576, "output kept of each stream of a test (head and tail), KiB") \
	X("print_limit_mb", output, MiB, 16, 4096, "output a test may print in all before it is stopped, MiB") \
	X("disk_mb", disk, MiB, 256, 65536, "what the work directory may hold, MiB") \
	X("files", files, 1, 20000, 10000000, "files and directories the work directory may hold") \
	X("cases", cases, 1, 1000, 100000, "cases one tap or junit test may report")

/* One row of LIMIT_KEYS. */
struct limit_key {
	const char *name;       /* "memory_mb" */
	const char *def;        /* the default as text, in the key's unit ("512") */
	const char *help;
	double unit;            /* field units per key unit */
	double max;             /* largest value, in the key's unit */
	size_t off;             /* of the field in struct limits */
	int is_double;          /* the field is a double (seconds), else an int64_t */
};
extern const struct limit_key limit_keys[];   /* ends with a row whose name is NULL */

/* The row for name ("memory_mb"), or NULL. */
const struct limit_key *limit_key_find(const char *name);

/* The built-in defaults. */
void limits_default(struct limits *l);
/* Every field of over that is set (non-zero) replaces the one in l. */
void limits_merge(struct limits *l, const struct limits *over);
/* Set k's field of l from v, in the key's unit (512 for memory_mb). */
void limits_set(struct limits *l, const struct limit_key *k, double v);
/* k's field of l in the key's unit. */
double limits_get(const struct limits *l, const struct limit_key *k);

#endif
