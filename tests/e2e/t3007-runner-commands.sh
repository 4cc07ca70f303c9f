#!/bin/sh
test_description='a step runs its command as /bin/sh -c would, with or without the shell in between'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'set up' '
	lifebelt init &&
	mkdir t s &&
	printf "echo from-script\n" >s/noshebang &&
	chmod +x s/noshebang &&
	printf "#!/bin/sh\necho \$0 \$#\n" >s/args &&
	chmod +x s/args &&
	printf "#!/bin/sh\necho no\n" >s/notexec &&
	cat >t/lifebelt.json <<-\JSON
	{ "tests": [
	  { "name": "stdin", "run": "cat", "input": "x y", "output": "x y" },
	  { "name": "path", "run": "basename /a/b", "output": "b" },
	  { "name": "argv", "run": "  ./args  one\ttwo  ", "output": "./args 2" },
	  { "name": "script", "run": "./noshebang", "output": "from-script" },
	  { "name": "notexec", "run": "./notexec", "output": "no" },
	  { "name": "missing", "run": "nosuch-program --flag", "output": "x" },
	  { "name": "shell", "run": "X=1; echo $X $HOME | sed s,1,one,", "output": "one /tmp" },
	  { "name": "builtin", "run": "cd /tmp", "output": "" }
	] }
	JSON
'

test_expect_success 'plain commands, scripts, shell syntax and builtins give what sh gives' '
	lifebelt try t s >out &&
	test_grep "^pass  *stdin" out &&
	test_grep "^pass  *path" out &&
	test_grep "^pass  *argv" out &&
	test_grep "^pass  *script" out &&
	test_grep "^pass  *shell" out &&
	test_grep "^pass  *builtin" out
'

test_expect_success 'what cannot run fails with the status and message sh gives' '
	test_grep "^fail  *notexec" out &&
	test_grep "exit status 126" out &&
	test_grep "./notexec: Permission denied" out &&
	test_grep "^fail  *missing" out &&
	test_grep "exit status 127" out &&
	test_grep "nosuch-program: not found" out
'

test_expect_success 'without lifebelt-spawner installed, steps are forked by the runner itself' '
	mkdir bin &&
	cp "$LIFEBELT_BUILD/lifebelt" "$LIFEBELT_BUILD/lifebelt-holder" bin/ &&
	bin/lifebelt try t s >out2 &&
	test_grep "^pass  *script" out2 &&
	test_grep "^fail  *missing" out2 &&
	test_grep "sandbox_per\":\"job\"" out2
'

test_expect_success 'sandboxed code is the OOM killer'"'"'s first choice, whatever the runner'"'"'s own setting' '
	mkdir oom &&
	niceness=$(( $(nice) > 5 ? $(nice) : 5 )) &&
	cat >oom/lifebelt.json <<-JSON &&
	{ "tests": [ { "name": "adj", "run": "cat /proc/self/oom_score_adj", "output": "1000" },
	             { "name": "nice", "run": "nice", "output": "$niceness" } ] }
	JSON
	lifebelt try oom s >out3 &&
	test_grep "^pass  *adj" out3 &&
	test_grep "^pass  *nice" out3 &&
	bin/lifebelt try oom s >out5 &&
	test_grep "^pass  *adj" out5 &&
	test_grep "^pass  *nice" out5
'

test_expect_success 'no control character a submission prints reaches the teacher'"'"'s terminal' '
	mkdir esc &&
	cat >esc/lifebelt.json <<-\JSON &&
	{ "tests": [
	  { "name": "io", "run": "printf \"\\033]0;owned\\007\\033[2J\\302\\233m\"", "output": "x" },
	  { "name": "tap", "run": "printf \"1..1\\nnot ok 1 - \\033[31mred\\n  ---\\n  message: \\033[2Jgone\\n  ...\\n\"", "format": "tap" }
	] }
	JSON
	lifebelt try esc s >out4 &&
	test_grep "^fail  *tap: ?\[31mred" out4 &&
	test_grep "?\[2Jgone" out4 &&
	test_grep "?\]0;owned??\[2J?m" out4 &&
	! grep -q "$(printf "\033")" out4 &&
	! grep -q "$(printf "\302\233")" out4
'

test_done
