/* pre-receive.c: the course's rules, checked before git stores anything of a push. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "hook.h"
#include "record.h"
#include "../db/model.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

/* The caps when the database cannot say (the schema's defaults). */
#define DEFAULT_MAX_FILE_SIZE (5 << 20)
#define DEFAULT_MAX_FILES 1000

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();

	return error("%s: %s", what, e && e->message ? e->message : "unknown libgit2 error");
}

/* A set of object ids, so that a blob or tree shared by many commits is read once. */
struct oidset {
	size_t nr, alloc;
	git_oid *slot;          /* open addressing; an all-zero id marks a free slot */
};

static size_t oid_hash(const git_oid *id, size_t mask)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	return h & mask;
}

static int oid_is_zero(const git_oid *id)
{
	static const git_oid zero;

	return !memcmp(id, &zero, sizeof(zero));
}

/* Add id; 1 if it was new, 0 if already there. */
static int oidset_add(struct oidset *s, const git_oid *id)
{
	size_t i;

	if (2 * (s->nr + 1) > s->alloc) {
		struct oidset big = { 0, s->alloc ? 2 * s->alloc : 256, NULL };

		big.slot = calloc(big.alloc, sizeof(*big.slot));
		if (!big.slot)
			die("out of memory");
		for (i = 0; i < s->alloc; i++)
			if (!oid_is_zero(&s->slot[i]))
				oidset_add(&big, &s->slot[i]);
		free(s->slot);
		*s = big;
	}
	for (i = oid_hash(id, s->alloc - 1); !oid_is_zero(&s->slot[i]); i = (i + 1) & (s->alloc - 1))
		if (!git_oid_cmp(&s->slot[i], id))
			return 0;
	s->slot[i] = *id;
	s->nr++;
	return 1;
}

struct check {
	git_repository *repo;
	git_odb *odb;
	struct oidset seen;
	int64_t max_file_size, max_files;
	const char *ref;
};

static void format_size(struct buf *b, int64_t n)
{
	if (n >= (1 << 20))
		buf_addf(b, "%.1f MiB", (double)n / (1 << 20));
	else
		buf_addf(b, "%.1f KiB", (double)n / 1024);
}

/* Find a blob over the size cap in tree (at path prefix); 0 fine, 1 refused, -1 error. */
static int check_tree(struct check *c, const git_tree *tree, struct buf *path)
{
	size_t i, n = git_tree_entrycount(tree), base = path->len;
	int rc = 0;

	for (i = 0; i < n && !rc; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const git_oid *id = git_tree_entry_id(e);
		git_object_t type = git_tree_entry_type(e);

		if ((type != GIT_OBJECT_TREE && type != GIT_OBJECT_BLOB) || !oidset_add(&c->seen, id))
			continue;
		buf_setlen(path, base);
		buf_addf(path, "%s%s", base ? "/" : "", git_tree_entry_name(e));
		if (type == GIT_OBJECT_TREE) {
			git_tree *sub;

			if (git_tree_lookup(&sub, c->repo, id))
				return git_fail(path->buf);
			rc = check_tree(c, sub, path);
			git_tree_free(sub);
		} else {
			size_t size;
			git_object_t t;

			if (git_odb_read_header(&size, &t, c->odb, id))
				return git_fail(path->buf);
			if ((int64_t)size > c->max_file_size) {
				struct buf msg = BUF_INIT;

				buf_addf(&msg, "refusing %s: file %s is ", c->ref, path->buf);
				format_size(&msg, (int64_t)size);
				buf_adds(&msg, ", more than the ");
				format_size(&msg, c->max_file_size);
				buf_adds(&msg, " allowed per file");
				hook_say("%s", msg.buf);
				buf_release(&msg);
				rc = 1;
			}
		}
	}
	buf_setlen(path, base);
	return rc;
}

static int count_files(const char *root, const git_tree_entry *e, void *data)
{
	int64_t *left = data;

	(void)root;
	if (git_tree_entry_type(e) == GIT_OBJECT_BLOB && --*left < 0)
		return -1;  /* over the cap: stop walking */
	return 0;
}

/* Every commit the push brings (reachable from tip, not from any branch yet). */
static int check_new_commits(struct check *c, const git_oid *tip)
{
	git_revwalk *walk = NULL;
	git_oid id;
	int rc = 0, err;

	if (git_revwalk_new(&walk, c->repo) || git_revwalk_push(walk, tip))
		return git_fail("walking the pushed commits");
	git_revwalk_hide_glob(walk, "refs/heads/*");
	while (!rc && !(err = git_revwalk_next(&id, walk))) {
		git_commit *commit = NULL;
		git_tree *tree = NULL;
		struct buf path = BUF_INIT;

		if (git_commit_lookup(&commit, c->repo, &id) || git_commit_tree(&tree, commit))
			rc = git_fail("reading a pushed commit");
		else if (oidset_add(&c->seen, git_tree_id(tree)))
			rc = check_tree(c, tree, &path);
		git_tree_free(tree);
		git_commit_free(commit);
		buf_release(&path);
	}
	if (!rc && err != GIT_ITEROVER)
		rc = git_fail("walking the pushed commits");
	git_revwalk_free(walk);
	return rc;
}

