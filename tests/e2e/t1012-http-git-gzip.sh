#!/bin/bash
test_description='over HTTP: gzip request bodies are inflated with a cap; real gzip fetches work'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-gitd.sh"
. "$TEST_DIRECTORY/lib-httpgit.sh"

gitd_course && start_serve && token alice ||
	{ echo "Bail out! cannot set up a course and lifebelt serve"; exit 1; }
GIT_HTTP_LOW_SPEED_LIMIT=1 GIT_HTTP_LOW_SPEED_TIME=10
export GIT_HTTP_LOW_SPEED_LIMIT GIT_HTTP_LOW_SPEED_TIME
A=http://alice:$TOKEN_alice@127.0.0.1:$HTTP_PORT/git

# gzip_bomb COMMIT: a fetch that wants COMMIT and has a made-up one 5 million
# times, gzip-compressed: 250 MiB that compress to about 250 KiB.
gzip_bomb() {
	python3 - "$1" <<-\PY
	import sys, zlib
	z = zlib.compressobj(9, zlib.DEFLATED, 31)
	out = [z.compress(b"0032want %s\n0000" % sys.argv[1].encode())]
	chunk = b"0032have %s\n" % (b"1" * 40) * (1 << 16)
	out += [z.compress(chunk) for i in range(80)]
	out.append(z.flush())
	sys.stdout.buffer.write(b"".join(out))
	PY
}

# CPU seconds serve and its reaped children have used.
serve_cpu() {
	awk '{ printf "%.2f\n", ($14 + $15 + $16 + $17) / 100 }' /proc/$SERVE_PID/stat
}

test_expect_success 'a gzip bomb to upload-pack is refused with 413, without inflating it all' '
	gzip_bomb $(server_ref cs101/hw1/alice.git main) >bomb.gz &&
	test $(wc -c <bomb.gz) -lt 1000000 &&
	before=$(serve_cpu) &&
	curl -s -o body -w "%{http_code} %{time_total}\n" -m 60 -u alice:$TOKEN_alice \
		-H "Content-Type: application/x-git-upload-pack-request" \
		-H "Content-Encoding: gzip" --data-binary @bomb.gz \
		$HTTP_URL/git/cs101/hw1/git-upload-pack >result &&
	after=$(serve_cpu) &&
	cat result body &&
	read -r code secs <result &&
	test "$code" = 413 &&
	test_grep "inflates to more than" body &&
	awk -v a="$after" -v b="$before" -v s="$secs" "BEGIN { exit a - b >= 3 || s >= 10 }"
'

# Refused while the rest of it still arrives: read to its end and dropped,
# it is answered then (a server can answer no sooner), not cut off unanswered.
test_expect_success 'a gzip bomb sent slowly gets its 413 too, refused before it is all in' '
	curl -s -o body -w "%{http_code}\n" -m 60 --limit-rate 100k -u alice:$TOKEN_alice \
		-H "Content-Type: application/x-git-upload-pack-request" \
		-H "Content-Encoding: gzip" --data-binary @bomb.gz \
		$HTTP_URL/git/cs101/hw1/git-upload-pack >code &&
	cat code body &&
	echo 413 >expect && test_cmp expect code &&
	test_grep "inflates to more than" body
'

test_expect_success 'no git process is left of it' '
	wait_no_backends 10
'

test_expect_success 'an unknown Content-Encoding is refused' '
	curl -s -o body -w "%{http_code}\n" -m 20 -u alice:$TOKEN_alice \
		-H "Content-Type: application/x-git-upload-pack-request" \
		-H "Content-Encoding: br" --data-binary @bomb.gz \
		$HTTP_URL/git/cs101/hw1/git-upload-pack >code &&
	echo 415 >expect && test_cmp expect code &&
	test_grep "only gzip" body
'

repo=$LIFEBELT_HOME/repos/cs101/hw1/alice.git
# branches FROM TO: branches bFROM..bTO in alice's repository, each at a commit of its own.
branches() {
	for i in $(seq $1 $2); do
		c=$(git --git-dir=$repo commit-tree -p main -m b$i main^{tree}) &&
		git --git-dir=$repo update-ref refs/heads/b$i $c || return 1
	done
}
test_expect_success 'setup: many branches, so that git compresses its requests' '
	branches 1 60
'

test_expect_success 'git clone over HTTP with a gzip request works' '
	GIT_TRACE_CURL=$PWD/trace.clone git clone -q $A/cs101/hw1 clone &&
	grep -i "Content-Encoding: gzip" trace.clone &&
	test $(git -C clone branch -r | grep -c "origin/b") = 60
'

test_expect_success 'git fetch over HTTP with a gzip request works' '
	(cd clone && echo more >>main.c && git commit -qam more && git push -q origin HEAD:main) &&
	branches 61 120 &&
	GIT_TRACE_CURL=$PWD/trace.fetch git -C clone fetch -q origin &&
	grep -i "Content-Encoding: gzip" trace.fetch &&
	test $(git -C clone branch -r | grep -c "origin/b") = 120
'

test_expect_success 'clean up' '
	kill -KILL -$SERVE_PID 2>/dev/null
	for p in $(cgi_procs); do kill -KILL ${p#/proc/} 2>/dev/null; done
	true
'

test_done
