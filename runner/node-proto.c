/* node-proto.c: the frames between the Slurm executor and `lifebelt node-exec` (node-proto.h). */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "node-proto.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

static void put32(struct buf *b, uint32_t v)
{
	unsigned char c[4] = { v >> 24, v >> 16, v >> 8, v };

	buf_add(b, c, 4);
}

static uint32_t get32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

void node_frame(struct buf *out, int kind, const void *p, size_t n)
{
	buf_addch(out, kind);
	put32(out, (uint32_t)n);
	buf_add(out, p, n);
}

int node_write(int fd, const struct buf *b)
{
	size_t done = 0;

	while (done < b->len) {
		ssize_t w = write(fd, b->buf + done, b->len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += w;
	}
	return 0;
}

/*
 * Once a frame has begun, its payload may take as long as it takes to
 * cross the cluster's network, as long as bytes keep coming.
 */
#define IDLE_US (30LL * 1000000)

/* How much one read asks for: a job's set-up, usually, in one. */
#define READ_CHUNK (64 * 1024)

void node_reader_init(struct node_reader *r, int fd)
{
	buf_reset(&r->in);
	r->fd = fd;
	r->at = 0;
}

void node_reader_release(struct node_reader *r)
{
	buf_release(&r->in);
	r->at = 0;
}

int node_reader_ready(struct node_reader *r)
{
	struct pollfd p = { r->fd, POLLIN, 0 };

	return r->in.len > r->at || poll(&p, 1, 0) > 0;
}

/*
 * Wait a little for fd to have input: 1 if it has, 0 to look again, -1
 * past the deadline (0: none) or once *cancel is set.
 */
static int await_input(int fd, int64_t deadline, volatile int *cancel)
{
	struct pollfd p = { fd, POLLIN, 0 };
	int64_t left = deadline ? (deadline - time_mono_us()) / 1000 : 100;
	int r;

	if ((cancel && *cancel) || left <= 0)
		return -1;
	r = poll(&p, 1, left > 100 ? 100 : (int)left);
	if (r < 0 && errno != EINTR)
		return -1;
	return r > 0;
}

/*
 * Read exactly n bytes into dst by the deadline (idle: each read moves it
 * to IDLE_US ahead). 0, 1 at end of input before any byte, -1.
 */
static int read_full(int fd, char *dst, size_t n, int64_t deadline, int idle, volatile int *cancel)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = await_input(fd, deadline, cancel);

		if (r < 0)
			return -1;
		if (!r)
			continue;
		r = read(fd, dst + got, n - got);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0)
			return -1;
		if (!r)
			return got ? -1 : 1;
		got += r;
		if (idle)
			deadline = time_mono_us() + IDLE_US;
	}
	return 0;
}

/*
 * Have at least a frame's head (5 bytes) in r by the deadline, with as
 * many bytes after it as one read brings. 0, 1 at end of input before
 * any byte, -1.
 */
static int fill_head(struct node_reader *r, int64_t deadline, volatile int *cancel)
{
	if (r->in.len - r->at >= 5)
		return 0;
	/* What the frames before used goes; the start of the next moves up. */
	memmove(r->in.buf, r->in.buf + r->at, r->in.len - r->at);
	buf_setlen(&r->in, r->in.len - r->at);
	r->at = 0;
	buf_grow(&r->in, READ_CHUNK);
	while (r->in.len < 5) {
		ssize_t got = await_input(r->fd, deadline, cancel);

		if (got < 0)
			return -1;
		if (!got)
			continue;
		got = read(r->fd, r->in.buf + r->in.len, r->in.alloc - r->in.len - 1);
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (got < 0)
			return -1;
		if (!got)
			return r->in.len ? -1 : 1;
		buf_setlen(&r->in, r->in.len + got);
	}
	return 0;
}

int node_read(struct node_reader *r, int *kind, struct buf *payload, int64_t deadline_us,
	      volatile int *cancel)
{
	size_t have;
	uint32_t n;
	int rc;

	buf_reset(payload);
	if ((rc = fill_head(r, deadline_us, cancel)))
		return rc;
	*kind = (unsigned char)r->in.buf[r->at];
	n = get32(r->in.buf + r->at + 1);
	if (n > NODE_FRAME_MAX)
		return -1;
	have = r->in.len - r->at - 5;
	if (have > n)
		have = n;
	buf_add(payload, r->in.buf + r->at + 5, have);
	r->at += 5 + have;
	if (r->at == r->in.len) {
		buf_reset(&r->in);
		r->at = 0;
	}
	/* The rest of a frame larger than a read: straight into place, no more than it. */
	if (have < n) {
		buf_grow(payload, n - have);
		if (read_full(r->fd, payload->buf + have, n - have, time_mono_us() + IDLE_US, 1, cancel))
			return -1;
		buf_setlen(payload, n);
	}
	return 0;
}

