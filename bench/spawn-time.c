/*
 * spawn-time.c: time fresh processes the way git runs a post-receive hook,
 * for bench/hook. Usage: spawn-time N DIR PROG...
 * A PROG may carry arguments after spaces ("lifebelt help"); its standard
 * output is discarded.
 * Runs each PROG N times, in turn (so that load from elsewhere falls on all
 * alike), in DIR, with a new "OLD NEW refs/heads/main" line on stdin (a
 * fresh commit id each run), and prints one line per PROG: its median and
 * quartiles in microseconds. A run that exits non-zero stops everything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../lib/banned.h"

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static long long run(const char *prog, const char *dir, unsigned long long seq)
{
	char line[128], cmd[4096], *argv[16], *save = NULL;
	int argc = 0;
	int fd[2], status;
	long long t0, t;
	pid_t pid;

	snprintf(line, sizeof(line), "%040d %08x%032llx refs/heads/main\n", 0,
		 (unsigned)getpid(), seq);
	if ((size_t)snprintf(cmd, sizeof(cmd), "%s", prog) >= sizeof(cmd))
		return -1;
	for (argv[argc] = strtok_r(cmd, " ", &save); argv[argc] && argc < 15;
	     argv[++argc] = strtok_r(NULL, " ", &save))
		;
	argv[argc] = NULL;
	if (pipe(fd))
		return -1;
	t0 = now_us();
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(fd[0], 0);
		close(fd[0]);
		close(fd[1]);
		int null = open("/dev/null", O_WRONLY);

		if (null < 0 || dup2(null, 1) < 0 || chdir(dir))
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fd[0]);
	if (write(fd[1], line, strlen(line)) < 0)
		return -1;
	close(fd[1]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	t = now_us() - t0;
	return t;
}

int main(int argc, char **argv)
{
	int n = argc > 3 ? atoi(argv[1]) : 0, nprog = argc - 3, i, p;
	unsigned long long seq = 0;
	long long *t;

	if (n < 1) {
		fprintf(stderr, "usage: spawn-time N DIR PROG...\n");
		return 1;
	}
	t = calloc((size_t)n * (size_t)nprog, sizeof(*t));
	if (!t)
		return 1;
	for (i = 0; i < n; i++) {
		for (p = 0; p < nprog; p++) {
			long long us = run(argv[3 + p], argv[2], ++seq);

			if (us < 0) {
				fprintf(stderr, "spawn-time: %s failed\n", argv[3 + p]);
				return 1;
			}
			t[p * n + i] = us;
		}
	}
	for (p = 0; p < nprog; p++) {
		long long *s = t + p * n;

		qsort(s, (size_t)n, sizeof(*s), cmp);
		printf("%s %lld %lld %lld\n", argv[3 + p], s[n / 2], s[n / 4], s[3 * n / 4]);
	}
	free(t);
	return 0;
}
