/* bwrap-args.c: bwrap's command line, for a step's own sandbox or a job's holder (map: runner.h). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bwrap.h"
#include "cgroup.h"
#include "enter.h"
#include "launch.h"
#include "worker.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/banned.h"

static void add(struct buf *a, const char *s)
{
	buf_add(a, s, strlen(s) + 1);
}

static void add2(struct buf *a, const char *opt, const char *value)
{
	add(a, opt);
	add(a, value);
}

static void add3(struct buf *a, const char *opt, const char *v1, const char *v2)
{
	add(a, opt);
	add(a, v1);
	add(a, v2);
}

/* The end of a holder's bwrap command line: it reports on BWRAP_INFO_FD and runs the holder as pid 1. */
static void holder_tail(struct buf *a)
{
	char n[16];

	snprintf(n, sizeof(n), "%d", BWRAP_INFO_FD);
	add2(a, "--info-fd", n);
	add(a, "--as-pid-1");
	add(a, "--");
	add(a, BWRAP_HOLDER);
}

/* The namespaces, the environment: the same for every sandbox. */
static void add_common(const struct executor *e, const struct step *st, struct buf *a)
{
	char gomem[ENTER_GOMEMLIMIT_MAX];

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
	add2(a, "--cap-drop", "ALL");
	add2(a, "--hostname", "sandbox");
	add3(a, "--setenv", "PATH", SANDBOX_PATH);
	/*
	 * HOME is not the student's tree and Python reads no user
	 * site-packages: nothing committed is imported by every Python
	 * program (a teacher's checker also runs isolated, see grade.c).
	 */
	add3(a, "--setenv", "HOME", "/tmp");
	add3(a, "--setenv", "TMPDIR", "/tmp");
	add3(a, "--setenv", "LANG", "C.UTF-8");
	add3(a, "--setenv", "PYTHONNOUSERSITE", "1");
	/* Go reads no cgroup (see enter_gomemlimit()); the JVM and node read the ones below. */
	enter_gomemlimit(gomem, (rlim_t)e->b.limits.memory);
	add3(a, "--setenv", "GOMEMLIMIT", strchr(gomem, '=') + 1);
}

/* /tmp and /dev/shm, each a tmpfs of the job's tmp size. */
static void add_tmp(const struct executor *e, struct buf *a)
{
	char n[32];

	snprintf(n, sizeof(n), "%lld", (long long)e->b.limits.tmp);
	add2(a, "--size", n);
	add2(a, "--tmpfs", "/tmp");
	add2(a, "--size", n);
	add2(a, "--tmpfs", "/dev/shm");
}

/*
 * An image's top-level entries, read-only, as launch.c's bind_image() has
 * them in a worker's ready-made /: each directory bound, each symlink
 * made alike, what launch_image_skipped() names left out. As root, from
 * the worker's stage of the image, which the sandbox's user can reach.
 */
static void add_image(const struct executor *e, struct buf *a)
{
	const char *src = e->root->stage ? e->root->stage : e->root->image;
	char **names = fs_list_dir(src);
	struct buf path = BUF_INIT, top = BUF_INIT, target = BUF_INIT;
	struct stat sb;
	ssize_t n;
	int i;

	for (i = 0; names && names[i]; i++) {
		if (launch_image_skipped(names[i]))
			continue;
		buf_reset(&path);
		buf_reset(&top);
		buf_addf(&path, "%s/%s", src, names[i]);
		buf_addf(&top, "/%s", names[i]);
		if (lstat(path.buf, &sb))
			continue;
		if (S_ISDIR(sb.st_mode)) {
			add3(a, "--ro-bind", path.buf, top.buf);
		} else if (S_ISLNK(sb.st_mode)) {
			buf_reset(&target);
			buf_grow(&target, 4096);
			if ((n = readlink(path.buf, target.buf, 4095)) > 0) {
				buf_setlen(&target, (size_t)n);
				add3(a, "--symlink", target.buf, top.buf);
			}
		}
	}
	add3(a, "--ro-bind", e->root->etc, "/etc");
	fs_list_free(names);
	buf_release(&path);
	buf_release(&top);
	buf_release(&target);
}

