/* pre-receive.c: the course's rules, checked before git stores anything of a push. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <git2.h>

#include "hook.h"
#include "objdir.h"
#include "record.h"
#include "../db/model.h"
#include "../db/teams.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/giterr.h"
#include "../lib/log.h"
#include "../lib/push.h"
#include "../lib/timeutil.h"
#include "../runner/checkout.h"
#include "../lib/banned.h"


/*
 * Git LFS replaces each file it tracks by a pointer like this one, of at
 * most 1024 bytes (its specification), and keeps the file elsewhere.
 */
#define LFS_POINTER "version https://git-lfs.github.com/spec/v1\n"
#define LFS_POINTER_MAX 1024
/* Warnings of one kind the student sees at most, for one push. */
#define MAX_WARNINGS 10

/* The server's push settings (lib/push.h), in their slots' order. */
#define PUSH_KEY_NAME(id, key, def, max, help) "push." key,
static const char *const push_keys[] = { PUSH_KEYS(PUSH_KEY_NAME) };
#undef PUSH_KEY_NAME

/*
 * What is known of an object already checked and found fine, so that a blob
 * or tree shared by many commits (or by many places of one tree, as in a
 * "git bomb") is read once.
 */
struct seen {
	git_oid id;             /* all zero: a free slot */
	int64_t files;          /* files under a tree, at most max_files + 1 */
	int depth;              /* directories nested in a tree (0: none) */
	unsigned flags;         /* SEEN_*: what a tree holds somewhere below it */
};

/* What the runner will not grade as the student meant it. */
#define SEEN_GITLINK 1  /* a submodule: the commit of another repository, no files */
#define SEEN_LFS 2      /* a .gitattributes that hands files to Git LFS (filter=lfs) */

struct seenmap {
	size_t nr, alloc;       /* open addressing, alloc a power of two */
	struct seen *slot;
};

static int oid_is_zero(const git_oid *id)
{
	static const git_oid zero;

	return !memcmp(id, &zero, sizeof(zero));
}

static size_t slot_of(const struct seenmap *m, const git_oid *id)
{
	size_t i, h;

	memcpy(&h, id->id, sizeof(h));
	for (i = h & (m->alloc - 1); !oid_is_zero(&m->slot[i].id); i = (i + 1) & (m->alloc - 1))
		if (!git_oid_cmp(&m->slot[i].id, id))
			break;
	return i;
}

static const struct seen *seen_find(const struct seenmap *m, const git_oid *id)
{
	size_t i;

	if (!m->alloc)
		return NULL;
	i = slot_of(m, id);
	return oid_is_zero(&m->slot[i].id) ? NULL : &m->slot[i];
}

/* Remember id (not there yet) with what was found under it. */
static void seen_add(struct seenmap *m, const git_oid *id, int64_t files, int depth,
		     unsigned flags)
{
	size_t i;

	if (2 * (m->nr + 1) > m->alloc) {
		struct seenmap big = { 0, m->alloc ? 2 * m->alloc : 256, NULL };

		big.slot = xcalloc(big.alloc, sizeof(*big.slot));
		for (i = 0; i < m->alloc; i++)
			if (!oid_is_zero(&m->slot[i].id))
				seen_add(&big, &m->slot[i].id, m->slot[i].files, m->slot[i].depth,
					 m->slot[i].flags);
		free(m->slot);
		*m = big;
	}
	i = slot_of(m, id);
	m->slot[i].id = *id;
	m->slot[i].files = files;
	m->slot[i].depth = depth;
	m->slot[i].flags = flags;
	m->nr++;
}

struct check {
	git_repository *repo;
	git_odb *odb;
	struct seenmap seen;
	int64_t max_file_size, max_files;
	int max_depth;
	const char *who;        /* what a refusal names: "refs/heads/main", "commit 1a2b3c4d5e6f" */
};

/* One ref update line of git's. */
struct update {
	git_oid old, new;
	git_oid commit;         /* what new is or, for a tag, points at (once checked) */
	char ref[1024];
};

static void format_size(struct buf *b, int64_t n)
{
	if (n >= (1 << 20))
		buf_addf(b, "%.1f MiB", (double)n / (1 << 20));
	else
		buf_addf(b, "%.1f KiB", (double)n / 1024);
}

