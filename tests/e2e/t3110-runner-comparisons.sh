#!/bin/sh
test_description='io tests compare word by word, without case, numbers within a tolerance; a failing visible test shows its input'
. "$(dirname "$0")/test-lib.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

refused() {
	# refused JSON-TESTS MESSAGE: assignment add refuses the spec, naming the field
	rm -rf bad && mkdir bad &&
	printf '{ "tests": [ %s ] }\n' "$1" >bad/lifebelt.json &&
	test_must_fail lifebelt assignment add c1 bad --tests bad --due 2030-01-01T00:00:00Z 2>err &&
	test_grep "$2" err &&
	test "$(wc -l <err)" = 1
}

WEB_PORT=$(test_free_port)
WEB=http://127.0.0.1:$WEB_PORT
test_expect_success 'set up a course whose tests use each comparison' '
	lifebelt init &&
	lifebelt config set web.url "$WEB" &&
	lifebelt course add c1 &&
	lifebelt student add c1 alice &&
	mkdir tests &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "tests": [
	    { "name": "ws pass", "run": "printf \"  a\\t\\t b\\r\\n\\n c  \\n\"", "output": "a b\nc", "comparison": "whitespace" },
	    { "name": "ws fail", "run": "printf \"a b\\nc d\"", "output": "a b\nc e", "comparison": "whitespace" },
	    { "name": "exact keeps spaces", "run": "printf \"a  b\"", "output": "a b" },
	    { "name": "case pass", "run": "echo HELLO world", "output": "Hello World", "ignore_case": true },
	    { "name": "case fail", "run": "echo HELLO world", "output": "Hello World" },
	    { "name": "case regex", "run": "echo HELLO world", "output": "^hello W", "comparison": "regex", "ignore_case": true },
	    { "name": "case words", "run": "echo HELLO   world", "output": "Hello World", "comparison": "whitespace", "ignore_case": true },
	    { "name": "num pass", "run": "echo pi 3.1415", "output": "pi 3.142", "comparison": "numbers", "tolerance": 0.001 },
	    { "name": "num edge pass", "run": "echo 0.5", "output": "0.25", "comparison": "numbers", "tolerance": 0.25 },
	    { "name": "num edge fail", "run": "echo 0.5001", "output": "0.25", "comparison": "numbers", "tolerance": 0.25 },
	    { "name": "num relative", "run": "echo 1000000999", "output": "1e9", "comparison": "numbers" },
	    { "name": "num default", "run": "echo 0.3333333333", "output": "0.333333", "comparison": "numbers" },
	    { "name": "num default fail", "run": "echo 0.33334", "output": "0.333333", "comparison": "numbers" },
	    { "name": "num words exact", "run": "echo y 1", "output": "x 1", "comparison": "numbers", "tolerance": 5 },
	    { "name": "num nan", "run": "echo nan", "output": "1", "comparison": "numbers", "tolerance": 1e300 },
	    { "name": "input shown", "run": "cat; echo extra", "input": "<b>7 & 8</b>\n", "output": "<b>7 & 8</b>" }
	  ] }
	JSON
	lifebelt assignment add c1 hw --tests tests --due 2030-01-01T00:00:00Z
'

