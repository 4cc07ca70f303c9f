/* t-spec.c: reading lifebelt.json and autograding.json, and which file of a tests directory is the spec. */
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

/* A workflow of one io grader, and the older one that only runs autograding.json. */
static const char workflow[] =
	"jobs:\n  t:\n    steps:\n    - uses: actions/checkout@v4\n"
	"    - id: t\n      uses: classroom-resources/autograding-io-grader@v1\n"
	"      with: {test-name: t, command: ./t, expected-output: x, comparison-method: exact}\n"
	"    - uses: classroom-resources/autograding-grading-reporter@v1\n"
	"      env: {T_RESULTS: \"${{steps.t.outputs.result}}\"}\n"
	"      with: {runners: t}\n";
static const char oldest[] =
	"jobs:\n  build:\n    steps:\n      - uses: actions/checkout@v4\n"
	"      - uses: education/autograding@v1\n";

/* Which file of a tests directory is the spec, and what is said of the others. */
static void spec_files(void)
{
	struct buf p = BUF_INIT;
	struct spec s;

	buf_addf(&p, "%s/.github/workflows", dir);
	fs_mkdir_p(p.buf, 0755);
	buf_reset(&p);
	buf_addf(&p, "%s/.github/classroom", dir);
	fs_mkdir_p(p.buf, 0755);
	put("classroom.yml", workflow);
	ok(!spec_load(dir, &s), "classroom.yml at the top loads");
	is_str(spec_file(&s), "classroom.yml", "named as in the tests directory");
	ok(s.workflow && s.nr == 1 && !s.warnings, "as a workflow, no warning");
	spec_release(&s);

	put(".github/workflows/classroom.yml", workflow);
	ok(!spec_load(dir, &s), ".github/workflows/classroom.yml loads");
	is_str(spec_file(&s), ".github/workflows/classroom.yml", "it comes first");
	ok(s.warnings && strstr(s.warnings, "classroom.yml is ignored: .github/workflows/classroom.yml is the spec"),
	   "the other is named as ignored");
	spec_release(&s);

	put(".github/classroom/autograding.json", "{\"tests\": [{\"name\": \"t\", \"run\": \"true\"}]}");
	put("lifebelt.json", "{\"tests\": [{\"name\": \"t\", \"run\": \"true\"}]}");
	ok(!spec_load(dir, &s), "lifebelt.json beside both");
	ok(!s.workflow && !s.classroom, "lifebelt.json wins");
	ok(s.warnings && strstr(s.warnings, ".github/workflows/classroom.yml is ignored: lifebelt.json is the spec\n") &&
	   strstr(s.warnings, ".github/classroom/autograding.json is ignored: lifebelt.json is the spec\n"),
	   "the others are ignored with a warning each");
	spec_release(&s);

	buf_reset(&p);
	buf_addf(&p, "%s/lifebelt.json", dir);
	unlink(p.buf);
	buf_reset(&p);
	buf_addf(&p, "%s/classroom.yml", dir);
	unlink(p.buf);
	put(".github/workflows/classroom.yml", oldest);
	ok(!spec_load(dir, &s), "the older workflow beside autograding.json");
	ok(s.classroom && !s.workflow && s.nr == 1, "grades autograding.json");
	is_str(spec_file(&s), ".github/classroom/autograding.json", "which is the spec");
	ok(!s.warnings, "the workflow that leads to it is not ignored");
	spec_release(&s);

	put(".github/workflows/classroom.yml", workflow);
	ok(!spec_load(dir, &s), "a generated workflow beside autograding.json");
	ok(s.workflow && s.warnings && strstr(s.warnings, ".github/classroom/autograding.json is ignored"),
	   "the workflow wins, as it is what GitHub ran");
	spec_release(&s);
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
	buf_reset(&p);
	buf_addf(&p, "%s/.github/classroom/autograding.json", dir);
	unlink(p.buf);
	spec_files();
	fs_remove_tree(dir);
	is_int(spec_check_dir(dir), -1, "a missing directory is refused");
	buf_release(&p);
	return done_testing();
}
