#!/bin/sh
test_description='a report file on a Slurm node: a test clears only its own, and one that is no file is told as here'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/slurm/lib-slurm.sh"

test_expect_success 'setup: a one-node cluster on 127.0.0.1' '
	slurm_up
'

# A junit report with one passing and one failing case, in out/r.xml; the
# same in out/r2.xml, which the student also committed.
mkdir -p local sub/out
cat >sub/make-report.sh <<\EOF
cat >out/r.xml <<XML
<testsuite name="calc"><testcase name="adds"/><testcase name="divides"><failure>boom</failure></testcase></testsuite>
XML
EOF
sed "s|out/r.xml|out/r2.xml|" sub/make-report.sh >sub/make-r2.sh && (cd sub && sh make-r2.sh)
cat >local/lifebelt.json <<\JSON
{ "tests": [
    { "name": "committed, read first", "format": "junit", "run": "cat out/r2.xml" },
    { "name": "writes", "format": "junit", "report": "out/r.xml", "run": "sh make-report.sh" },
    { "name": "reads the one before", "format": "junit", "run": "cat out/r.xml" },
    { "name": "writes none: not the one before", "format": "junit", "report": "out/r.xml", "run": "true" },
    { "name": "its own, written", "format": "junit", "report": "out/r2.xml", "run": "sh make-r2.sh" },
    { "name": "a symlink", "format": "junit", "report": "out/l.xml", "run": "ln -s r.xml out/l.xml" },
    { "name": "through a symlink", "format": "junit", "report": "link/r.xml", "run": "ln -s out link" },
    { "name": "a directory", "format": "junit", "report": "out/d.xml", "run": "mkdir out/d.xml" },
    { "name": "a directory, again", "format": "junit", "report": "out/d.xml", "run": "true" },
    { "name": "a fifo", "format": "junit", "report": "out/f.xml", "run": "mkfifo out/f.xml" }
  ] }
JSON
mkdir viaslurm && sed 's/^{ "tests"/{ "executor": "slurm", "tests"/' local/lifebelt.json >viaslurm/lifebelt.json

verdicts() {
	sed -n "/^[a-z_][a-z_]* /p" "$1"
}

test_expect_success 'the same verdicts through Slurm as here' '
	lifebelt try local sub >out.local 2>&1 &&
	lifebelt try viaslurm sub >out.slurm 2>&1 &&
	test_grep "\"kind\":\"slurm\"" out.slurm &&
	verdicts out.local >v.local && verdicts out.slurm >v.slurm &&
	cat v.slurm &&
	test_grep "^pass  *committed, read first: adds" v.local &&
	test_grep "^pass  *reads the one before: adds" v.local &&
	test_grep "^fail  *writes none: not the one before " v.local &&
	test_cmp v.local v.slurm &&
	test_wait_until test -z "$(slurm_jobs)"
'

test_expect_success 'a report that is no regular file: the same details through Slurm as here' '
	grep -v "^s[pa][en][cd]" out.local >d.local &&
	grep -v "^s[pa][en][cd]" out.slurm >d.slurm &&
	test_grep "no report out/l.xml (it is a symlink)" d.local &&
	test_grep "no report link/r.xml (it is a symlink)" d.local &&
	test_grep "report out/d.xml is not a regular file" d.local &&
	test_grep "not run: the report out/d.xml is a directory" d.local &&
	test_grep "report out/f.xml is not a regular file" d.local &&
	test_cmp d.local d.slurm
'

test_done
