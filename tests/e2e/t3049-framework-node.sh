#!/bin/sh
test_description='a node:test suite is graded case by case as node judges it (tap and junit reporters)'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-frameworks.sh"

test_expect_success 'set up a course, a node:test suite and a submission' '
	node -e "require(\"node:test\")" &&
	fw_setup &&
	mkdir tests-tap tests-junit sub &&
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
	cp calc.test.js tests-tap/ && cp calc.test.js tests-junit/ &&
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
	test $(wc -l <oracle) = 10
'

fw_expect_agree 'Lifebelt grades each case as node does (tap reporter)' \
	ntap tests-tap sub oracle node order

fw_expect_agree 'Lifebelt grades each case as node does (junit reporter)' \
	njunit tests-junit sub oracle node name

test_done
