/* cmd-github-app.c: `lifebelt github app APP_ID KEYFILE|-`, a GitHub App's credentials. */
#include <stdio.h>
#include <string.h>


#include "cli.h"
#include "../db/db.h"
#include "../gitd/github.h"
#include "../lib/buf.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/number.h"
#include "../lib/banned.h"

/*
 * Both are checked before either is stored, so that a bad one leaves the
 * credentials as they were; the key goes first, as the App counts as set
 * only once its ID is there too.
 */
int cmd_github_app(int argc, const char **argv)
{
	const char *pos[2];
	struct buf key = BUF_INIT, why = BUF_INIT, dir = BUF_INIT, app = BUF_INIT;
	struct db *db;
	int64_t id;
	int rc = -1;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 2, 2))
		return -1;
	if (number_parse(pos[0], 1, INT64_MAX, &id))
		return error("'%s' is not an App ID: give the number GitHub shows as \"App ID\" "
			     "on the App's settings page", pos[0]);
	if (cli_open_db(&db))
		return -1;
	db_close(db);
	if (github_secret_load(pos[1], "GitHub App's private key", &key))
		goto done;
	if (github_app_key_check(key.buf, key.len, &why)) {
		error("%s is not the App's private key: %s", !strcmp(pos[1], "-") ? "stdin" : pos[1],
		      why.buf);
		goto done;
	}
	buf_addch(&key, '\n');
	buf_addf(&app, "%lld", (long long)id);
	if (github_secret_write(GITHUB_SECRET_APP_KEY, key.buf, key.len) ||
	    github_secret_write(GITHUB_SECRET_APP_ID, app.buf, app.len))
		goto done;
	home_path(&dir, "github");
	printf("GitHub App %s set; its private key is kept in %s/%s (mode 0600)\n", app.buf, dir.buf,
	       GITHUB_SECRET_APP_KEY);
	rc = 0;
done:
	github_secret_release(&key);
	buf_release(&why);
	buf_release(&dir);
	buf_release(&app);
	return rc;
}
