/*
 * lifebelt-spawner: forks the steps of a worker's jobs inside the worker's
 * cgroups (see spawner_main() in spawn.c). The runner starts it with its
 * socket on fd 3, after moving it into the cgroups. A tiny static program of
 * its own, because it forks once per step: a fork of the lifebelt binary, with
 * its libraries mapped, costs far more.
 */
#include <sys/socket.h>

#include "../spawn.h"
#include "../../lib/banned.h"

int main(void)
{
	int type;
	socklen_t len = sizeof(type);

	if (getsockopt(3, SOL_SOCKET, SO_TYPE, &type, &len) || type != SOCK_SEQPACKET)
		return 2;   /* not started by the runner */
	spawner_main(3);
}
