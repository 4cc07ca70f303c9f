/* cmd-backup-copy.c: copying a data directory that is in use, and checking repositories. */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "backup.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/giterr.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/banned.h"

struct copy {
	struct copy_stats *st;
	int objects;            /* leave push quarantines out */
	int again;              /* a further pass: what the copy has already is kept */
};

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && !strcmp(s + n - m, tail);
}

/* Entries no copy wants: git's locks, and the quarantines of pushes under way. */
static int left_out(const struct copy *c, const char *name)
{
	if (ends_with(name, ".lock") || strstr(name, ".push.tmp."))
		return 1;  /* a spooled push still being written is in no state to import */
	return c->objects && (!strncmp(name, "tmp_objdir-", 11) || !strncmp(name, "incoming-", 9));
}

static void keep_attrs(int fd, const struct stat *s)
{
	struct timespec t[2] = { s->st_atim, s->st_mtim };

	/* The data is what matters: a failed chown leaves the owner that runs this. */
	if (geteuid() == 0)
		(void)!fchown(fd, s->st_uid, s->st_gid);
	fchmod(fd, s->st_mode & 07777);
	futimens(fd, t);
}

/* A directory's mode and times, set once everything is in it. */
static void keep_dir_attrs(const char *dir, const struct stat *s)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		keep_attrs(fd, s);
		close(fd);
	}
}

/*
 * A reflog is appended to while it is copied: only whole lines are kept,
 * so that the copy parses.
 */
static int is_reflog(const char *path)
{
	return strstr(path, "/logs/") != NULL;
}

static int copy_file(const struct copy *c, const char *src, const char *dst)
{
	struct stat s;
	struct buf data = BUF_INIT;
	int in, out = -1, ret = -1;

	in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return errno == ENOENT ? 0 : error_errno("cannot read %s", src);
	if (fstat(in, &s)) {
		error_errno("cannot read %s", src);
		goto done;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0) {
		error_errno("cannot create %s", dst);
		goto done;
	}
	if (is_reflog(src)) {
		char *nl;

		if (buf_read_fd(&data, in) < 0) {
			error_errno("cannot read %s", src);
			goto done;
		}
		nl = memrchr(data.buf, '\n', data.len);
		buf_setlen(&data, nl ? (size_t)(nl - data.buf) + 1 : 0);
		if (fs_write_all(out, data.buf, data.len)) {
			error_errno("cannot write %s", dst);
			goto done;
		}
		c->st->bytes += data.len;
	} else {
		for (;;) {
			ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);

			if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
				      errno == EOPNOTSUPP)) {
				char chunk[65536];

				n = read(in, chunk, sizeof(chunk));
				if (n > 0 && fs_write_all(out, chunk, (size_t)n))
					n = -1;
			}
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				error_errno("cannot copy %s to %s", src, dst);
				goto done;
			}
			if (!n)
				break;
			c->st->bytes += n;
		}
	}
	keep_attrs(out, &s);
	c->st->files++;
	ret = 0;
done:
	if (out >= 0 && close(out) && !ret)
		ret = error_errno("cannot write %s", dst);
	close(in);
	buf_release(&data);
	return ret;
}

static int copy_entry(const struct copy *c, const char *src, const char *dst);

static int copy_dir(const struct copy *c, const char *src, const char *dst, const struct stat *s)
{
	struct buf from = BUF_INIT, to = BUF_INIT;
	char **names;
	size_t i;
	int ret = 0;

	if (mkdir(dst, 0700) && !(c->again && errno == EEXIST))
		return error_errno("cannot create %s", dst);
	if (!(names = fs_list_dir(src)))
		return errno == ENOENT ? 0 : error_errno("cannot read %s", src);
	for (i = 0; names[i] && !ret; i++) {
		if (left_out(c, names[i]))
			continue;
		buf_reset(&from);
		buf_reset(&to);
		buf_addf(&from, "%s/%s", src, names[i]);
		buf_addf(&to, "%s/%s", dst, names[i]);
		ret = copy_entry(c, from.buf, to.buf);
	}
	fs_list_free(names);
	keep_dir_attrs(dst, s);
	buf_release(&from);
	buf_release(&to);
	return ret;
}

