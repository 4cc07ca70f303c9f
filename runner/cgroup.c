/* cgroup.c: per-job cgroups for memory and pids, v1 (split hierarchies) or v2 (unified) (map: runner.h). */
#include <errno.h>
#include <dirent.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/banned.h"

#define CGROOT "/sys/fs/cgroup"

/* 1 if name is one of the comma-separated names in list. */
static int listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (; list; list = strchr(list, ',') ? strchr(list, ',') + 1 : NULL)
		if (!strncmp(list, name, n) && (list[n] == ',' || list[n] == '\0'))
			return 1;
	return 0;
}

/*
 * Our own cgroup path in the hierarchy of controller ctl (v1) or the
 * unified one (ctl NULL), from /proc/self/cgroup; names, if not NULL,
 * gets the hierarchy's controllers as listed there ("cpu,cpuacct").
 */
static int self_path(const char *ctl, struct buf *out, struct buf *names)
{
	struct buf f = BUF_INIT;
	char *line, *save = NULL;
	int ret = -1;

	if (buf_read_file(&f, "/proc/self/cgroup"))
		return -1;
	for (line = strtok_r(f.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (!c2)
			continue;
		*c2 = '\0';
		if (ctl ? listed(c1 + 1, ctl) : (!strcmp(line, "0") && c1[1] == '\0')) {
			buf_adds(out, c2 + 1);
			if (names)
				buf_adds(names, c1 + 1);
			ret = 0;
			break;
		}
	}
	buf_release(&f);
	return ret;
}

static int write_file(const char *dir, const char *file, const char *value)
{
	char p[600];
	int fd, ok;

	if (snprintf(p, sizeof(p), "%s/%s", dir, file) >= (int)sizeof(p))
		return -1;
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ok = write(fd, value, strlen(value)) == (ssize_t)strlen(value);
	close(fd);
	return ok ? 0 : -1;
}

static int64_t read_num(const char *dir, const char *file, const char *key)
{
	struct buf p = BUF_INIT, f = BUF_INIT;
	int64_t v = -1;

	buf_addf(&p, "%s/%s", dir, file);
	if (!buf_read_file(&f, p.buf)) {
		if (!key) {
			v = strtoll(f.buf, NULL, 10);
		} else {
			size_t kl = strlen(key);
			char *s = f.buf;

			while (s && *s) {
				if (!strncmp(s, key, kl) && s[kl] == ' ') {
					v = strtoll(s + kl + 1, NULL, 10);
					break;
				}
				s = strchr(s, '\n');
				if (s)
					s++;
			}
		}
	}
	buf_release(&p);
	buf_release(&f);
	return v;
}

/*
 * Make dir and take its lock; the lock's fd, or -1. A runner sweeping may
 * find it unlocked between the two and remove it (see sweep_dir()): then
 * it is made again.
 */
static int make_locked(const char *dir)
{
	int tries, fd;

	for (tries = 0; tries < 10; tries++) {
		struct stat made, now;

		if ((mkdir(dir, 0755) && errno != EEXIST) ||
		    (fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			continue;
		if (!flock(fd, LOCK_EX) && !fstat(fd, &made) && !stat(dir, &now) &&
		    made.st_dev == now.st_dev && made.st_ino == now.st_ino)
			return fd;
		close(fd);
	}
	return -1;
}

/* Make dir = CGROOT/<mount>/<self path>/lifebelt-<label>, locked by *lock; 0 or -1. */
static int make_dir(char *dir, size_t n, const char *mount, const char *ctl, const char *label,
		    int *lock)
{
	struct buf self = BUF_INIT;
	int ret = -1;

	if (self_path(ctl, &self, NULL))
		goto done;
	if (self.len && self.buf[self.len - 1] == '/')
		buf_setlen(&self, self.len - 1);
	if (snprintf(dir, n, "%s%s%s/lifebelt-%s", CGROOT, mount, self.buf, label) >= (int)n)
		goto done;
	if ((*lock = make_locked(dir)) < 0)
		goto done;
	ret = 0;
done:
	if (ret)
		dir[0] = '\0';
	buf_release(&self);
	return ret;
}

/* Remove dir, which make_dir() made, and drop its lock. */
static void unmake_dir(char *dir, int *lock)
{
	rmdir(dir);
	dir[0] = '\0';
	close(*lock);
	*lock = -1;
}

/* When this process started, in clock ticks after boot (/proc/self/stat's 22nd field), or 0. */
static unsigned long long start_time(void)
{
	struct buf f = BUF_INIT;
	unsigned long long t = 0;
	char *p;
	int i;

	/* Fields after the command's name, which ends at the last ')': the state is the third. */
	if (!buf_read_file(&f, "/proc/self/stat") && (p = strrchr(f.buf, ')'))) {
		for (i = 2; i < 22 && p; i++)
			p = strchr(p + 1, ' ');
		if (p)
			t = strtoull(p + 1, NULL, 10);
	}
	buf_release(&f);
	return t;
}

static int open_procs(const char *dir)
{
	char p[600];

	if (!*dir || snprintf(p, sizeof(p), "%s/cgroup.procs", dir) >= (int)sizeof(p))
		return -1;
	return open(p, O_WRONLY | O_CLOEXEC);
}

static const char *const view_ctl[CGROUP_VIEWS] = { "cpu", "cpuacct", "cpuset" };

/* The hierarchy of controller ctl, named as below CGROOT ("cpu,cpuacct"), if it is not memory's or pids'. */
static int view_hierarchy(const char *ctl, char *names, size_t n)
{
	struct buf self = BUF_INIT, list = BUF_INIT;
	int ret = -1;

	if (!self_path(ctl, &self, &list) && !listed(list.buf, "memory") && !listed(list.buf, "pids") &&
	    snprintf(names, n, "%s", list.buf) < (int)n)
		ret = 0;
	buf_release(&self);
	buf_release(&list);
	return ret;
}

/* A new cpuset cgroup has no CPUs and no memory nodes: give dir its parent's. 0 or -1. */
static int inherit_cpuset(const char *dir)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	struct buf p = BUF_INIT, v = BUF_INIT;
	int i, ret = 0;

	for (i = 0; i < 2 && !ret; i++) {
		buf_reset(&p);
		buf_reset(&v);
		buf_addf(&p, "%.*s/%s", (int)(strrchr(dir, '/') - dir), dir, files[i]);
		if (buf_read_file(&v, p.buf) || write_file(dir, files[i], v.buf))
			ret = -1;
	}
	buf_release(&p);
	buf_release(&v);
	return ret;
}

/*
 * v1: a cgroup of the worker's, without limits, in each hierarchy of
 * view_ctl (one per hierarchy where they share one), so that the sandbox
 * can be shown its own cgroup in each (see cgroup_shown()). All or none:
 * the JVM takes none of its limits from v1 without all of them.
 */
static void create_views(struct cgroup *cg, const char *label)
{
	char names[sizeof(cg->view_mount[0])], mount[sizeof(names) + 1];
	int i, j;

	for (i = 0; i < CGROUP_VIEWS; i++) {
		if (view_hierarchy(view_ctl[i], names, sizeof(names)))
			break;
		for (j = 0; j < i && strcmp(cg->view_mount[j], names); j++)
			;
		if (j < i)
			continue;   /* the same hierarchy as an earlier one */
		snprintf(mount, sizeof(mount), "/%s", names);
		if (make_dir(cg->view[i], sizeof(cg->view[i]), mount, view_ctl[i], label, &cg->lock_fd[2 + i]))
			break;
		snprintf(cg->view_mount[i], sizeof(cg->view_mount[i]), "%s", names);
		if (!strcmp(view_ctl[i], "cpuset") && inherit_cpuset(cg->view[i]))
			break;
	}
	if (i < CGROUP_VIEWS)
		for (j = 0; j <= i && j < CGROUP_VIEWS; j++)
			if (*cg->view[j])
				unmake_dir(cg->view[j], &cg->lock_fd[2 + j]);
	if (i < CGROUP_VIEWS)
		memset(cg->view_mount, 0, sizeof(cg->view_mount));
}

static void create_v1(struct cgroup *cg, const char *label, int64_t memory, int64_t pids)
{
	char v[32];

	snprintf(v, sizeof(v), "%lld", (long long)memory);
	if (!make_dir(cg->memory, sizeof(cg->memory), "/memory", "memory", label, &cg->lock_fd[0]) &&
	    write_file(cg->memory, "memory.limit_in_bytes", v))
		unmake_dir(cg->memory, &cg->lock_fd[0]);
	if (*cg->memory) {
		/* No swapping past the limit where swap accounting exists. */
		write_file(cg->memory, "memory.memsw.limit_in_bytes", v);
		write_file(cg->memory, "memory.swappiness", "0");
	}
	snprintf(v, sizeof(v), "%lld", (long long)pids);
	if (!make_dir(cg->pids, sizeof(cg->pids), "/pids", "pids", label, &cg->lock_fd[1]) &&
	    write_file(cg->pids, "pids.max", v))
		unmake_dir(cg->pids, &cg->lock_fd[1]);
	if (*cg->memory || *cg->pids) {
		cg->version = 1;
		create_views(cg, label);
	}
}

static void create_v2(struct cgroup *cg, const char *label, int64_t memory, int64_t pids)
{
	char v[32], dir[512];

	if (make_dir(dir, sizeof(dir), "", NULL, label, &cg->lock_fd[0]))
		return;
	snprintf(v, sizeof(v), "%lld", (long long)memory);
	if (!write_file(dir, "memory.max", v)) {
		write_file(dir, "memory.swap.max", "0");
		snprintf(cg->memory, sizeof(cg->memory), "%s", dir);
	}
	snprintf(v, sizeof(v), "%lld", (long long)pids);
	if (!write_file(dir, "pids.max", v))
		snprintf(cg->pids, sizeof(cg->pids), "%s", dir);
	if (!*cg->memory && !*cg->pids) {
		unmake_dir(dir, &cg->lock_fd[0]);
		return;
	}
	cg->version = 2;
}

void cgroup_create(struct cgroup *cg, const char *label, int64_t memory, int64_t pids)
{
	char name[64];
	struct stat st;
	int i;

	memset(cg, 0, sizeof(*cg));
	for (i = 0; i < CGROUP_DIRS; i++)
		cg->procs_fd[i] = cg->lock_fd[i] = -1;
	snprintf(name, sizeof(name), "%.20s%llu-%ld", label, start_time(), (long)getpid());
	if (!stat(CGROOT "/memory", &st) || !stat(CGROOT "/pids", &st))
		create_v1(cg, name, memory, pids);
	else if (!stat(CGROOT "/cgroup.controllers", &st))
		create_v2(cg, name, memory, pids);
	cg->procs_fd[0] = open_procs(cg->memory);
	if (strcmp(cg->pids, cg->memory))
		cg->procs_fd[1] = open_procs(cg->pids);
	for (i = 0; i < CGROUP_VIEWS; i++)
		cg->procs_fd[2 + i] = open_procs(cg->view[i]);
}

void cgroup_limit(const struct cgroup *cg, int64_t memory, int64_t pids)
{
	char v[32];

	snprintf(v, sizeof(v), "%lld", (long long)memory);
	if (cg->version == 1 && *cg->memory) {
		/* memsw must stay >= the limit: raise it around the change either way. */
		write_file(cg->memory, "memory.memsw.limit_in_bytes", "-1");
		write_file(cg->memory, "memory.limit_in_bytes", v);
		write_file(cg->memory, "memory.memsw.limit_in_bytes", v);
	} else if (cg->version == 2 && *cg->memory) {
		write_file(cg->memory, "memory.max", v);
	}
	snprintf(v, sizeof(v), "%lld", (long long)pids);
	if (*cg->pids)
		write_file(cg->pids, "pids.max", v);
}

/* Join the cgroups of cg from procs_fd[first] on (see cgroup_join()). */
static void join_from(const struct cgroup *cg, int first)
{
	cpu_set_t cpus;
	int i, placed = !sched_getaffinity(0, sizeof(cpus), &cpus);

	/* "0" means the writing process, in v1 and v2 alike. */
	for (i = first; i < CGROUP_DIRS; i++)
		if (cg->procs_fd[i] >= 0) {
			ssize_t n = write(cg->procs_fd[i], "0", 1);

			(void)n;   /* not joined: the limits just do not apply (described as such) */
		}
	/* Before Linux 6.2, joining a cpuset reset the CPUs a process may use to all of the set's: keep its share. */
	if (placed)
		sched_setaffinity(0, sizeof(cpus), &cpus);
}

void cgroup_join(const struct cgroup *cg)
{
	join_from(cg, 0);
}

void cgroup_join_views(const struct cgroup *cg)
{
	join_from(cg, 2);
}

void cgroup_counts(const struct cgroup *cg, struct cgroup_counts *c)
{
	memset(c, 0, sizeof(*c));
	c->peak = -1;
	if (cg->version == 1) {
		if (*cg->memory) {
			c->oom_kills = read_num(cg->memory, "memory.oom_control", "oom_kill");
			c->mem_fails = read_num(cg->memory, "memory.failcnt", NULL);
			c->peak = read_num(cg->memory, "memory.max_usage_in_bytes", NULL);
		}
		if (*cg->pids)
			c->pids_max = read_num(cg->pids, "pids.events", "max");
	} else if (cg->version == 2) {
		if (*cg->memory) {
			c->oom_kills = read_num(cg->memory, "memory.events", "oom_kill");
			c->mem_fails = read_num(cg->memory, "memory.events", "max");
			c->peak = read_num(cg->memory, "memory.peak", NULL);
		}
		if (*cg->pids)
			c->pids_max = read_num(cg->pids, "pids.events", "max");
	}
}

void cgroup_reset_peak(const struct cgroup *cg)
{
	if (cg->version == 1 && *cg->memory)
		write_file(cg->memory, "memory.max_usage_in_bytes", "0");
	else if (cg->version == 2 && *cg->memory)
		write_file(cg->memory, "memory.peak", "0");
}

/* 1 if pid is listed in dir's cgroup.procs. */
static int dir_has(const char *dir, pid_t pid)
{
	struct buf p = BUF_INIT, f = BUF_INIT;
	char *s;
	int found = 0;

	buf_addf(&p, "%s/cgroup.procs", dir);
	if (!buf_read_file(&f, p.buf))
		for (s = f.buf; *s && !found; ) {
			found = strtol(s, &s, 10) == pid;
			while (*s == '\n')
				s++;
		}
	buf_release(&p);
	buf_release(&f);
	return found;
}

int cgroup_has(const struct cgroup *cg, pid_t pid)
{
	return (!*cg->memory || dir_has(cg->memory, pid)) && (!*cg->pids || dir_has(cg->pids, pid));
}

/* Kill everything in dir but spare; 1 if something was still there. */
static int kill_dir(const char *dir, pid_t spare)
{
	struct buf p = BUF_INIT, f = BUF_INIT;
	char *s;
	int found = 0;

	if (!*dir)
		return 0;
	buf_addf(&p, "%s/cgroup.procs", dir);
	if (!buf_read_file(&f, p.buf)) {
		for (s = f.buf; *s; ) {
			long pid = strtol(s, &s, 10);

			if (pid > 0 && pid != spare) {
				kill((pid_t)pid, SIGKILL);
				found = 1;
			}
			while (*s == '\n')
				s++;
			if (*s && (*s < '0' || *s > '9'))
				break;
		}
	}
	buf_release(&p);
	buf_release(&f);
	return found;
}

/* SIGKILL everything in the directories until they are empty (bounded), then remove them if asked. */
static void kill_dirs(const char *a, const char *b, pid_t spare, int remove)
{
	int i;

	/*
	 * Bounded: a process can not fork faster than SIGKILL while frozen out by
	 * pids.max. Dying processes stay listed for a moment, so look again soon.
	 */
	for (i = 0; i < 2000; i++) {
		int found = kill_dir(a, spare) | kill_dir(b, spare);
		struct timespec ts = { 0, 200 * 1000 };

		if (!found)
			break;
		nanosleep(&ts, NULL);
	}
	for (i = 0; remove && i < 100; i++) {
		int busy = (*a && rmdir(a) && errno == EBUSY) |
			   (*b && strcmp(a, b) && rmdir(b) && errno == EBUSY);
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		if (!busy)
			break;
		nanosleep(&ts, NULL);
	}
}

void cgroup_kill(const struct cgroup *cg)
{
	if (cg->version == 2 && !cg->spare && *cg->memory &&
	    !write_file(cg->memory, "cgroup.kill", "1"))
		return;
	kill_dirs(cg->memory, cg->pids, cg->spare, 0);
}

void cgroup_destroy(struct cgroup *cg)
{
	int i;

	if (cg->version == 2 && *cg->memory)
		write_file(cg->memory, "cgroup.kill", "1");
	kill_dirs(cg->memory, cg->pids, 0, 1);
	/* Nothing is left in the views once memory and pids are empty: every step is in all. */
	for (i = 0; i < CGROUP_VIEWS; i++)
		if (*cg->view[i])
			kill_dirs(cg->view[i], "", 0, 1);
	for (i = 0; i < CGROUP_DIRS; i++) {
		if (cg->procs_fd[i] >= 0)
			close(cg->procs_fd[i]);
		if (cg->lock_fd[i] >= 0)
			close(cg->lock_fd[i]);
	}
	memset(cg, 0, sizeof(*cg));
	for (i = 0; i < CGROUP_DIRS; i++)
		cg->procs_fd[i] = cg->lock_fd[i] = -1;
}

int cgroup_shown(const struct cgroup *cg, const char *dir[CGROUP_DIRS], char at[CGROUP_DIRS][64])
{
	int i, n = 0;

	if (cg->version == 2) {
		dir[n] = *cg->memory ? cg->memory : cg->pids;
		snprintf(at[n++], sizeof(at[0]), "sys/fs/cgroup");
		return n;
	}
	if (cg->version != 1)
		return 0;
	if (*cg->memory) {
		dir[n] = cg->memory;
		snprintf(at[n++], sizeof(at[0]), "sys/fs/cgroup/memory");
	}
	if (*cg->pids) {
		dir[n] = cg->pids;
		snprintf(at[n++], sizeof(at[0]), "sys/fs/cgroup/pids");
	}
	for (i = 0; i < CGROUP_VIEWS; i++)
		if (*cg->view[i]) {
			dir[n] = cg->view[i];
			snprintf(at[n++], sizeof(at[0]), "sys/fs/cgroup/%s", cg->view_mount[i]);
		}
	return n;
}

json_t *cgroup_describe(const struct cgroup *cg)
{
	return json_pack("{s:i,s:b,s:b}", "version", cg->version, "memory", !!*cg->memory,
			 "pids", !!*cg->pids);
}

/*
 * 1 if the cgroup dir (lifebelt-<name>) is a dead runner's: unlocked, with
 * our name for it (see cgroup_create), or an older runner's named after a
 * pid that is gone. *lock: the fd holding its lock, for the caller to
 * close after removing it, or -1.
 */
static int stale(const char *dir, const char *name, int *lock)
{
	const char *dash = strrchr(name, '-');
	long pid;

	*lock = -1;
	if (!dash || (pid = strtol(dash + 1, NULL, 10)) <= 0)
		return 0;
	if (dash[-1] < '0' || dash[-1] > '9')
		return kill((pid_t)pid, 0) && errno == ESRCH;
	if ((*lock = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 0;
	if (!flock(*lock, LOCK_EX | LOCK_NB))
		return 1;
	close(*lock);
	*lock = -1;
	return 0;
}

/* Sweep one parent directory of the cgroups that stale() finds. */
static void sweep_dir(const char *mount, const char *ctl)
{
	struct buf self = BUF_INIT, parent = BUF_INIT;
	DIR *d;
	struct dirent *de;

	if (self_path(ctl, &self, NULL))
		goto done;
	buf_addf(&parent, "%s%s%s", CGROOT, mount, self.buf);
	if (!(d = opendir(parent.buf)))
		goto done;
	while ((de = readdir(d))) {
		char dir[600];
		int lock;

		if (strncmp(de->d_name, "lifebelt-", 9) ||
		    snprintf(dir, sizeof(dir), "%s/%s", parent.buf, de->d_name) >= (int)sizeof(dir) ||
		    !stale(dir, de->d_name, &lock))
			continue;
		kill_dirs(dir, "", 0, 1);
		if (lock >= 0)
			close(lock);
	}
	closedir(d);
done:
	buf_release(&self);
	buf_release(&parent);
}

void cgroup_sweep(void)
{
	struct stat st;

	if (!stat(CGROOT "/memory", &st) || !stat(CGROOT "/pids", &st)) {
		char names[64], mount[65];
		int i;

		sweep_dir("/memory", "memory");
		sweep_dir("/pids", "pids");
		for (i = 0; i < CGROUP_VIEWS; i++)
			if (!view_hierarchy(view_ctl[i], names, sizeof(names))) {
				snprintf(mount, sizeof(mount), "/%s", names);
				sweep_dir(mount, view_ctl[i]);
			}
	} else if (!stat(CGROOT "/cgroup.controllers", &st)) {
		sweep_dir("", NULL);
	}
}
