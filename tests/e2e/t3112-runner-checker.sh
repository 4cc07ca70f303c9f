#!/bin/sh
test_description='a teacher checker decides a test in a directory of its own; a hostile student output cannot sway it'
. "$(dirname "$0")/test-lib.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

refused() {
	# refused JSON-TESTS MESSAGE: assignment add refuses the spec, naming the field
	rm -rf bad && mkdir bad && cp tests/check.py bad/ &&
	printf '{ "tests": [ %s ] }\n' "$1" >bad/lifebelt.json &&
	test_must_fail lifebelt assignment add c1 bad --tests bad --due 2030-01-01T00:00:00Z 2>err &&
	test_grep "$2" err &&
	test "$(wc -l <err)" = 1
}

test_expect_success 'set up an assignment whose tests a Python checker decides' '
	lifebelt init &&
	lifebelt course add c1 &&
	lifebelt student add c1 alice &&
	mkdir tests &&
	cat >tests/check.py <<-\PY &&
	#!/usr/bin/env python3
	# The sum of the input numbers, or the expected output when there is one.
	import json, os, sys
	inp, exp, act = (open(p, "rb").read() for p in sys.argv[1:4])
	want = exp.strip() or str(sum(int(x) for x in inp.split())).encode()
	got = act.strip()
	if got == want and os.path.basename(os.getcwd()).startswith(".lifebelt-checker-"):
	    sys.exit(0)
	print("want %s, got %s (%d bytes)" % (want.decode(), json.dumps(got[:20].decode("latin-1")), len(act)))
	sys.exit(1)
	PY
	chmod +x tests/check.py &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "tests": [
	    { "name": "right", "run": "sh prog.sh right", "input": "3 4", "checker": "check.py" },
	    { "name": "wrong", "run": "sh prog.sh wrong", "input": "3 4", "checker": "check.py" },
	    { "name": "expected used", "run": "echo 12", "input": "3 4", "output": "12", "checker": "check.py" },
	    { "name": "exit status fails first", "run": "echo 7; exit 3", "input": "3 4", "checker": "check.py" },
	    { "name": "huge", "run": "sh prog.sh huge", "input": "3 4", "checker": "check.py" },
	    { "name": "binary", "run": "sh prog.sh binary", "input": "3 4", "checker": "check.py" },
	    { "name": "metachars", "run": "sh prog.sh meta", "input": "3 4", "checker": "check.py" },
	    { "name": "planted", "run": "sh prog.sh planted", "input": "3 4", "checker": "check.py" },
	    { "name": "tamper wrong", "run": "sh prog.sh tamper-wrong", "input": "3 4", "checker": "check.py" },
	    { "name": "tamper right", "run": "sh prog.sh tamper-right", "input": "3 4", "checker": "check.py" },
	    { "name": "nothing left", "run": "ls -a | grep -c lifebelt-checker; true", "output": "0" },
	    { "name": "hidden wrong", "run": "sh prog.sh wrong", "input": "3 4", "checker": "check.py", "hidden": true }
	  ] }
	JSON
	lifebelt assignment add c1 hw --tests tests --due 2030-01-01T00:00:00Z
'

test_expect_success 'a checker that is missing, misplaced or beside a comparison is refused at assignment add' '
	refused "{ \"name\": \"a\", \"run\": \"true\", \"checker\": \"nothere.py\" }" \
		"tests\\[0\\]: field .checker.: nothere.py is not a file in the tests directory" &&
	refused "{ \"name\": \"a\", \"run\": \"true\", \"checker\": \"../check.py\" }" \
		"tests\\[0\\]: field .checker. must be a file of the tests directory" &&
	refused "{ \"name\": \"a\", \"run\": \"true\", \"checker\": \"-x\" }" \
		"tests\\[0\\]: field .checker. must be a file of the tests directory" &&
	refused "{ \"name\": \"a\", \"run\": \"true\", \"checker\": \"check.py\", \"comparison\": \"exact\" }" \
		"tests\\[0\\]: field .comparison. does not go with .checker." &&
	refused "{ \"name\": \"a\", \"run\": \"true\", \"checker\": \"check.py\", \"format\": \"tap\" }" \
		"tests\\[0\\]: field .checker. is for format \"io\" only" &&
	refused "{ \"name\": \"a\", \"run\": \"true\", \"checker\": 7 }" \
		"tests\\[0\\]: field .checker. must be a string"