static int copy_entry(const struct copy *c, const char *src, const char *dst)
{
	struct stat s, d;
	struct buf target = BUF_INIT;
	ssize_t n;

	if (lstat(src, &s))
		return errno == ENOENT ? 0 : error_errno("cannot read %s", src);
	if (S_ISDIR(s.st_mode))
		return copy_dir(c, src, dst, &s);
	if (c->again && !lstat(dst, &d))
		return 0;
	if (S_ISREG(s.st_mode))
		return copy_file(c, src, dst);
	if (!S_ISLNK(s.st_mode))
		return 0;  /* sockets and fifos (the runner's wake-up) are not data */
	buf_grow(&target, (size_t)s.st_size + 1);
	n = readlink(src, target.buf, (size_t)s.st_size + 1);
	if (n < 0 || n > s.st_size) {
		buf_release(&target);
		return errno == ENOENT ? 0 : error_errno("cannot read link %s", src);
	}
	buf_setlen(&target, (size_t)n);
	if (symlink(target.buf, dst)) {
		buf_release(&target);
		return error_errno("cannot create %s", dst);
	}
	buf_release(&target);
	c->st->files++;
	return 0;
}

int backup_find_repos(const char *top, const char *rel, struct repo_paths *out)
{
	struct buf dir = BUF_INIT, sub = BUF_INIT, path = BUF_INIT;
	char **names;
	size_t i;
	int ret = 0;

	buf_addf(&dir, "%s%s%s", top, *rel ? "/" : "", rel);
	if (!(names = fs_list_dir(dir.buf))) {
		ret = errno == ENOENT ? 0 : error_errno("cannot read %s", dir.buf);
		goto done;
	}
	for (i = 0; names[i] && !ret; i++) {
		buf_reset(&sub);
		buf_reset(&path);
		buf_addf(&sub, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		buf_addf(&path, "%s/%s", top, sub.buf);
		if (!fs_is_dir(path.buf))
			continue;
		if (strlen(names[i]) > 4 && !strcmp(names[i] + strlen(names[i]) - 4, ".git")) {
			ALLOC_GROW(out->items, out->nr + 1, out->alloc);
			out->items[out->nr++] = xstrdup(sub.buf);
		} else {
			ret = backup_find_repos(top, sub.buf, out);
		}
	}
	fs_list_free(names);
done:
	buf_release(&dir);
	buf_release(&sub);
	buf_release(&path);
	return ret;
}

void repo_paths_release(struct repo_paths *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free(l->items[i]);
	free(l->items);
	l->nr = l->alloc = 0;
	l->items = NULL;
}

int backup_copy_tree(const char *src, const char *dst, struct copy_stats *st)
{
	struct copy c = { st, 0, 0 };

	return copy_entry(&c, src, dst);
}

/*
 * Refs before objects: a push writes its objects, then its ref. Every ref
 * read here points into objects that exist by then, and objects are only
 * ever added (a repack writes the new pack before it deletes what it
 * holds), so the objects copied after it hold every ref's history, but
 * for what a repack moved between our listing and our reading: the check
 * afterwards sees that, and another pass copies what is there now.
 */
int backup_copy_repo(const char *src, const char *dst, struct copy_stats *st)
{
	struct copy c = { st, 0, 0 };
	struct buf from = BUF_INIT, to = BUF_INIT, problems = BUF_INIT;
	struct stat s;
	char **names;
	size_t i;
	int pass, ret = -1;

	if (lstat(src, &s) || !S_ISDIR(s.st_mode))
		return error("no repository at %s", src);
	if (mkdir(dst, 0700))
		return error_errno("cannot create %s", dst);
	if (!(names = fs_list_dir(src)))
		return error_errno("cannot read %s", src);
	/*
	 * refs/ before packed-refs: `git pack-refs` writes a ref into
	 * packed-refs before it deletes the loose file, so one of the two
	 * copies has it.
	 */
	buf_addf(&from, "%s/refs", src);
	buf_addf(&to, "%s/refs", dst);
	if (copy_entry(&c, from.buf, to.buf))
		goto done;
	for (i = 0; names[i]; i++) {
		if (!strcmp(names[i], "objects") || !strcmp(names[i], "refs") ||
		    left_out(&c, names[i]))
			continue;
		buf_reset(&from);
		buf_reset(&to);
		buf_addf(&from, "%s/%s", src, names[i]);
		buf_addf(&to, "%s/%s", dst, names[i]);
		if (copy_entry(&c, from.buf, to.buf))
			goto done;
	}
	buf_reset(&from);
	buf_reset(&to);
	buf_addf(&from, "%s/objects", src);
	buf_addf(&to, "%s/objects", dst);
	c.objects = 1;
	for (pass = 0; pass < 5; pass++) {
		if (copy_entry(&c, from.buf, to.buf))
			goto done;
		c.again = 1;
		buf_reset(&problems);
		if (!backup_repo_check(dst, &problems))
			break;
	}
	if (pass == 5) {
		buf_rtrim(&problems);
		error("the copy of %s stays incomplete: %s", src, problems.buf);
		goto done;
	}
	keep_dir_attrs(dst, &s);
	st->repos++;
	ret = 0;
done:
	fs_list_free(names);
	buf_release(&from);
	buf_release(&to);
	buf_release(&problems);
	return ret;
}

/* The objects seen in one check, an open-addressing set. */
struct oidset {
	size_t nr, alloc;
	git_oid *slots;
	unsigned char *used;
};

static size_t oidset_hash(const git_oid *id)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	return h;
}

