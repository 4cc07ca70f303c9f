/* launch.c: the namespaces a worker's sandboxes start in (see launch.h; map: runner.h). */
#include <dirent.h>
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
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "enter.h"
#include "launch.h"
#include "../lib/buf.h"
#include "../lib/banned.h"

/*
 * The host's /etc entries a sandbox keeps (see launch.h); a name ending in
 * '*' stands for every name it begins. Only what others may read is copied.
 */
static const char *const etc_kept[] = {
	/* the dynamic linkers (glibc's, musl's) */
	"ld.so.cache", "ld.so.conf", "ld.so.conf.d", "ld-musl-*",
	/* the C library's name service, locale and time */
	"nsswitch.conf", "host.conf", "gai.conf", "protocols", "services", "networks", "rpc",
	"ethertypes", "localtime", "timezone", "locale.alias", "mtab",
	/* what the system is; shells' start-up files */
	"os-release", "lsb-release", "debian_version", "shells", "profile", "bash.bashrc",
	"inputrc", "environment", "terminfo",
	/* Debian's alternatives (cc, java, ...), certificates, file types */
	"alternatives", "ssl", "ca-certificates.conf", "mime.types", "magic", "magic.mime",
	"papersize", "fonts", "xml", "sgml",
	/* tool chains and interpreters */
	"java-*", "python3*", "perl", "php*", "R", "ruby*", "ocaml*", "ghc*", "mono",
	"fpc*", "gnucobol", "maven", "gdb", "gprofng.rc", "valgrind",
	NULL
};

const char *const launch_etc_made[LAUNCH_ETC_MADE + 1] = { "passwd", "group", "hosts", NULL };

int launch_image_skipped(const char *name)
{
	static const char *const made[] = { ".", "..", "proc", "dev", "sys", "tmp", "work", "etc",
		".lifebelt", NULL };
	int i;

	for (i = 0; made[i]; i++)
		if (!strcmp(name, made[i]))
			return 1;
	return 0;
}

int launch_etc_kept(const char *name)
{
	int i;

	for (i = 0; etc_kept[i]; i++) {
		size_t n = strlen(etc_kept[i]);

		if (etc_kept[i][n - 1] == '*' ? !strncmp(name, etc_kept[i], n - 1) :
		    !strcmp(name, etc_kept[i]))
			return 1;
	}
	return 0;
}

