/*
 * node-proto.h: the wire between the Slurm executor and `lifebelt
 * node-exec` on a node, over srun's stdin and stdout (map: runner.h).
 *
 * Every message is a frame: one byte of kind, four bytes of length (big
 * endian), then that many bytes. The runner sends a header (the limits), the
 * work directory's entries one frame each, a go; then, one at a time, a step,
 * and the node answers each with an observation. The first step goes with
 * the go, in the same write; the node's answer to the go, its sandbox, then
 * comes with the step's observation (at once when no step came with it). The node says first
 * which Slurm job it is, so that the runner can ask Slurm how it ended if
 * no observation comes.
 *
 * One node-exec serves a runner worker's jobs one after another: after a
 * job's last step the runner sends an end, the node removes the job's
 * work directory and waits for the next header; closing srun's stdin
 * ends node-exec.
 *
 *   runner -> node    'H' header   JSON {"version":1,"label":S,"limits":{KEY:V,...},"reports":[PATH,...],
 *                                  "files":[PATH,...]}
 *                     'I' image    the assignment image's digest, "sha256:<hex>" (none: the
 *                                  node's own root); between header and entries
 *                     'F' entry    u32 mode, u16 path length, path, contents
 *                                  (a symbolic link: its target)
 *                     'G' go       empty
 *                     'S' step     u32 JSON length, JSON {"cmd","cpu","wall","keep_stdout"}, input
 *                     'E' end      empty: the job is over; a header may follow
 *   node -> runner    'J' job      the Slurm job id, as text
 *                     'O' observation  u32 JSON length, JSON, then the out and
 *                                  err bytes the JSON counts
 *                     'D' sandbox  JSON: the node's sandbox as its executor describes it,
 *                                  once per job, in answer to its go
 *                     'R' report   path, NUL, contents: a report file the step wrote
 *                                  (before its observation; none if it wrote none)
 *                     'X' fault    text: the node could not set the job up
 *
 * Nothing here trusts its input: the decoders check every length against
 * the frame and cap what they keep; a bad frame is an infrastructure
 * fault, never a verdict. Expected outputs are never part of any frame.
 */
#ifndef RUNNER_NODE_PROTO_H
#define RUNNER_NODE_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "executor.h"
#include "../lib/buf.h"

/* The largest frame either side accepts: a file of the work directory is at most this. */
#define NODE_FRAME_MAX (64 * 1024 * 1024)

enum node_kind {
	NODE_HEADER = 'H', NODE_IMAGE = 'I', NODE_ENTRY = 'F', NODE_GO = 'G', NODE_STEP = 'S', NODE_END = 'E',
	NODE_JOB = 'J', NODE_SANDBOX = 'D', NODE_REPORT = 'R', NODE_OBSERVATION = 'O', NODE_FAULT = 'X',
	/*
	 * The step's report is there but no regular file reached without a
	 * symlink: path NUL NODE_ODD_* (what the runner makes in its place,
	 * so that grade.c says what it says of a local one).
	 */
	NODE_ODD_REPORT = 'Q'
};
#define NODE_ODD_SYMLINK 'l'
#define NODE_ODD_DIRECTORY 'd'
#define NODE_ODD_OTHER 'o'

/* Append a frame of kind with payload p (n bytes) to out. */
void node_frame(struct buf *out, int kind, const void *p, size_t n);

/*
 * The reading end of a wire: frames are read from fd in large reads, a
 * few at a time, rather than with two reads each (a job's set-up is many
 * small frames). What was read past a frame waits in `in`.
 */
struct node_reader {
	int fd;
	struct buf in;
	size_t at;              /* where the next frame starts in `in` */
};
#define NODE_READER_INIT(fd) { (fd), BUF_INIT, 0 }
/* Read from fd, nothing read yet (r as NODE_READER_INIT made it, or used before: its bytes are dropped). */
void node_reader_init(struct node_reader *r, int fd);
void node_reader_release(struct node_reader *r);
/* 1 if a whole frame, or its beginning, was read already, or fd has bytes to read now. */
int node_reader_ready(struct node_reader *r);

/*
 * Read one frame from r: kind into *kind, the payload into payload (reset
 * first). Waits for the frame's start at most until deadline_us
 * (time_mono_us(); 0: for ever), for its payload as long as bytes keep
 * coming; and only while *cancel is zero (cancel may be NULL). 0; 1 at a clean end of input
 * (nothing read); -1 on a short, oversized or late frame, or an error.
 */
int node_read(struct node_reader *r, int *kind, struct buf *payload, int64_t deadline_us,
	      volatile int *cancel);

/* Write all of b to fd (blocking). 0 or -1. */
int node_write(int fd, const struct buf *b);

/* The most report paths a header carries. */
#define NODE_REPORTS_MAX 1000

/*
 * The header frame's payload for label, limits l, the report paths and the
 * teacher's files (bundle.h's reports and files: NULL-terminated, or NULL).
 */
void node_header_encode(struct buf *out, const char *label, const struct limits *l,
			const char *const *reports, const char *const *files);
/*
 * Read a header: label (at most label_size bytes, NUL included), limits
 * and the report paths and teacher's files (*reports, *files: NULL-terminated
 * arrays of strings, each checked by node_path_ok; free each with
 * node_reports_free). 0 or -1.
 */
int node_header_decode(const char *p, size_t n, char *label, size_t label_size, struct limits *l,
		       char ***reports, char ***files);
void node_reports_free(char **reports);

/*
 * A work directory entry. Its path is relative, without "." or ".."
 * components, at most 4095 bytes.
 */
struct node_entry {
	uint32_t mode;          /* st_mode: S_IFREG, S_IFDIR or S_IFLNK, and the permission bits */
	char *path;             /* NUL-terminated copy (decode allocates it) */
	const char *data;       /* into the payload decode read from */
	size_t len;
};
void node_entry_encode(struct buf *out, uint32_t mode, const char *path, const char *data, size_t len);
/* 0, or -1 on a malformed entry or an unsafe path. Free e->path. */
int node_entry_decode(const char *p, size_t n, struct node_entry *e);
/* 1 if path is relative, has no empty, "." or ".." component and is short enough. */
int node_path_ok(const char *path);

/*
 * A step as a frame payload. Decoding fills st with pointers into
 * strings it allocates (cmd, input): free them with node_step_release().
 */
void node_step_encode(struct buf *out, const struct step *st);
int node_step_decode(const char *p, size_t n, struct step *st);
void node_step_release(struct step *st);

/*
 * An observation as a frame payload: every field, and each stream's kept
 * head and tail with the elided and total counts (and, kept whole for a
 * comparison, all of stdout). Decoding makes captures of cap bytes
 * (limits.capture) and refuses more than they could hold. 0 or -1; on
 * -1 o is released.
 */
void node_obs_encode(struct buf *out, const struct observation *o);
int node_obs_decode(const char *p, size_t n, size_t cap, int64_t output, struct observation *o);

#endif
