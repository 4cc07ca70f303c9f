/* enter.c: starting a step inside a job's sandbox (see enter.h; map: runner.h). After fork: system calls only. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/resource.h>
#include <unistd.h>

#include "enter.h"
#include "../lib/child.h"
#include "../lib/banned.h"

const int enter_ns_types[ENTER_NS] = { CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWIPC,
				       CLONE_NEWUTS, CLONE_NEWCGROUP, CLONE_NEWUSER };
const char *const enter_ns_names[ENTER_NS] = { "mnt", "pid", "net", "ipc", "uts", "cgroup", "user" };

void enter_limit(int res, rlim_t soft, rlim_t hard)
{
	struct rlimit r = { soft, hard };

	setrlimit(res, &r);
}

int enter_setup(int in, int out, int err, rlim_t cpu, rlim_t fsize, rlim_t nofile, rlim_t as)
{
	child_default_signals();
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		return -1;
	enter_limit(RLIMIT_CPU, cpu, cpu == RLIM_INFINITY ? cpu : cpu + 1);
	enter_limit(RLIMIT_FSIZE, fsize, fsize);
	enter_limit(RLIMIT_NOFILE, nofile, nofile);
	enter_limit(RLIMIT_CORE, 0, 0);
	if (as)
		enter_limit(RLIMIT_AS, as, as);
	return 0;
}

int enter_oom_score_adj(const char *value)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC), ok;
	size_t len = strlen(value);

	if (fd < 0)
		return -1;
	ok = write(fd, value, len) == (ssize_t)len;
	close(fd);
	return ok ? 0 : -1;
}

int enter_oom_first(void)
{
	/*
	 * Below the server's threads, as git's backends are: in a deadline
	 * rush, pages and pushes stay quick while tests take their turn.
	 * Raising one's own nice value cannot fail.
	 */
	(void)setpriority(PRIO_PROCESS, 0, ENTER_NICE);
	return enter_oom_score_adj("1000");
}

/* Characters that mean nothing to the shell outside the first word's '='. */
static int plain_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("_./+,:=@%-", c));
}

/* dash's builtins and reserved words: run through the shell, whatever PATH holds. */
static int shell_word(const char *w, size_t len)
{
	static const char *const words[] = {
		".", ":", "[", "alias", "bg", "break", "cd", "chdir", "command", "continue",
		"echo", "eval", "exec", "exit", "export", "false", "fc", "fg", "getopts", "hash",
		"jobs", "kill", "local", "printf", "pwd", "read", "readonly", "return", "set",
		"shift", "test", "times", "trap", "true", "type", "ulimit", "umask", "unalias",
		"unset", "wait", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if",
		"in", "then", "until", "while", NULL
	};
	int i;

	for (i = 0; words[i]; i++)
		if (strlen(words[i]) == len && !memcmp(words[i], w, len))
			return 1;
	return 0;
}

int enter_plain_words(const char *cmd, char *store, size_t cap, char **argv, int max)
{
	size_t used = 0;
	int argc = 0;
	const char *p = cmd;

	for (;;) {
		const char *w;
		size_t len;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		for (w = p; plain_char(*p); p++)
			;
		len = (size_t)(p - w);
		if (*p && *p != ' ' && *p != '\t')
			return 0;   /* a character the shell would read */
		if (argc + 1 >= max || used + len + 1 > cap)
			return 0;
		if (!argc && (memchr(w, '=', len) || shell_word(w, len)))
			return 0;
		memcpy(store + used, w, len);
		store[used + len] = '\0';
		argv[argc++] = store + used;
		used += len + 1;
	}
	argv[argc] = NULL;
	return argc;
}

/*
 * Run cmd as /bin/sh -c would. A plain command (enter_plain_words) is run
 * directly, found on the sandbox's PATH as the shell finds it: one program
 * fewer to start for each step. Anything the direct way can not run (not
 * found, not executable, a script without #!) goes to the shell, which then
 * says what is wrong as it always does. Returns only if the shell could not
 * be run either.
 */