/* Refuse a blob of size bytes over the cap; what names it ("file a/b.bin"). Returns 1. */
static int too_large(const struct check *c, const char *what, int64_t size)
{
	struct buf msg = BUF_INIT;

	buf_addf(&msg, "refusing %s: %s is ", c->who, what);
	format_size(&msg, size);
	buf_adds(&msg, ", more than the ");
	format_size(&msg, c->max_file_size);
	buf_adds(&msg, " allowed per file");
	hook_say("%s", msg.buf);
	buf_release(&msg);
	return 1;
}

/* Refuse a tree nested too deep, at path (shortened). Returns 1. */
static int too_deep(const struct check *c, const struct buf *path)
{
	hook_say("refusing %s: its directories are nested more than %d deep (at %.60s%s); "
		 "keep the tree flatter", c->who, c->max_depth, path->buf, path->len > 60 ? "..." : "");
	return 1;
}

/* A blob found at what ("file a/b.bin") under the size cap? 0 fine, 1 refused, -1 error. */
static int check_blob(struct check *c, const git_oid *id, const char *what)
{
	size_t size;
	git_object_t type;

	if (seen_find(&c->seen, id))
		return 0;
	if (git_odb_read_header(&size, &type, c->odb, id))
		return git_fail(what);
	if ((int64_t)size > c->max_file_size)
		return too_large(c, what, (int64_t)size);
	seen_add(&c->seen, id, 1, 0, 0);
	return 0;
}

/* SEEN_LFS if the blob id, a .gitattributes, hands files to Git LFS. */
static unsigned lfs_attributes(struct check *c, const git_oid *id)
{
	git_odb_object *o = NULL;
	unsigned flag = 0;

	if (!git_odb_read(&o, c->odb, id) &&
	    memmem(git_odb_object_data(o), git_odb_object_size(o), "filter=lfs", 10))
		flag = SEEN_LFS;
	git_odb_object_free(o);
	return flag;
}

/* Is the blob id a Git LFS pointer? */
static int is_lfs_pointer(struct check *c, const git_oid *id)
{
	git_odb_object *o = NULL;
	git_object_t type;
	size_t size;
	int yes = 0;

	if (git_odb_read_header(&size, &type, c->odb, id) || size < strlen(LFS_POINTER) ||
	    size > LFS_POINTER_MAX)
		return 0;
	if (!git_odb_read(&o, c->odb, id))
		yes = !memcmp(git_odb_object_data(o), LFS_POINTER, strlen(LFS_POINTER));
	git_odb_object_free(o);
	return yes;
}

/*
 * Check the tree id found at path, level directories below its commit's
 * root: every file under the size cap, no directory nested deeper than the
 * cap or holding more directories than the file cap. Its number of files (at most max_files + 1) and nesting into *files
 * and *depth, what it holds (SEEN_*) into *flags. Recursion stops at the
 * depth cap. 0 fine, 1 refused (said why), -1 error.
 */
