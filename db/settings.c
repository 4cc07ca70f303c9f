/* settings.c: server settings, with the table of known keys and their defaults. */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "../lib/limits.h"
#include "../lib/names.h"
#include "../lib/number.h"
#include "../lib/push.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/banned.h"

const struct config_key config_keys[] = {
	{ "web.url", "http://127.0.0.1:8080",
	  "public URL of the web view, used in links printed to students", 0 },
	{ "web.header_seconds", "15",
	  "seconds a web client has to send a request's header (and a page's form) "
	  "before it is disconnected", CONFIG_NUMBER },
	{ "web.connections", "4000", "most connections the web server holds open", CONFIG_NUMBER },
	{ "web.connections_per_address", "128",
	  "most connections the web server holds open for one client address", CONFIG_NUMBER },
	{ "ssh.host", "localhost", "host name shown in SSH clone lines", 0 },
	{ "ssh.user", "git", "system account that students SSH to", 0 },
	{ "ssh.port", "22", "SSH port shown in clone lines", CONFIG_NUMBER },
	{ "ssh.authorized_keys", "ssh/authorized_keys",
	  "file rewritten with every key's forced command (relative to the data directory)", 0 },
#define PUSH_SETTING(id, key, def, max, help) \
	{ "push." key, #def, help, (max) ? (max) : CONFIG_NUMBER },
	PUSH_KEYS(PUSH_SETTING)
#undef PUSH_SETTING
#define LIMIT_SETTING(key, field, unit, def, max, help) \
	{ "limits." key, #def, "default " help, max },
	LIMIT_KEYS(LIMIT_SETTING)
#undef LIMIT_SETTING
	{ "http.git_body_seconds", "300",
	  "seconds a git push or fetch over HTTPS may take to send its request", CONFIG_NUMBER },
	{ "http.git_seconds", "900",
	  "seconds a git request over HTTPS may run in all (git push -o wait included)", CONFIG_NUMBER },
	{ "http.git_backends", "64", "git requests over HTTPS served at once", CONFIG_NUMBER },
	{ "http.git_backends_per_login", "4", "git requests over HTTPS one login may have at once", CONFIG_NUMBER },
	{ "runner.retry_seconds", "10",
	  "seconds before a job that met an infrastructure fault is tried again, doubled for each "
	  "further attempt (three attempts in all)", 3600 },
	{ "runner.executor", "bwrap",
	  "how a job runs when its lifebelt.json does not say: bwrap (a bubblewrap sandbox on this "
	  "host), docker (a fresh Docker container per job) or slurm (a node of a Slurm cluster, "
	  "through srun)", 0 },
	{ "slurm.partition", "", "the Slurm partition jobs go to (srun --partition); empty: the cluster's default", 0 },
	{ "slurm.account", "", "the Slurm account jobs are charged to (srun --account); empty: none", 0 },
	{ "slurm.reservation", "",
	  "the Slurm reservation jobs run in (srun --reservation), e.g. one asked for a deadline; "
	  "empty: none", 0 },
	{ "slurm.command", "lifebelt", "the lifebelt program on the cluster's nodes (a name on "
	  "their PATH or an absolute path)", 0 },
	{ "slurm.immediate_seconds", "30",
	  "seconds srun waits for a free CPU (srun --immediate) before the job goes back to the "
	  "queue", 3600 },
	{ "slurm.hold_minutes", "30",
	  "minutes a runner worker's srun may grade jobs one after another (its --time; keep it "
	  "within the partition's MaxTime); then the worker starts a new one", 10080 },
	{ "slurm.margin", "1",
	  "Slurm jobs a runner starts beyond the partition's free CPUs (sinfo), so that the backlog "
	  "waits in Lifebelt's fair queue", 1000 },
	{ "github.webhook_max_mb", "5",
	  "MiB a GitHub webhook delivery may carry (GitHub sends at most 25)", 25 },
	{ "github.mirror_threads", "4",
	  "fetches from GitHub the mirror of `lifebelt serve` runs at once (read when it starts)",
	  16 /* GITHUB_MIRROR_THREADS_MAX */ },
	{ "github.git_url", "https://github.com",
	  "where the GitHub mirror fetches students' repositories over HTTPS (with the token): "
	  "/OWNER/REPO.git is appended", 0 },
	{ "github.ssh_url", "ssh://git@github.com",
	  "where the GitHub mirror fetches over SSH the repositories that have a deploy key "
	  "(`lifebelt github key`): /OWNER/REPO.git is appended", 0 },
	{ "github.api_url", "https://api.github.com",
	  "GitHub's REST API (GitHub Enterprise Server: https://HOST/api/v3); https, or http "
	  "only to this machine", 0 },
	{ "sandbox.image", "",
	  "the image (`lifebelt image list`) the sandbox's / comes from for assignments whose "
	  "lifebelt.json names none; empty: the host's own /usr", 0 },
	{ NULL, NULL, NULL, 0 }
};

const struct config_key *config_key_find(const char *name)
{
	const struct config_key *k;

	for (k = config_keys; k->name; k++)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}

/*
 * GitHub's tokens travel to github.api_url: over TLS, or in clear only to
 * this machine (a stand-in for GitHub, or a proxy on the host).
 */
static int api_url_check(const char *value)
{
	static const char *const local[] = { "http://127.0.0.1", "http://localhost", "http://[::1]", NULL };
	int i;

	if (value[strlen(value) - 1] == '/')
		return error("github.api_url must not end with '/'");
	if (!strncmp(value, "https://", 8) && value[8])
		return 0;
	for (i = 0; local[i]; i++) {
		size_t n = strlen(local[i]);

		if (!strncmp(value, local[i], n) && (!value[n] || value[n] == ':' || value[n] == '/'))
			return 0;
	}
	return error("github.api_url must start with https:// (http:// only to 127.0.0.1), not '%s'",
		     value);
}

int config_check(const struct config_key *k, const char *value)
{
	const char *p;

	if (k->max) {
		int64_t v;

		if (number_parse(value, 1, k->max, &v))
			return error("%s must be a whole number from 1 to %lld, not '%s'", k->name,
				     k->max, value);
		return 0;
	}
	if (!strcmp(k->name, "sandbox.image"))
		return !*value || !name_valid(value) ? 0 :
		       error("sandbox.image must be an image's name (lifebelt image list) or empty, not '%s'",
			     value);
	if (!strncmp(k->name, "slurm.", 6) && strcmp(k->name, "slurm.command"))
		return strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
		       strlen(value) && *value != '-' ? 0 :
		       error("%s must be a Slurm name (letters, digits, '.', '_', '-') or empty, not '%s'",
			     k->name, value);
	if (!*value)
		return error("%s must not be empty", k->name);
	for (p = value; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '<' || *p == '>')
			return error("%s must not contain spaces, quotes or control characters", k->name);
	if (!strcmp(k->name, "web.url") || !strcmp(k->name, "github.git_url")) {
		if (strncmp(value, "http://", 7) && strncmp(value, "https://", 8))
			return error("%s must start with http:// or https://, not '%s'", k->name, value);
		if (!strcmp(k->name, "github.git_url") && strchr(value, '@'))
			return error("github.git_url must not hold a user or password: keep the "
				     "token with `lifebelt github token FILE`");
	} else if (!strcmp(k->name, "runner.executor")) {
		if (strcmp(value, "bwrap") && strcmp(value, "docker") && strcmp(value, "slurm"))
			return error("runner.executor must be bwrap, docker or slurm, not '%s'", value);
	} else if (!strcmp(k->name, "github.ssh_url")) {
		if (strncmp(value, "ssh://", 6))
			return error("%s must start with ssh://, not '%s'", k->name, value);
	} else if (!strcmp(k->name, "github.api_url")) {
		return api_url_check(value);
	} else {
		return 0;
	}
	/* A URL that paths are appended to. */
	if (value[strlen(value) - 1] == '/')
		return error("%s must not end with '/'", k->name);
	return 0;
}

int db_setting_get(struct db *db, const char *key, struct buf *out)
{
	return db_str(db, out, "SELECT value FROM settings WHERE key = ?", "t", key);
}

int db_setting_set(struct db *db, const char *key, const char *value)
{
	int rc = db_exec(db, "INSERT INTO settings (key, value) VALUES (?, ?) "
			 "ON CONFLICT (key) DO UPDATE SET value = excluded.value", "tt", key, value);

	return rc < 0 ? rc : 0;
}

/* The table's entry for key, which the code must only ask of known settings. */
static const struct config_key *known(const char *key)
{
	const struct config_key *k = config_key_find(key);

	if (!k)
		die("BUG: unknown setting %s", key);
	return k;
}

void db_config_get(struct db *db, const char *key, struct buf *out)
{
	const struct config_key *k = known(key);

	if (db_setting_get(db, key, out))
		buf_adds(out, k->def);
}

int64_t db_config_int(struct db *db, const char *key)
{
	int64_t v;

	db_config_ints(db, &key, &v, 1);
	return v;
}

void db_config_ints(struct db *db, const char *const *keys, int64_t *out, int n)
{
	sqlite3_stmt *st = db ? db_query(db, "SELECT key, value FROM settings", "") : NULL;
	int i;

	for (i = 0; i < n; i++)
		out[i] = strtoll(known(keys[i])->def, NULL, 10);
	while (st && db_step(db, st) == SQLITE_ROW)
		for (i = 0; i < n; i++)
			if (!strcmp(db_text(st, 0), keys[i]))
				out[i] = strtoll(db_text(st, 1), NULL, 10);
	db_done(db, st);
}
