/* t-spec.c: reading lifebelt.json and autograding.json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "../../runner/spec.h"
#include "../../lib/buf.h"
#include "../../lib/fsutil.h"
#include "../../lib/banned.h"

static char dir[] = "/tmp/t-spec.XXXXXX";

static void put(const char *rel, const char *text)
{
	struct buf p = BUF_INIT;

	buf_addf(&p, "%s/%s", dir, rel);
	fs_write_atomic(p.buf, text, strlen(text), 0644);
	buf_release(&p);
}

int main(void)
{
	struct spec s;
	struct limits l;
	struct buf p = BUF_INIT;

	if (!mkdtemp(dir))
		return 1;
	put("lifebelt.json", "{\"build\": \"make\", \"files\": [\"data.txt\"],"
	    "\"limits\": {\"cpu_seconds\": 2, \"memory_mb\": 128},"
	    "\"tests\": [{\"name\": \"a\", \"run\": \"./a\", \"input\": \"1\", \"output\": \"2\","
	    " \"comparison\": \"included\", \"timeout\": 3, \"points\": 4, \"hidden\": true},"
	    " {\"name\": \"b\", \"run\": \"./b\", \"format\": \"junit\", \"report\": \"r.xml\"},"
	    " {\"name\": \"c\", \"run\": \"./c\", \"format\": \"tap\", \"cases\": 7, \"skipped\": \"exclude\"}]}");
	put("data.txt", "x");
	ok(!spec_load(dir, &s), "a full lifebelt.json loads");
	is_int(s.classroom, 0, "native format");
	is_str(s.build, "make", "build");
	is_int(s.nr, 3, "three tests");
	is_int(s.nr_files, 1, "one teacher file");
	is_str(s.tests[0].input, "1", "input");
	is_int(s.tests[0].cmp, CMP_INCLUDED, "comparison");
	ok(s.tests[0].timeout == 3, "timeout in seconds");
	ok(s.tests[0].points == 4, "points");
	is_int(s.tests[0].hidden, 1, "hidden");
	ok(s.tests[1].points == 1, "points default to 1");
	is_int(s.tests[1].cmp, CMP_EXACT, "comparison defaults to exact");
	is_int(s.tests[1].format, FORMAT_JUNIT, "format");
	is_str(s.tests[1].report, "r.xml", "report");
	is_int(s.tests[1].cases, 0, "the number of cases follows the report by default");
	is_int(s.tests[1].skipped, SKIPPED_ZERO, "a skipped case earns nothing by default");
	is_int(s.tests[2].cases, 7, "cases");
	is_int(s.tests[2].skipped, SKIPPED_EXCLUDE, "skipped");
	limits_default(&l);
	limits_merge(&l, &s.limits);
	ok(l.cpu == 2 && l.memory == 128 << 20 && l.wall == 15 && l.processes == 64,
	   "spec limits override the defaults, the rest stay");
	spec_release(&s);

	put("lifebelt.json", "{\"tests\": [{\"name\": \"c\", \"run\": \"./c\", \"format\": \"tap\","
	    " \"skipped\": \"ignore\"}]}");
	is_int(spec_check_dir(dir), -1, "an unknown value of skipped is refused");
	put("lifebelt.json", "{\"tests\": [{\"name\": \"c\", \"run\": \"./c\", \"format\": \"tap\","
	    " \"cases\": 2.5}]}");
	is_int(spec_check_dir(dir), -1, "a fractional number of cases is refused");
	put("lifebelt.json", "{\"tests\": [{\"name\": \"c\", \"run\": \"./c\", \"cases\": 3}]}");
	is_int(spec_check_dir(dir), -1, "cases on an io test is refused");

	buf_addf(&p, "%s/lifebelt.json", dir);
	unlink(p.buf);
	buf_reset(&p);
	buf_addf(&p, "%s/.github/classroom", dir);
	fs_mkdir_p(p.buf, 0755);
	put(".github/classroom/autograding.json", "{\"tests\": [{\"name\": \"t\", \"run\": \"x\","
	    " \"timeout\": 0.5, \"points\": \"3\", \"comparison\": \"odd\", \"title\": 1},"
	    " {\"name\": \"u\", \"run\": \"y\", \"timeout\": null, \"points\": 2}]}");
	ok(!spec_load(dir, &s), "autograding.json loads, unknown keys ignored");
	is_int(s.classroom, 1, "classroom format");
	ok(s.tests[0].timeout == 30, "timeout in minutes");
	ok(s.tests[1].timeout == 60, "missing timeout is one minute");
	ok(s.tests[0].points == 0, "non-number points count nothing");
	ok(s.tests[1].points == 2, "number points count");
	is_int(s.tests[0].cmp, CMP_INCLUDED, "unknown comparison is included");
	spec_release(&s);

	put(".github/classroom/autograding.json", "{\"tests\": [{\"name\": \"t\"}]}");
	is_int(spec_check_dir(dir), -1, "a test without run is refused");
	fs_remove_tree(dir);
	is_int(spec_check_dir(dir), -1, "a missing directory is refused");
	buf_release(&p);
	return done_testing();
}
