/*
 * filter.h: the seccomp filter every sandboxed step runs under. It denies,
 * with EPERM, the system calls graded code never needs and the kernel's
 * riskier interfaces (see filter.c and the README's sandbox section).
 */
#ifndef RUNNER_FILTER_H
#define RUNNER_FILTER_H

#include <linux/filter.h>

/*
 * The filter as a classic BPF program, built with libseccomp once per
 * process and kept; NULL (reported once) if it could not be built. The
 * program belongs to this module. prog->filter is an array of
 * prog->len struct sock_filter, ready for seccomp(SECCOMP_SET_MODE_FILTER)
 * or for bwrap's --seccomp (its bytes as they are).
 */
const struct sock_fprog *filter_program(void);

#endif