'

test_expect_success 'a hostile submission is pushed and graded' '
	mkdir sub &&
	cat >sub/prog.sh <<-\EOF &&
	tamper() {
		# left running after the step: tries to rewrite what the checker reads
		setsid sh -c "i=0; while [ \$i -lt 300 ]; do for d in .lifebelt-checker-*; do
			[ -d \"\$d\" ] && { echo $1 >\"\$d/actual\"; cp json.py \"\$d/json.py\"; cp check.py \"\$d/check.py\"; }
			done; i=\$((i + 1)); sleep 0.01; done" </dev/null >/dev/null 2>&1 &
	}
	case $1 in
	right) cat >/dev/null; echo 7 ;;
	wrong) echo 8 ;;
	huge) head -c 3000000 /dev/zero | tr "\\0" 7 ;;
	binary) printf "7\\000\\377\\033[2J" ;;
	meta) printf "%s\\n" "7\$(touch pwned)\`touch pwned\`; exit 0 & | > actual" ;;
	planted) echo 9 ;;
	tamper-wrong) tamper 7; echo 8 ;;
	tamper-right) tamper 8; echo 7 ;;
	esac
	EOF
	# Names a careless checker could pick up: its own, its arguments, a module, an interpreter.
	printf "import sys\nsys.exit(0)\n" >sub/check.py &&
	printf "import sys\nsys.exit(0)\n" >sub/json.py &&
	printf "#!/bin/sh\nexit 0\n" >sub/python3 && chmod +x sub/python3 &&
	ln -s /dev/null sub/actual && echo 9 >sub/expected && echo 4 5 >sub/input &&
	git clone -q "$LIFEBELT_HOME/repos/c1/hw/alice.git" clone &&
	cp -R sub/. clone/ &&
	(cd clone && git add -A && git commit -q -m work && git push -q origin HEAD:main) &&
	lifebelt runner --drain &&
	db "SELECT name, verdict FROM results ORDER BY seq" >actual &&
	cat >expect <<-\EOF &&
	right|pass
	wrong|fail
	expected used|pass
	exit status fails first|fail
	huge|fail
	binary|fail
	metachars|fail
	planted|fail
	tamper wrong|fail
	tamper right|pass
	nothing left|pass
	hidden wrong|fail
	EOF
	test_cmp expect actual
'

test_expect_success 'what the checker printed is the detail of a visible test, not of a hidden one' '
	db "SELECT detail FROM results WHERE name = '\''wrong'\''" >detail &&
	test_grep "^the checker failed it$" detail &&
	test_grep "^want 7, got \"8\" (2 bytes)$" detail &&
	db "SELECT detail FROM results WHERE name = '\''huge'\''" >detail &&
	test_grep "(3000000 bytes)" detail &&
	db "SELECT detail FROM results WHERE name = '\''binary'\''" >detail &&
	test_grep "(7 bytes)" detail &&
	db "SELECT detail FROM results WHERE name = '\''exit status fails first'\''" >detail &&
	test_grep "^exit status 3$" detail &&
	test "$(db "SELECT detail FROM results WHERE name = '\''hidden wrong'\''")" = ""
'

test_expect_success 'the student'\''s output reached the checker only as a file: nothing ran' '
	db "SELECT detail FROM results WHERE name = '\''metachars'\''" >detail &&
	test_grep "got \"7\$(touch pwned)" detail &&
	lifebelt try tests sub >try.out &&
	test_grep "^fail  *metachars" try.out &&
	test_grep "^pass  *tamper right" try.out
'

test_expect_success 'a checker that fails itself fails the test, saying so' '
	mkdir broken && cp tests/check.py broken/ &&
	printf "#!/bin/sh\nsleep 30\n" >broken/slow.sh && chmod +x broken/slow.sh &&
	cat >broken/lifebelt.json <<-\JSON &&
	{ "limits": { "wall_seconds": 1 },
	  "tests": [ { "name": "slow", "run": "echo 7", "checker": "slow.sh" } ] }
	JSON
	lifebelt try broken sub >out &&
	test_grep "the checker was stopped: wall-clock limit" out
'

test_done
