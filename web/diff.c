/* diff.c: the changes between two commits as HTML, within a budget, computed once per pair and shared. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "html.h"
#include "../lib/buf.h"
#include "../lib/giterr.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

/*
 * The budget of one computation. git's diff of two 1 MiB text files that
 * differ everywhere takes about 0.5 s, and grows faster than the size: so a
 * file larger than DIFF_FILE_MAX on either side is not diffed, nor any file
 * once DIFF_READ_MAX bytes have been, nor once DIFF_TIME_MAX has passed.
 */
#define DIFF_FILE_MAX   (256 << 10)
#define DIFF_READ_MAX   (1 << 20)
#define DIFF_TIME_MAX   (2 * 1000000)   /* microseconds */
#define DIFF_SHOW_MAX   (1 << 20)       /* HTML a page shows; the rest is cut */

#define CACHE_SLOTS     64
#define CACHE_BYTES     (32u << 20)
#define KEY_SIZE        (2 * GIT_OID_HEXSZ + 3)

struct kept {
	char key[KEY_SIZE];     /* "FROM..TO"; empty for a free slot */
	char *html;
	size_t len;
	unsigned long used;     /* when last served, for least-recently-used eviction */
};

/* The cache and the running computation, shared by every server thread. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct kept kept[CACHE_SLOTS];
static size_t kept_bytes;
static unsigned long clock_ticks;
static int running;

static struct kept *cache_find(const char *key)
{
	int i;

	for (i = 0; i < CACHE_SLOTS; i++)
		if (!strcmp(kept[i].key, key))
			return &kept[i];
	return NULL;
}

static void cache_drop(struct kept *k)
{
	kept_bytes -= k->len;
	free(k->html);
	memset(k, 0, sizeof(*k));
}

/* Keep html under key, evicting the least recently used until it fits; takes html over. */
static void cache_put(const char *key, char *html, size_t len)
{
	struct kept *free_slot, *old;
	int i;

	for (;;) {
		free_slot = old = NULL;
		for (i = 0; i < CACHE_SLOTS; i++) {
			if (!kept[i].key[0])
				free_slot = free_slot ? free_slot : &kept[i];
			else if (!old || kept[i].used < old->used)
				old = &kept[i];
		}
		if (free_slot && kept_bytes + len <= CACHE_BYTES)
			break;
		if (!old) {
			free(html);     /* larger than the whole cache */
			return;
		}
		cache_drop(old);
	}
	memcpy(free_slot->key, key, strlen(key) + 1);  /* diff_html() checked its length */
	free_slot->html = html;
	free_slot->len = len;
	free_slot->used = ++clock_ticks;
	kept_bytes += len;
}

void diff_cache_free(void)
{
	int i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < CACHE_SLOTS; i++)
		if (kept[i].key[0])
			cache_drop(&kept[i]);
	pthread_mutex_unlock(&lock);
}

/* What one computation has done so far. */
struct budget {
	struct buf *o;
	int64_t start;
	size_t read, shown, files, diffed, skipped;
	int cut;                /* the HTML reached DIFF_SHOW_MAX */
};

static int diff_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
		     const git_diff_line *line, void *payload)
{
	struct budget *b = payload;
	const char *cls;

	(void)delta;
	(void)hunk;
	if (b->o->len > DIFF_SHOW_MAX) {
		b->cut = 1;
		return 1;
	}
	b->shown += line->content_len;
	switch (line->origin) {
	case GIT_DIFF_LINE_ADDITION: cls = "add"; break;
	case GIT_DIFF_LINE_DELETION: cls = "del"; break;
	case GIT_DIFF_LINE_HUNK_HDR: cls = "hunk"; break;
	case GIT_DIFF_LINE_FILE_HDR: cls = "file"; break;
	default: cls = NULL;
	}
	if (cls)
		html_rawf(b->o, "<span class=\"%s\">", cls);
	if (line->origin == GIT_DIFF_LINE_ADDITION || line->origin == GIT_DIFF_LINE_DELETION ||
	    line->origin == GIT_DIFF_LINE_CONTEXT)
		buf_addch(b->o, line->origin);
	html_term(b->o, line->content, line->content_len);
	if (cls)
		html_raw(b->o, "</span>");
	return 0;
}

/* A blob's size from its header alone (nothing inflated); 0 for none or a submodule. */
static size_t blob_size(git_odb *odb, const git_diff_file *f)
{
	size_t len = 0;
	git_object_t type;

	if (git_oid_is_zero(&f->id) || f->mode == GIT_FILEMODE_COMMIT ||
	    git_odb_read_header(&len, &type, odb, &f->id))
		return 0;
	return len;
}

/* A file that is named, not diffed, and why. */
static void file_skipped(struct budget *b, const git_diff_delta *d, size_t old_size,
			 size_t new_size, const char *why)
{
	const char *path = d->new_file.path ? d->new_file.path : d->old_file.path;

	if (!path)
		path = "?";
	html_raw(b->o, "<span class=\"file\">diff --git a/");
	html_txt(b->o, path);
	html_raw(b->o, " b/");
	html_txt(b->o, path);
	html_rawf(b->o, "\n</span><span class=\"hunk\">%s (%zu KiB before, %zu KiB after)\n</span>",
		  why, (old_size + 1023) / 1024, (new_size + 1023) / 1024);
	b->skipped++;
}

