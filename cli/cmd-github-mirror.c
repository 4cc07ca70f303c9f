/* cmd-github-mirror.c: `lifebelt github token|key|known-hosts|sync`, the mirror's credentials and its catch-up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "cli.h"
#include "../db/mirror.h"
#include "../db/model.h"
#include "../gitd/github.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/crypto.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

/* Keep a secret, wiping the caller's copy whatever happens; 0 or -1. */
static int keep(const char *name, struct buf *secret)
{
	int rc = github_secret_write(name, secret->buf, secret->len);

	github_secret_release(secret);
	return rc;
}

int cmd_github_token(int argc, const char **argv)
{
	const char *pos[1];
	struct buf token = BUF_INIT;
	struct db *db;
	size_t i;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 1, 1) || cli_open_db(&db))
		return -1;
	db_close(db);
	if (github_secret_load(pos[0], "token", &token))
		goto fail;
	for (i = 0; i < token.len; i++)
		if ((unsigned char)token.buf[i] <= 0x20 || (unsigned char)token.buf[i] >= 0x7f) {
			error("the token holds a space or a character GitHub's tokens do not have: "
			      "give the token alone, as GitHub showed it");
			goto fail;
		}
	if (keep(GITHUB_SECRET_TOKEN, &token))
		return -1;
	printf("GitHub token kept; the mirror fetches over HTTPS with it from now on\n");
	return 0;
fail:
	github_secret_release(&token);
	return -1;
}

#define OPENSSH_BEGIN "-----BEGIN OPENSSH PRIVATE KEY-----"
#define OPENSSH_MAGIC "openssh-key-v1"

/*
 * An OpenSSH private key names its cipher in the clear after the magic
 * (PROTOCOL.key): "none" unless a passphrase protects it. 1 if one does.
 */
static int openssh_key_locked(const struct buf *k)
{
	struct buf b64 = BUF_INIT, raw = BUF_INIT;
	const char *p = k->buf + strlen(OPENSSH_BEGIN), *end = strstr(p, "-----END");
	size_t magic = strlen(OPENSSH_MAGIC) + 1;
	int locked = 0;

	for (; end && p < end; p++)
		if (*p != '\n' && *p != '\r' && *p != ' ')
			buf_addch(&b64, *p);
	if (!crypto_base64_decode(&raw, b64.buf, b64.len) && raw.len > magic + 4 &&
	    !memcmp(raw.buf, OPENSSH_MAGIC, magic)) {
		const unsigned char *u = (const unsigned char *)raw.buf + magic;
		size_t n = ((size_t)u[0] << 24) | ((size_t)u[1] << 16) | ((size_t)u[2] << 8) | u[3];

		locked = n > raw.len - magic - 4 || n != 4 || memcmp(u + 4, "none", 4);
	}
	buf_release(&b64);
	github_secret_release(&raw);
	return locked;
}

/* A private key, unencrypted, in a format libssh2 reads? 0, or -1 with one line said. */
static int check_private_key(const struct buf *k, const char *file)
{
	if (!strncmp(k->buf, "ssh-", 4) || !strncmp(k->buf, "ecdsa-", 6) || !strncmp(k->buf, "sk-", 3))
		return error("%s holds a public key: give the private key whose public half is the "
			     "repository's deploy key on GitHub", file);
	if (strncmp(k->buf, "-----BEGIN ", 11) || !strstr(k->buf, "PRIVATE KEY-----"))
		return error("%s is not a private key (-----BEGIN ... PRIVATE KEY-----): make one with "
			     "ssh-keygen -t ed25519 -N '' -f FILE", file);
	if (strstr(k->buf, "ENCRYPTED") ||
	    (!strncmp(k->buf, OPENSSH_BEGIN, strlen(OPENSSH_BEGIN)) && openssh_key_locked(k)))
		return error("%s is protected by a passphrase: the mirror runs unattended, so give "
			     "a key without one (ssh-keygen -p -N '' -f FILE)", file);
	return 0;
}

int cmd_github_key(int argc, const char **argv)
{
	const char *pos[4];
	struct buf path = BUF_INIT, key = BUF_INIT, name = BUF_INIT;
	struct assignment a;
	struct repo_info r;
	struct db *db = NULL;
	int rc, ret = -1;

	memset(&a, 0, sizeof(a));
	memset(&r, 0, sizeof(r));
	if (parse_args(current_cmd(), argc, argv, NULL, pos, 4, 4) ||
	    name_check("course", pos[0]) || name_check("assignment", pos[1]) ||
	    name_check("login", pos[2]) || cli_open_db(&db))
		return -1;
	rc = db_assignment_get(db, pos[0], pos[1], &a);
	if (rc == DB_ENOTFOUND)
		error("no assignment %s/%s", pos[0], pos[1]);
	if (rc)
		goto done;
	buf_addf(&path, "%s/%s/%s.git", pos[0], pos[1], pos[2]);
	rc = db_repo_by_path(db, path.buf, &r);
	if (rc == DB_ENOTFOUND)
		error("%s has no repository for %s/%s: enrol them as a student of %s first",
		      pos[2], pos[0], pos[1], pos[0]);
	if (rc)
		goto done;
	if (github_secret_load(pos[3], "deploy key", &key) ||
	    check_private_key(&key, !strcmp(pos[3], "-") ? "stdin" : pos[3]))
		goto done;
	buf_addch(&key, '\n');  /* PEM ends with a newline, which reading it dropped */
	github_deploy_key_name(&name, r.id);
	if (keep(name.buf, &key))
		goto done;
	printf("deploy key kept for %s/%s/%s: its GitHub repository is fetched over SSH from now on\n",
	       pos[0], pos[1], pos[2]);
	ret = 0;
done:
	github_secret_release(&key);
	buf_release(&path);
	buf_release(&name);
	assignment_release(&a);
	repo_info_release(&r);
	db_close(db);
	return ret;
}

