/* cmd-serve.c: `lifebelt serve`. */
#include <stddef.h>

#include "cli.h"
#include "../db/db.h"
#include "../hooks/reconcile.h"
#include "../web/server.h"
#include "../lib/banned.h"

int cmd_serve(int argc, const char **argv)
{
	struct serve_opts o = { "127.0.0.1:8080" };
	struct opt opts[] = { { "listen", &o.listen, NULL }, { NULL, NULL, NULL } };
	struct db *db;

	if (parse_args(current_cmd(), argc, argv, opts, NULL, 0, 0))
		return -1;
	/* Fail early, with the usual message, when there is no data directory. */
	if (cli_open_db(&db))
		return -1;
	db_close(db);
	/* Spooled and unrecorded pushes: now, then every minute. */
	if (reconcile_serve_start())
		return -1;
	return web_serve(&o);
}
