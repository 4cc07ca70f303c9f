#!/bin/sh
test_description='a node:test suite is graded case by case as node judges it (tap and junit reporters)'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-frameworks.sh"

test_expect_success 'set up a course, a node:test suite and a submission' '
	node -e "require(\"node:test\")" &&
	fw_setup &&
	mkdir tests-tap tests-junit tests-cdata sub &&
	cat >tests-tap/lifebelt.json <<-\EOF &&
	{ "files": ["calc.test.js"],
	  "limits": { "cpu_seconds": 20, "wall_seconds": 30 },
	  "tests": [ { "name": "node", "format": "tap", "run": "node --test --test-reporter=tap calc.test.js" } ] }
	EOF
	cat >tests-junit/lifebelt.json <<-\EOF &&
	{ "files": ["calc.test.js"],
	  "limits": { "cpu_seconds": 20, "wall_seconds": 30 },
	  "tests": [ { "name": "node", "format": "junit", "report": "report.xml",
	      "run": "node --test --test-reporter=junit --test-reporter-destination=report.xml calc.test.js" } ] }
	EOF
	cat >calc.test.js <<-\EOF &&
	const test = require("node:test");
	const assert = require("node:assert");
	const { add } = require("./calc.js");
	test("adds", () => { assert.strictEqual(add(2, 3), 5); });
	test("prints markup", () => {
		console.log("<failure message=\"no\">]]></failure> & <error/> <skipped/>");
		assert.strictEqual(add(1, 1), 2);
	});
	test("wrong", () => { assert.strictEqual(add(2, 2), 5, "why: add(2, 2) is not 5 <&>"); });
	test("throws", () => { throw new Error("why: the code blew up"); });
	test("skipped", { skip: "not graded" }, () => {});
	test("skip inside", (t) => { t.skip("no network"); });
	test("todo failing", { todo: "later" }, () => { assert.fail("why: not yet"); });
	test("todo passing", { todo: true }, () => {});
	test("a > b & c < d # e", () => { assert.strictEqual(add(1, 2), 3); });
	test("x<y]]>&# fails", () => { assert.fail("why: ]]> <&> in the message"); });
	EOF
	cp calc.test.js tests-tap/ && cp calc.test.js tests-cdata/ &&
	cp tests-junit/lifebelt.json tests-cdata/ &&
	sed "s/why: ]]> /why: /" calc.test.js >tests-junit/calc.test.js &&
	echo "exports.add = (a, b) => a + b;" >sub/calc.js
'

# node's TAP lines are node's verdicts. prove (TAP::Parser 3.44) cannot be
# the judge here: it stops at the first YAML block whose message holds an
# empty line ("Badly formed hash line"), as assert's messages do.
test_expect_success 'node'"'"'s own verdicts' '
	mkdir own && cp calc.test.js sub/calc.js own/ &&
	(cd own && { node --test --test-reporter=tap calc.test.js >../own.tap; test $? = 1; }) &&
	fw_oracle nodetap oracle own.tap &&
	test $(grep -c "^pass" oracle) = $(sed -n "s/^# pass //p" own.tap) &&
	test $(grep -c "^fail" oracle) = $(sed -n "s/^# fail //p" own.tap) &&
	test $(grep -c "^skip" oracle) = $(($(sed -n "s/^# skipped //p" own.tap) + $(sed -n "s/^# todo //p" own.tap))) &&
	test $(wc -l <oracle) = 10 &&
	(cd own && cp ../tests-junit/calc.test.js . &&
	 { node --test --test-reporter=tap calc.test.js >../own-junit.tap; test $? = 1; } &&
	 { node --test --test-reporter=junit --test-reporter-destination=junit.xml calc.test.js; test $? = 1; } &&
	 cp ../calc.test.js . &&
	 { node --test --test-reporter=junit --test-reporter-destination=cdata.xml calc.test.js; test $? = 1; }) &&
	fw_oracle nodetap oracle-junit own-junit.tap &&
	python3 -c "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])" own/junit.xml &&
	test_must_fail python3 -c "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])" own/cdata.xml 2>err &&
	test_grep "not well-formed" err
'

fw_expect_agree 'Lifebelt grades each case as node does (tap reporter)' \
	ntap tests-tap sub oracle node order

fw_expect_agree 'Lifebelt grades each case as node does (junit reporter)' \
	njunit tests-junit sub oracle-junit node name

# node 20 writes a failure message into the report as text, "]]>" and all:
# that is no XML, and no case of it is trusted.
test_expect_success 'a junit report with "]]>" in a failure message earns nothing' '
	fw_grade ncdata tests-cdata sub &&
	test "$(cat ncdata.score)" = 0.0 &&
	test "$(fw_db "SELECT count(*) FROM results WHERE job_id = $fw_job AND verdict != '"'"'fail'"'"'")" = 0
'


test_done
