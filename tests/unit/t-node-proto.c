/* t-node-proto.c: the frames between the Slurm executor and node-exec, and Slurm's end states. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "../../runner/node-proto.h"
#include "../../runner/slurm.h"
#include "../../lib/buf.h"
#include "../../lib/banned.h"

static void test_observation(void)
{
	struct observation o, back;
	struct buf b = BUF_INIT, t = BUF_INIT;
	int i;

	memset(&o, 0, sizeof(o));
	capture_init(&o.out, 8, 1);
	capture_init(&o.err, 8, 0);
	for (i = 0; i < 10; i++)
		capture_add(&o.out, "0123456789", 10);
	capture_add(&o.err, "ab", 2);
	o.signal = SIGKILL;
	o.cpu = 1.5;
	o.wall = 2.25;
	o.peak_memory = 12345;
	o.fired = FIRED_MEMORY;
	o.procs_capped = 1;
	node_obs_encode(&b, &o);
	ok(!node_obs_decode(b.buf, b.len, 8, 1000, &back), "an observation decodes");
	capture_text(&back.out, &t);
	is_str(t.buf, "0123\n[... 92 bytes elided ...]\n6789", "stdout's head, tail and elided count");
	is_int(back.out.total, 100, "its total");
	is_int(back.out.all.len, 100, "all of it, kept for the comparison");
	buf_reset(&t);
	capture_text(&back.err, &t);
	is_str(t.buf, "ab", "stderr");
	ok(!back.exited && back.signal == SIGKILL && back.fired == FIRED_MEMORY && back.procs_capped &&
	   back.peak_memory == 12345 && back.cpu == 1.5 && back.wall == 2.25, "every field");
	ok(!back.fault, "no fault");
	observation_release(&back);

	ok(node_obs_decode(b.buf, b.len, 4, 1000, &back), "more than a capture of the runner's size holds is refused");
	ok(node_obs_decode(b.buf, b.len - 1, 8, 1000, &back), "a short payload is refused");
	b.buf[4] = '[';
	ok(node_obs_decode(b.buf, b.len, 8, 1000, &back), "a malformed head is refused");
	observation_release(&o);

	memset(&o, 0, sizeof(o));
	capture_init(&o.out, 8, 0);
	capture_init(&o.err, 8, 0);
	o.exited = 1;
	o.status = 3;
	o.peak_memory = -1;
	o.fault = strdup("no sandbox");
	buf_reset(&b);
	node_obs_encode(&b, &o);
	ok(!node_obs_decode(b.buf, b.len, 8, 1000, &back) && back.exited && back.status == 3 &&
	   back.peak_memory == -1 && back.fault && !strcmp(back.fault, "no sandbox"),
	   "an empty observation with a fault");
	observation_release(&back);
	observation_release(&o);
	buf_release(&b);
	buf_release(&t);
}

static void test_step_header_entry(void)
{
	struct step st = { "echo hi", "in\0put", 6, 2, 3.5, 1, NULL, NULL, 0 }, back;
	struct limits l, lb;
	struct node_entry e;
	struct buf b = BUF_INIT;
	char label[32], **rb, **fb;
	const char *reports[] = { "out/r.xml", NULL }, *bad_reports[] = { "../r.xml", NULL };
	const char *files[] = { "check.py", "data/", NULL };

	node_step_encode(&b, &st);
	ok(!node_step_decode(b.buf, b.len, &back) && !strcmp(back.cmd, "echo hi") && back.input_len == 6 &&
	   !memcmp(back.input, "in\0put", 6) && back.cpu == 2 && back.wall == 3.5 && back.keep_stdout,
	   "a step round-trips, its input's bytes included");
	node_step_release(&back);
	buf_reset(&b);
	st.report = "out/r.xml";
	node_step_encode(&b, &st);
	ok(!node_step_decode(b.buf, b.len, &back) && back.report && !strcmp(back.report, "out/r.xml"),
	   "a step names the report its test reads");
	node_step_release(&back);
	buf_reset(&b);
	st.report = "abcdefghi";
	node_step_encode(&b, &st);
	/* The same length, so that the JSON's length before it holds. */
	memcpy(memmem(b.buf, b.len, "\"abcdefghi\"", 11), "[1,2,3,45] ", 11);
	ok(node_step_decode(b.buf, b.len, &back), "a step whose report is not a path is refused");
	buf_reset(&b);
	st.report = NULL;
	st.wall = -1;
	node_step_encode(&b, &st);
	ok(node_step_decode(b.buf, b.len, &back), "a step without a wall limit is refused");

	limits_default(&l);
	l.memory = 64 << 20;
	buf_reset(&b);
	node_header_encode(&b, "job-1-2", &l, reports, files);
	ok(!node_header_decode(b.buf, b.len, label, sizeof(label), &lb, &rb, &fb) && !strcmp(label, "job-1-2") &&
	   lb.memory == l.memory && lb.wall == l.wall && rb && rb[0] && !strcmp(rb[0], "out/r.xml") && !rb[1] &&
	   fb && !strcmp(fb[0], "check.py") && !strcmp(fb[1], "data") && !fb[2],
	   "the header carries label, limits, report paths and the teacher's files");
	node_reports_free(rb);
	node_reports_free(fb);
	ok(node_header_decode(b.buf, b.len, label, 4, &lb, &rb, &fb) && !rb, "a label too long is refused");
	buf_reset(&b);
	node_header_encode(&b, "job-1-2", &l, bad_reports, NULL);
	ok(node_header_decode(b.buf, b.len, label, sizeof(label), &lb, &rb, &fb) && !rb && !fb,
	   "a report path leaving the work directory is refused");

	buf_reset(&b);
	node_entry_encode(&b, S_IFREG | 0755, "d/run.sh", "echo", 4);
	ok(!node_entry_decode(b.buf, b.len, &e) && !strcmp(e.path, "d/run.sh") && e.len == 4 &&
	   e.mode == (S_IFREG | 0755), "an entry round-trips");
	free(e.path);
	buf_reset(&b);
	node_entry_encode(&b, S_IFREG | 0644, "../x", "", 0);
	ok(node_entry_decode(b.buf, b.len, &e), "an entry climbing out is refused");
	buf_reset(&b);
	node_entry_encode(&b, S_IFCHR | 0644, "dev", "", 0);
	ok(node_entry_decode(b.buf, b.len, &e), "a device is refused");
	buf_reset(&b);
	node_entry_encode(&b, S_IFREG | 04755, "suid", "", 0);
	ok(!node_entry_decode(b.buf, b.len, &e), "mode bits are the runner's; the node drops set-uid");
	free(e.path);
	ok(!node_path_ok("/etc/passwd") && !node_path_ok("a//b") && !node_path_ok("a/./b") &&
	   !node_path_ok("a/") && !node_path_ok("") && node_path_ok("a/.b/..c"), "paths");
	buf_release(&b);
}