static json_t *paths_json(const char *const *p)
{
	json_t *a = json_array();

	for (; p && *p; p++)
		json_array_append_new(a, json_string(*p));
	return a;
}

/* A header's list of paths, each checked; NULL if one is bad. */
static char **paths_decode(json_t *a)
{
	char **p;
	json_t *v;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) > NODE_REPORTS_MAX)
		return NULL;
	p = xcalloc(json_array_size(a) + 1, sizeof(*p));
	json_array_foreach(a, i, v) {
		const char *s = json_string_value(v);
		size_t n = s ? strlen(s) : 0;

		/* A directory of the teacher's files may be named "data/". */
		p[i] = xstrndup(s ? s : "", n > 1 && s[n - 1] == '/' ? n - 1 : n);
		if (!s || !node_path_ok(p[i])) {
			node_reports_free(p);
			return NULL;
		}
	}
	return p;
}

void node_header_encode(struct buf *out, const char *label, const struct limits *l,
			const char *const *reports, const char *const *files)
{
	json_t *o;
	char *t;

	o = json_pack("{s:i,s:s,s:o,s:o,s:o}", "version", 1, "label", label, "limits", limits_json(l),
		      "reports", paths_json(reports), "files", paths_json(files));
	t = o ? json_dumps(o, JSON_COMPACT) : NULL;

	if (!t)
		die("out of memory");
	buf_adds(out, t);
	free(t);
	json_decref(o);
}

void node_reports_free(char **reports)
{
	char **r;

	for (r = reports; r && *r; r++)
		free(*r);
	free(reports);
}

int node_header_decode(const char *p, size_t n, char *label, size_t label_size, struct limits *l,
		       char ***reports, char ***files)
{
	json_t *o = json_loadb(p, n, JSON_REJECT_DUPLICATES, NULL), *lim, *v;
	const struct limit_key *k;
	const char *s;
	int rc = -1;

	*reports = *files = NULL;
	if (!o || json_integer_value(json_object_get(o, "version")) != 1)
		goto done;
	s = json_string_value(json_object_get(o, "label"));
	lim = json_object_get(o, "limits");
	if (!s || strlen(s) >= label_size || strchr(s, '/') || !json_is_object(lim))
		goto done;
	memcpy(label, s, strlen(s) + 1);
	limits_default(l);
	for (k = limit_keys; k->name; k++) {
		if (!(v = json_object_get(lim, k->name)) || !json_is_number(v) || json_number_value(v) < 0)
			goto done;
		limits_set(l, k, json_number_value(v));
	}
	*reports = paths_decode(json_object_get(o, "reports"));
	*files = paths_decode(json_object_get(o, "files"));
	rc = *reports && *files ? 0 : -1;
done:
	if (rc) {
		node_reports_free(*reports);
		node_reports_free(*files);
		*reports = *files = NULL;
	}
	json_decref(o);
	return rc;
}

