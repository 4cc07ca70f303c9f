/*
 * launch.h: what a worker's sandboxes start from, made once per worker (root
 * only): a network namespace, and a mount namespace holding their read-only
 * /. bwrap makes the rest of each sandbox afresh: its user, PID, IPC and UTS
 * namespaces, /proc, /tmp, /dev/shm, and /work. The runner's map of files:
 * runner.h.
 */
#ifndef RUNNER_LAUNCH_H
#define RUNNER_LAUNCH_H

#include <sys/types.h>

struct buf;

/*
 * A network namespace with only a loopback, up: an fd, or -1 (then bwrap
 * makes one per sandbox). A fresh one per job would cost about a
 * millisecond of CPU to make and tear down; a namespace keeps nothing of a
 * job once its processes are gone (their sockets die with them), and as it
 * belongs to the host's user namespace, nothing in a sandbox may change its
 * addresses, routes or filters. Jobs of one worker never overlap; other
 * workers have their own.
 */
int launch_net(void);

/*
 * The sandbox's /etc holds only what programs and tool chains read: the
 * dynamic linker's files, name service and time zone settings, Debian's
 * alternatives, CA certificates, and the configuration of language tool
 * chains (Java, Python, Perl, ...). Not the host's accounts, secrets, keys,
 * host name, machine id, or Lifebelt's own settings.
 * launch_etc_kept(): 1 if the host's /etc/<name> (a top-level entry) is kept.
 */
int launch_etc_kept(const char *name);

/* The files of the sandbox's /etc made up rather than copied, NULL-terminated. */
#define LAUNCH_ETC_MADE 3
extern const char *const launch_etc_made[LAUNCH_ETC_MADE + 1];

/*
 * The made-up /etc/<name> (one of launch_etc_made) for a sandbox running
 * as uid and gid, appended to out: accounts for root and the sandbox's
 * user only, hosts for the loopback only.
 */
void launch_etc_text(struct buf *out, const char *name, uid_t uid, gid_t gid);

/*
 * Fill the empty directory dir with the sandbox's /etc, for a sandbox
 * running as uid and gid: copies of what launch_etc_kept() names (only
 * what others may read) and the made-up files. With image (an image's
 * unpacked tree, see image.h), the image's own /etc instead, all of it
 * that others may read but for the made-up files: the image is the
 * teacher's tool chain, and holds nothing of the host's. 0 or -1 with errno.
 */
int launch_etc(const char *dir, const char *image, uid_t uid, gid_t gid);

/*
 * 1 for a top-level name of an image's tree that the sandbox does not take
 * from it: what the sandbox makes afresh (/proc, /dev, /tmp, /work, /etc,
 * the holder's /.lifebelt) and /sys, which the host's root does not give
 * either. Every other entry is bound read-only (a symlink made alike).
 */
int launch_image_skipped(const char *name);

/* The tmpfs options of the sandbox's /etc: far more than it needs (some 2 MiB, a thousand entries). */
#define LAUNCH_ETC_TMPFS "mode=0755,size=64m,nr_inodes=65536"

#define LAUNCH_CGROUPS 5

struct launch_root {
	const char *stage;      /* the directory bwrap reaches the work directory through */
	const char *root;       /* where to make the sandboxes' /, in the namespace only; or NULL */
	const char *holder;     /* lifebelt-holder, copied to root/.lifebelt/lifebelt-holder */
	const char *image;      /* an image's unpacked tree whose top-level entries the / has, or NULL: the host's /usr */
	/*
	 * The worker's cgroups, bound read-only at cgroup_at[i] below root
	 * ("sys/fs/cgroup/memory"; see cgroup_shown()): the sandbox sees its
	 * limits where runtimes look for them, and cannot change them.
	 */
	int cgroups;
	const char *cgroup_dir[LAUNCH_CGROUPS];
	const char *cgroup_at[LAUNCH_CGROUPS];
};

/*
 * A mount namespace for the worker's bwraps to start from: the host's, less
 * every mount bwrap has no use for (all but /, /proc, /dev, /usr, /etc and
 * what holds stage or the image). bwrap copies the namespace it starts in and reads its
 * mount table after each mount it makes, so each host mount costs every
 * job. With root, it also holds the sandboxes' file system, read-only,
 * made once for the worker (see build_root() in launch.c), with its /etc
 * (see launch_etc_kept()) copied into a tmpfs of its own. An fd, or -1
 * (then bwrap starts in the host's namespace and makes each / itself).
 */
int launch_mnt(const struct launch_root *l);

/*
 * Each sandbox's work directory reaches its bwrap through launch_attach(),
 * in a copy of that namespace of the bwrap's own: no mount on the host.
 * launch_tree() (in the runner) clones the work directory's mount as an fd;
 * launch_attach() (in the child that becomes bwrap, root) enters mnt,
 * copies it and attaches the clone at path; with mnt -1, it attaches the
 * clone at path in the caller's own namespace. 0 or -1 with errno.
 */
int launch_tree(const char *workdir);
int launch_attach(int mnt, int tree, const char *path);

#endif
