/* sandbox-bwrap.c: the local executor: each step in a fresh bubblewrap sandbox. */
#include <errno.h>
#include <stddef.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "enter.h"
#include "filter.h"
#include "later.h"
#include "launch.h"
#include "executor.h"
#include "workdir.h"
#include "../lib/fsutil.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

#define BWRAP "/usr/bin/bwrap"

/*
 * bwrap (running unprivileged) must reach the work directory by a path it
 * may traverse, but the data directory is closed to other users. A root
 * runner's holder finds it at ATTACH: the child that becomes the holder's
 * bwrap enters the worker's mount namespace (launch.h), copies it, and
 * attaches a clone of the work directory's mount there, so one name serves
 * every sandbox and nothing is mounted on the host. Where that namespace
 * could not be made, or for a sandbox per step, each job's work directory
 * is bound, once, at STAGE/<label>. STAGE is searchable but not listable.
 */
#define STAGE "/run/lifebelt"
#define ATTACH STAGE "/w"
#define ROOT STAGE "/root"      /* the sandboxes' / (launch_mnt), in the worker's namespace only */

/* Where the child puts the sandbox-ready marker pipe and the work directory for bwrap. */
#define READY_FD 3
#define WORKDIR_FD 4
#define INFO_FD 5
#define FILTER_FD 6     /* the steps' seccomp filter, for bwrap's --seccomp */

/* The next job's work directory, started ahead: SPARE_PREFIX<worker pid>-<n> beside the job's. */
#define SPARE_PREFIX "spare-"

/* lifebelt-holder (installed beside lifebelt) inside the sandbox, run as the job's pid 1. */
#define HOLDER "/.lifebelt/lifebelt-holder"

struct executor {
	struct bundle b;
	char *workdir;
	int workdir_fd;         /* O_PATH, handed to bwrap with --bind-fd */
	int drop;               /* 1: we are root and switch to SANDBOX_UID */
	int on_tmpfs;           /* the work dir is its own (capped) file system */
	char *stage;            /* STAGE/<label> bound to the work dir (root only), or NULL */
	int64_t nproc_base;     /* processes the sandbox uid already had (RLIMIT_NPROC counts them) */
	/*
	 * Steps join one sandbox per job (root with a pids cgroup): the holder is
	 * a bwrap whose command waits on holder_in; each step enters its
	 * namespaces, and the cgroup kills what a step leaves. 0: a bwrap per step.
	 */
	pid_t holder;
	int holder_in;
	int holder_ready, holder_info, holder_ep;   /* its set-up reports (holder_spawn), or -1 */
	char *exe;              /* lifebelt-holder, bound into the sandbox as HOLDER */
	int net;                /* the worker's network namespace for the holder, or -1: bwrap makes one */
	int mnt;                /* the worker's mount namespace for the holder's bwrap (launch_mnt), or -1 */
	int tree;               /* the work directory's mount, cloned for the holder's bwrap, or -1 */
	int nsfd[ENTER_NS];
	struct cgroup cg;
};

static int holder_start(struct executor *e);
static int holder_spawn(struct executor *e);
static int holder_wait(struct executor *e);
static void holder_stop(struct executor *e);

static struct cgroup worker_cg;
_Static_assert(CGROUP_DIRS <= LAUNCH_CGROUPS, "every cgroup of a worker can be shown");
static pid_t worker_cg_pid;
static int64_t worker_cg_memory, worker_cg_pids;   /* the limits written last */
static void etc_release(void);
static int spawner_start(void);
static int spawner_filter(void);
static void spawner_stop(void);
static pid_t spawner_pid;       /* see spawner_main() */
static int worker_net = -1, worker_mnt = -1;   /* see launch.h */
static struct cgroup_counts counts_last;   /* the worker's cgroups' counters after its last step */
static pid_t counts_owner;
static int counts_ok;
static int spawner_sock = -1;

void observation_release(struct observation *o)
{
	capture_release(&o->out);
	capture_release(&o->err);
	free(o->fault);
	memset(o, 0, sizeof(*o));
}

/* The steps' seccomp filter (filter.h), or NULL if it could not be built. */
static const struct enter_filter *step_filter(void)
{
	static struct enter_filter f;
	const struct sock_fprog *p;

	if (!f.len && (p = filter_program())) {
		f.len = p->len;
		f.code = p->filter;
	}
	return f.len ? &f : NULL;
}

static int chown_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return lchown(path, SANDBOX_UID, SANDBOX_GID) ? -1 : 0;
}

/* How many processes uid has now: RLIMIT_NPROC is per user, not per sandbox. */
static int64_t count_processes(uid_t uid)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int64_t n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char p[300];
		struct stat st;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(p, sizeof(p), "/proc/%.20s", de->d_name);
		if (!stat(p, &st) && st.st_uid == uid)
			n++;
	}
	closedir(d);
	return n;
}

/* lifebelt-NAME installed beside our own binary (see fs_self_program()), or NULL. free() it. */
static char *beside_self(const char *name)
{
	struct buf p = BUF_INIT;

	if (fs_self_program(&p, name) != 1) {
		buf_release(&p);
		return NULL;
	}
	return buf_detach(&p, NULL);
}

/* STAGE, made if need be: searchable by anyone, listable by none. 0 or -1. */
static int stage_dir(void)
{
	return (mkdir(STAGE, 0711) && errno != EEXIST) || chmod(STAGE, 0711) ? -1 : 0;
}

/*
 * lifebelt-holder beside our own binary, or NULL (then: a sandbox per step).
 * As root, bwrap runs as the sandbox's uid, which may not be able to reach
 * our install directory (a build tree in a private folder, a 0700 home): the
 * holder is then copied to STAGE, which that uid can reach, and that copy is
 * returned. free() it.
 */
static char *holder_path(void)
{
	char *path = beside_self("holder"), *ret = NULL;
	struct buf data = BUF_INIT, copy = BUF_INIT;

	if (!path || geteuid())
		return path;
	buf_addf(&copy, "%s/lifebelt-holder", STAGE);
	if (stage_dir() || buf_read_file(&data, path) ||
	    fs_write_atomic(copy.buf, data.buf, data.len, 0755))
		error_errno("cannot copy %s to %s", path, copy.buf);
	else
		ret = buf_detach(&copy, NULL);
	free(path);
	buf_release(&data);
	buf_release(&copy);
	return ret;
}

