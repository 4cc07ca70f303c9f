/* cmd-config.c: `lifebelt config get|set|list`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../db/model.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/banned.h"

static int unknown(const char *key)
{
	const struct config_key *k;
	struct buf names = BUF_INIT;
	int ret;

	for (k = config_keys; k->name; k++)
		buf_addf(&names, "%s%s", names.len ? ", " : "", k->name);
	ret = error("no setting '%s'; known settings: %s", key, names.buf);
	buf_release(&names);
	return ret;
}

int cmd_config(int argc, const char **argv)
{
	const char *pos[3];
	const struct config_key *k;
	struct buf v = BUF_INIT;
	struct db *db;
	int rc = -1;

	memset(pos, 0, sizeof(pos));
	if (parse_args(current_cmd(), argc, argv, NULL, pos, 1, 3))
		return -1;
	if (!strcmp(pos[0], "list")) {
		if (pos[1])
			return error("'config list' takes no key");
		if (cli_open_db_readonly(&db))
			return -1;
		for (k = config_keys; k->name; k++) {
			buf_reset(&v);
			db_config_get(db, k->name, &v);
			printf("%-22s %-24s %s\n", k->name, v.buf, k->help);
		}
		rc = 0;
		goto done_db;
	}
	if (strcmp(pos[0], "get") && strcmp(pos[0], "set"))
		return error("unknown config verb '%s' (use get, set or list)", pos[0]);
	if (!pos[1])
		return error("missing KEY; see 'lifebelt config list'");
	if (!(k = config_key_find(pos[1])))
		return unknown(pos[1]);
	if (!strcmp(pos[0], "get")) {
		if (pos[2])
			return error("'config get' takes only a KEY");
		if (cli_open_db_readonly(&db))
			return -1;
		db_config_get(db, k->name, &v);
		puts(v.buf);
		rc = 0;
		goto done_db;
	}
	if (!pos[2])
		return error("missing VALUE for %s", k->name);
	if (config_check(k, pos[2]) || cli_open_db(&db))
		return -1;
	if (!strcmp(k->name, "sandbox.image") && *pos[2] && image_known(db, k->name, pos[2]))
		goto done_db;
	rc = db_setting_set(db, k->name, pos[2]);
	if (!rc)
		printf("%s = %s\n", k->name, pos[2]);
done_db:
	db_close(db);
	buf_release(&v);
	return rc ? -1 : 0;
}