static void test_frames(void)
{
	struct buf b = BUF_INIT, p = BUF_INIT, big = BUF_INIT;
	struct node_reader r = NODE_READER_INIT(-1);
	int fds[2], kind = 0;
	size_t i;

	if (pipe(fds))
		abort();
	node_reader_init(&r, fds[0]);
	node_frame(&b, NODE_GO, NULL, 0);
	node_frame(&b, NODE_JOB, "42", 2);
	ok(!node_write(fds[1], &b), "frames written");
	ok(!node_read(&r, &kind, &p, 0, NULL) && kind == NODE_GO && !p.len, "an empty frame");
	ok(node_reader_ready(&r), "the next frame was read with the first");
	ok(!node_read(&r, &kind, &p, 0, NULL) && kind == NODE_JOB && p.len == 2 && !memcmp(p.buf, "42", 2),
	   "a frame with its payload");
	ok(!node_reader_ready(&r), "nothing more to read");

	/* A frame larger than a read, between two small ones, from a writer that takes its time. */
	for (i = 0; i < 200000; i++)
		buf_addch(&big, (int)(i * 7 % 251));
	buf_reset(&b);
	node_frame(&b, NODE_STEP, "s", 1);
	node_frame(&b, NODE_ENTRY, big.buf, big.len);
	node_frame(&b, NODE_END, NULL, 0);
	if (!fork()) {
		size_t at = 0;

		close(fds[0]);
		while (at < b.len) {
			size_t n = b.len - at < 70000 ? b.len - at : 70000;

			if (write(fds[1], b.buf + at, n) != (ssize_t)n)
				_exit(1);
			at += n;
			usleep(20000);
		}
		_exit(0);
	}
	ok(!node_read(&r, &kind, &p, 0, NULL) && kind == NODE_STEP && p.len == 1, "a small frame ahead");
	ok(!node_read(&r, &kind, &p, 0, NULL) && kind == NODE_ENTRY && p.len == big.len &&
	   !memcmp(p.buf, big.buf, big.len), "a large frame, whole, across reads");
	ok(!node_read(&r, &kind, &p, 0, NULL) && kind == NODE_END && !p.len, "the frame after it");
	wait(NULL);

	buf_reset(&b);
	buf_add(&b, "O\x7f\0\0\0", 5);
	node_write(fds[1], &b);
	ok(node_read(&r, &kind, &p, 0, NULL) == -1, "an oversized frame is refused");
	close(fds[1]);
	node_reader_init(&r, fds[0]);
	ok(node_read(&r, &kind, &p, 0, NULL) == 1, "the end of input between frames");
	close(fds[0]);
	node_reader_release(&r);
	buf_release(&b);
	buf_release(&p);
	buf_release(&big);
}

static void test_end_states(void)
{
	struct buf s = BUF_INIT;

	is_int(slurm_end_parse("JobId=7 JobName=lb-job-1 JobState=OUT_OF_MEMORY Reason=OutOfMemory Dependency=(null)", &s),
	       SLURM_END_MEMORY, "OUT_OF_MEMORY is the memory verdict");
	is_str(s.buf, "OUT_OF_MEMORY (OutOfMemory)", "named with its reason");
	is_int(slurm_end_parse("JobId=7 JobState=NODE_FAIL Reason=NodeDown", &s), SLURM_END_FAULT, "NODE_FAIL is a fault");
	is_int(slurm_end_parse("JobId=7 JobState=TIMEOUT Reason=TimeLimit", &s), SLURM_END_FAULT, "TIMEOUT is a fault");
	is_int(slurm_end_parse("JobId=7 JobState=PREEMPTED", &s), SLURM_END_FAULT, "PREEMPTED is a fault");
	is_int(slurm_end_parse("JobId=7 JobState=CANCELLED Reason=None", &s), SLURM_END_FAULT, "CANCELLED is a fault");
	is_int(slurm_end_parse("JobId=7 JobState=OUT_OF_MEMORYX", &s), SLURM_END_FAULT, "only the whole word counts");
	is_int(slurm_end_parse("JobId=7 XJobState=OUT_OF_MEMORY Comment=JobState=OUT_OF_MEMORY", &s), SLURM_END_FAULT,
	       "only the JobState field counts");
	is_int(slurm_end_parse("", &s), SLURM_END_FAULT, "no answer is a fault");
	is_str(s.buf, "unknown (Slurm no longer knows the job)", "and says so");
	buf_release(&s);
}

int main(void)
{
	test_observation();
	test_step_header_entry();
	test_frames();
	test_end_states();
	return done_testing();
}
