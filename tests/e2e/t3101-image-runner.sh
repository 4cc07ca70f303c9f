#!/bin/sh
test_description='an assignment graded in its image: the image is the sandbox, which keeps every limit'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-image.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

test_expect_success 'set up: an image, an assignment in it and one on the host' '
	test -x /usr/bin/gcc && test -f /etc/os-release &&
	lifebelt init >/dev/null &&
	lifebelt course add c1 >/dev/null &&
	lifebelt student add c1 alice >/dev/null &&
	make_tiny_image L t in-the-image &&
	lifebelt image add tiny oci:L:t >/dev/null &&
	mkdir tests-img tests-host &&
	cat >tests-img/lifebelt.json <<-\JSON &&
	{ "image": "tiny",
	  "build": "cat /srv/marker >built",
	  "limits": { "cpu_seconds": 1, "wall_seconds": 3, "memory_mb": 32, "processes": 16 },
	  "tests": [
	    { "name": "marker", "run": "cat built /etc/image-marker", "output": "in-the-image\nin-the-image" },
	    { "name": "no gcc", "run": "test ! -e /usr/bin/gcc && test ! -e /etc/os-release && echo none", "output": "none" },
	    { "name": "user", "run": "id -un; grep -c . /etc/passwd", "output": "nobody\n2" },
	    { "name": "read-only", "output": "tmp",
	      "run": "for d in / /bin /srv /etc; do touch $d/x 2>/dev/null && echo $d; done; touch /tmp/x && echo tmp" },
	    { "name": "no network", "run": "grep -c : /proc/net/dev; wget -T 1 -q -O- http://1.1.1.1/ || echo offline",
	      "output": "1\noffline" },
	    { "name": "student", "run": "sh ./run.sh", "output": "ok" }
	  ] }
	JSON
	# CPU time alone: a wall limit far above it, so that a loaded machine
	# that gives the loop a sliver of a core still stops it for CPU, not wall time.
	mkdir tests-cpu &&
	cat >tests-cpu/lifebelt.json <<-\JSON &&
	{ "image": "tiny", "limits": { "cpu_seconds": 1, "wall_seconds": 60 },
	  "tests": [ { "name": "student", "run": "sh ./run.sh", "output": "ok" } ] }
	JSON
	cat >tests-host/lifebelt.json <<-\JSON &&
	{ "tests": [ { "name": "gcc", "run": "test -x /usr/bin/gcc && echo host", "output": "host" } ] }
	JSON
	lifebelt assignment add c1 img --tests tests-img --due 2030-01-01T00:00:00Z >/dev/null &&
	lifebelt assignment add c1 host --tests tests-host --due 2030-01-01T00:00:00Z >/dev/null &&
	lifebelt assignment add c1 cpu --tests tests-cpu --due 2030-01-01T00:00:00Z >/dev/null &&
	git clone -q "$LIFEBELT_HOME/repos/c1/img/alice.git" a 2>/dev/null &&
	git clone -q "$LIFEBELT_HOME/repos/c1/cpu/alice.git" c 2>/dev/null &&
	git clone -q "$LIFEBELT_HOME/repos/c1/host/alice.git" h 2>/dev/null
'

# submit SCRIPT: alice pushes run.sh to the image assignment (or the one of her clone $clone); $job is its job.
submit() {
	(cd ${clone:-a} && printf "%s\n" "$1" >run.sh && git add -A && git commit -q -m "try $(date +%s%N)" &&
	 git push -q origin HEAD:main) 2>/dev/null &&
	job=$(db "SELECT max(id) FROM jobs")
}
verdict() { db "SELECT verdict FROM results WHERE job_id = $job AND name = '$1'"; }
# done_job: the newest job is done (test_wait_until asks again and again).
done_job() { test "$(db "SELECT state FROM jobs WHERE id = $job")" = done; }

test_expect_success 'a push is graded in the image, not on the host' '
	submit "echo ok" &&
	lifebelt runner --drain 2>runner.log &&
	db "SELECT name, verdict, output FROM results WHERE job_id = $job AND verdict != '"'pass'"'" &&
	test "$(db "SELECT state, status, score FROM jobs WHERE id = $job")" = "done|passed|6.0"
'