/* Bind e->workdir at STAGE/name (root): a path bwrap, unprivileged, may reach. 0 or -1 (reported). */
static int stage_bind(struct executor *e, const char *name)
{
	struct buf st = BUF_INIT;

	buf_addf(&st, "%s/%s", STAGE, name);
	later_wait_for(st.buf);   /* the same name's last use, if it is still being removed */
	if (stage_dir() || (mkdir(st.buf, 0700) && errno != EEXIST) ||
	    mount(e->workdir, st.buf, NULL, MS_BIND, NULL)) {
		error_errno("cannot bind %s at %s", e->workdir, st.buf);
		rmdir(st.buf);
		buf_release(&st);
		return -1;
	}
	e->stage = buf_detach(&st, NULL);
	return 0;
}

static void close_pair(int p[2])
{
	int i;

	for (i = 0; i < 2; i++)
		if (p[i] >= 0) {
			close(p[i]);
			p[i] = -1;
		}
}

/* The read end of a pipe that yields the steps' filter, then EOF (for bwrap's --seccomp); or -1. */
static int filter_pipe(void)
{
	const struct enter_filter *f = step_filter();
	size_t len = (size_t)f->len * 8;
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		return -1;
	/* A few hundred instructions: far less than a pipe holds. */
	if (write(p[1], f->code, len) != (ssize_t)len) {
		close_pair(p);
		return -1;
	}
	close(p[1]);
	return p[0];
}

/*
 * The sandbox's /etc for a bwrap that makes its / itself (the worker's
 * ready-made / has its own, see launch.h), made once per process: a
 * read-only tmpfs at STAGE/etc-<pid> as root, else a directory in
 * /dev/shm (a tmpfs: a thousand small files and links are made at once
 * there, where a disk takes up to a second) or TMPDIR; then the work
 * directory's path shows in the sandbox's mount table too. Its path, or
 * NULL (reported).
 */
static char *etc_path;
static pid_t etc_owner;