/* The host's /usr, the sandbox's /etc, and the top-level names into /usr, read-only; or an image's. */
static void add_system(const struct executor *e, struct buf *a)
{
	struct stat sb;

	if (e->root->image) {
		add_image(e, a);
		return;
	}
	add3(a, "--ro-bind", "/usr", "/usr");
	add3(a, "--ro-bind", e->root->etc, "/etc");
	/* Merged /usr (Debian 12): the top-level names are symlinks into it. */
	if (!lstat("/bin", &sb) && S_ISLNK(sb.st_mode)) {
		add3(a, "--symlink", "usr/bin", "/bin");
		add3(a, "--symlink", "usr/sbin", "/sbin");
		add3(a, "--symlink", "usr/lib", "/lib");
	} else {
		add3(a, "--ro-bind", "/bin", "/bin");
		add3(a, "--ro-bind", "/lib", "/lib");
	}
	if (!lstat("/lib64", &sb)) {
		if (S_ISLNK(sb.st_mode))
			add3(a, "--symlink", "usr/lib64", "/lib64");
		else
			add3(a, "--ro-bind", "/lib64", "/lib64");
	}
}

/* The job's cgroups, read-only, as in the worker's ready-made / (see attach_cgroups() in launch.c). */
static void add_cgroups(const struct executor *e, struct buf *a)
{
	const char *cg_dir[CGROUP_DIRS];
	char cg_at[CGROUP_DIRS][64];
	int i, cgs = cgroup_shown(&e->w->cg, cg_dir, cg_at);

	for (i = 0; i < cgs; i++) {
		add(a, "--ro-bind");
		add(a, cg_dir[i]);
		buf_addch(a, '/');
		add(a, cg_at[i]);
	}
}

/*
 * The step's command. The marker on BWRAP_READY_FD, written inside the
 * sandbox before the command starts, tells a command's own exit status 1
 * from bwrap failing to set the sandbox up (an infrastructure fault).
 */
static void add_command(const struct executor *e, const struct step *st, struct buf *a)
{
	char n[128];

	/* A holder's steps install the filter themselves (enter_child). */
	if (worker_filter(e->w)) {
		snprintf(n, sizeof(n), "%d", BWRAP_FILTER_FD);
		add2(a, "--seccomp", n);
	}
	add(a, "--");
	add(a, "/bin/sh");
	add(a, "-c");
	snprintf(n, sizeof(n), "echo >&%d; exec %d>&-; eval \"$1\"", BWRAP_READY_FD, BWRAP_READY_FD);
	add(a, n);
	add(a, "sh");
	add(a, st->cmd);
}

void bwrap_args(const struct executor *e, const struct step *st, struct buf *a)
{
	char n[32];

	add_common(e, st, a);
	if (e->drop && !st && e->mnt >= 0) {
		/* The worker's ready-made / (launch_mnt); the rest afresh for each sandbox. */
		add3(a, "--dev-bind", BWRAP_ROOT, "/");
		add2(a, "--proc", "/proc");
		add_tmp(e, a);
		add3(a, "--bind", BWRAP_ATTACH, "/work");
		add2(a, "--chdir", "/work");
		holder_tail(a);
		return;
	}
	add_system(e, a);
	add2(a, "--proc", "/proc");
	add2(a, "--dev", "/dev");
	add_tmp(e, a);
	if (e->drop) {
		add3(a, "--bind", e->stage, "/work");
	} else {
		snprintf(n, sizeof(n), "%d", BWRAP_WORKDIR_FD);
		add3(a, "--bind-fd", n, "/work");
	}
	add2(a, "--chdir", "/work");
	add_cgroups(e, a);
	if (!st)
		add3(a, "--ro-bind", e->exe, BWRAP_HOLDER);
	/* As with the ready-made /: only /work, /tmp and /dev/shm can be written. */
	add2(a, "--remount-ro", "/dev");
	add2(a, "--remount-ro", "/");
	if (!st)
		holder_tail(a);
	else
		add_command(e, st, a);
}

char **bwrap_argv(const struct buf *args)
{
	size_t n = 0, k;
	char **argv;
	int i = 0;

	for (k = 0; k < args->len; k++)
		if (!args->buf[k])
			n++;
	argv = xcalloc(n + 1, sizeof(char *));
	for (k = 0; k < args->len; k += strlen(args->buf + k) + 1)
		argv[i++] = args->buf + k;
	return argv;
}
