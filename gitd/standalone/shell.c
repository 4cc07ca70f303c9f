/*
 * shell.c: `lifebelt shell` as a program of its own, lifebelt-shell.
 *
 * sshd starts the forced command in a fresh process for every fetch and
 * push. The lifebelt binary links libgit2, libmicrohttpd and their ~30
 * libraries, and merely loading them costs more than the authorisation;
 * this program links only the shell, the database and sqlite (statically,
 * see the Makefile). authorized_keys lines name it when it sits next to the
 * lifebelt binary (gitd/keys.c); `lifebelt shell` runs the same code.
 *
 *   lifebelt-shell [--home DIR] LOGIN
 */
#include <stdio.h>
#include <string.h>

#include "../shell.h"
#include "../../lib/log.h"
#include "../../lib/banned.h"

int main(int argc, char **argv)
{
	const char *home = NULL;
	int i = 1;

	log_set_error_word("lifebelt");
	if (i < argc && !strncmp(argv[i], "--home=", 7)) {
		home = argv[i++] + 7;
	} else if (i + 1 < argc && !strcmp(argv[i], "--home")) {
		home = argv[i + 1];
		i += 2;
	}
	if (argc - i != 1 || argv[i][0] == '-' || (home && !*home)) {
		error("usage: lifebelt-shell [--home DIR] LOGIN");
		return 1;
	}
	return shell_main(home, argv[i]);
}
