/* launch.c: the namespaces a worker's sandboxes start in (see launch.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"
#include "../lib/banned.h"

/*
 * Run prepare(arg) in a child, then open the namespace of the given kind it
 * made; an fd or -1. The child runs after fork in a threaded process:
 * system calls and static buffers only.
 */
static int in_child(int (*prepare)(const void *), const void *arg, const char *kind)
{
	char path[64], c = 0;
	int p[2], fd = -1;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (!pid) {
		if (prepare(arg) || write(p[1], "u", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &c, 1) == 1 && c == 'u') {
		snprintf(path, sizeof(path), "/proc/%ld/ns/%s", (long)pid, kind);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(p[0]);
	return fd;
}

static int prepare_net(const void *arg)
{
	struct ifreq ifr;
	int s;

	(void)arg;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, "lo", 3);
	if (unshare(CLONE_NEWNET) || (s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
	    ioctl(s, SIOCGIFFLAGS, &ifr))
		return -1;
	ifr.ifr_flags |= IFF_UP;
	return ioctl(s, SIOCSIFFLAGS, &ifr);
}

int launch_net(void)
{
	return in_child(prepare_net, NULL, "net");
}

/* 1 if path is dir or below it. */
static int under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && (!path[n] || path[n] == '/' || !strcmp(dir, "/"));
}

/*
 * 1 for a mount bwrap uses: /, /proc and /dev themselves, /usr and /etc
 * with what is below them (bwrap binds them recursively), and what holds
 * stage (/run, often) but not what is mounted below it.
 */
static int wanted(const char *mp, const char *stage)
{
	return !strcmp(mp, "/") || !strcmp(mp, "/proc") || !strcmp(mp, "/dev") ||
	       under(mp, "/usr") || under(mp, "/etc") || (under(stage, mp) && strcmp(stage, mp));
}

/* Clone the tree at src (with what is mounted below it), set attrs on all of it, attach it at dst. */
static int attach_tree(const char *src, const char *dst, unsigned long long attrs)
{
	struct mount_attr ma;
	int fd = (int)syscall(SYS_open_tree, AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	int ret;

	if (fd < 0)
		return -1;
	memset(&ma, 0, sizeof(ma));
	ma.attr_set = attrs;
	ret = syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &ma, sizeof(ma)) ||
	      syscall(SYS_move_mount, fd, "", AT_FDCWD, dst, MOVE_MOUNT_F_EMPTY_PATH) ? -1 : 0;
	close(fd);
	return ret;
}

/* root/name, in one of four static buffers used in turn (the child may not allocate). */
static const char *at(const char *root, const char *name)
{
	static char paths[4][4096];
	static int next;
	char *p = paths[next++ % 4];

	snprintf(p, sizeof(paths[0]), "%s/%s", root, name);
	return p;
}

/* An empty file at path for a file to be bound on; 0 or -1. */
static int mount_point_file(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

	return fd < 0 ? -1 : close(fd);
}

/*
 * The file system every sandbox of the worker starts from, made at
 * l->root: /usr and /etc (and /bin, /lib, /lib64 where they are not
 * symlinks into /usr) read-only with what is mounted below them, a /dev
 * like bwrap's own --dev, the holder at .lifebelt/lifebelt-holder, and
 * empty /proc, /tmp and /work for bwrap to mount on. All of it read-only,
 * nosuid, and nodev but for the device nodes. bwrap binds it as the
 * sandbox's / in one mount: otherwise it makes all this again for every
 * sandbox, about thirty mounts, each followed by a read of the mount table.
 */
static int build_root(const struct launch_root *l)
{
	static const char *const dirs[] = { "proc", "dev", "tmp", "work", ".lifebelt", "usr", "etc" };
	static const char *const nodes[] = { "dev/null", "dev/zero", "dev/full", "dev/random",
					    "dev/urandom", "dev/tty" };
	static const char *const links[][2] = {
		{ "/proc/self/fd", "dev/fd" }, { "/proc/self/fd/0", "dev/stdin" },
		{ "/proc/self/fd/1", "dev/stdout" }, { "/proc/self/fd/2", "dev/stderr" },
		{ "/proc/kcore", "dev/core" }, { "pts/ptmx", "dev/ptmx" },
	};
	static const char *const top[] = { "bin", "sbin", "lib", "lib64" };
	const unsigned long long ro = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
	const char *r = l->root;
	struct stat st;
	size_t i;

	if ((mkdir(r, 0700) && errno != EEXIST) ||
	    mount("lifebelt-root", r, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m,nr_inodes=64"))
		return -1;
	for (i = 0; i < sizeof(dirs) / sizeof(*dirs); i++)
		if (mkdir(at(r, dirs[i]), 0755))
			return -1;
	if (attach_tree("/usr", at(r, "usr"), ro) || attach_tree("/etc", at(r, "etc"), ro))
		return -1;
	/* Merged /usr (Debian 12): the top-level names are symlinks into it; otherwise bound. */
	for (i = 0; i < sizeof(top) / sizeof(*top); i++) {
		char target[64];
		ssize_t n;

		if (lstat(at("", top[i]), &st))
			continue;
		if (S_ISLNK(st.st_mode)) {
			n = readlink(at("", top[i]), target, sizeof(target) - 1);
			if (n <= 0 || n == sizeof(target) - 1)
				return -1;
			target[n] = '\0';
			if (symlink(target, at(r, top[i])))
				return -1;
		} else if (S_ISDIR(st.st_mode) &&
			   (mkdir(at(r, top[i]), 0755) || attach_tree(at("", top[i]), at(r, top[i]), ro))) {
			return -1;
		}
	}
	if (mount("lifebelt-dev", at(r, "dev"), "tmpfs", MS_NOSUID, "mode=0755,size=64k,nr_inodes=64") ||
	    mkdir(at(r, "dev/shm"), 0755) || mkdir(at(r, "dev/pts"), 0755))
		return -1;
	for (i = 0; i < sizeof(nodes) / sizeof(*nodes); i++) {
		const char *dst = at(r, nodes[i]);

		if (mount_point_file(dst, 0444) || mount(at("", nodes[i]), dst, NULL, MS_BIND, NULL) ||
		    mount(NULL, dst, NULL, MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NOEXEC, NULL))
			return -1;
	}
	for (i = 0; i < sizeof(links) / sizeof(*links); i++)
		if (symlink(links[i][0], at(r, links[i][1])))
			return -1;
	if (mount("devpts", at(r, "dev/pts"), "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=620"))
		return -1;
	if (mount_point_file(at(r, ".lifebelt/lifebelt-holder"), 0755) ||
	    mount(l->holder, at(r, ".lifebelt/lifebelt-holder"), NULL, MS_BIND, NULL) ||
	    mount(NULL, at(r, ".lifebelt/lifebelt-holder"), NULL,
		  MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL))
		return -1;
	/* Last, the two tmpfs themselves: read-only for everyone, root included. */
	return mount(NULL, at(r, "dev"), NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID, NULL) ||
	       mount(NULL, r, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) ? -1 : 0;
}

static int prepare_mnt(const void *arg)
{
	const struct launch_root *l = arg;
	const char *stage = l->stage;
	static char info[1 << 17];
	static char *mps[2048];
	ssize_t len = 0, r;
	int fd, n = 0, i;
	char *line;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (len < (ssize_t)sizeof(info) - 1 && (r = read(fd, info + len, sizeof(info) - 1 - len)) > 0)
		len += r;
	close(fd);
	if (len >= (ssize_t)sizeof(info) - 1)
		return -1;   /* more mounts than it can be sure of */
	info[len] = '\0';
	/* Fields: id parent major:minor root mount-point options... */
	for (line = info; *line; ) {
		char *end = strchr(line, '\n'), *f = line;
		int k;

		if (end)
			*end = '\0';
		for (k = 0; k < 4 && f; k++)
			f = strchr(f + 1, ' ');
		if (f) {
			char *sp = strchr(++f, ' ');

			if (sp)
				*sp = '\0';
			if (strchr(f, '\\') || n == 2048)
				return -1;   /* an escaped name, or too many: not sure what to keep */
			mps[n++] = f;
		}
		line = end ? end + 1 : line + strlen(line);
	}
	/* The newest first, so that what is mounted on a mount goes before it. */
	for (i = n - 1; i >= 0; i--)
		if (!wanted(mps[i], stage) && umount2(mps[i], MNT_DETACH) && errno != EINVAL &&
		    errno != ENOENT)
			return -1;
	return l->root ? build_root(l) : 0;
}

int launch_mnt(const struct launch_root *l)
{
	return in_child(prepare_mnt, l, "mnt");
}

int launch_tree(const char *workdir)
{
	return (int)syscall(SYS_open_tree, AT_FDCWD, workdir, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
}

int launch_attach(int mnt, int tree, const char *path)
{
	if (setns(mnt, CLONE_NEWNS) || unshare(CLONE_NEWNS))
		return -1;
	return (int)syscall(SYS_move_mount, tree, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH);
}