static int check_tree(struct check *c, const git_oid *id, struct buf *path, int level,
		      int64_t *files, int *depth, unsigned *flags)
{
	const struct seen *s = seen_find(&c->seen, id);
	git_tree *tree = NULL;
	size_t i, n, base = path->len;
	struct buf what = BUF_INIT;
	int64_t dirs = 0;
	int rc = 0;

	*files = 0;
	*depth = 0;
	*flags = 0;
	if (s) {
		*files = s->files;
		*depth = s->depth;
		*flags = s->flags;
		return level + s->depth > c->max_depth ? too_deep(c, path) : 0;
	}
	if (level > c->max_depth)
		return too_deep(c, path);
	if (git_tree_lookup(&tree, c->repo, id))
		return git_fail(path->len ? path->buf : "reading a pushed tree");
	n = git_tree_entrycount(tree);
	/* Empty directories hold no files, but each costs a checkout all the same. */
	for (i = 0; i < n; i++)
		dirs += git_tree_entry_type(git_tree_entry_byindex(tree, i)) == GIT_OBJECT_TREE;
	if (dirs > c->max_files) {
		hook_say("refusing %s: directory %s holds %lld directories, more than the %lld files "
			 "this assignment allows", c->who, path->len ? path->buf : "/",
			 (long long)dirs, (long long)c->max_files);
		git_tree_free(tree);
		return 1;
	}
	for (i = 0; i < n && !rc; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		git_object_t type = git_tree_entry_type(e);
		int64_t sub_files = 0;
		int sub_depth = 0;
		unsigned sub_flags = 0;

		if (type != GIT_OBJECT_TREE && type != GIT_OBJECT_BLOB) {
			*flags |= SEEN_GITLINK;  /* a submodule: nothing of it is here */
			continue;
		}
		buf_setlen(path, base);
		buf_addf(path, "%s%s", base ? "/" : "", git_tree_entry_name(e));
		if (type == GIT_OBJECT_TREE) {
			rc = check_tree(c, git_tree_entry_id(e), path, level + 1, &sub_files, &sub_depth,
					&sub_flags);
			sub_depth++;
		} else {
			buf_reset(&what);
			buf_addf(&what, "file %s", path->buf);
			rc = check_blob(c, git_tree_entry_id(e), what.buf);
			sub_files = 1;
			if (!rc && !strcmp(git_tree_entry_name(e), ".gitattributes"))
				sub_flags = lfs_attributes(c, git_tree_entry_id(e));
		}
		*flags |= sub_flags;
		/* Saturate: a git bomb's count overflows any integer. */
		*files = *files + sub_files > c->max_files ? c->max_files + 1 : *files + sub_files;
		if (sub_depth > *depth)
			*depth = sub_depth;
	}
	buf_setlen(path, base);
	if (!rc)
		seen_add(&c->seen, id, *files, *depth, *flags);
	git_tree_free(tree);
	buf_release(&what);
	return rc;
}

/* The tree of commit id, named "its commit" or "it" by refusals. 0, 1 refused or -1. */
static int check_commit(struct check *c, const git_oid *id, const char *it)
{
	git_commit *commit = NULL;
	struct buf path = BUF_INIT;
	int64_t files;
	int depth, rc;
	unsigned flags;

	if (git_commit_lookup(&commit, c->repo, id))
		return git_fail("reading a pushed commit");
	rc = check_tree(c, git_commit_tree_id(commit), &path, 0, &files, &depth, &flags);
	if (!rc && files > c->max_files) {
		hook_say("refusing %s: %s holds more than %lld files, the most this assignment allows",
			 c->who, it, (long long)c->max_files);
		rc = 1;
	}
	if (!rc && !seen_find(&c->seen, id))
		seen_add(&c->seen, id, files, depth, flags);
	git_commit_free(commit);
	buf_release(&path);
	return rc;
}

/* A commit's check, its refusals naming it by its abbreviated id. */
static int check_commit_named(struct check *c, const git_oid *id)
{
	const char *who = c->who;
	char hex[13];
	struct buf name = BUF_INIT;
	int rc;

	git_oid_tostr(hex, sizeof(hex), id);
	buf_addf(&name, "commit %s", hex);
	c->who = name.buf;
	rc = check_commit(c, id, "it");
	c->who = who;
	buf_release(&name);
	return rc;
}

/*
 * Every commit the push brings (reachable from a pushed tip, not from any
 * branch yet): one walk for the whole push, whatever its number of refs.
 */
static int check_new_commits(struct check *c, const struct update *u, size_t n)
{
	git_revwalk *walk = NULL;
	git_oid id;
	size_t i;
	int rc = 0, err = 0;

	if (git_revwalk_new(&walk, c->repo))
		return git_fail("walking the pushed commits");
	for (i = 0; i < n && !rc; i++)
		if (git_revwalk_push(walk, &u[i].commit))
			rc = git_fail("walking the pushed commits");
	if (!rc)
		git_revwalk_hide_glob(walk, "refs/heads/*");
	while (!rc && !(err = git_revwalk_next(&id, walk)))
		if (!seen_find(&c->seen, &id))
			rc = check_commit_named(c, &id);
	if (!rc && err != GIT_ITEROVER)
		rc = git_fail("walking the pushed commits");
	git_revwalk_free(walk);
	return rc;
}

struct oid_list {
	size_t nr, alloc;
	git_oid *ids;
};

static int collect_oid(const git_oid *id, void *data)
{
	struct oid_list *l = data;

	ALLOC_GROW(l->ids, l->nr + 1, l->alloc);
	l->ids[l->nr++] = *id;
	return 0;
}