/* 1 if id was in the set already; else adds it and returns 0. */
static int oidset_add(struct oidset *s, const git_oid *id)
{
	size_t i;

	if (2 * (s->nr + 1) > s->alloc) {
		struct oidset bigger = { 0, s->alloc ? 2 * s->alloc : 256, NULL, NULL };

		bigger.slots = xcalloc(bigger.alloc, sizeof(*bigger.slots));
		bigger.used = xcalloc(bigger.alloc, 1);
		for (i = 0; i < s->alloc; i++)
			if (s->used[i])
				oidset_add(&bigger, &s->slots[i]);
		free(s->slots);
		free(s->used);
		*s = bigger;
	}
	for (i = oidset_hash(id) & (s->alloc - 1); s->used[i]; i = (i + 1) & (s->alloc - 1))
		if (!git_oid_cmp(&s->slots[i], id))
			return 1;
	s->used[i] = 1;
	s->slots[i] = *id;
	s->nr++;
	return 0;
}

struct check {
	git_repository *repo;
	git_odb *odb;
	struct oidset seen;
	struct buf *problems;
	const char *ref;        /* the ref being walked, for the report */
	int nr;
};

/* At most this many problems are listed per repository: one is enough to act on. */
#define CHECK_SHOWN 5

static void problem(struct check *ck, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct check *ck, const char *fmt, ...)
{
	va_list ap;

	if (++ck->nr > CHECK_SHOWN)
		return;
	va_start(ap, fmt);
	buf_vaddf(ck->problems, fmt, ap);
	va_end(ap);
	buf_addch(ck->problems, '\n');
}

static int check_tree(struct check *ck, const git_oid *id)
{
	git_tree *tree;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i, n;

	if (oidset_add(&ck->seen, id))
		return 0;
	if (git_tree_lookup(&tree, ck->repo, id)) {
		problem(ck, "tree %s missing (reached from %s)", git_oid_tostr(hex, sizeof(hex), id),
			ck->ref);
		return 0;
	}
	n = git_tree_entrycount(tree);
	for (i = 0; i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const git_oid *eid = git_tree_entry_id(e);

		switch (git_tree_entry_type(e)) {
		case GIT_OBJECT_TREE:
			check_tree(ck, eid);
			break;
		case GIT_OBJECT_BLOB:
			if (!oidset_add(&ck->seen, eid) && !git_odb_exists(ck->odb, eid))
				problem(ck, "blob %s missing (%s in %s)",
					git_oid_tostr(hex, sizeof(hex), eid), git_tree_entry_name(e), ck->ref);
			break;
		default:
			break;  /* a submodule's commit lives elsewhere */
		}
	}
	git_tree_free(tree);
	return 0;
}