/* Diff one file of diff, or name it if it does not fit the budget; -1 on a libgit2 error. */
static int diff_file(struct budget *b, git_diff *diff, git_odb *odb, size_t i)
{
	const git_diff_delta *d = git_diff_get_delta(diff, i);
	size_t old_size, new_size;
	git_patch *patch = NULL;
	int rc;

	if (b->o->len > DIFF_SHOW_MAX)
		b->cut = 1;
	if (b->cut)
		return 0;
	old_size = blob_size(odb, &d->old_file);
	new_size = blob_size(odb, &d->new_file);
	if (old_size > DIFF_FILE_MAX || new_size > DIFF_FILE_MAX) {
		file_skipped(b, d, old_size, new_size, "too large to show");
		return 0;
	}
	if (b->read + old_size + new_size > DIFF_READ_MAX) {
		file_skipped(b, d, old_size, new_size,
			     "not shown: the page already compares as much as it can");
		return 0;
	}
	if (time_mono_us() - b->start > DIFF_TIME_MAX) {
		file_skipped(b, d, old_size, new_size, "not shown: comparing took too long");
		return 0;
	}
	b->read += old_size + new_size;
	if (git_patch_from_diff(&patch, diff, i))
		return git_fail("diff");
	rc = git_patch_print(patch, diff_line, b);
	git_patch_free(patch);
	if (rc && !b->cut)
		return git_fail("diff");
	b->diffed++;
	return 0;
}

static int tree_of(git_repository *repo, const char *hex, git_tree **tree)
{
	git_commit *c = NULL;
	git_oid oid;
	int rc = -1;

	if (!git_oid_fromstr(&oid, hex) && !git_commit_lookup(&c, repo, &oid))
		rc = git_commit_tree(tree, c);
	git_commit_free(c);
	return rc ? -1 : 0;
}

/* The HTML of the changes into o; 0, -1 (logged) or DIFF_NOTFOUND. */
static int compute(struct buf *o, git_repository *repo, const char *from, const char *to)
{
	struct budget b;
	git_tree *ta = NULL, *tb = NULL;
	git_diff *diff = NULL;
	git_odb *odb = NULL;
	size_t i, n;
	int rc = DIFF_NOTFOUND;

	memset(&b, 0, sizeof(b));
	b.o = o;
	b.start = time_mono_us();
	if (tree_of(repo, from, &ta) || tree_of(repo, to, &tb))
		goto done;
	rc = -1;
	if (git_repository_odb(&odb, repo) || git_diff_tree_to_tree(&diff, repo, ta, tb, NULL)) {
		rc = git_fail("diff");
		goto done;
	}
	n = git_diff_num_deltas(diff);
	html_raw(o, "<pre class=\"diff\">");
	for (i = 0; i < n; i++)
		if (diff_file(&b, diff, odb, i))
			goto done;
	html_raw(o, "</pre>\n");
	if (!n)
		html_raw(o, "<p class=\"meta\">No changes.</p>\n");
	if (b.cut)
		html_raw(o, "<p class=\"meta\">The rest of the changes are too large to show.</p>\n");
	if (b.skipped)
		html_rawf(o, "<p class=\"meta\">%zu file%s not shown here: compare %s with "
			  "<code>git diff</code> in a clone.</p>\n", b.skipped,
			  b.skipped == 1 ? " is" : "s are", b.skipped == 1 ? "it" : "them");
	log_info("diff %.12s..%.12s computed: %zu files, %zu diffed, %zu not shown, %zu KiB read, "
		 "in %lld ms", from, to, n, b.diffed, b.skipped, b.read / 1024,
		 (long long)((time_mono_us() - b.start) / 1000));
	rc = 0;
done:
	git_diff_free(diff);
	git_odb_free(odb);
	git_tree_free(ta);
	git_tree_free(tb);
	return rc;
}

int diff_html(struct buf *out, git_repository *repo, const char *from, const char *to)
{
	struct buf key = BUF_INIT, html = BUF_INIT;
	struct kept *k;
	size_t len;
	int rc;

	buf_addf(&key, "%s..%s", from, to);
	if (key.len >= KEY_SIZE) {
		buf_release(&key);
		return DIFF_NOTFOUND;
	}
	pthread_mutex_lock(&lock);
	if ((k = cache_find(key.buf))) {
		k->used = ++clock_ticks;
		buf_add(out, k->html, k->len);
		pthread_mutex_unlock(&lock);
		buf_release(&key);
		return 0;
	}
	if (running) {
		pthread_mutex_unlock(&lock);
		buf_release(&key);
		return DIFF_BUSY;
	}
	running = 1;
	pthread_mutex_unlock(&lock);

	rc = compute(&html, repo, from, to);
	if (!rc)
		buf_add(out, html.buf, html.len);

	pthread_mutex_lock(&lock);
	running = 0;
	if (!rc) {
		char *kept_html = buf_detach(&html, &len);

		cache_put(key.buf, kept_html, len);
	}
	pthread_mutex_unlock(&lock);
	buf_release(&html);
	buf_release(&key);
	return rc;
}
