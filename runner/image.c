/* image.c: unpacking assignment images into the data directory (see image.h; map: runner.h). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "image.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/child.h"
#include "../lib/fsutil.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/banned.h"

/* The tag the copy of a source gets in our own OCI layout. */
#define TAG "lifebelt"
/* What of a tool's stderr is kept for its last line. */
#define STDERR_MAX (64 << 10)

void image_tree(struct buf *out, const char *digest)
{
	home_path(out, "images/%s/rootfs", digest + strlen("sha256:"));
}

/* sha256:<64 lowercase hex>: a digest safe as a path component. */
static int digest_valid(const char *d)
{
	size_t i;

	if (strncmp(d, "sha256:", 7) || strlen(d) != 7 + 64)
		return 0;
	for (i = 7; d[i]; i++)
		if (!strchr("0123456789abcdef", d[i]))
			return 0;
	return 1;
}

/*
 * The last line a tool wrote to stderr, tidied for a one-line error:
 * skopeo's logrus line ('time=... level=fatal msg="..."') gives its msg,
 * umoci's its text without the leading symbol.
 */
static void last_line(const struct buf *err, struct buf *out)
{
	const char *s = err->buf, *end = s + err->len, *start, *m;

	while (end > s && (end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\r'))
		end--;
	start = end;
	while (start > s && start[-1] != '\n')
		start--;
	if ((m = strstr(start, "msg=\"")) && m < end) {
		const char *p;

		for (p = m + 5; p < end && !(*p == '"' && p + 1 >= end); p++) {
			if (*p == '\\' && p + 1 < end)
				p++;
			buf_addch(out, *p);
		}
		return;
	}
	while (start < end && (*start == ' ' || (unsigned char)*start >= 0x80))
		start++;
	buf_add(out, start, end - start);
	if (!out->len)
		buf_adds(out, "no message");
}

/*
 * Run argv (a tool found on PATH) with its stderr kept in err; its exit
 * status, or -1 if it could not be run (reported, naming the Debian package).
 */
static int run_tool(const char *const *argv, struct buf *err)
{
	int p[2], ep[2], status, code;
	char chunk[4096];
	ssize_t n;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return error_errno("cannot make a pipe");
	if (pipe2(ep, O_CLOEXEC)) {
		close(p[0]);
		close(p[1]);
		return error_errno("cannot make a pipe");
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		close(ep[0]);
		close(ep[1]);
		return error_errno("cannot fork");
	}
	if (!pid) {
		int null = open("/dev/null", O_RDWR);

		child_default_signals();
		if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(p[1], 2) < 0)
			child_fail(ep[1]);
		execvp(argv[0], (char *const *)argv);
		child_fail(ep[1]);
	}
	close(p[1]);
	close(ep[1]);
	while ((n = read(p[0], chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR)) {
		if (n < 0)
			continue;
		if (err->len + n > STDERR_MAX) {
			/* Keep the tail: the last line is what is wanted. */
			memmove(err->buf, err->buf + err->len / 2, err->len - err->len / 2);
			buf_setlen(err, err->len - err->len / 2);
		}
		buf_add(err, chunk, n);
	}
	close(p[0]);
	code = child_exec_result(ep[0]);
	close(ep[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return error_errno("cannot wait for %s", argv[0]);
	if (code > 0)
		return error("cannot run %s: %s (install Debian's skopeo and umoci)", argv[0],
			     strerror(code));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* A registry's failure that means it could not be reached at all. */
static int unreachable(const struct buf *msg)
{
	static const char *const signs[] = { "dial tcp", "no such host", "connection refused",
		"i/o timeout", "network is unreachable", "TLS handshake timeout", NULL };
	int i;

	for (i = 0; signs[i]; i++)
		if (strstr(msg->buf, signs[i]))
			return 1;
	return 0;
}

/* Check that source is one of the forms skopeo is given, and that a local one is there. 0 or -1. */
static int source_check(const char *source)
{
	struct buf dir = BUF_INIT;
	struct stat st;
	int ret = 0;

	if (!strncmp(source, "docker-archive:", 15)) {
		if (stat(source + 15, &st) || !S_ISREG(st.st_mode))
			ret = error("%s: no such file (make one with 'docker save -o FILE.tar IMAGE')", source);
	} else if (!strncmp(source, "oci:", 4)) {
		const char *colon = strchr(source + 4, ':');

		buf_add(&dir, source + 4, colon ? (size_t)(colon - source - 4) : strlen(source + 4));
		buf_adds(&dir, "/index.json");
		if (stat(dir.buf, &st) || !S_ISREG(st.st_mode))
			ret = error("%s: not an OCI layout (no %s)", source, dir.buf);
	} else if (!strncmp(source, "docker://", 9)) {
		if (!source[9])
			ret = error("docker:// needs an image reference, as docker://debian:12");
	} else {
		ret = error("unknown image source '%s': give docker-archive:FILE.tar (what docker save "
			    "writes), oci:DIR[:TAG] (an OCI layout) or docker://REF (a registry)", source);
	}
	buf_release(&dir);
	return ret;
}

/* Copy source into the OCI layout layout:TAG (skopeo), whatever its form. 0 or -1. */
static int copy_source(const char *source, const char *layout)
{
	struct buf dst = BUF_INIT, err = BUF_INIT, msg = BUF_INIT;
	const char *argv[] = { "skopeo", "copy", "--quiet", source, NULL, NULL };
	int rc;

	buf_addf(&dst, "oci:%s:%s", layout, TAG);
	argv[4] = dst.buf;
	rc = run_tool(argv, &err);
	if (rc > 0) {
		last_line(&err, &msg);
		if (!strncmp(source, "docker://", 9) && unreachable(&msg))
			error("cannot fetch %s: its registry cannot be reached from here (%s); "
			      "docker save it where it can, and add the file", source, msg.buf);
		else
			error("cannot read %s: %s", source, msg.buf);
	}
	buf_release(&dst);
	buf_release(&err);
	buf_release(&msg);
	return rc ? -1 : 0;
}

/* The manifest digest the layout's index gives TAG, appended to out. 0 or -1. */
static int layout_digest(const char *layout, struct buf *out)
{
	struct buf path = BUF_INIT;
	json_error_t jerr;
	json_t *index, *m;
	size_t i;
	int ret = -1;

	buf_addf(&path, "%s/index.json", layout);
	index = json_load_file(path.buf, 0, &jerr);
	json_array_foreach(json_object_get(index, "manifests"), i, m) {
		const char *ref = json_string_value(json_object_get(json_object_get(m, "annotations"),
								    "org.opencontainers.image.ref.name"));
		const char *d = json_string_value(json_object_get(m, "digest"));

		if (ref && !strcmp(ref, TAG) && d && digest_valid(d)) {
			buf_adds(out, d);
			ret = 0;
			break;
		}
	}
	if (ret)
		error("skopeo's copy in %s names no sha256 manifest", layout);
	json_decref(index);
	buf_release(&path);
	return ret;
}

/* Unpack layout:TAG into rootfs (umoci, rootless: no device nodes, no owners but ours). 0 or -1. */
static int unpack(const char *source, const char *layout, const char *rootfs)
{
	struct buf image = BUF_INIT, err = BUF_INIT, msg = BUF_INIT;
	const char *argv[] = { "umoci", "raw", "unpack", "--rootless", "--image", NULL, rootfs, NULL };
	int rc;

	buf_addf(&image, "%s:%s", layout, TAG);
	argv[5] = image.buf;
	rc = run_tool(argv, &err);
	if (rc > 0) {
		last_line(&err, &msg);
		error("cannot unpack %s: %s", source, msg.buf);
	}
	buf_release(&image);
	buf_release(&err);
	buf_release(&msg);
	return rc ? -1 : 0;
}

/*
 * 1 if the tree at rootfs has an executable /bin/sh, resolved as it will
 * be in the sandbox: its symlinks (/bin -> usr/bin, sh -> busybox) are
 * followed inside the tree, never out of it.
 */
static int has_shell(const char *rootfs)
{
	struct open_how how;
	struct stat st;
	int root = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC), fd = -1, ok;

	memset(&how, 0, sizeof(how));
	how.flags = O_PATH | O_CLOEXEC;
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	if (root >= 0)
		fd = (int)syscall(SYS_openat2, root, "bin/sh", &how, sizeof(how));
	ok = fd >= 0 && !fstat(fd, &st) && S_ISREG(st.st_mode) && (st.st_mode & 0111);
	if (fd >= 0)
		close(fd);
	if (root >= 0)
		close(root);
	return ok;
}

static int64_t tree_bytes;

static int add_size(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)path;
	(void)flag;
	(void)ftw;
	tree_bytes += (int64_t)st->st_blocks * 512;
	return 0;
}

/* Bytes the tree at dir takes on disk (as du counts them). */
static int64_t tree_size(const char *dir)
{
	tree_bytes = 0;
	nftw(dir, add_size, 32, FTW_PHYS | FTW_MOUNT);
	return tree_bytes;
}

int image_unpack(const char *source, struct buf *digest, int64_t *size, int *reused)
{
	struct buf top = BUF_INIT, tmp = BUF_INIT, layout = BUF_INIT, rootfs = BUF_INIT,
		   final = BUF_INIT, tree = BUF_INIT;
	int ret = -1;

	*reused = 0;
	if (source_check(source))
		return -1;
	home_path(&top, "images");
	if (fs_mkdir_p(top.buf, 0755)) {
		error_errno("cannot make %s", top.buf);
		goto done;
	}
	/* Made aside, renamed into place whole: a tree under its digest is always complete. */
	buf_addf(&tmp, "%s/.add-%ld-XXXXXX", top.buf, (long)getpid());
	if (!mkdtemp(tmp.buf)) {
		error_errno("cannot make a directory in %s", top.buf);
		buf_reset(&tmp);
		goto done;
	}
	buf_addf(&layout, "%s/layout", tmp.buf);
	buf_addf(&rootfs, "%s/rootfs", tmp.buf);
	if (copy_source(source, layout.buf) || layout_digest(layout.buf, digest))
		goto done;
	buf_addf(&final, "%s/%s", top.buf, digest->buf + 7);
	image_tree(&tree, digest->buf);
	if (fs_is_dir(tree.buf)) {
		*reused = 1;
	} else {
		if (unpack(source, layout.buf, rootfs.buf))
			goto done;
		if (!has_shell(rootfs.buf)) {
			error("%s has no /bin/sh: every step runs as /bin/sh -c COMMAND; build the image "
			      "from one with a shell (debian, python, eclipse-temurin, busybox)", source);
			goto done;
		}
		if (chmod(tmp.buf, 0755) || fs_remove_tree(layout.buf)) {
			error_errno("cannot tidy %s", tmp.buf);
			goto done;
		}
		if (rename(tmp.buf, final.buf)) {
			/* Another add of the same digest got there first: its tree serves. */
			if (errno != EEXIST && errno != ENOTEMPTY) {
				error_errno("cannot rename %s to %s", tmp.buf, final.buf);
				goto done;
			}
			*reused = 1;
		} else {
			buf_reset(&tmp);
		}
	}
	*size = tree_size(tree.buf);
	ret = 0;
done:
	if (tmp.len)
		fs_remove_tree(tmp.buf);
	buf_release(&top);
	buf_release(&tmp);
	buf_release(&layout);
	buf_release(&rootfs);
	buf_release(&final);
	buf_release(&tree);
	return ret;
}

int image_remove(const char *digest)
{
	struct buf dir = BUF_INIT, aside = BUF_INIT;
	int ret = 0;

	if (!digest_valid(digest))
		return error("not a sha256 digest: %s", digest);
	home_path(&dir, "images/%s", digest + 7);
	home_path(&aside, "images/.rm-%s-%ld", digest + 7, (long)getpid());
	/* Renamed first: a tree is under its digest whole, or not at all. */
	if (rename(dir.buf, aside.buf) && errno != ENOENT)
		ret = error_errno("cannot remove %s", dir.buf);
	else if (fs_remove_tree(aside.buf))
		ret = error_errno("cannot remove %s", aside.buf);
	buf_release(&dir);
	buf_release(&aside);
	return ret;
}