void launch_etc_text(struct buf *out, const char *name, uid_t uid, gid_t gid)
{
	if (!strcmp(name, "passwd")) {
		buf_adds(out, "root:x:0:0:root:/root:/usr/sbin/nologin\n");
		if (uid != 0 && uid != SANDBOX_UID)
			buf_addf(out, "sandbox:x:%u:%u:sandbox:/nonexistent:/usr/sbin/nologin\n",
				 (unsigned)uid, (unsigned)gid);
		buf_adds(out, "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
	} else if (!strcmp(name, "group")) {
		buf_adds(out, "root:x:0:\n");
		if (gid != 0 && gid != SANDBOX_GID)
			buf_addf(out, "sandbox:x:%u:\n", (unsigned)gid);
		buf_adds(out, "nogroup:x:65534:\n");
	} else if (!strcmp(name, "hosts")) {
		buf_adds(out, "127.0.0.1\tlocalhost\n127.0.1.1\tsandbox\n"
			 "::1\tlocalhost ip6-localhost ip6-loopback\n");
	}
}

/*
 * Run prepare(arg) in a child, then open the namespace of the given kind it
 * made; an fd or -1. The child runs after fork in a threaded process:
 * system calls and static buffers only.
 */
static int in_child(int (*prepare)(const void *), const void *arg, const char *kind)
{
	char path[64], c = 0;
	int p[2], fd = -1;
	pid_t pid, parent = getpid();

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (!pid) {
		/* A worker killed before it killed this child must not leave it paused for ever. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(1);
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
 * with what is below them (bwrap binds them recursively), what holds
 * stage (/run, often) but not what is mounted below it, and what holds
 * the image's tree, or is in it.
 */
static int wanted(const char *mp, const struct launch_root *l)
{
	return !strcmp(mp, "/") || !strcmp(mp, "/proc") || !strcmp(mp, "/dev") ||
	       under(mp, "/usr") || under(mp, "/etc") || (under(l->stage, mp) && strcmp(l->stage, mp)) ||
	       (l->image && (under(l->image, mp) || under(mp, l->image)));
}

/* A detached clone of the tree at src (with what is mounted below it), attrs set on all of it; an fd or -1. */
static int clone_tree(const char *src, unsigned long long attrs)
{
	struct mount_attr ma;
	int fd = (int)syscall(SYS_open_tree, AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);

	if (fd < 0)
		return -1;
	memset(&ma, 0, sizeof(ma));
	ma.attr_set = attrs;
	if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &ma, sizeof(ma))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Attach the clone fd (clone_tree()) at dst and close it; 0 or -1. */
static int attach_clone(int fd, const char *dst)
{
	int ret = syscall(SYS_move_mount, fd, "", AT_FDCWD, dst, MOVE_MOUNT_F_EMPTY_PATH) ? -1 : 0;

	close(fd);
	return ret;
}

/* Clone the tree at src, set attrs on all of it, attach it at dst. */
static int attach_tree(const char *src, const char *dst, unsigned long long attrs)
{
	int fd = clone_tree(src, attrs);

	return fd < 0 ? -1 : attach_clone(fd, dst);
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

#define COPY_DEPTH 8

/*
 * Copy src to dst: a symlink as it is, a file or a directory (with what
 * is in it, COPY_DEPTH levels down) only if others may read it. Anything
 * else, or missing, is left out. 0 or -1 (dst's file system full, ...).
 * In the child: system calls and static buffers only.
 */
static int copy_tree(const char *src, const char *dst, int depth)
{
	static char target[4096], dents[COPY_DEPTH][8192], from[COPY_DEPTH][4096], to[COPY_DEPTH][4096];
	struct stat st;
	ssize_t n;
	int in, out, ret = 0;

	if (lstat(src, &st))
		return errno == ENOENT ? 0 : -1;
	if (S_ISLNK(st.st_mode)) {
		n = readlink(src, target, sizeof(target) - 1);
		if (n < 0 || n == sizeof(target) - 1)
			return -1;
		target[n] = '\0';
		return symlink(target, dst);
	}
	if (S_ISREG(st.st_mode) && (st.st_mode & S_IROTH)) {
		if ((in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			return -1;
		out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 0755);
		while (out >= 0 && (n = sendfile(out, in, NULL, 1 << 20)) > 0)
			;
		ret = out < 0 || n < 0 || close(out) ? -1 : 0;
		close(in);
		return ret;
	}
	if (!S_ISDIR(st.st_mode) || (st.st_mode & (S_IROTH | S_IXOTH)) != (S_IROTH | S_IXOTH) ||
	    depth >= COPY_DEPTH)
		return 0;
	if (mkdir(dst, st.st_mode & 0755) || (in = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	while (!ret && (n = getdents64(in, dents[depth], sizeof(dents[0]))) > 0) {
		ssize_t off;

		for (off = 0; !ret && off < n; off += ((struct dirent64 *)(dents[depth] + off))->d_reclen) {
			const char *name = ((struct dirent64 *)(dents[depth] + off))->d_name;

			if (!strcmp(name, ".") || !strcmp(name, ".."))
				continue;
			if (snprintf(from[depth], sizeof(from[0]), "%s/%s", src, name) >= (int)sizeof(from[0]) ||
			    snprintf(to[depth], sizeof(to[0]), "%s/%s", dst, name) >= (int)sizeof(to[0]))
				ret = -1;
			else
				ret = copy_tree(from[depth], to[depth], depth + 1);
		}
	}
	close(in);
	return ret || n < 0 ? -1 : 0;
}

/* A file at path holding len bytes of text, read-only for all; 0 or -1. */
static int write_text(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	int ok = fd >= 0 && write(fd, text, len) == (ssize_t)len;

	if (fd >= 0 && close(fd))
		ok = 0;
	return ok ? 0 : -1;
}

/* 1 if name is one of the made-up files of the sandbox's /etc. */
static int etc_made(const char *name)
{
	int i;

	for (i = 0; launch_etc_made[i]; i++)
		if (!strcmp(name, launch_etc_made[i]))
			return 1;
	return 0;
}

/*
 * Fill the empty directory dir with the sandbox's /etc: the host's entries
 * launch_etc_kept() names, or (image not NULL) the image's own but the
 * made-up ones, copied, and the made-up files (made[i] for
 * launch_etc_made[i]). An image without /etc gets the made-up files only.
 * 0 or -1. After fork: system calls and static buffers only.
 */
static int fill_etc(const char *dir, const char *image, const struct buf *made)
{
	static char dents[8192], src[4096], from[4096], to[4096];
	int fd, i, ret = 0;
	ssize_t n = 0;

	if (snprintf(src, sizeof(src), "%s/etc", image ? image : "") >= (int)sizeof(src))
		return -1;
	/* Not followed: an image's /etc that is a symlink would lead out of the image. */
	if ((fd = open(src, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 &&
	    (!image || (errno != ENOENT && errno != ENOTDIR && errno != ELOOP)))
		return -1;
	while (fd >= 0 && !ret && (n = getdents64(fd, dents, sizeof(dents))) > 0) {
		ssize_t off;

		for (off = 0; !ret && off < n; off += ((struct dirent64 *)(dents + off))->d_reclen) {
			const char *name = ((struct dirent64 *)(dents + off))->d_name;

			if (!strcmp(name, ".") || !strcmp(name, "..") ||
			    (image ? etc_made(name) : name[0] == '.' || !launch_etc_kept(name)))
				continue;
			/* (dir is at()'s: it must not be called here) */
			if (snprintf(from, sizeof(from), "%s/%s", src, name) >= (int)sizeof(from) ||
			    snprintf(to, sizeof(to), "%s/%s", dir, name) >= (int)sizeof(to))
				ret = -1;
			else
				ret = copy_tree(from, to, 1);
		}
	}
	if (fd >= 0)
		close(fd);
	if (n < 0)
		ret = -1;
	for (i = 0; !ret && launch_etc_made[i]; i++)
		ret = snprintf(to, sizeof(to), "%s/%s", dir, launch_etc_made[i]) >= (int)sizeof(to) ||
		      write_text(to, made[i].buf, made[i].len) ? -1 : 0;
	return ret;
}

/* The sandbox's /etc at dir, a read-only tmpfs of its own (see fill_etc()); 0 or -1. */
static int build_etc(const char *dir, const char *image, const struct buf *made)
{
	return mount("lifebelt-etc", dir, "tmpfs", MS_NOSUID | MS_NODEV, LAUNCH_ETC_TMPFS) ||
	       fill_etc(dir, image, made) ||
	       mount(NULL, dir, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) ? -1 : 0;
}

/* The made-up files of the sandbox's /etc for uid and gid, in launch_etc_made order. */
static void make_etc_texts(struct buf *made, uid_t uid, gid_t gid)
{
	int i;

	for (i = 0; i < LAUNCH_ETC_MADE; i++) {
		buf_init(&made[i], 0);
		launch_etc_text(&made[i], launch_etc_made[i], uid, gid);
	}
}

int launch_etc(const char *dir, const char *image, uid_t uid, gid_t gid)
{
	struct buf made[LAUNCH_ETC_MADE];
	int i, ret;

	make_etc_texts(made, uid, gid);
	ret = fill_etc(dir, image, made);
	for (i = 0; i < LAUNCH_ETC_MADE; i++)
		buf_release(&made[i]);
	return ret;
}

/* An empty file at path for a file to be bound on; 0 or -1. */
static int mount_point_file(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

	return fd < 0 ? -1 : close(fd);
}

/*
 * The worker's cgroups, cloned (cgroup_fd[i] for l->cgroup_dir[i]) before
 * the host's mounts went, attached read-only at l->cgroup_at[i]: a step
 * reads its limits there, and neither the mount (read-only, and locked so
 * in the sandbox's user namespace) nor the files (the host's root's) let
 * it raise them. Under the step's cgroup namespace the mount table shows
 * each as "/", no host path. 0 or -1.
 */
static int attach_cgroups(const struct launch_root *l, const int *cgroup_fd)
{
	static const char *const dirs[] = { "sys", "sys/fs", "sys/fs/cgroup" };
	const char *r = l->root;
	size_t i;
	int k;

	if (!l->cgroups)
		return 0;
	for (i = 0; i < sizeof(dirs) / sizeof(*dirs); i++)
		if (mkdir(at(r, dirs[i]), 0755) && errno != EEXIST)
			return -1;
	for (k = 0; k < l->cgroups; k++)
		if ((mkdir(at(r, l->cgroup_at[k]), 0755) && errno != EEXIST) ||
		    cgroup_fd[k] < 0 || attach_clone(cgroup_fd[k], at(r, l->cgroup_at[k])))
			return -1;
	return 0;
}

/* 1 if the directory at path is empty (or cannot be read: nothing to show). */
static int dir_empty(const char *path)
{
	static char dents[4096];
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), empty = 1;
	ssize_t n, off;

	if (fd < 0)
		return 1;
	while (empty && (n = getdents64(fd, dents, sizeof(dents))) > 0)
		for (off = 0; empty && off < n; off += ((struct dirent64 *)(dents + off))->d_reclen) {
			const char *name = ((struct dirent64 *)(dents + off))->d_name;

			empty = !strcmp(name, ".") || !strcmp(name, "..");
		}
	close(fd);
	return empty;
}

/*
 * An image's top-level entries at root r: each directory bound read-only
 * with what is below it (an empty one only made: a mount costs every
 * sandbox a line of the mount table), each symlink made alike, what
 * launch_image_skipped() names left out, other files too. 0 or -1.
 * In the child: system calls and static buffers only.
 */
static int bind_image(const char *image, const char *r)
{
	static char dents[8192], target[4096];
	const unsigned long long ro = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
	int fd = open(image, O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret = 0;
	ssize_t n = 0, off, len;
	struct stat st;

	if (fd < 0)
		return -1;
	while (!ret && (n = getdents64(fd, dents, sizeof(dents))) > 0) {
		for (off = 0; !ret && off < n; off += ((struct dirent64 *)(dents + off))->d_reclen) {
			const char *name = ((struct dirent64 *)(dents + off))->d_name;
			const char *src = at(image, name), *dst = at(r, name);

			if (launch_image_skipped(name) || lstat(src, &st))
				continue;
			if (S_ISDIR(st.st_mode))
				ret = mkdir(dst, 0755) || (!dir_empty(src) && attach_tree(src, dst, ro)) ? -1 : 0;
			else if (S_ISLNK(st.st_mode))
				ret = (len = readlink(src, target, sizeof(target) - 1)) < 0 ||
				      len == sizeof(target) - 1 || (target[len] = '\0', symlink(target, dst)) ?
				      -1 : 0;
		}
	}
	close(fd);
	return ret || n < 0 ? -1 : 0;
}

/*
 * The file system every sandbox of the worker starts from, made at
 * l->root: /usr (and /bin, /lib, /lib64 where they are not symlinks into
 * /usr) read-only with what is mounted below them, or an image's top-level
 * entries (bind_image), a small /etc of its own (build_etc), a /dev like
 * bwrap's own --dev, a copy of the holder at
 * .lifebelt/lifebelt-holder (a copy, not a bind: a bind's mountinfo line
 * would show where Lifebelt is installed), and empty /proc, /tmp and /work
 * for bwrap to mount on. All of it read-only, nosuid, and nodev but for
 * the device nodes. bwrap binds it as the sandbox's / in one mount:
 * otherwise it makes all this again for every sandbox, about thirty
 * mounts, each followed by a read of the mount table.
 */
static int build_root(const struct launch_root *l, const struct buf *made, const int *cgroup_fd)
{
	static const char *const dirs[] = { "proc", "dev", "tmp", "work", ".lifebelt", "etc", "usr" };
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
	    mount("lifebelt-root", r, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=8m,nr_inodes=256"))
		return -1;
	/* An image's tree brings its own /usr (or none). */
	for (i = 0; i < sizeof(dirs) / sizeof(*dirs) - !!l->image; i++)
		if (mkdir(at(r, dirs[i]), 0755))
			return -1;
	if (build_etc(at(r, "etc"), l->image, made))
		return -1;
	if (l->image && bind_image(l->image, r))
		return -1;
	if (!l->image && attach_tree("/usr", at(r, "usr"), ro))
		return -1;
	/* Merged /usr (Debian 12): the top-level names are symlinks into it; otherwise bound. */
	for (i = 0; !l->image && i < sizeof(top) / sizeof(*top); i++) {
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
	if (copy_tree(l->holder, at(r, ".lifebelt/lifebelt-holder"), 0) ||
	    access(at(r, ".lifebelt/lifebelt-holder"), X_OK) || attach_cgroups(l, cgroup_fd))
		return -1;
	/* Last, the two tmpfs themselves: read-only for everyone, root included. */
	return mount(NULL, at(r, "dev"), NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID, NULL) ||
	       mount(NULL, r, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) ? -1 : 0;
}

/* What prepare_mnt() needs: the request, and the made-up /etc files (launch_etc_made order). */
struct mnt_job {
	const struct launch_root *l;
	struct buf made[LAUNCH_ETC_MADE];
};

static int prepare_mnt(const void *arg)
{
	const struct mnt_job *job = arg;
	const struct launch_root *l = job->l;
	const unsigned long long ro = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
				      MOUNT_ATTR_NOEXEC;
	static char info[1 << 17];
	static char *mps[2048];
	int cgroup_fd[LAUNCH_CGROUPS];
	ssize_t len = 0, r;
	int fd, n = 0, i;
	char *line;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	/* Before /sys goes with the rest. */
	for (i = 0; i < l->cgroups && i < LAUNCH_CGROUPS; i++)
		cgroup_fd[i] = l->root ? clone_tree(l->cgroup_dir[i], ro) : -1;
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
		if (!wanted(mps[i], l) && umount2(mps[i], MNT_DETACH) && errno != EINVAL &&
		    errno != ENOENT)
			return -1;
	return l->root ? build_root(l, job->made, cgroup_fd) : 0;
}

int launch_mnt(const struct launch_root *l)
{
	struct mnt_job job;
	int i, fd;

	job.l = l;
	make_etc_texts(job.made, SANDBOX_UID, SANDBOX_GID);   /* here: the child may not allocate */
	fd = in_child(prepare_mnt, &job, "mnt");
	for (i = 0; i < LAUNCH_ETC_MADE; i++)
		buf_release(&job.made[i]);
	return fd;
}

int launch_tree(const char *workdir)
{
	return (int)syscall(SYS_open_tree, AT_FDCWD, workdir, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
}

int launch_attach(int mnt, int tree, const char *path)
{
	if (mnt >= 0 && (setns(mnt, CLONE_NEWNS) || unshare(CLONE_NEWNS)))
		return -1;
	return (int)syscall(SYS_move_mount, tree, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH);
}