static const char *etc_dir(void)
{
	struct buf dir = BUF_INIT;
	const char *tmp = getenv("TMPDIR");
	int root = geteuid() == 0, made;

	if (etc_path)
		return etc_path;
	if (root) {
		buf_addf(&dir, "%s/etc-%ld", STAGE, (long)getpid());
		made = !stage_dir() && (!mkdir(dir.buf, 0755) || errno == EEXIST) &&
		       !mount("lifebelt-etc", dir.buf, "tmpfs", MS_NOSUID | MS_NODEV,
			      LAUNCH_ETC_TMPFS);
	} else {
		if (!access("/dev/shm", W_OK | X_OK))
			tmp = "/dev/shm";
		buf_addf(&dir, "%s/lifebelt-etc.XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
		made = mkdtemp(dir.buf) && !chmod(dir.buf, 0755);
	}
	if (!made) {
		error_errno("cannot make the sandbox's /etc at %s", dir.buf);
		buf_release(&dir);
		return NULL;
	}
	etc_path = buf_detach(&dir, NULL);
	etc_owner = getpid();
	if (launch_etc(etc_path, root ? SANDBOX_UID : getuid(), root ? SANDBOX_GID : getgid()) ||
	    (root && mount(NULL, etc_path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
			   NULL))) {
		error_errno("cannot make the sandbox's /etc at %s", etc_path);
		etc_release();
		return NULL;
	}
	return etc_path;
}

/* Remove etc_dir()'s /etc, if this process made it. */
static void etc_release(void)
{
	if (etc_path && etc_owner == getpid())
		workdir_remove(etc_path);
	free(etc_path);
	etc_path = NULL;
}

/*
 * The worker's mount namespace for its holders' bwraps (launch_mnt), with
 * ATTACH made and the kernel's mount API checked; an fd or -1.
 */
static int mnt_start(void)
{
	struct launch_root l;
	char at[CGROUP_DIRS][64];
	char *holder;
	int tree, fd, i;

	memset(&l, 0, sizeof(l));
	l.stage = STAGE;
	l.root = ROOT;
	l.cgroups = cgroup_shown(&worker_cg, l.cgroup_dir, at);
	for (i = 0; i < l.cgroups; i++)
		l.cgroup_at[i] = at[i];

	if (stage_dir() || (mkdir(ATTACH, 0700) && errno != EEXIST))
		return -1;
	if ((tree = launch_tree(ATTACH)) < 0)
		return -1;   /* a kernel before 5.2 */
	close(tree);
	if (!(holder = beside_self("holder")))
		return -1;
	l.holder = holder;
	fd = launch_mnt(&l);
	free(holder);
	return fd;
}

static struct executor *executor_new(const struct bundle *b)
{
	struct executor *e = calloc(1, sizeof(*e));
	int i;

	e->b = *b;
	e->workdir = strdup(b->workdir);
	e->b.workdir = e->workdir;
	e->drop = geteuid() == 0;
	e->workdir_fd = -1;
	e->holder_in = e->holder_ready = e->holder_info = e->holder_ep = -1;
	e->net = e->mnt = e->tree = -1;
	for (i = 0; i < ENTER_NS; i++)
		e->nsfd[i] = -1;
	return e;
}

/* Stop e's holder, release its stage mount, free it; remove its work directory if asked. */
static void executor_free(struct executor *e, int remove_workdir)
{
	holder_stop(e);
	free(e->exe);
	if (e->stage) {
		later_unmount(e->stage);
		free(e->stage);
	}
	if (e->workdir_fd >= 0)
		close(e->workdir_fd);
	if (remove_workdir)
		later_remove(e->workdir);
	free(e->workdir);
	free(e);
}

/*
 * The next job's sandbox, started ahead while this worker's current job
 * runs (its set-up is mostly waiting on the kernel): a fresh holder on a
 * fresh, empty work directory, which no job has used. bw_adopt() hands it
 * to the next job; a job with another /tmp size gets a new one instead.
 */
static struct executor *spare;
static pid_t spare_owner;       /* the worker process that started it */
static int spare_adopted;       /* 1: spare's work directory is a job's now (the job removes it) */
static unsigned spare_seq;

static void spare_discard(void)
{
	if (!spare || spare_owner != getpid()) {
		spare = NULL;   /* a fork's copy: its parent's to stop */
		return;
	}
	executor_free(spare, !spare_adopted);
	spare = NULL;
	spare_adopted = 0;
}

/* Start the sandbox of the worker's next job beside cur's work directory (quietly: none on failure). */
static void spare_start(const struct executor *cur)
{
	struct buf dir = BUF_INIT, name = BUF_INIT;
	const char *slash = strrchr(cur->workdir, '/');
	struct executor *s;
	int capped;

	spare_discard();
	if (!slash)
		return;
	buf_addf(&dir, "%.*s/%s%ld-%u", (int)(slash - cur->workdir), cur->workdir, SPARE_PREFIX,
		 (long)getpid(), spare_seq);
	if (workdir_create(dir.buf, cur->b.limits.disk, cur->b.limits.files, &capped) || !capped) {
		workdir_remove(dir.buf);
		buf_release(&dir);
		return;
	}
	s = executor_new(&cur->b);
	free(s->workdir);
	s->workdir = buf_detach(&dir, NULL);
	s->b.workdir = s->workdir;
	s->b.label = NULL;
	s->cg = cur->cg;
	s->exe = strdup(cur->exe);
	s->net = cur->net;
	s->mnt = cur->mnt;
	spare = s;
	spare_owner = getpid();
	spare_adopted = 0;
	buf_addf(&name, "spare%u-%ld", spare_seq++, (long)getpid());
	if ((s->mnt < 0 && stage_bind(s, name.buf)) ||
	    (s->workdir_fd = open(s->workdir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    holder_spawn(s))
		spare_discard();
	buf_release(&name);
}

static int bw_adopt(const char *workdir, const struct limits *l)
{
	char opts[128];

	if (spare && (spare_owner != getpid() || spare_adopted))
		spare_discard();   /* adopted by a job that never opened it */
	if (!spare)
		return 0;
	if (spare->b.limits.tmp != l->tmp || holder_wait(spare) || !spare->holder) {
		spare_discard();
		return 0;
	}
	snprintf(opts, sizeof(opts), "size=%lld,nr_inodes=%lld",
		 (long long)l->disk, (long long)l->files + 16);
	later_wait_for(workdir);
	workdir_remove(workdir);
	if (fs_mkdir_p(workdir, 0755) || mount(spare->workdir, workdir, NULL, MS_BIND, NULL)) {
		spare_discard();
		return 0;
	}
	if (mount(NULL, workdir, "tmpfs", MS_REMOUNT | MS_NOSUID | MS_NODEV, opts)) {
		workdir_remove(workdir);
		spare_discard();
		return 0;
	}
	later_unmount(spare->workdir);
	free(spare->workdir);
	spare->workdir = strdup(workdir);
	spare->b.workdir = spare->workdir;
	spare_adopted = 1;
	return 1;
}

static int bw_open(struct executor **out, const struct bundle *b)
{
	struct executor *e;
	struct statvfs fs, parent;
	struct buf up = BUF_INIT;

	if (spare && spare_adopted && spare_owner == getpid() && !strcmp(spare->workdir, b->workdir)) {
		/* The sandbox started ahead for this job (see bw_adopt). */
		e = spare;
		spare = NULL;
		spare_adopted = 0;
		e->b = *b;
		e->b.workdir = e->workdir;
	} else {
		e = executor_new(b);
	}
	if (e->drop && nftw(e->workdir, chown_one, 16, FTW_PHYS)) {
		error_errno("cannot hand %s to the sandbox user", e->workdir);
		goto fail;
	}
	buf_addf(&up, "%s/..", e->workdir);
	e->on_tmpfs = !statvfs(e->workdir, &fs) && !statvfs(up.buf, &parent) && fs.f_fsid != parent.f_fsid;
	buf_release(&up);
	if (e->workdir_fd < 0)
		e->workdir_fd = open(e->workdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (e->workdir_fd < 0) {
		error_errno("cannot open %s", e->workdir);
		goto fail;
	}
	/*
	 * One cgroup per worker process, kept from job to job with the limits
	 * rewritten: making and removing cgroups costs milliseconds each.
	 */
	if (worker_cg_pid != getpid()) {
		counts_ok = 0;
		cgroup_create(&worker_cg, "w", b->limits.memory, b->limits.processes + 1);
		worker_cg_pid = getpid();
		if (geteuid() == 0 && *worker_cg.pids) {
			spawner_start();
			if (worker_net >= 0)
				close(worker_net);
			if (worker_mnt >= 0)
				close(worker_mnt);
			worker_net = launch_net();
			worker_mnt = mnt_start();
		}
		worker_cg_memory = b->limits.memory;
		worker_cg_pids = b->limits.processes + 1;
	} else if (worker_cg_memory != b->limits.memory ||
		   worker_cg_pids != b->limits.processes + !!spawner_pid) {
		/* Rewritten only when they change: cgroup v1 takes four writes. */
		worker_cg_memory = b->limits.memory;
		worker_cg_pids = b->limits.processes + !!spawner_pid;
		cgroup_limit(&worker_cg, worker_cg_memory, worker_cg_pids);
	}
	e->cg = worker_cg;
	e->net = worker_net;
	e->mnt = e->drop ? worker_mnt : -1;
	if (!*e->cg.pids)
		e->nproc_base = count_processes(e->drop ? SANDBOX_UID : getuid());
	/* Without a pids cgroup nothing could kill what a step leaves behind: a sandbox per step. */
	if (e->holder && (!e->drop || !*e->cg.pids))
		holder_stop(e);
	/*
	 * bwrap runs as the sandbox's uid, which may not reach the work
	 * directory: as root, each sandbox gets it through a stage mount, or
	 * the holder's bwrap through ATTACH in the worker's mount namespace.
	 */
	if (e->drop && !e->stage && e->mnt < 0 && stage_bind(e, b->label))
		goto fail;
	if (!e->holder && e->drop && *e->cg.pids && (e->exe || (e->exe = holder_path())))
		holder_start(e);
	if (e->drop && !e->stage && !e->holder && stage_bind(e, b->label))
		goto fail;   /* a sandbox per step after all */
	if (b->more && e->holder)
		spare_start(e);
	*out = e;
	return 0;
fail:
	executor_free(e, 0);
	return -1;
}

static void bw_close(struct executor *e)
{
	if (!e)
		return;
	holder_stop(e);
	cgroup_kill(&e->cg);
	executor_free(e, 0);
}

static json_t *bw_describe(struct executor *e)
{
	json_t *d;
	cpu_set_t cpus;

	d = json_pack("{s:s,s:i,s:[s,s,s,s,s,s,s],s:b,s:b,s:o,s:s,s:b,s:s,s:s}",
		      "kind", "bwrap", "uid", e->drop ? SANDBOX_UID : (int)getuid(),
		      "namespaces", "user", "pid", "net", "ipc", "uts", "mount", "cgroup",
		      "nested_userns", 0, "seccomp", step_filter() != NULL,
		      "cgroup", cgroup_describe(&e->cg),
		      "workdir", e->on_tmpfs ? "tmpfs" : "directory", "rlimit_as", !*e->cg.memory,
		      "sandbox_per", e->holder ? "job" : "step",
		      "net_per", e->holder && e->net >= 0 ? "worker" : e->holder ? "job" : "step");
	/* The CPUs its steps start on (the worker's share, see worker_cpus()). */
	if (d && !sched_getaffinity(0, sizeof(cpus), &cpus))
		json_object_set_new(d, "cpus", json_integer(CPU_COUNT(&cpus)));
	return d;
}

static void add(struct buf *argv_buf, const char *s)
{
	buf_add(argv_buf, s, strlen(s) + 1);
}

/* The end of a holder's bwrap command line: it reports on INFO_FD and runs HOLDER as pid 1. */
static void holder_args(struct buf *a)
{
	char n[16];

	snprintf(n, sizeof(n), "%d", INFO_FD);
	add(a, "--info-fd"); add(a, n);
	add(a, "--as-pid-1");
	add(a, "--");
	add(a, HOLDER);
}

/* bwrap's command line, NUL-separated (for --args through a pipe would be longer; argv is fine). */
static void bwrap_args(struct executor *e, const struct step *st, struct buf *a)
{
	char n[128], gomem[ENTER_GOMEMLIMIT_MAX];
	const char *cg_dir[CGROUP_DIRS];
	char cg_at[CGROUP_DIRS][64];
	struct stat sb;
	int i, cgs;

	add(a, BWRAP);
	add(a, "--unshare-user");
	add(a, "--unshare-pid");
	if (st || e->net < 0)
		add(a, "--unshare-net");
	add(a, "--unshare-ipc");
	add(a, "--unshare-uts");
	add(a, "--unshare-cgroup-try");
	/* The step must not make namespaces of its own (the seccomp filter says so too). */
	add(a, "--disable-userns");
	add(a, "--die-with-parent");
	add(a, "--new-session");
	add(a, "--clearenv");
	add(a, "--cap-drop"); add(a, "ALL");
	add(a, "--hostname"); add(a, "sandbox");
	add(a, "--setenv"); add(a, "PATH"); add(a, SANDBOX_PATH);
	/*
	 * HOME is not the student's tree and Python reads no user
	 * site-packages: nothing committed is imported by every Python
	 * program (a teacher's checker also runs isolated, see grade.c).
	 */
	add(a, "--setenv"); add(a, "HOME"); add(a, "/tmp");
	add(a, "--setenv"); add(a, "TMPDIR"); add(a, "/tmp");
	add(a, "--setenv"); add(a, "LANG"); add(a, "C.UTF-8");
	add(a, "--setenv"); add(a, "PYTHONNOUSERSITE"); add(a, "1");
	/* Go reads no cgroup (see enter_gomemlimit()); the JVM and node read the ones below. */
	enter_gomemlimit(gomem, (rlim_t)e->b.limits.memory);
	add(a, "--setenv"); add(a, "GOMEMLIMIT"); add(a, strchr(gomem, '=') + 1);
	snprintf(n, sizeof(n), "%lld", (long long)e->b.limits.tmp);
	if (e->drop && !st && e->mnt >= 0) {
		/* The worker's ready-made / (launch_mnt); the rest afresh for each sandbox. */
		add(a, "--dev-bind"); add(a, ROOT); add(a, "/");
		add(a, "--proc"); add(a, "/proc");
		add(a, "--size"); add(a, n);
		add(a, "--tmpfs"); add(a, "/tmp");
		add(a, "--size"); add(a, n);
		add(a, "--tmpfs"); add(a, "/dev/shm");
		add(a, "--bind"); add(a, ATTACH); add(a, "/work");
		add(a, "--chdir"); add(a, "/work");
		holder_args(a);
		return;
	}
	add(a, "--ro-bind"); add(a, "/usr"); add(a, "/usr");
	add(a, "--ro-bind"); add(a, etc_path); add(a, "/etc");
	/* Merged /usr (Debian 12): the top-level names are symlinks into it. */
	if (!lstat("/bin", &sb) && S_ISLNK(sb.st_mode)) {
		add(a, "--symlink"); add(a, "usr/bin"); add(a, "/bin");
		add(a, "--symlink"); add(a, "usr/sbin"); add(a, "/sbin");
		add(a, "--symlink"); add(a, "usr/lib"); add(a, "/lib");
	} else {
		add(a, "--ro-bind"); add(a, "/bin"); add(a, "/bin");
		add(a, "--ro-bind"); add(a, "/lib"); add(a, "/lib");
	}
	if (!lstat("/lib64", &sb)) {
		if (S_ISLNK(sb.st_mode)) {
			add(a, "--symlink"); add(a, "usr/lib64"); add(a, "/lib64");
		} else {
			add(a, "--ro-bind"); add(a, "/lib64"); add(a, "/lib64");
		}
	}
	add(a, "--proc"); add(a, "/proc");
	add(a, "--dev"); add(a, "/dev");
	add(a, "--size"); add(a, n);
	add(a, "--tmpfs"); add(a, "/tmp");
	add(a, "--size"); add(a, n);
	add(a, "--tmpfs"); add(a, "/dev/shm");
	if (e->drop) {
		add(a, "--bind"); add(a, e->stage); add(a, "/work");
	} else {
		snprintf(n, sizeof(n), "%d", WORKDIR_FD);
		add(a, "--bind-fd"); add(a, n); add(a, "/work");
	}
	add(a, "--chdir"); add(a, "/work");
	/* The job's cgroups, read-only, as in the worker's ready-made / (see attach_cgroups() in launch.c). */
	cgs = cgroup_shown(&e->cg, cg_dir, cg_at);
	for (i = 0; i < cgs; i++) {
		add(a, "--ro-bind"); add(a, cg_dir[i]);
		buf_addch(a, '/');
		add(a, cg_at[i]);
	}
	if (!st) {
		add(a, "--ro-bind"); add(a, e->exe); add(a, HOLDER);
	}
	/* As with the ready-made /: only /work, /tmp and /dev/shm can be written. */
	add(a, "--remount-ro"); add(a, "/dev");
	add(a, "--remount-ro"); add(a, "/");
	if (!st) {
		holder_args(a);
		return;
	}
	/* A holder's steps install the filter themselves (enter_child). */
	if (step_filter()) {
		snprintf(n, sizeof(n), "%d", FILTER_FD);
		add(a, "--seccomp"); add(a, n);
	}
	add(a, "--");
	/*
	 * The marker on READY_FD, written inside the sandbox before the
	 * command starts, tells a command's own exit status 1 from bwrap
	 * failing to set the sandbox up (an infrastructure fault). The holder
	 * then waits until the runner closes its stdin.
	 */
	add(a, "/bin/sh");
	add(a, "-c");
	snprintf(n, sizeof(n), "echo >&%d; exec %d>&-; eval \"$1\"", READY_FD, READY_FD);
	add(a, n);
	add(a, "sh");
	add(a, st->cmd);
}

/*
 * In the child, between fork (or vfork) and exec: only async-signal-safe
 * calls, and nothing that writes to memory the runner uses.
 */
static void child(struct executor *e, const struct step *st, char **argv, int in, int out,
		  int err, int info, int holder_info, int filter, int errpipe)
{
	const struct limits *l = &e->b.limits;
	int fd_flags;

	if (st)
		cgroup_join(&e->cg);
	else
		cgroup_join_views(&e->cg);
	if (enter_setup(in, out, err, st ? (rlim_t)(st->cpu + 0.999) : RLIM_INFINITY,
			(rlim_t)l->file_size, (rlim_t)l->open_files,
			*e->cg.memory ? 0 : (rlim_t)l->memory))
		goto fail;
	if (!*e->cg.pids)
		enter_limit(RLIMIT_NPROC, (rlim_t)(e->nproc_base + l->processes + 3),
			  (rlim_t)(e->nproc_base + l->processes + 3));
	if (st && enter_oom_first())
		goto fail;
	if (!st && e->net >= 0 && setns(e->net, CLONE_NEWNET))
		goto fail;
	if (!st && e->mnt >= 0 && launch_attach(e->mnt, e->tree, ATTACH))
		goto fail;
	/*
	 * System calls, not glibc's set*id(): those change every thread of the
	 * process, and in a vfork() child (holder_spawn) they are the runner's.
	 */
	if (e->drop && (syscall(SYS_setgroups, 0, NULL) ||
			syscall(SYS_setresgid, SANDBOX_GID, SANDBOX_GID, SANDBOX_GID) ||
			syscall(SYS_setresuid, SANDBOX_UID, SANDBOX_UID, SANDBOX_UID)))
		goto fail;
	/* setuid made us non-dumpable; bwrap needs /proc/self/fd for --bind-fd. */
	prctl(PR_SET_DUMPABLE, 1);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	/* Only the descriptors bwrap needs survive exec, at fixed numbers (dash takes one digit). */
	syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */);
	/* All moved above the fixed numbers first, so that no dup2() below lands on one still to go. */
	fd_flags = fcntl(e->workdir_fd, F_DUPFD_CLOEXEC, 10);
	info = fcntl(info, F_DUPFD_CLOEXEC, 10);
	if (holder_info >= 0 && (holder_info = fcntl(holder_info, F_DUPFD_CLOEXEC, 10)) < 0)
		goto fail;
	if (filter >= 0 && (filter = fcntl(filter, F_DUPFD_CLOEXEC, 10)) < 0)
		goto fail;
	if (fd_flags < 0 || info < 0 || dup2(info, READY_FD) < 0 || dup2(fd_flags, WORKDIR_FD) < 0)
		goto fail;
	if (holder_info >= 0 && dup2(holder_info, INFO_FD) < 0)
		goto fail;
	if (filter >= 0 && dup2(filter, FILTER_FD) < 0)
		goto fail;
	{
		char *env[] = { NULL };

		execve(BWRAP, argv, env);
	}
fail:
	enter_fail(errpipe);
}

/* argv pointing into args, a NUL-separated list; free() the array only. */
static char **split_args(const struct buf *args)
{
	size_t n = 0, k;
	char **argv;
	int i = 0;

	for (k = 0; k < args->len; k++)
		if (!args->buf[k])
			n++;
	argv = calloc(n + 1, sizeof(char *));
	for (k = 0; k < args->len; k += strlen(args->buf + k) + 1)
		argv[i++] = args->buf + k;
	return argv;
}

static void enter_of(const struct executor *e, const struct step *st, struct enter *en)
{
	const struct limits *l = &e->b.limits;

	en->nsfd = e->nsfd;
	en->cpu = (rlim_t)(st->cpu + 0.999);
	en->fsize = (rlim_t)l->file_size;
	en->nofile = (rlim_t)l->open_files;
	en->as = *e->cg.memory ? 0 : (rlim_t)l->memory;
	en->memory = (rlim_t)l->memory;
	en->cmd = st->cmd;
	en->filter = step_filter();
}

/*
 * Start the spawner for this worker's cgroup; 0 or -1 (then steps are moved
 * in one by one). It is lifebelt-spawner, installed beside us: a small
 * static program forks much faster than this one. Without it, a fork of
 * this process runs the same loop.
 */
static int spawner_start(void)
{
	char *path = beside_self("spawner");
	char *argv[] = { (char *)"lifebelt-spawner", NULL }, *env[] = { NULL };
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		free(path);
		return -1;
	}
	spawner_pid = fork();
	if (spawner_pid < 0) {
		spawner_pid = 0;
		close(sv[0]);
		close(sv[1]);
		free(path);
		return -1;
	}
	if (!spawner_pid) {
		cgroup_join(&worker_cg);   /* before the descriptors it writes to are closed */
		if (dup2(sv[1], 3) < 0)
			_exit(1);
		syscall(SYS_close_range, 4U, ~0U, 0U);
		if (path)
			execve(path, argv, env);
		spawner_main(3);
	}
	free(path);
	close(sv[1]);
	spawner_sock = sv[0];
	worker_cg.spare = spawner_pid;
	/* The steps it forks are only limited if it really is in the cgroups. */
	{
		char ready;
		int got[SPAWN_FDS];

		if (spawn_recv(spawner_sock, &ready, 1, got) != 1 || spawner_filter()) {
			spawner_stop();
			return -1;
		}
	}
	if (!cgroup_has(&worker_cg, spawner_pid)) {
		spawner_stop();
		return -1;
	}
	return 0;
}

/* Tell the spawner the steps' filter (see spawner_main()); 0 or -1. */
static int spawner_filter(void)
{
	const struct enter_filter *f = step_filter();
	struct buf msg = BUF_INIT;
	int ret;

	buf_add(&msg, ENTER_FILTER_TAG, 8);
	if (f)
		buf_add(&msg, f->code, (size_t)f->len * 8);
	ret = spawn_send(spawner_sock, msg.buf, msg.len, NULL, 0) == (ssize_t)msg.len ? 0 : -1;
	buf_release(&msg);
	return ret;
}

static void spawner_stop(void)
{
	if (spawner_sock >= 0)
		close(spawner_sock);
	if (spawner_pid > 0) {
		kill(spawner_pid, SIGKILL);
		waitpid(spawner_pid, NULL, 0);
	}
	spawner_sock = -1;
	spawner_pid = 0;
	worker_cg.spare = 0;
}

/* Hand a step to the spawner; its pid and a pidfd, or -1 with errno set. */
static pid_t spawner_run(const struct enter *en, int in, int out, int err, int errpipe,
			 const int *nsfd, int *pidfd)
{
	static struct spawn_req req;
	struct spawn_reply rep;
	int fds[SPAWN_FDS], got[SPAWN_FDS], i;
	size_t len = strlen(en->cmd);

	if (len >= SPAWN_CMD_MAX) {
		errno = E2BIG;
		return -1;
	}
	req.cpu = en->cpu;
	req.fsize = en->fsize;
	req.nofile = en->nofile;
	req.as = en->as;
	req.memory = en->memory;
	memcpy(req.cmd, en->cmd, len + 1);
	fds[0] = in;
	fds[1] = out;
	fds[2] = err;
	fds[3] = errpipe;
	for (i = 0; i < ENTER_NS; i++)
		fds[4 + i] = nsfd[i];
	if (spawn_send(spawner_sock, &req, offsetof(struct spawn_req, cmd) + len + 1, fds, SPAWN_FDS) < 0 ||
	    spawn_recv(spawner_sock, &rep, sizeof(rep), got) != sizeof(rep))
		return -1;
	if (rep.err || got[0] < 0) {
		if (got[0] >= 0)
			close(got[0]);
		errno = rep.err ? rep.err : ESRCH;
		return -1;
	}
	*pidfd = got[0];
	return rep.pid;
}

/* The spawned step's end: its wait status and resource usage. 0 or -1. */
static int spawner_result(int *status, struct rusage *ru)
{
	struct spawn_result res;
	int got[SPAWN_FDS];

	if (spawn_recv(spawner_sock, &res, sizeof(res), got) != sizeof(res))
		return -1;
	*status = res.status;
	*ru = res.ru;
	return 0;
}

/* Read from fd until it closes or ms pass; 0 or -1 on timeout. */
static int read_until_eof(int fd, struct buf *out, int ms)
{
	int64_t end = time_mono_us() + (int64_t)ms * 1000;

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		int64_t left = end - time_mono_us();
		char chunk[4096];
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)(left / 1000) + 1) <= 0)
			return -1;
		n = read(fd, chunk, sizeof(chunk));
		if (n <= 0)
			return 0;
		buf_add(out, chunk, n);
	}
}

