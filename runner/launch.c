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
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"
#include "../lib/banned.h"

/*
 * Run prepare(arg) in a child, then open the namespace of the given kind it
 * made; an fd or -1. The child runs after fork in a threaded process:
 * system calls and static buffers only.
 */
static int in_child(int (*prepare)(const char *), const char *arg, const char *kind)
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

static int prepare_net(const char *arg)
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

static int prepare_mnt(const char *stage)
{
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
	return 0;
}

int launch_mnt(const char *stage)
{
	return in_child(prepare_mnt, stage, "mnt");
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