static void check_history(struct check *ck, const git_oid *tip)
{
	git_revwalk *walk = NULL;
	git_oid id;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	if (git_revwalk_new(&walk, ck->repo))
		goto fail;
	git_revwalk_sorting(walk, GIT_SORT_NONE);
	if (git_revwalk_push(walk, tip)) {
		problem(ck, "commit %s missing (the tip of %s)", git_oid_tostr(hex, sizeof(hex), tip),
			ck->ref);
		goto done;
	}
	while (!(rc = git_revwalk_next(&id, walk))) {
		git_commit *commit;

		if (git_commit_lookup(&commit, ck->repo, &id)) {
			problem(ck, "commit %s missing (in %s)", git_oid_tostr(hex, sizeof(hex), &id),
				ck->ref);
			continue;
		}
		check_tree(ck, git_commit_tree_id(commit));
		git_commit_free(commit);
	}
	if (rc != GIT_ITEROVER)
		goto fail;
	goto done;
fail:
	problem(ck, "history of %s incomplete: %s", ck->ref, git_last_message());
done:
	git_revwalk_free(walk);
}

int backup_repo_check(const char *path, struct buf *problems)
{
	struct check ck;
	git_reference_iterator *it = NULL;
	git_reference *ref;
	int rc;

	memset(&ck, 0, sizeof(ck));
	ck.problems = problems;
	git_libgit2_init();
	if (git_repository_open_bare(&ck.repo, path) || git_repository_odb(&ck.odb, ck.repo) ||
	    git_reference_iterator_new(&it, ck.repo)) {
		buf_addf(problems, "cannot be opened: %s\n", git_last_message());
		ck.nr = -1;
		goto done;
	}
	while (!(rc = git_reference_next(&ref, it))) {
		git_reference *direct = NULL;

		ck.ref = git_reference_name(ref);
		if (git_reference_resolve(&direct, ref))
			problem(&ck, "%s cannot be read: %s", ck.ref, git_last_message());
		else
			check_history(&ck, git_reference_target(direct));
		git_reference_free(direct);
		git_reference_free(ref);
	}
	if (rc != GIT_ITEROVER)
		problem(&ck, "refs cannot be read: %s", git_last_message());
	if (ck.nr > CHECK_SHOWN)
		buf_addf(problems, "%d more problems\n", ck.nr - CHECK_SHOWN);
done:
	git_reference_iterator_free(it);
	git_odb_free(ck.odb);
	git_repository_free(ck.repo);
	git_libgit2_shutdown();
	free(ck.seen.slots);
	free(ck.seen.used);
	return ck.nr;
}

void backup_lock_hold(void)
{
	struct buf path = BUF_INIT;
	int fd;

	/*
	 * Blocking: `restore` and `fsck --repair` only try the lock for a
	 * moment. A data directory where the lock cannot be made (read-only)
	 * runs all the same: they just cannot tell it is in use.
	 */
	home_path(&path, "%s", BACKUP_LOCK);
	fd = open(path.buf, O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_SH)) {
		warning("cannot lock %s (%s): `lifebelt restore` will not see that this runs",
			path.buf, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	buf_release(&path);
	/* fd stays open, and the lock held, until the process ends. */
}

int backup_home_busy(const char *dir)
{
	struct buf path = BUF_INIT;
	int fd, busy = 0;

	buf_addf(&path, "%s/%s", dir, BACKUP_LOCK);
	fd = open(path.buf, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		busy = flock(fd, LOCK_EX | LOCK_NB) != 0;
		close(fd);
	}
	buf_release(&path);
	return busy;
}

void backup_human(struct buf *out, int64_t bytes)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (!u)
		buf_addf(out, "%lld bytes", (long long)bytes);
	else
		buf_addf(out, "%.1f %s", v, units[u]);
}

void backup_progress(const char *what, int64_t n, int64_t total)
{
	static time_t last;
	time_t now = time(NULL);

	if (!isatty(2) || (now == last && n < total))
		return;
	last = now;
	fprintf(stderr, "%s: %lld/%lld\r%s", what, (long long)n, (long long)total,
		n >= total ? "\n" : "");
}