/* Close the pipes the holder reports its set-up on. */
static void holder_close_setup(struct executor *e)
{
	int *fds[3] = { &e->holder_ready, &e->holder_info, &e->holder_ep }, i;

	for (i = 0; i < 3; i++)
		if (*fds[i] >= 0) {
			close(*fds[i]);
			*fds[i] = -1;
		}
}

static void holder_stop(struct executor *e)
{
	int setup[3] = { e->holder_ready, e->holder_info, e->holder_ep }, i;

	for (i = 0; i < ENTER_NS; i++)
		if (e->nsfd[i] >= 0)
			close(e->nsfd[i]);
	/*
	 * Closing its stdin ends the holder, and so the sandbox; bwrap then
	 * reaps it and exits. Killed at once, bwrap would leave the holder to
	 * whatever reaps orphans on the host: when that is not a real init (a
	 * container's first process), zombies pile up. A holder still setting
	 * up (a spare no job took) keeps its set-up pipes until it is reaped:
	 * bwrap writes the sandbox's pid there before it lets the sandbox go
	 * on, and killed by that write (SIGPIPE), it would leave the sandbox
	 * waiting for it forever.
	 */
	if (e->holder_in >= 0)
		close(e->holder_in);
	if (e->holder > 0) {
		later_reap(e->holder, setup, 3);
		e->holder_ready = e->holder_info = e->holder_ep = -1;
	} else {
		holder_close_setup(e);
	}
	e->holder = 0;
	e->holder_in = -1;
	for (i = 0; i < ENTER_NS; i++)
		e->nsfd[i] = -1;
}