/*
 * Every object the push brought that the walk did not reach: git keeps a
 * push's objects in a quarantine directory until pre-receive accepts it,
 * and a pack may carry objects no ref will reach (a large blob, a deep
 * tree), which would be stored all the same.
 */
static int check_quarantine(struct check *c)
{
	const char *dir = getenv("GIT_QUARANTINE_PATH");
	struct oid_list l = { 0, 0, NULL };
	git_odb *q = NULL;
	size_t i;
	int rc = 0;

	if (!dir || !*dir)
		return 0;  /* run by hand, or by a git without quarantines: the walk saw all */
	if (git_odb_open(&q, dir) || git_odb_foreach(q, collect_oid, &l)) {
		rc = git_fail("listing the pushed objects");
		goto done;
	}
	c->who = "the push";
	for (i = 0; i < l.nr && !rc; i++) {
		struct buf path = BUF_INIT;
		git_object_t type;
		size_t size;
		int64_t files;
		int depth;
		unsigned flags;

		if (seen_find(&c->seen, &l.ids[i]))
			continue;
		if (git_odb_read_header(&size, &type, c->odb, &l.ids[i]))
			rc = git_fail("reading a pushed object");
		else if (type == GIT_OBJECT_BLOB)
			rc = check_blob(c, &l.ids[i], "a file no branch uses");
		else if (type == GIT_OBJECT_TREE)
			rc = check_tree(c, &l.ids[i], &path, 0, &files, &depth, &flags);
		else if (type == GIT_OBJECT_COMMIT)
			rc = check_commit_named(c, &l.ids[i]);
		buf_release(&path);
	}
done:
	c->who = NULL;
	free(l.ids);
	git_odb_free(q);
	return rc;
}

static int is_branch(const char *ref)
{
	return !strncmp(ref, "refs/heads/", 11);
}

static int is_tag(const char *ref)
{
	return !strncmp(ref, "refs/tags/", 10);
}

/*
 * Refs that are neither branches nor tags (notes, remotes, refs/for/...).
 * git lets pre-receive take or refuse a push only as a whole, so each one
 * is named, and then that the branches and tags with them were not taken
 * either, with the command that pushes those alone. 0, or 1 refused.
 */
static int check_ref_names(const struct update *u, size_t n)
{
	struct buf good = BUF_INIT;
	size_t i, bad = 0, nr_good = 0;

	for (i = 0; i < n; i++) {
		if (is_branch(u[i].ref) || is_tag(u[i].ref)) {
			if (nr_good++ < MAX_WARNINGS)
				buf_addf(&good, " %s", u[i].ref + (is_tag(u[i].ref) ? 10 : 11));
			continue;
		}
		if (bad++ < MAX_WARNINGS)
			hook_say("refusing %s: only branches (refs/heads/...) and tags can be pushed here",
				 u[i].ref);
	}
	if (bad > MAX_WARNINGS)
		hook_say("refusing %zu more refs that are not branches or tags", bad - MAX_WARNINGS);
	if (bad && nr_good)
		hook_say("so nothing of this push was taken, its branches and tags neither; push them "
			 "alone: git push origin%s%s", good.buf, nr_good > MAX_WARNINGS ? " ..." : "");
	buf_release(&good);
	return bad ? 1 : 0;
}

/* The commit a pushed tag points at into u->commit. 0, 1 refused, -1 error. */
static int tag_commit(struct check *c, struct update *u)
{
	git_object *o = NULL, *peeled = NULL;
	int rc = 0;

	if (git_object_lookup(&o, c->repo, &u->new, GIT_OBJECT_ANY))
		return git_fail("reading a pushed tag");
	if (git_object_peel(&peeled, o, GIT_OBJECT_COMMIT)) {
		hook_say("refusing %s: it does not point at a commit; tag a commit", u->ref);
		rc = 1;
	} else {
		git_oid_cpy(&u->commit, git_object_id(peeled));
	}
	git_object_free(peeled);
	git_object_free(o);
	return rc;
}

/*
 * One ref update's own rules; 0 accepted, 1 refused (said why), -1 error.
 * Tags are taken, and graded no more than other branches are: a student's
 * `git push --follow-tags` must not cost the branch pushed with them.
 */