int node_path_ok(const char *path)
{
	const char *c = path;

	if (!*path || *path == '/' || strlen(path) > 4095)
		return 0;
	while (*c) {
		size_t len = strcspn(c, "/");

		if (!len || (len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		c += len;
		if (*c == '/' && !*++c)
			return 0;
	}
	return 1;
}

void node_entry_encode(struct buf *out, uint32_t mode, const char *path, const char *data, size_t len)
{
	size_t pl = strlen(path);

	put32(out, mode);
	buf_addch(out, (pl >> 8) & 0xff);
	buf_addch(out, pl & 0xff);
	buf_add(out, path, pl);
	buf_add(out, data, len);
}

int node_entry_decode(const char *p, size_t n, struct node_entry *e)
{
	size_t pl;

	memset(e, 0, sizeof(*e));
	if (n < 6)
		return -1;
	e->mode = get32(p);
	pl = (size_t)(unsigned char)p[4] << 8 | (unsigned char)p[5];
	if (pl > n - 6 || (!S_ISREG(e->mode) && !S_ISDIR(e->mode) && !S_ISLNK(e->mode)) ||
	    (e->mode & ~(S_IFMT | 07777)))
		return -1;
	e->path = xstrndup(p + 6, pl);
	if (strlen(e->path) != pl || !node_path_ok(e->path) ||
	    (S_ISDIR(e->mode) && n - 6 - pl) ||
	    (S_ISLNK(e->mode) && (memchr(p + 6 + pl, '\0', n - 6 - pl) || n - 6 - pl > 4095))) {
		free(e->path);
		e->path = NULL;
		return -1;
	}
	e->data = p + 6 + pl;
	e->len = n - 6 - pl;
	return 0;
}

/* A JSON head, then raw bytes: u32 length of the JSON first. */
static void json_then_bytes(struct buf *out, json_t *o)
{
	char *t = o ? json_dumps(o, JSON_COMPACT) : NULL;

	if (!t)
		die("out of memory");
	put32(out, (uint32_t)strlen(t));
	buf_adds(out, t);
	free(t);
	json_decref(o);
}

/* The JSON head of a payload (a new reference), the bytes after it in *rest and *rest_len. */
static json_t *split(const char *p, size_t n, const char **rest, size_t *rest_len)
{
	uint32_t jl;
	json_t *o;

	if (n < 4 || (jl = get32(p)) > n - 4)
		return NULL;
	o = json_loadb(p + 4, jl, JSON_REJECT_DUPLICATES, NULL);
	if (o && !json_is_object(o)) {
		json_decref(o);
		return NULL;
	}
	*rest = p + 4 + jl;
	*rest_len = n - 4 - jl;
	return o;
}

void node_step_encode(struct buf *out, const struct step *st)
{
	json_t *o = json_pack("{s:s,s:f,s:f,s:b,s:s?}", "cmd", st->cmd, "cpu", st->cpu, "wall", st->wall,
			      "keep_stdout", st->keep_stdout, "report", st->report);

	json_then_bytes(out, o);
	buf_add(out, st->input ? st->input : "", st->input ? st->input_len : 0);
}

int node_step_decode(const char *p, size_t n, struct step *st)
{
	const char *rest, *cmd;
	size_t rest_len;
	json_t *o = split(p, n, &rest, &rest_len), *report;
	double cpu, wall;
	int rc = -1;

	memset(st, 0, sizeof(*st));
	if (!o)
		return -1;
	cmd = json_string_value(json_object_get(o, "cmd"));
	cpu = json_number_value(json_object_get(o, "cpu"));
	wall = json_number_value(json_object_get(o, "wall"));
	report = json_object_get(o, "report");     /* null: none */
	if (!cmd || !(cpu > 0 && cpu <= LIMIT_JOB_MAX) || !(wall > 0 && wall <= LIMIT_JOB_MAX) ||
	    (report && !json_is_null(report) && !json_is_string(report)))
		goto done;
	st->cmd = xstrdup(cmd);
	st->report = json_is_string(report) ? xstrdup(json_string_value(report)) : NULL;
	st->cpu = cpu;
	st->wall = wall;
	st->keep_stdout = json_is_true(json_object_get(o, "keep_stdout"));
	if (rest_len) {
		char *in = xmalloc(rest_len);

		memcpy(in, rest, rest_len);
		st->input = in;
		st->input_len = rest_len;
	}
	rc = 0;
done:
	json_decref(o);
	return rc;
}

void node_step_release(struct step *st)
{
	free((char *)st->cmd);
	free((char *)st->input);
	free((char *)st->report);
	memset(st, 0, sizeof(*st));
}

/* The kept tail of c, oldest byte first. */
static void capture_tail(const struct capture *c, struct buf *out)
{
	size_t half = c->cap / 2;

	if (c->ring_len < half) {
		buf_add(out, c->ring, c->ring_len);
	} else {
		buf_add(out, c->ring + c->ring_pos, half - c->ring_pos);
		buf_add(out, c->ring, c->ring_pos);
	}
}

static json_t *capture_json(const struct capture *c, struct buf *bytes)
{
	size_t at = bytes->len, tail;

	buf_add(bytes, c->head.buf, c->head.len);
	capture_tail(c, bytes);
	tail = bytes->len - at - c->head.len;
	buf_add(bytes, c->all.buf, c->all.len);
	return json_pack("[I,I,I,I,I]", (json_int_t)c->head.len, (json_int_t)tail, (json_int_t)c->all.len,
			 (json_int_t)c->elided, (json_int_t)c->total);
}

void node_obs_encode(struct buf *out, const struct observation *o)
{
	struct buf bytes = BUF_INIT;
	/* In this order: the bytes follow in it. */
	json_t *jo = capture_json(&o->out, &bytes), *je = capture_json(&o->err, &bytes);
	json_t *j = json_pack("{s:b,s:i,s:i,s:f,s:f,s:I,s:i,s:b,s:o,s:o}",
			      "exited", o->exited, "status", o->status, "signal", o->signal,
			      "cpu", o->cpu, "wall", o->wall, "peak_memory", (json_int_t)o->peak_memory,
			      "fired", (int)o->fired, "procs_capped", o->procs_capped, "out", jo, "err", je);

	if (j && o->fault)
		json_object_set_new(j, "fault", json_string(o->fault));
	json_then_bytes(out, j);
	buf_add(out, bytes.buf, bytes.len);
	buf_release(&bytes);
}

/* A step is stopped once it printed its limit: what it printed meanwhile, one read's worth, comes along. */
#define OUTPUT_SLACK (1 << 20)

/*
 * Rebuild a capture from its lengths [head, tail, all, elided, total] and
 * the bytes at *at (advanced). The lengths must fit what a capture of cap
 * bytes keeps. 0 or -1.
 */
static int capture_decode(struct capture *c, json_t *a, size_t cap, int64_t output, int keep_all,
			  const char **at, size_t *left)
{
	json_int_t v[5];
	size_t half, i;

	capture_init(c, cap, keep_all);
	half = c->cap / 2;
	if (json_array_size(a) != 5)
		return -1;
	for (i = 0; i < 5; i++) {
		if (!json_is_integer(json_array_get(a, i)) || (v[i] = json_integer_value(json_array_get(a, i))) < 0 ||
		    v[i] > (json_int_t)1 << 60)
			return -1;
	}
	if ((size_t)v[0] > half || (size_t)v[1] > half || (v[1] && (size_t)v[0] < half) ||
	    (v[3] && (size_t)v[1] < half) || (!keep_all && v[2]) || v[2] > v[4] || v[2] > output + OUTPUT_SLACK ||
	    v[4] != v[0] + v[1] + v[3] || (uint64_t)(v[0] + v[1] + v[2]) > *left)
		return -1;
	buf_add(&c->head, *at, v[0]);
	if (v[1]) {
		c->ring = xmalloc(half);
		memcpy(c->ring, *at + v[0], v[1]);
		c->ring_len = v[1];
		c->ring_pos = v[1] % half;
	}
	buf_add(&c->all, *at + v[0] + v[1], v[2]);
	c->elided = v[3];
	c->total = v[4];
	*at += v[0] + v[1] + v[2];
	*left -= v[0] + v[1] + v[2];
	return 0;
}

int node_obs_decode(const char *p, size_t n, size_t cap, int64_t output, struct observation *o)
{
	const char *rest, *fault;
	size_t left;
	json_t *j = split(p, n, &rest, &left), *v;
	json_int_t fired;
	int rc = -1;

	memset(o, 0, sizeof(*o));
	capture_init(&o->out, cap, 0);
	capture_init(&o->err, cap, 0);
	if (!j)
		goto done;
	o->exited = json_is_true(json_object_get(j, "exited"));
	o->status = (int)json_integer_value(json_object_get(j, "status"));
	o->signal = (int)json_integer_value(json_object_get(j, "signal"));
	o->cpu = json_number_value(json_object_get(j, "cpu"));
	o->wall = json_number_value(json_object_get(j, "wall"));
	o->peak_memory = -1;
	if ((v = json_object_get(j, "peak_memory")) && json_is_integer(v))
		o->peak_memory = json_integer_value(v);
	fired = json_integer_value(json_object_get(j, "fired"));
	o->procs_capped = json_is_true(json_object_get(j, "procs_capped"));
	if (o->status < 0 || o->status > 255 || o->signal < 0 || o->signal > 64 || !(o->cpu >= 0) ||
	    !(o->wall >= 0) || fired < FIRED_NONE || fired > FIRED_DISK || o->peak_memory < -1)
		goto done;
	o->fired = (enum fired)fired;
	capture_release(&o->out);
	capture_release(&o->err);
	if (capture_decode(&o->out, json_object_get(j, "out"), cap, output, 1, &rest, &left) ||
	    capture_decode(&o->err, json_object_get(j, "err"), cap, output, 0, &rest, &left) || left)
		goto done;
	/* Kept whole only if the node kept it whole; the comparison reads `all` then. */
	o->out.keep_all = o->out.all.len || !o->out.total;
	if ((v = json_object_get(j, "fault"))) {
		if (!(fault = json_string_value(v)))
			goto done;
		o->fault = xstrdup(fault);
	}
	rc = 0;
done:
	json_decref(j);
	if (rc)
		observation_release(o);
	return rc;
}