/*
 * Start the job's holder sandbox without waiting for it; -1 (quietly) if it
 * could not be started. holder_wait() then waits until it is set up.
 */
static int holder_spawn(struct executor *e)
{
	int in[2] = { -1, -1 }, ready[2] = { -1, -1 }, info[2] = { -1, -1 }, ep[2] = { -1, -1 };
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC), ret = -1;
	struct buf args = BUF_INIT;
	char **argv = NULL;
	sigset_t all, old;
	pid_t pid;

	if (devnull < 0 || pipe2(in, O_CLOEXEC) || pipe2(ready, O_CLOEXEC) || pipe2(info, O_CLOEXEC) ||
	    pipe2(ep, O_CLOEXEC))
		goto done;
	if (e->mnt >= 0 && (e->tree = launch_tree(e->workdir)) < 0)
		goto done;
	if (e->mnt < 0 && !etc_dir())
		goto done;
	bwrap_args(e, NULL, &args);
	argv = split_args(&args);
	/*
	 * vfork: a fork would copy the runner's page tables only for exec to
	 * drop them; this starts once per job. Signals stay blocked until the
	 * child has reset their handlers (it shares our memory until exec).
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = vfork();
	if (!pid) {
		int sig;

		for (sig = 1; sig < NSIG; sig++) {
			struct sigaction sa;

			if (!sigaction(sig, NULL, &sa) && sa.sa_handler != SIG_IGN &&
			    sa.sa_handler != SIG_DFL) {
				sa.sa_handler = SIG_DFL;
				sa.sa_flags = 0;
				sigaction(sig, &sa, NULL);
			}
		}
		child(e, NULL, argv, in[0], devnull, devnull, ready[1], info[1], -1, ep[1]);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e->tree >= 0)
		close(e->tree);
	e->tree = -1;
	if (pid < 0)
		goto done;
	e->holder = pid;
	e->holder_in = in[1];
	in[1] = -1;
	e->holder_ready = ready[0];
	ready[0] = -1;
	e->holder_info = info[0];
	info[0] = -1;
	e->holder_ep = ep[0];
	ep[0] = -1;
	ret = 0;
done:
	if (ret)
		holder_stop(e);
	close_pair(in);
	close_pair(ready);
	close_pair(info);
	close_pair(ep);
	if (devnull >= 0)
		close(devnull);
	free(argv);
	buf_release(&args);
	return ret;
}

/* Wait until the holder started by holder_spawn() is set up; open its namespaces. 0 or -1 (stopped). */
static int holder_wait(struct executor *e)
{
	struct buf infotext = BUF_INIT, marker = BUF_INIT, path = BUF_INIT;
	const char *cp;
	long pid1;
	int i, ret = -1, code;

	if (!e->holder || e->holder_ep < 0)
		goto done;
	if (read(e->holder_ep, &code, sizeof(code)) == sizeof(code) ||
	    read_until_eof(e->holder_ready, &marker, 5000) || !marker.len ||
	    read_until_eof(e->holder_info, &infotext, 5000) ||
	    !(cp = strstr(infotext.buf, "\"child-pid\":")) || (pid1 = strtol(cp + 12, NULL, 10)) <= 0)
		goto done;
	for (i = 0; i < ENTER_NS; i++) {
		buf_reset(&path);
		buf_addf(&path, "/proc/%ld/ns/%s", pid1, enter_ns_names[i]);
		if ((e->nsfd[i] = open(path.buf, O_RDONLY | O_CLOEXEC)) < 0)
			goto done;
	}
	ret = 0;
done:
	holder_close_setup(e);
	if (ret)
		holder_stop(e);
	buf_release(&infotext);
	buf_release(&marker);
	buf_release(&path);
	return ret;
}

