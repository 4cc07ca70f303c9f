/*
 * launch.h: the network namespace a worker's sandboxes start in, made once
 * per worker (root only). bwrap makes the rest of each sandbox afresh.
 */
#ifndef RUNNER_LAUNCH_H
#define RUNNER_LAUNCH_H

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

#endif