static int check_update(struct check *c, struct update *u)
{
	int rc;

	if (oid_is_zero(&u->new)) {
		hook_say("refusing to delete %s: %s cannot be deleted here", u->ref,
			 is_tag(u->ref) ? "tags" : "branches");
		return 1;
	}
	u->commit = u->new;
	if (is_tag(u->ref) && !oid_is_zero(&u->old) && git_oid_cmp(&u->old, &u->new)) {
		hook_say("refusing %s: tags cannot be moved here; tag again under a new name", u->ref);
		return 1;
	}
	if (is_tag(u->ref) && (rc = tag_commit(c, u)))
		return rc;
	if (is_branch(u->ref) && !oid_is_zero(&u->old) && git_oid_cmp(&u->old, &u->new)) {
		rc = git_graph_descendant_of(c->repo, &u->new, &u->old);
		if (rc < 0)
			return git_fail("checking for a force push");
		if (!rc) {
			hook_say("refusing %s: a force push (non-fast-forward) would rewrite history "
				 "the server has; fetch, merge and push again", u->ref);
			return 1;
		}
	}
	c->who = u->ref;
	rc = check_commit(c, &u->commit, "its commit");
	c->who = NULL;
	return rc;
}

/* git's "OLD NEW REF" lines into *out (free() it); refuses more than max refs. 0, 1 or -1. */
static int parse_updates(struct buf *lines, int64_t max, struct update **out, size_t *nr)
{
	char *line, *save = NULL;
	size_t n = 0;
	const char *p;

	*out = NULL;
	*nr = 0;
	for (p = lines->buf; (p = strchr(p, '\n')); p++)
		n++;
	if ((int64_t)n > max) {
		hook_say("refusing the push: it updates %zu branches, more than the %lld one push "
			 "may; push fewer branches at a time", n, (long long)max);
		return 1;
	}
	*out = xcalloc(n ? n : 1, sizeof(**out));
	for (line = strtok_r(lines->buf, "\n", &save); line && *nr < n;
	     line = strtok_r(NULL, "\n", &save)) {
		struct update *u = &(*out)[*nr];
		char old[80], new[80];

		if (sscanf(line, "%79s %79s %1023s", old, new, u->ref) != 3)
			continue;
		if (git_oid_fromstr(&u->old, old) || git_oid_fromstr(&u->new, new))
			return error("bad ref update line for %s", u->ref);
		++*nr;
	}
	return 0;
}

/* The refs matching glob into *nr (added); 0 or -1. */
static int count_refs(git_repository *repo, const char *glob, int64_t *nr)
{
	git_reference_iterator *it = NULL;
	const char *name;
	int err;

	if (git_reference_iterator_glob_new(&it, repo, glob))
		return git_fail("counting the branches");
	while (!(err = git_reference_next_name(&name, it)))
		++*nr;
	git_reference_iterator_free(it);
	return err == GIT_ITEROVER ? 0 : git_fail("counting the branches");
}

/*
 * Would the repository hold more than max branches (tags counted with
 * them) after these updates? 0, 1 refused, -1.
 */
static int check_branch_count(git_repository *repo, const struct update *u, size_t n, int64_t max)
{
	int64_t branches = 0, tags = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (oid_is_zero(&u[i].old) && !oid_is_zero(&u[i].new))
			++*(is_tag(u[i].ref) ? &tags : &branches);
	if (branches + tags == 0)
		return 0;
	if (count_refs(repo, "refs/heads/*", &branches) || count_refs(repo, "refs/tags/*", &tags))
		return -1;
	if (branches + tags > max) {
		hook_say("refusing the push: the repository would hold %lld branches%s, more than the "
			 "%lld allowed; push to the branches you have (they cannot be deleted here)",
			 (long long)(branches + tags), tags ? " and tags" : "", (long long)max);
		return 1;
	}
	return 0;
}

/*
 * The repository's objects with this push's (git keeps them in a directory
 * inside objects/ until the push is accepted) within max_mb? 0, 1 or -1.
 */