/*
 * Start the job's holder sandbox and open its namespaces; -1 (quietly: the
 * caller falls back to a sandbox per step) if anything fails.
 */
static int holder_start(struct executor *e)
{
	return holder_spawn(e) ? -1 : holder_wait(e);
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void fault(struct observation *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fault(struct observation *o, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (!o->fault)
		o->fault = buf_detach(&b, NULL);
	buf_release(&b);
}

static int bw_run(struct executor *e, const struct step *st, struct observation *o)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
	int info[2] = { -1, -1 }, ep[2] = { -1, -1 }, filter = -1, pidfd = -1;
	struct buf args = BUF_INIT, infobuf = BUF_INIT;
	struct cgroup_counts before, after;
	char **argv = NULL;
	size_t fed = 0;
	int64_t start, deadline, linger = 0;
	pid_t pid;
	int status = 0, exited = 0, open_streams, code, n, spawned, swept = 0;
	struct rusage ru;
	struct enter en;

	memset(o, 0, sizeof(*o));
	/* A holder that died (it should not) is replaced; failing that, a sandbox per step. */
	if (e->holder && waitpid(e->holder, NULL, WNOHANG) != 0) {
		e->holder = 0;
		holder_stop(e);
		holder_start(e);
	}
	capture_init(&o->out, e->b.limits.capture, st->keep_stdout);
	capture_init(&o->err, e->b.limits.capture, 0);
	o->peak_memory = -1;
	/* bwrap's info pipe only for a sandbox of the step's own. */
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) ||
	    (!e->holder && pipe2(info, O_CLOEXEC)) || pipe2(ep, O_CLOEXEC)) {
		fault(o, "pipe: %s", strerror(errno));
		goto done;
	}
	if (!e->holder) {
		/* A sandbox of the step's own; with a holder the step enters its namespaces. */
		if (!etc_dir() || (step_filter() && (filter = filter_pipe()) < 0)) {
			fault(o, "cannot set up the step's sandbox: %s", strerror(errno));
			goto done;
		}
		bwrap_args(e, st, &args);
		argv = split_args(&args);
	}
	cgroup_reset_peak(&e->cg);
	/* Nothing runs in the worker's cgroups between steps: the last step's end is this one's start. */
	if (counts_ok && counts_owner == getpid())
		before = counts_last;
	else
		cgroup_counts(&e->cg, &before);
	counts_ok = 0;
	start = time_mono_us();
	deadline = start + (int64_t)(st->wall * 1e6);
	enter_of(e, st, &en);
	spawned = e->holder && spawner_sock >= 0;
	if (spawned) {
		pid = spawner_run(&en, in[0], out[1], err[1], ep[1], e->nsfd, &pidfd);
		if (pid < 0) {
			/*
			 * A spawner that stopped answering is replaced by moving
			 * steps in again (as is a command too long to send it).
			 */
			if (errno != E2BIG) {
				spawner_stop();
				e->cg.spare = 0;
			}
			spawned = 0;
		}
	}
	if (!spawned)
		pid = fork();
	if (pid < 0) {
		fault(o, "cannot start the step: %s", strerror(errno));
		goto done;
	}
	if (!pid) {
		if (e->holder) {
			cgroup_join(&e->cg);
			enter_child(&en, in[0], out[1], err[1], ep[1]);
		}
		child(e, st, argv, in[0], out[1], err[1], info[1], -1, filter, ep[1]);
	}
	close(in[0]); in[0] = -1;
	close(out[1]); out[1] = -1;
	close(err[1]); err[1] = -1;
	if (info[1] >= 0)
		close(info[1]);
	info[1] = -1;
	close(ep[1]); ep[1] = -1;
	if ((n = read(ep[0], &code, sizeof(code))) == sizeof(code)) {
		if (spawned)
			spawner_result(&status, &ru);
		else
			waitpid(pid, NULL, 0);
		fault(o, "cannot start the step in the sandbox: %s", strerror(code));
		goto done;
	}
	if (!spawned)
		pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	set_nonblock(in[1]);
	set_nonblock(out[0]);
	set_nonblock(err[0]);
	if (!st->input || !st->input_len) {
		close(in[1]);
		in[1] = -1;
	}
	open_streams = info[0] >= 0 ? 3 : 2;   /* stdout, stderr, info */
	while (open_streams > 0 || !exited) {
		struct pollfd p[5];
		int np = 0, timeout, ip = -1, op = -1, errp = -1, infp = -1, pp = -1;
		int64_t now = time_mono_us();

		if (now >= deadline) {
			o->fired = FIRED_WALL;
			break;
		}
		if (st->cancel && *st->cancel) {
			fault(o, "the runner is stopping");
			break;
		}
		timeout = (int)((deadline - now + 999) / 1000);
		if (linger && timeout > 20)
			timeout = 20;
		if (in[1] >= 0) { p[np].fd = in[1]; p[np].events = POLLOUT; ip = np++; }
		if (out[0] >= 0) { p[np].fd = out[0]; p[np].events = POLLIN; op = np++; }
		if (err[0] >= 0) { p[np].fd = err[0]; p[np].events = POLLIN; errp = np++; }
		if (info[0] >= 0) { p[np].fd = info[0]; p[np].events = POLLIN; infp = np++; }
		if (!exited && pidfd >= 0) { p[np].fd = pidfd; p[np].events = POLLIN; pp = np++; }
		if (!exited && pidfd < 0 && timeout > 20)
			timeout = 20;
		if (poll(p, np, timeout) < 0) {
			if (errno == EINTR)
				continue;
			fault(o, "poll: %s", strerror(errno));
			break;
		}
		if (ip >= 0 && p[ip].revents) {
			ssize_t w = write(in[1], st->input + fed, st->input_len - fed);

			if (w > 0)
				fed += w;
			if ((w < 0 && errno != EAGAIN) || fed == st->input_len) {
				close(in[1]);
				in[1] = -1;
			}
		}
		{
			int fds[3] = { op, errp, infp };
			int *src[3] = { &out[0], &err[0], &info[0] };
			int k;

			for (k = 0; k < 3; k++) {
				char chunk[65536];
				ssize_t r;

				if (fds[k] < 0 || !p[fds[k]].revents)
					continue;
				r = read(*src[k], chunk, sizeof(chunk));
				if (r > 0) {
					if (k == 0)
						capture_add(&o->out, chunk, r);
					else if (k == 1)
						capture_add(&o->err, chunk, r);
					else
						buf_add(&infobuf, chunk, r);
				} else if (r == 0 || errno != EAGAIN) {
					close(*src[k]);
					*src[k] = -1;
					open_streams--;
				}
			}
		}
		if (o->out.total + o->err.total > e->b.limits.output) {
			o->fired = FIRED_OUTPUT;
			break;
		}
		if (pp >= 0 && p[pp].revents)
			exited = 1;
		if (pidfd < 0 && !exited && waitpid(pid, &status, WNOHANG) == pid) {
			exited = 2;   /* reaped already */
			continue;
		}
		/* Once the step is over, what it left behind goes; then drain the pipes briefly. */
		if (exited && !linger) {
			cgroup_kill(&e->cg);
			swept = 1;
			linger = time_mono_us() + 200 * 1000;
		}
		if (linger && time_mono_us() >= linger)
			break;
	}
	if (o->fired || !exited || o->fault) {
		kill(pid, SIGKILL);
		cgroup_kill(&e->cg);
		swept = 1;
	}
	if (spawned) {
		if (spawner_result(&status, &ru)) {
			fault(o, "the spawner failed: %s", strerror(errno));
			spawner_stop();
			goto done;
		}
	} else while (exited != 2 && wait4(pid, &status, 0, &ru) != pid) {
		if (errno == EINTR)
			continue;
		fault(o, "wait: %s", strerror(errno));
		goto done;
	}
	if (o->fault)
		goto done;
	if (exited == 2)
		getrusage(RUSAGE_CHILDREN, &ru);   /* rare fallback: no pidfd */
	/*
	 * Orphans (setsid, daemonised) die with the step. Once a sweep has
	 * found the cgroup empty, with the step over, nothing is left to fork.
	 */
	if (!swept)
		cgroup_kill(&e->cg);
	o->wall = (time_mono_us() - start) / 1e6;
	o->cpu = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
		 (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	o->peak_memory = (int64_t)ru.ru_maxrss * 1024;
	if (WIFSIGNALED(status)) {
		o->signal = WTERMSIG(status);
	} else if (WEXITSTATUS(status) > 128 && WEXITSTATUS(status) <= 128 + 64) {
		/* bwrap passes a signal of the command on as 128 + signal, like a shell */
		o->signal = WEXITSTATUS(status) - 128;
	} else {
		o->exited = 1;
		o->status = WEXITSTATUS(status);
	}
	if (!e->holder && !o->fired && !infobuf.len) {
		struct buf t = BUF_INIT;

		capture_text(&o->err, &t);
		buf_trim(&t);
		fault(o, "the sandbox did not start: %s", t.buf);
		buf_release(&t);
		goto done;
	}
	cgroup_counts(&e->cg, &after);
	counts_last = after;
	counts_owner = getpid();
	counts_ok = !!*e->cg.pids;
	if (after.peak > 0)
		o->peak_memory = after.peak;
	o->procs_capped = after.pids_max > before.pids_max;
	if (!o->fired) {
		if (after.oom_kills > before.oom_kills ||
		    (o->signal == SIGKILL && after.mem_fails > before.mem_fails))
			o->fired = FIRED_MEMORY;
		else if (o->signal == SIGXCPU || (o->signal == SIGKILL && o->cpu >= st->cpu))
			o->fired = FIRED_CPU;
		else if (o->signal == SIGXFSZ)
			o->fired = FIRED_FILE_SIZE;
	}
	/* A full work directory explains a failure or a hang better than anything else. */
	if ((!o->fired || o->fired == FIRED_WALL || o->fired == FIRED_CPU) && e->on_tmpfs) {
		struct statvfs fs;

		if (!statvfs(e->workdir, &fs) && (fs.f_bavail == 0 || fs.f_favail == 0))
			o->fired = FIRED_DISK;
	}
done:
	close_pair(in);
	close_pair(out);
	close_pair(err);
	close_pair(info);
	close_pair(ep);
	if (filter >= 0)
		close(filter);
	if (pidfd >= 0)
		close(pidfd);
	free(argv);
	buf_release(&args);
	buf_release(&infobuf);
	return o->fault ? -1 : 0;
}

