/* cmd-serve.c: `lifebelt serve`. */
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backup.h"
#include "cli.h"
#include "../db/db.h"
#include "../gitd/github.h"
#include "../runner/runner.h"
#include "../hooks/reconcile.h"
#include "../web/server.h"
#include "../lib/banned.h"

int cmd_serve(int argc, const char **argv)
{
	struct serve_opts o = { "127.0.0.1:8080", 0 };
	const char *workers = NULL;
	struct opt opts[] = { { "listen", &o.listen, NULL }, { "workers", &workers, NULL },
			      { "no-cache", NULL, &o.no_cache }, { NULL, NULL, NULL } };
	struct runner_opts ro;
	struct db *db;
	pid_t runner = 0, serve;
	int ret;

	memset(&ro, 0, sizeof(ro));
	if (parse_args(current_cmd(), argc, argv, opts, NULL, 0, 0))
		return -1;
	if (workers && !strcmp(workers, "0"))
		workers = NULL, ro.workers = 0;
	else if (runner_opts_parse(workers, NULL, &ro))
		return -1;
	/* Fail early, with the usual message, when there is no data directory. */
	if (cli_open_db(&db))
		return -1;
	db_close(db);
	backup_lock_hold();
	/* The grading workers run beside the web server and stop with it (forked before any thread). */
	/* Its workers in processes of their own: one killed is started again. */
	ro.supervise = 1;
	serve = getpid();
	if (ro.workers && (runner = fork()) == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != serve)   /* serve died before PDEATHSIG was asked for */
			_exit(0);
		_exit(runner_run(&ro) ? 1 : 0);
	}
	/* Spooled and unrecorded pushes: now, then every minute. */
	if (reconcile_serve_start()) {
		ret = -1;
		goto done;
	}
	/* Deliveries from GitHub: fetched and recorded on a thread of their own. */
	if (github_mirror_start()) {
		ret = -1;
		goto done;
	}
	/* The verdicts of mirrored submissions, as commit statuses on GitHub. */
	if (github_status_start()) {
		github_mirror_stop();
		ret = -1;
		goto done;
	}
	ret = web_serve(&o);
	github_status_stop();
	github_mirror_stop();
done:
	if (runner > 0) {
		kill(runner, SIGTERM);
		waitpid(runner, NULL, 0);
	}
	return ret;
}