static int check_repo_size(int64_t max_mb)
{
	int64_t bytes;
	struct buf msg = BUF_INIT;

	if (objdir_usage("objects", &bytes, NULL))
		return error_errno("cannot measure the repository");
	if (bytes <= max_mb << 20)
		return 0;
	buf_adds(&msg, "refusing the push: the repository would hold ");
	format_size(&msg, bytes);
	buf_addf(&msg, ", more than the %lld MiB allowed; leave large and generated files out of "
		 "your commits, or ask your teacher for more room", (long long)max_mb);
	hook_say("%s", msg.buf);
	buf_release(&msg);
	return 1;
}

/*
 * What this push brought (git's quarantine of it) within max bytes, the
 * assignment's cap? git's own cap (receive.maxInputSize, which provisioning
 * sets above this one) cuts off only an upload far beyond it, and says no
 * number. graded: "refs/heads/main". 0, 1 refused or -1.
 */
static int check_push_size(int64_t max, const char *graded)
{
	const char *dir = getenv("GIT_QUARANTINE_PATH");
	int64_t bytes;
	struct buf msg = BUF_INIT;

	if (!dir || !*dir)
		return 0;
	if (objdir_usage(dir, &bytes, NULL))
		return errno == ENOENT ? 0 : error_errno("cannot measure the push");
	if (bytes <= max)
		return 0;
	buf_adds(&msg, "refusing the push: it carries ");
	format_size(&msg, bytes);
	buf_adds(&msg, ", more than the ");
	format_size(&msg, max);
	buf_addf(&msg, " one push may; take large or generated files out of the commits you push, "
		 "or push fewer commits at a time (git push origin HEAD~2:%s, then the rest)",
		 graded + 11);
	hook_say("%s", msg.buf);
	buf_release(&msg);
	return 1;
}

/*
 * Name, under the tree id at path, what the runner will not grade as meant:
 * submodules and, with lfs set, Git LFS pointers. Only a tree whose
 * .gitattributes hands files to Git LFS (as `git lfs track` writes it) is
 * searched for pointers, each small file read: that costs nothing to the
 * many pushes that never use LFS.
 */
static void warn_tree(struct check *c, const git_oid *id, struct buf *path, int lfs, int *said)
{
	const struct seen *s = seen_find(&c->seen, id);
	git_tree *tree = NULL;
	size_t i, n, base = path->len;

	if (!s || !(lfs || (s->flags & SEEN_GITLINK)) || *said >= MAX_WARNINGS ||
	    git_tree_lookup(&tree, c->repo, id))
		return;
	n = git_tree_entrycount(tree);
	for (i = 0; i < n && *said < MAX_WARNINGS; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		git_object_t type = git_tree_entry_type(e);

		buf_setlen(path, base);
		buf_addf(path, "%s%s", base ? "/" : "", git_tree_entry_name(e));
		if (type == GIT_OBJECT_TREE) {
			warn_tree(c, git_tree_entry_id(e), path, lfs, said);
		} else if (type == GIT_OBJECT_COMMIT) {
			hook_say("submodule %s is not graded: its files are not in this repository; "
				 "commit them instead", path->buf);
			++*said;
		} else if (lfs && is_lfs_pointer(c, git_tree_entry_id(e))) {
			hook_say("file %s is a Git LFS pointer, not the file: Lifebelt does not store Git "
				 "LFS files and grades the pointer; git lfs untrack the pattern that "
				 "covers it, then git rm --cached %s, git add it again, commit and push",
				 path->buf, path->buf);
			++*said;
		}
	}
	buf_setlen(path, base);
	git_tree_free(tree);
}

/* Warn of submodules and LFS pointers in the graded branch's new commit, if pushed. */
static void warn_graded(struct check *c, const struct update *u, size_t n, const char *graded)
{
	git_commit *commit = NULL;
	const struct seen *s;
	struct buf path = BUF_INIT;
	int said = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(u[i].ref, graded) && !oid_is_zero(&u[i].new))
			break;
	if (i == n || git_commit_lookup(&commit, c->repo, &u[i].commit))
		return;
	s = seen_find(&c->seen, git_commit_tree_id(commit));
	warn_tree(c, git_commit_tree_id(commit), &path, s && (s->flags & SEEN_LFS), &said);
	if (said == MAX_WARNINGS)
		hook_say("(at most %d such lines are shown)", MAX_WARNINGS);
	git_commit_free(commit);
	buf_release(&path);
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