test_expect_success 'provenance records the image, its digest and its root' '
	job=$(db "SELECT max(id) FROM jobs") &&
	db "SELECT provenance FROM jobs WHERE id = $job" >prov &&
	test_grep "\"image\":{\"name\":\"tiny\",\"digest\":\"$(image_digest tiny)\"}" prov &&
	test_grep "\"root\":\"image\"" prov &&
	test_grep "\"sandbox_per\":\"job\"" prov
'

test_expect_success 'memory, CPU and process limits fire inside the image' '
	submit "a=\$(head -c 200000000 /dev/zero | tr \"\\\\0\" a); echo \${#a}" &&
	lifebelt runner --drain 2>/dev/null &&
	test "$(verdict student)" = memory_limit &&
	clone=c submit "while :; do :; done" &&
	lifebelt runner --drain 2>/dev/null &&
	db "SELECT verdict, detail FROM results WHERE job_id = $job" &&
	test "$(verdict student)" = time_limit &&
	submit "i=0; while test \$i -lt 40; do sleep 5 & i=\$((i + 1)); done; wait" &&
	lifebelt runner --drain 2>/dev/null &&
	db "SELECT verdict, output FROM results WHERE job_id = $job AND name = '"'student'"'" >out &&
	cat out &&
	test_grep "^fail|.*can.t fork" out &&
	test "$(verdict marker)" = pass
'

test_expect_success 'one runner grades host and image jobs in turn, each in its own root' '
	test_bg lifebelt runner --workers 1 &&
	for i in 1 2 3; do
		submit "echo ok; : $i" &&
		test_wait_until done_job &&
		test "$(db "SELECT status FROM jobs WHERE id = $job")" = passed &&
		(cd h && echo $i >f && git add f && git commit -q -m $i && git push -q origin HEAD:main) 2>/dev/null &&
		job=$(db "SELECT max(id) FROM jobs") &&
		test_wait_until done_job &&
		test "$(db "SELECT status FROM jobs WHERE id = $job")" = passed &&
		db "SELECT provenance FROM jobs WHERE id = $job" >prov &&
		test_grep "\"image\":null" prov &&
		test_grep "\"root\":\"host\"" prov || return 1
	done &&
	test_cleanup
'

test_expect_success 'an image removed and added again is the new tree in a running runner' '
	test_bg lifebelt runner --workers 1 &&
	submit "echo ok; : before" &&
	test_wait_until done_job &&
	test "$(db "SELECT status FROM jobs WHERE id = $job")" = passed &&
	tree=$LIFEBELT_HOME/images/$(image_digest tiny | sed s/sha256://) &&
	db "DELETE FROM images" && rm -rf "$tree" &&
	lifebelt image add tiny oci:L:t >/dev/null &&
	test -d "$tree/rootfs/bin" &&
	submit "echo ok; : after" &&
	test_wait_until done_job &&
	db "SELECT name, verdict, output FROM results WHERE job_id = $job AND verdict != '"'pass'"'" &&
	test "$(db "SELECT status FROM jobs WHERE id = $job")" = passed &&
	test_cleanup
'

test_expect_success 'sandbox.image gives an assignment that names none the image' '
	lifebelt config set sandbox.image tiny >/dev/null &&
	(cd h && echo 9 >f && git add f && git commit -q -m 9 && git push -q origin HEAD:main) 2>/dev/null &&
	job=$(db "SELECT max(id) FROM jobs") &&
	lifebelt runner --drain 2>/dev/null &&
	test "$(db "SELECT status FROM jobs WHERE id = $job")" = failed &&
	db "SELECT provenance FROM jobs WHERE id = $job" >prov &&
	test_grep "\"image\":{\"name\":\"tiny\"" prov &&
	lifebelt config set sandbox.image "" >/dev/null
'

test_expect_success 'an image gone from the server is an infrastructure fault, never a score' '
	db "DELETE FROM images" &&
	submit "echo ok; : again" &&
	lifebelt runner --drain 2>/dev/null &&
	db "SELECT state, status, error FROM jobs WHERE id = $job" >out &&
	cat out &&
	test_grep "^infra_error||the image .tiny. is not on this server" out &&
	test -z "$(db "SELECT id FROM results WHERE job_id = $job")"
'

test_done
