#!/bin/sh
test_description='nothing a student commits or writes changes what the teacher'"'"'s Python checker runs'
. "$(dirname "$0")/test-lib.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

test_expect_success 'set up an assignment checked by the teacher'"'"'s check.py' '
	lifebelt init &&
	lifebelt course add c1 &&
	lifebelt student add c1 mallory &&
	mkdir tests &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "build": "sh build.sh",
	  "files": ["check.py", "data.txt"],
	  "tests": [
	    { "name": "checked", "run": "python3 check.py", "output": "correct" },
	    { "name": "home", "run": "echo $HOME", "output": "/tmp" },
	    { "name": "checked again", "run": "python3 check.py", "output": "correct" },
	    { "name": "data", "run": "echo more >>data.txt && cat data.txt", "output": "teacher\nmore" },
	    { "name": "data again", "run": "echo more >>data.txt && cat data.txt", "output": "teacher\nmore" }
	  ] }
	JSON
	cat >tests/check.py <<-\PY &&
	import subprocess
	out = subprocess.run(["sh", "prog.sh"], capture_output=True, text=True).stdout.strip()
	print("correct" if out == "42" else "wrong: " + out)
	PY
	echo teacher >tests/data.txt &&
	lifebelt assignment add c1 h --tests tests --due 2030-01-01T00:00:00Z &&
	git clone -q "$LIFEBELT_HOME/repos/c1/h/mallory.git" m 2>/dev/null &&
	python3 -c "import sys; print(\"python%d.%d\" % sys.version_info[:2])" >pyver &&
	echo "echo 41" >m/prog.sh &&
	echo true >m/build.sh
'

# submit: mallory pushes what is in m; sets $job and $verdict (of "checked").
submit() {
	(cd m && git add -A && git commit -q -m "try $(date +%s%N)" && git push -q origin HEAD:main) 2>/dev/null &&
	lifebelt runner --drain 2>runner.log &&
	job=$(db "SELECT max(id) FROM jobs") &&
	test "$(db "SELECT state FROM jobs WHERE id = $job")" = done &&
	verdict=$(db "SELECT verdict FROM results WHERE job_id = $job AND name = 'checked'") &&
	db "SELECT name, verdict, output FROM results WHERE job_id = $job"
}

cat >forged.py <<\PY
import builtins, sys
builtins.print = lambda *a, **k: sys.stdout.write("correct\n")
PY

test_expect_success 'a subprocess.py beside check.py does not replace the standard one' '
	cat >m/subprocess.py <<-\PY &&
	class R:
	    stdout = "42"
	def run(*a, **k):
	    return R()
	PY
	submit &&
	test "$verdict" = fail &&
	test "$(db "SELECT verdict FROM results WHERE job_id = $job AND name = '"'"'home'"'"'")" = pass
'

test_expect_success 'a committed usercustomize.py in .local is never imported' '
	rm m/subprocess.py &&
	mkdir -p "m/.local/lib/$(cat pyver)/site-packages" &&
	cp forged.py "m/.local/lib/$(cat pyver)/site-packages/usercustomize.py" &&
	cp forged.py "m/.local/lib/$(cat pyver)/site-packages/sitecustomize.py" &&
	submit &&
	test "$verdict" = fail
'

test_expect_success 'nor one the build writes into HOME' '
	rm -rf m/.local &&
	cp forged.py m/uc.py &&
	echo "d=\$HOME/.local/lib/$(cat pyver)/site-packages; mkdir -p \$d && cp uc.py \$d/usercustomize.py" >m/build.sh &&
	submit &&
	test "$verdict" = fail
'

test_expect_success 'nor can the build or an earlier test rewrite check.py' '
	rm m/uc.py &&
	echo "echo \"print(\\\"correct\\\")\" >check.py" >m/build.sh &&
	submit &&
	test "$verdict" = fail &&
	echo true >m/build.sh &&
	echo "echo \"print(\\\"correct\\\")\" >check.py; echo 41" >m/prog.sh &&
	submit &&
	test "$verdict" = fail &&
	test "$(db "SELECT verdict FROM results WHERE job_id = $job AND name = '"'"'checked again'"'"'")" = fail
'

test_expect_success 'the right program still passes; each test finds the teacher'"'"'s data as it was' '
	echo true >m/build.sh &&
	echo "echo 42" >m/prog.sh &&
	submit &&
	test "$verdict" = pass &&
	test "$(db "SELECT status FROM jobs WHERE id = $job")" = passed
'

test_expect_success 'a student'"'"'s program of several modules runs as it is, also under an isolated checker' '
	mkdir py &&
	cat >py/lifebelt.json <<-\JSON &&
	{ "files": ["run.py"],
	  "tests": [ { "name": "modules", "run": "python3 main.py", "output": "helped" },
	             { "name": "checker", "run": "python3 run.py", "output": "helped" },
	             { "name": "isolated", "run": "python3 ./run.py --where", "output": "isolated" } ] }
	JSON
	cat >py/run.py <<-\PY &&
	import subprocess, sys
	if sys.argv[1:] == ["--where"]:
	    print("isolated" if sys.flags.isolated and "" not in sys.path else "not isolated")
	else:
	    print(subprocess.run([sys.executable, "main.py"], capture_output=True, text=True).stdout.strip())
	PY
	mkdir pysub &&
	echo "import helper; helper.go()" >pysub/main.py &&
	echo "def go(): print(\"helped\")" >pysub/helper.py &&
	lifebelt try py pysub >out &&
	test_grep "^pass  *modules" out &&
	test_grep "^pass  *checker" out &&
	test_grep "^pass  *isolated" out
'

test_done