static char too_long_msg[256];
static size_t too_long_len;

static void too_long(int sig)
{
	(void)sig;
	if (write(2, too_long_msg, too_long_len) < 0)
		_exit(1);
	_exit(1);
}

/*
 * Bound the hook: it refuses the push once it has taken seconds. git-receive-pack
 * waits for the hook even when its client has left (a failed keepalive ends
 * only its sideband thread), so this limit is what bounds a push abandoned
 * while it is checked. The hook also ends at once when git-receive-pack is
 * killed (the web server ending a request whose client left, an operator),
 * and SIGPIPE, which may come in ignored from whatever started git, ends it
 * when it writes to nobody.
 */
static void limit_time(int64_t seconds)
{
	struct sigaction sa;
	int n = snprintf(too_long_msg, sizeof(too_long_msg),
			 "refusing the push: the server took too long checking this push "
			 "(more than %lld seconds); push fewer branches or commits at a time\n",
			 (long long)seconds);

	too_long_len = n > 0 && (size_t)n < sizeof(too_long_msg) ? (size_t)n : 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = too_long;
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* A value stored before push.check_seconds had its bound is cut to it. */
	alarm(seconds > PUSH_CHECK_MAX ? PUSH_CHECK_MAX : (unsigned)seconds);
}

int hook_pre_receive(struct hook_ctx *h)
{
	int64_t now = time_now(), set[PUSH_NR];
	struct update *u = NULL;
	struct buf graded = BUF_INIT;
	struct check c;
	size_t i, n = 0;
	int rc = 0;

	memset(&c, 0, sizeof(c));
	db_config_ints(h->db, push_keys, set, PUSH_NR);
	limit_time(set[PUSH_CHECK_SECONDS]);
	hook_check_push_options();
	if (h->pusher && strcmp(h->pusher, h->login) &&
	    !(h->db && !db_team_repo_member(h->db, h->repo.id, h->pusher))) {
		hook_say("refusing the push: this repository belongs to %s, not %s", h->login,
			 h->pusher);
		return 1;
	}
	if (h->db && check_open(h, now))
		return 1;
	hook_graded_ref(h, &graded);
	rc = parse_updates(&h->updates, set[PUSH_REFS], &u, &n);
	if (!rc)
		rc = check_ref_names(u, n);
	if (rc) {
		free(u);
		buf_release(&graded);
		return 1;
	}
	objdir_sweep("objects", getenv("GIT_QUARANTINE_PATH"));
	/* Without a database, the caps an assignment has unless it says otherwise. */
	c.max_file_size = h->db ? h->a.max_file_size : PUSH_FILE_SIZE;
	c.max_files = h->db ? h->a.max_files : PUSH_FILES;
	/* The runner cannot check out deeper trees, whatever the setting says. */
	c.max_depth = set[PUSH_TREE_DEPTH] > CHECKOUT_MAX_DEPTH ? CHECKOUT_MAX_DEPTH :
		(int)set[PUSH_TREE_DEPTH];
	git_libgit2_init();
	/* From the environment: git points it at the quarantined objects of this push. */
	if (git_repository_open_ext(&c.repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL) ||
	    git_repository_odb(&c.odb, c.repo)) {
		rc = git_fail("cannot open the repository");
		goto done;
	}
	rc = check_branch_count(c.repo, u, n, set[PUSH_BRANCHES]);
	for (i = 0; i < n && !rc; i++)
		rc = check_update(&c, &u[i]);
	if (!rc)
		rc = check_new_commits(&c, u, n);
	if (!rc)
		rc = check_quarantine(&c);
	if (!rc)
		rc = check_push_size(h->db ? h->a.max_input_size : (int64_t)PUSH_INPUT_MB << 20,
				     graded.buf);
	if (!rc)
		rc = check_repo_size(set[PUSH_REPO_MB]);
	if (!rc)
		warn_graded(&c, u, n, graded.buf);
done:
	alarm(0);  /* decided: a late alarm must not turn an accepted push into a refused one */
	free(u);
	buf_release(&graded);
	git_odb_free(c.odb);
	git_repository_free(c.repo);
	free(c.seen.slot);
	git_libgit2_shutdown();
	return rc ? 1 : 0;  /* refused (said why) or failed (reported) */
}