int cmd_github_known_hosts(int argc, const char **argv)
{
	const char *pos[1];
	struct buf text = BUF_INIT, why = BUF_INIT;
	struct db *db;
	int ret = -1;

	if (parse_args(current_cmd(), argc, argv, NULL, pos, 1, 1) || cli_open_db(&db))
		return -1;
	db_close(db);
	if (github_secret_load(pos[0], "known hosts", &text))
		goto done;
	if (github_known_hosts_check(text.buf, &why)) {
		error("%s: %s", !strcmp(pos[0], "-") ? "stdin" : pos[0], why.buf);
		goto done;
	}
	buf_addch(&text, '\n');
	if (github_secret_write(GITHUB_SECRET_KNOWN_HOSTS, text.buf, text.len))
		goto done;
	printf("known hosts kept: the mirror trusts only these keys over SSH\n");
	ret = 0;
done:
	buf_release(&text);
	buf_release(&why);
	return ret;
}

/* The mapped repositories of one assignment, read before any is fetched. */
struct sync_list {
	size_t nr, alloc;
	struct sync_item {
		int64_t id;
		char *login, *github_repo;
	} *items;
};

static int collect(const struct mirror_repo *r, void *data)
{
	struct sync_list *l = data;

	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	l->items[l->nr].id = r->id;
	l->items[l->nr].login = xstrdup(r->login);
	l->items[l->nr].github_repo = xstrdup(r->github_repo);
	l->nr++;
	return 0;
}

/*
 * One repository: fetched and recorded at the receive time of its newest
 * delivery not fetched yet (a missed or failed one), else now; those
 * deliveries are then done. Prints one line; 0 or -1.
 */
static int sync_one(struct db *db, const struct sync_item *it, size_t i, size_t n)
{
	struct buf why = BUF_INIT;
	char commit[GITHUB_OID_HEX + 1];
	const char *what;
	int64_t received;
	int rc;

	if (db_deliveries_pending_received(db, it->id, &received))
		received = time_now();
	rc = github_mirror(db, it->id, received, &why);
	if (rc) {
		printf("[%zu/%zu] %s (%s): not fetched: %s\n", i + 1, n, it->login, it->github_repo,
		       why.buf);
	} else {
		what = github_mirrored(&why, commit);
		printf("[%zu/%zu] %s (%s): %s\n", i + 1, n, it->login, it->github_repo, what);
		if (db_deliveries_settle(db, it->id, commit, what) < 0)
			rc = error("%s: fetched, but its deliveries could not be marked done; "
				   "run this again", it->login);
	}
	fflush(stdout);
	buf_release(&why);
	return rc;
}

int cmd_github_sync(int argc, const char **argv)
{
	const char *pos[2];
	struct sync_list l = { 0, 0, NULL };
	struct assignment a;
	struct db *db = NULL;
	size_t i, failed = 0;
	int rc, ret = -1;

	memset(&a, 0, sizeof(a));
	if (parse_args(current_cmd(), argc, argv, NULL, pos, 2, 2) ||
	    name_check("course", pos[0]) || name_check("assignment", pos[1]) || cli_open_db(&db))
		return -1;
	rc = db_assignment_get(db, pos[0], pos[1], &a);
	if (rc == DB_ENOTFOUND)
		error("no assignment %s/%s", pos[0], pos[1]);
	if (rc || db_mirror_repos_each(db, a.id, collect, &l))
		goto done;
	if (!l.nr) {
		error("no repository of %s/%s is mapped to GitHub: map them with `lifebelt github link`",
		      pos[0], pos[1]);
		goto done;
	}
	git_libgit2_init();
	for (i = 0; i < l.nr; i++)
		failed += sync_one(db, &l.items[i], i, l.nr) != 0;
	git_libgit2_shutdown();
	if (failed)
		error("%zu of %zu repositories were not fetched; nothing of them was recorded: "
		      "run this again once the reason above is fixed", failed, l.nr);
	else
		ret = 0;
done:
	for (i = 0; i < l.nr; i++) {
		free(l.items[i].login);
		free(l.items[i].github_repo);
	}
	free(l.items);
	assignment_release(&a);
	db_close(db);
	return ret;
}
