/* filter.c: the seccomp filter of sandboxed steps, compiled once with libseccomp (see filter.h). */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <seccomp.h>

#include "filter.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/banned.h"

/*
 * Denied outright: the kernel's large and often exploited interfaces that no
 * course's program needs (asynchronous I/O rings, performance counters, key
 * rings, BPF, userfaultfd), and everything that changes the sandbox itself
 * or the machine (mounts, namespaces, modules, kexec, swap, clocks, the
 * kernel log, file handles). Most of these need privileges the sandbox does
 * not have anyway; the filter makes sure, and answers the same way for all.
 */
static const char *const denied[] = {
	"io_uring_setup", "io_uring_enter", "io_uring_register",
	"perf_event_open", "bpf", "userfaultfd",
	"keyctl", "add_key", "request_key",
	"mount", "umount", "umount2", "pivot_root", "chroot",
	"move_mount", "open_tree", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
	"unshare", "setns",
	"kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
	"reboot", "swapon", "swapoff", "acct", "quotactl", "quotactl_fd", "syslog",
	"settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "stime",
	"sethostname", "setdomainname", "vhangup", "iopl", "ioperm", "vm86", "vm86old",
	"open_by_handle_at", "name_to_handle_at", "fanotify_init", "lookup_dcookie",
	"nfsservctl", "_sysctl", "uselib", "ustat", "sysfs",
};

/* clone() flags that make namespaces (clone3 is refused as a whole, see below). */
static const unsigned long ns_flags[] = {
	CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWIPC, CLONE_NEWUTS,
	CLONE_NEWCGROUP,
};

/* Socket families a program may open: local, IPv4, IPv6, and netlink for routes only. */
static int family_allowed(int af)
{
	return af == AF_UNIX || af == AF_INET || af == AF_INET6 || af == AF_NETLINK;
}

/*
 * Rules for socket() or socketpair() (name): every family below AF_NETLINK
 * but the allowed ones, in aligned blocks (a masked comparison each: fewer
 * instructions to check on each call, and to load with each step), every
 * family above it, and netlink but NETLINK_ROUTE.
 */
static int deny_families(scmp_filter_ctx ctx, const char *name)
{
	int nr = seccomp_syscall_resolve_name(name), af = 0;

	if (nr == __NR_SCMP_ERROR)
		return 0;
	while (af < AF_NETLINK) {
		int size = 1, k;

		if (family_allowed(af)) {
			af++;
			continue;
		}
		/* The largest aligned block from af with no allowed family in it. */
		for (;;) {
			int next = size * 2, ok = af % next == 0 && af + next <= AF_NETLINK;

			for (k = af; ok && k < af + next; k++)
				ok = !family_allowed(k);
			if (!ok)
				break;
			size = next;
		}
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, ~(scmp_datum_t)(size - 1), af)))
			return -1;
		af += size;
	}
	/*
	 * Netlink answers getifaddrs() and getaddrinfo()'s address checks;
	 * its other protocols (netfilter, audit, uevents, diagnostics) are
	 * for administrators.
	 */
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 1, SCMP_A0(SCMP_CMP_GT, AF_NETLINK)) ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 2, SCMP_A0(SCMP_CMP_EQ, AF_NETLINK),
			     SCMP_A2(SCMP_CMP_NE, NETLINK_ROUTE)))
		return -1;
	return 0;
}

/* The filter's rules into ctx; 0 or -1. */
static int add_rules(scmp_filter_ctx ctx)
{
	size_t i;

#if defined(__x86_64__)
	/* A 64-bit program may make 32-bit system calls (int 0x80): the same rules for them. */
	if (seccomp_arch_add(ctx, SCMP_ARCH_X86) && errno != EEXIST)
		return -1;
#endif
	for (i = 0; i < sizeof(denied) / sizeof(*denied); i++) {
		int nr = seccomp_syscall_resolve_name(denied[i]);

		if (nr != __NR_SCMP_ERROR && seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0))
			return -1;
	}
	for (i = 0; i < sizeof(ns_flags) / sizeof(*ns_flags); i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i])))
			return -1;
	/*
	 * clone3() takes its flags in memory, out of a filter's sight. ENOSYS
	 * makes the C library fall back to clone(), which the rules above see.
	 */
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0))
		return -1;
	return deny_families(ctx, "socket") || deny_families(ctx, "socketpair") ? -1 : 0;
}

/* Compile ctx to BPF in out (struct sock_filter bytes); 0 or -1. */
static int export(scmp_filter_ctx ctx, struct buf *out)
{
	int fd = memfd_create("lifebelt-filter", MFD_CLOEXEC), ret = -1;
	off_t len;

	if (fd < 0 || seccomp_export_bpf(ctx, fd) || (len = lseek(fd, 0, SEEK_END)) <= 0 ||
	    len % sizeof(struct sock_filter) || lseek(fd, 0, SEEK_SET))
		goto done;
	buf_reset(out);
	ret = buf_read_fd(out, fd);
done:
	if (fd >= 0)
		close(fd);
	return ret;
}

const struct sock_fprog *filter_program(void)
{
	static struct sock_fprog prog;
	static struct buf code = BUF_INIT;
	static int tried;
	scmp_filter_ctx ctx;

	if (tried)
		return prog.len ? &prog : NULL;
	tried = 1;
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	/* The runner installs it itself (or bwrap does), after no_new_privs. */
	/* A binary tree of system call numbers: the few calls the kernel can not cache walk less of it. */
	if (!ctx || seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) || add_rules(ctx) ||
	    export(ctx, &code) || code.len / sizeof(struct sock_filter) > BPF_MAXINSNS) {
		error("cannot build the sandbox's seccomp filter: steps run without it");
		buf_release(&code);
	} else {
		prog.len = (unsigned short)(code.len / sizeof(struct sock_filter));
		prog.filter = (struct sock_filter *)code.buf;
	}
	if (ctx)
		seccomp_release(ctx);
	return prog.len ? &prog : NULL;
}