test_expect_success 'a comparison or its options wrong are refused at assignment add, the field named' '
	refused "{ \"name\": \"a\", \"run\": \"true\", \"output\": \"x\", \"comparison\": \"fuzzy\" }" \
		"tests\\[0\\]: field .comparison. must be \"exact\", \"included\", \"regex\", \"whitespace\" or \"numbers\"" &&
	refused "{ \"name\": \"a\", \"run\": \"true\", \"output\": \"x\", \"tolerance\": 1 }" \
		"tests\\[0\\]: field .tolerance. is for comparison \"numbers\" only" &&
	refused "{ \"name\": \"a\", \"run\": \"true\", \"output\": \"x\", \"comparison\": \"numbers\", \"tolerance\": -1 }" \
		"tests\\[0\\]: field .tolerance. must be a number, 0 or above" &&
	refused "{ \"name\": \"a\", \"run\": \"true\", \"output\": \"x\", \"comparison\": \"numbers\", \"tolerance\": \"1\" }" \
		"tests\\[0\\]: field .tolerance. must be a number, 0 or above" &&
	refused "{ \"name\": \"a\", \"run\": \"true\", \"output\": \"x\", \"ignore_case\": 1 }" \
		"tests\\[0\\]: field .ignore_case. must be true or false" &&
	refused "{ \"name\": \"a\", \"run\": \"true\", \"ignore_case\": true }" \
		"tests\\[0\\]: field .ignore_case. needs field .output." &&
	refused "{ \"name\": \"a\", \"run\": \"true\", \"comparison\": \"numbers\" }" \
		"tests\\[0\\]: comparison \"numbers\" needs field .output." &&
	refused "{ \"name\": \"a\", \"run\": \"true\", \"comparison\": \"whitespace\" }" \
		"tests\\[0\\]: comparison \"whitespace\" needs field .output." &&
	test "$(db "SELECT count(*) FROM assignments WHERE name = '\''bad'\''")" = 0
'

test_expect_success 'a pushed submission is graded with each comparison' '
	git clone -q "$LIFEBELT_HOME/repos/c1/hw/alice.git" clone &&
	(cd clone && echo work >README && git add README && git commit -q -m work &&
	 git push -q origin HEAD:main) &&
	lifebelt runner --drain &&
	db "SELECT name, verdict FROM results ORDER BY seq" >actual &&
	cat >expect <<-\EOF &&
	ws pass|pass
	ws fail|fail
	exact keeps spaces|fail
	case pass|pass
	case fail|fail
	case regex|pass
	case words|pass
	num pass|pass
	num edge pass|pass
	num edge fail|fail
	num relative|pass
	num default|pass
	num default fail|fail
	num words exact|fail
	num nan|fail
	input shown|fail
	EOF
	test_cmp expect actual
'

test_expect_success 'a word-by-word failure names the first word that differs and its line' '
	db "SELECT detail FROM results WHERE name = '\''ws fail'\''" >detail &&
	test_grep "^word 4 (line 2 of the output):" detail &&
	test_grep "^- expected: e" detail &&
	test_grep "^+ got:      d" detail &&
	db "SELECT detail FROM results WHERE name = '\''num edge fail'\''" >detail &&
	test_grep "^- expected: 0.25$" detail &&
	test_grep "^+ got:      0.5001" detail
'

test_expect_success 'a failing visible test shows its input, escaped on the page' '
	db "SELECT detail FROM results WHERE name = '\''input shown'\''" >detail &&
	test_grep "^input:" detail &&
	test_grep "^<b>7 & 8</b>" detail &&
	lifebelt token alice >token &&
	link=$(sed -n "s/^web: *//p" token) &&
	test_bg lifebelt serve --workers 0 --listen "127.0.0.1:$WEB_PORT" 2>serve.log &&
	test_wait_port "$WEB_PORT" &&
	curl -s -o page.html "$link/s/1" &&
	test_grep "input:" page.html &&
	test_grep "&lt;b&gt;7 &amp; 8&lt;/b&gt;" page.html &&
	! grep "<b>7" page.html
'

test_expect_success 'a long input is cut, saying how much is left out' '
	mkdir long && python3 -c "import json; print(json.dumps({\"tests\": [{\"name\": \"long\", \"run\": \"echo no\", \"input\": \"x\" * 5000 + \"END\", \"output\": \"yes\"}]}))" >long/lifebelt.json &&
	mkdir sub && echo hi >sub/README &&
	lifebelt try long sub >out &&
	test_grep "\\[\\.\\.\\. 2955 more bytes of input not shown \\.\\.\\.\\]" out &&
	! grep END out
'

test_done