/* Stage mounts and cgroups are named ...-<pid> after the runner that made them. */
static void bw_sweep(void)
{
	DIR *d = opendir(STAGE);
	struct dirent *de;

	cgroup_sweep();
	if (!d)
		return;
	while ((de = readdir(d))) {
		const char *dash = strrchr(de->d_name, '-');
		char p[300];
		long pid;

		if (!dash || (pid = strtol(dash + 1, NULL, 10)) <= 0 || !kill((pid_t)pid, 0) ||
		    errno != ESRCH)
			continue;
		snprintf(p, sizeof(p), "%s/%.200s", STAGE, de->d_name);
		umount2(p, MNT_DETACH);
		rmdir(p);
	}
	closedir(d);
}

static void bw_shutdown(void)
{
	spare_discard();
	later_wait();
	if (worker_cg_pid == getpid()) {
		spawner_stop();
		if (worker_net >= 0)
			close(worker_net);
		if (worker_mnt >= 0)
			close(worker_mnt);
		worker_net = worker_mnt = -1;
		cgroup_destroy(&worker_cg);
	}
	worker_cg_pid = 0;
	counts_ok = 0;
	etc_release();
}

const struct executor_ops executor_bwrap = {
	"bwrap", bw_open, bw_run, bw_describe, bw_close, bw_sweep, bw_shutdown, bw_adopt
};

const struct executor_ops *executor_find(const char *kind)
{
	if (!strcmp(kind, executor_bwrap.kind))
		return &executor_bwrap;
	return NULL;
}