static void exec_command(const char *cmd, char *const env[])
{
	static char store[4096], path[4096 + 64];
	char *argv[64];
	char *sh[] = { (char *)"/bin/sh", (char *)"-c", (char *)cmd, NULL };

	if (enter_plain_words(cmd, store, sizeof(store), argv, 64) > 0) {
		if (strchr(argv[0], '/')) {
			execve(argv[0], argv, env);
		} else {
			const char *dir = SANDBOX_PATH, *end;

			for (; *dir; dir = *end ? end + 1 : end) {
				size_t dl, wl = strlen(argv[0]);

				end = strchr(dir, ':');
				if (!end)
					end = dir + strlen(dir);
				dl = (size_t)(end - dir);
				if (dl + wl + 2 > sizeof(path))
					break;
				memcpy(path, dir, dl);
				path[dl] = '/';
				memcpy(path + dl + 1, argv[0], wl + 1);
				execve(path, argv, env);
			}
		}
	}
	execve("/bin/sh", sh, env);
}

void enter_gomemlimit(char out[ENTER_GOMEMLIMIT_MAX], rlim_t memory)
{
	static const char name[] = "GOMEMLIMIT=", unit[] = "MiB";
	unsigned long long mib = (unsigned long long)(memory / 10 * 9) >> 20;
	char digits[24];
	int n = 0, len = sizeof(name) - 1;

	memcpy(out, name, len);
	do
		digits[n++] = (char)('0' + mib % 10);
	while ((mib /= 10) && n < (int)sizeof(digits));
	while (n)
		out[len++] = digits[--n];
	memcpy(out + len, unit, sizeof(unit));
}

void enter_child(const struct enter *en, int in, int out, int err, int errpipe)
{
	int i, status;
	pid_t pid;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (enter_setup(in, out, err, en->cpu, en->fsize, en->nofile, en->as))
		goto fail;
	/* Root's supplementary groups would still count inside: drop them first. */
	if (setgroups(0, NULL))
		goto fail;
	for (i = 0; i < ENTER_NS; i++)
		if (setns(en->nsfd[i], enter_ns_types[i]))
			goto fail;
	/*
	 * The holder's cgroup namespace is rooted where the holder started,
	 * above the worker's cgroup, whose name would show through: the step
	 * gets its own, rooted at the cgroup it is in now.
	 */
	if (unshare(CLONE_NEWCGROUP))
		goto fail;
	if (chdir("/work"))
		goto fail;
	/* Nothing but stdio and the error pipe may stay open: our end of stdin would keep it open. */
	if (dup2(errpipe, 3) < 0)
		goto fail;
	errpipe = 3;
	fcntl(errpipe, F_SETFD, FD_CLOEXEC);
	syscall(SYS_close_range, 4U, ~0U, 0U);
	pid = fork();
	if (pid < 0)
		goto fail;
	if (!pid) {
		/* As bwrap_args() sets it: HOME and Python's user site out of the student's reach. */
		static char gomem[ENTER_GOMEMLIMIT_MAX];
		char *env[] = { (char *)"PATH=" SANDBOX_PATH, (char *)"HOME=/tmp",
				(char *)"TMPDIR=/tmp", (char *)"LANG=C.UTF-8",
				(char *)"PYTHONNOUSERSITE=1", gomem, NULL };
		int cap;

		enter_gomemlimit(gomem, en->memory);

		/* The spawner protects itself with -1000, which the step would inherit. */
		if (enter_oom_first())
			goto fail;
		/* Capabilities are numbered from 0 up: EINVAL is the first past the kernel's last. */
		for (cap = 0; cap < 64; cap++)
			if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno == EINVAL)
				break;
		if (setresgid(SANDBOX_GID, SANDBOX_GID, SANDBOX_GID) ||
		    setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID))
			goto fail;
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		setsid();
		/* Last: the filter also refuses some of the calls above. 1: SECCOMP_SET_MODE_FILTER. */
		if (en->filter && syscall(SYS_seccomp, 1, 0, en->filter))
			goto fail;
		exec_command(en->cmd, env);
		goto fail;
	}
	close(errpipe);
	close(0);
	close(1);
	close(2);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			_exit(127);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
fail:
	child_fail(errpipe);
}
