/*
 * enter.h: starting a step inside a job's sandbox, shared by the runner and
 * lifebelt-spawner (a tiny static program, so that forking a step is cheap;
 * its wire protocol is spawn.h). Everything here runs after fork(): system
 * calls only, no allocation. The runner's map of files: runner.h.
 */
#ifndef RUNNER_ENTER_H
#define RUNNER_ENTER_H

#include <sys/resource.h>
#include <sys/types.h>

/* The unprivileged account sandboxed code runs as when the runner is root. */
#define SANDBOX_UID 65534
#define SANDBOX_GID 65534

/* The sandbox's PATH (bwrap's --setenv, a step's environment), also searched for a command run without the shell. */
#define SANDBOX_PATH "/usr/local/bin:/usr/bin:/bin"

/*
 * The namespaces a step enters, user last: the others belong to bwrap's outer
 * user namespace, where only the host's root has the rights to join them.
 */
#define ENTER_NS 7
extern const int enter_ns_types[ENTER_NS];
extern const char *const enter_ns_names[ENTER_NS];

/*
 * A seccomp filter as seccomp(SECCOMP_SET_MODE_FILTER) takes it (struct
 * sock_fprog's layout: the static programs here have no kernel headers).
 */
struct enter_filter {
	unsigned short len;     /* instructions, 8 bytes each */
	const void *code;
};
#define ENTER_FILTER_MAX 4096   /* the kernel's BPF_MAXINSNS */

/* What a step entering the holder's sandbox needs, all plain values. */
struct enter {
	const int *nsfd;        /* the holder's namespaces, in enter_ns_types order */
	rlim_t cpu, fsize, nofile, as;  /* as 0: no address space limit */
	rlim_t memory;          /* the job's memory limit, for GOMEMLIMIT (enter_gomemlimit) */
	const char *cmd;
	const struct enter_filter *filter;  /* installed just before the command runs, or NULL */
};

/* setrlimit() without fuss (after fork). */
void enter_limit(int res, rlim_t soft, rlim_t hard);

/*
 * After fork, for sandboxed code: SIGPIPE and SIGCHLD back to default, no
 * signal blocked, in, out and err as stdin, stdout and stderr, and the
 * limits on CPU seconds (RLIM_INFINITY: none), file size, open files and
 * address space (0: none); no core dumps (child_default_signals() in
 * lib/child.h does the signals). 0, or -1 with errno.
 */
int enter_setup(int in, int out, int err, rlim_t cpu, rlim_t fsize, rlim_t nofile, rlim_t as);

/* The nice value sandboxed code runs at, as git http-backend does (gitd/cgi.c). */
#define ENTER_NICE 5

/* Write value to /proc/self/oom_score_adj; 0 or -1. */
int enter_oom_score_adj(const char *value);

/*
 * Make this process (and what it starts) the OOM killer's first choice,
 * whatever the runner's own setting, and run it at ENTER_NICE; 0 or -1.
 * For sandboxed code.
 */
int enter_oom_first(void);

/*
 * "GOMEMLIMIT=<n>MiB" into out for a job of memory bytes: nine tenths of it,
 * the rest for what is not Go's heap. Go (1.19 in Debian 12) reads no
 * cgroup, so a step's environment tells it; a command that sets its own
 * (GOMEMLIMIT=1GiB go test) wins. After fork: no allocation.
 */
#define ENTER_GOMEMLIMIT_MAX 48
void enter_gomemlimit(char out[ENTER_GOMEMLIMIT_MAX], rlim_t memory);

/*
 * Split cmd into argv (at most max - 1 words, NUL-terminated, copied into
 * store of size cap) if /bin/sh -c cmd would do nothing but run one program
 * with those words: no quoting, expansion, redirection, assignment or
 * builtin. 0 if it would (then the shell must run it).
 */
int enter_plain_words(const char *cmd, char *store, size_t cap, char **argv, int max);

/*
 * In a child: take the limits, enter the namespaces (and a cgroup namespace
 * of the step's own, rooted at the cgroup it is in, so that the sandbox
 * sees its cgroup as "/"), and run the command in a grandchild that drops
 * to the sandbox user with no capabilities, under en->filter. This
 * process waits for it (outside the sandbox's PID namespace) and exits with
 * its status, a signal as 128 + its number, as bwrap does. On failure the
 * errno goes to errpipe (child_fail() in lib/child.h). Never returns.
 */
void enter_child(const struct enter *en, int in, int out, int err, int errpipe)
	__attribute__((noreturn));

#endif
