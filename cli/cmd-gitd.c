/* cmd-gitd.c: `lifebelt shell`, `lifebelt keys` and `lifebelt keys-command`: SSH access. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../db/access.h"
#include "../db/model.h"
#include "../gitd/keys.h"
#include "../gitd/shell.h"
#include "../lib/buf.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/banned.h"

int cmd_shell(int argc, const char **argv)
{
	const char *pos[1], *home = NULL;
	struct opt opts[] = { { "home", &home, NULL }, { NULL, NULL, NULL } };

	/* What a student sees comes from Lifebelt, not from an "error:" of some tool. */
	log_set_error_word("lifebelt");
	if (parse_args(current_cmd(), argc, argv, opts, pos, 1, 1))
		return -1;
	return shell_main(home, pos[0]) ? -1 : 0;
}

int cmd_keys(int argc, const char **argv)
{
	struct buf path = BUF_INIT;
	struct db *db;
	int nr, rc;

	if (parse_args(current_cmd(), argc, argv, NULL, NULL, 0, 0) || cli_open_db(&db))
		return -1;
	rc = keys_write(db, &nr);
	if (!rc) {
		keys_file(db, &path);
		printf("wrote %d key%s to %s\n", nr, nr == 1 ? "" : "s", path.buf);
	}
	buf_release(&path);
	db_close(db);
	return rc;
}

int cmd_keys_command(int argc, const char **argv)
{
	const char *pos[3], *home = NULL;
	struct opt opts[] = { { "home", &home, NULL }, { NULL, NULL, NULL } };
	struct buf user = BUF_INIT, login = BUF_INIT, line = BUF_INIT;
	struct db *db;
	int rc;

	if (parse_args(current_cmd(), argc, argv, opts, pos, 3, 3))
		return -1;
	if (home)
		home_set(home);
	if (cli_open_db_readonly(&db))
		return -1;
	db_config_get(db, "ssh.user", &user);
	rc = strcmp(pos[0], user.buf) ? DB_ENOTFOUND : db_key_owner(db, pos[1], pos[2], &login);
	/* Not our account or not a registered key: no line, so sshd refuses the key. */
	if (rc == DB_ENOTFOUND)
		rc = 0;
	else if (!rc && !(rc = keys_line(&line, login.buf, pos[1], pos[2])))
		fputs(line.buf, stdout);
	buf_release(&user);
	buf_release(&login);
	buf_release(&line);
	db_close(db);
	return rc ? -1 : 0;
}