/* One ref update; 0 accepted, 1 refused (said why), -1 error. */
static int check_update(struct check *c, const char *old_hex, const char *new_hex)
{
	git_oid old, new;
	git_commit *tip = NULL;
	git_tree *tree = NULL;
	int64_t left;
	int rc;

	if (strncmp(c->ref, "refs/heads/", 11)) {
		hook_say("refusing %s: only branches (refs/heads/...) can be pushed here", c->ref);
		return 1;
	}
	if (git_oid_fromstr(&old, old_hex) || git_oid_fromstr(&new, new_hex))
		return error("bad ref update line for %s", c->ref);
	if (oid_is_zero(&new)) {
		hook_say("refusing to delete %s: branches cannot be deleted here", c->ref);
		return 1;
	}
	if (!oid_is_zero(&old) && git_oid_cmp(&old, &new)) {
		rc = git_graph_descendant_of(c->repo, &new, &old);
		if (rc < 0)
			return git_fail("checking for a force push");
		if (!rc) {
			hook_say("refusing %s: a force push (non-fast-forward) would rewrite history "
				 "the server has; fetch, merge and push again", c->ref);
			return 1;
		}
	}
	if (git_commit_lookup(&tip, c->repo, &new) || git_commit_tree(&tree, tip)) {
		git_commit_free(tip);
		return git_fail("reading the pushed commit");
	}
	left = c->max_files;
	rc = git_tree_walk(tree, GIT_TREEWALK_PRE, count_files, &left);
	git_tree_free(tree);
	git_commit_free(tip);
	if (rc && left >= 0)
		return git_fail("counting the pushed files");
	if (left < 0) {
		hook_say("refusing %s: its commit holds more than %lld files, the most this "
			 "assignment allows", c->ref, (long long)c->max_files);
		return 1;
	}
	return check_new_commits(c, &new);
}

/* Closed for this student (after the close time, extension included)? Says so once. */
static int check_open(struct hook_ctx *h, int64_t now)
{
	int64_t close = record_close(h->db, &h->a, h->repo.person_id);
	struct buf msg = BUF_INIT;

	if (!close || now <= close)
		return 0;
	buf_addf(&msg, "refusing the push: %s/%s closed at ", h->a.course, h->a.name);
	time_format(&msg, close);
	buf_adds(&msg, " (it was due ");
	time_format(&msg, record_due(h->db, &h->a, h->repo.person_id));
	buf_adds(&msg, "); ask your teacher for an extension");
	hook_say("%s", msg.buf);
	buf_release(&msg);
	return 1;
}

int hook_pre_receive(struct hook_ctx *h)
{
	int64_t now = time_now();
	struct check c;
	char *line, *save = NULL;
	int refused = 0, rc = 0;

	memset(&c, 0, sizeof(c));
	if (h->pusher && strcmp(h->pusher, h->login)) {
		hook_say("refusing the push: this repository belongs to %s, not %s", h->login,
			 h->pusher);
		return 1;
	}
	if (h->db && check_open(h, now))
		return 1;
	c.max_file_size = h->db ? h->a.max_file_size : DEFAULT_MAX_FILE_SIZE;
	c.max_files = h->db ? h->a.max_files : DEFAULT_MAX_FILES;
	git_libgit2_init();
	/* From the environment: git points it at the quarantined objects of this push. */
	if (git_repository_open_ext(&c.repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL) ||
	    git_repository_odb(&c.odb, c.repo)) {
		rc = git_fail("cannot open the repository");
		goto done;
	}
	for (line = strtok_r(h->updates.buf, "\n", &save); line && rc >= 0;
	     line = strtok_r(NULL, "\n", &save)) {
		char old[80], new[80], ref[1024];

		if (sscanf(line, "%79s %79s %1023s", old, new, ref) != 3)
			continue;
		c.ref = ref;
		rc = check_update(&c, old, new);
		refused |= rc > 0;
	}
done:
	git_odb_free(c.odb);
	git_repository_free(c.repo);
	free(c.seen.slot);
	git_libgit2_shutdown();
	return rc < 0 || refused ? 1 : 0;
}
