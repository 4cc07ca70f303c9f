#!/bin/sh
test_description='an image laid out as Debian is (merged /usr, dynamic programs, its own /etc) from what docker save writes, graded end to end'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-image.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

# The host's dash and cat with the C library they load, where Debian has
# them: /usr/bin, /usr/lib/x86_64-linux-gnu, /usr/lib64; /bin, /lib and
# /lib64 are symlinks into /usr; /bin/sh -> dash. Its /etc has its own
# ld.so.conf, a marker and accounts of its own, which the sandbox replaces.
make_debianish() {
	umoci init --layout D && umoci new --image D:12 &&
	umoci unpack --rootless --image D:12 B >/dev/null &&
	r=B/rootfs && multi=$(dirname "$(ldd /usr/bin/dash | awk "/libc.so/ { print \$3 }")") &&
	mkdir -p $r/usr/bin $r/usr/lib64 "$r/usr/lib/$(basename $multi)" $r/etc/ld.so.conf.d $r/opt/tool &&
	cp /usr/bin/dash /usr/bin/cat $r/usr/bin/ &&
	cp -L $multi/libc.so.6 "$r/usr/lib/$(basename $multi)/" &&
	cp -L /lib64/ld-linux-x86-64.so.2 $r/usr/lib64/ &&
	ln -s usr/bin $r/bin && ln -s usr/lib $r/lib && ln -s usr/lib64 $r/lib64 &&
	ln -s dash $r/usr/bin/sh &&
	echo "from the image" >$r/etc/image-marker &&
	echo "include /etc/ld.so.conf.d/*.conf" >$r/etc/ld.so.conf &&
	echo "student:x:1000:1000::/home/student:/bin/sh" >$r/etc/passwd &&
	echo "secret" >$r/etc/private && chmod 600 $r/etc/private &&
	echo tool >$r/opt/tool/version &&
	umoci repack --image D:12 B >/dev/null &&
	skopeo copy -q oci:D:12 docker-archive:debianish.tar:debianish:12
}

test_expect_success 'set up: the image as docker save writes it, added' '
	lifebelt init >/dev/null &&
	lifebelt course add c1 >/dev/null &&
	lifebelt student add c1 alice >/dev/null &&
	make_debianish &&
	lifebelt image add debianish docker-archive:debianish.tar >out &&
	test_grep "^debianish: sha256:" out &&
	mkdir tests &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "image": "debianish",
	  "tests": [
	    { "name": "dynamic", "run": "cat /etc/image-marker /opt/tool/version", "output": "from the image\ntool" },
	    { "name": "merged usr", "run": "test -h /bin && test -h /lib64 && test -x /lib64/ld-linux-x86-64.so.2 && echo merged", "output": "merged" },
	    { "name": "etc", "run": "cat /etc/ld.so.conf; cat /etc/passwd; test -e /etc/private || echo no-private",
	      "output": "include /etc/ld.so.conf.d/*.conf\nroot:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nno-private" },
	    { "name": "student", "run": "sh ./run.sh", "output": "ok" }
	  ] }
	JSON
	lifebelt assignment add c1 hw --tests tests --due 2030-01-01T00:00:00Z >/dev/null
'

test_expect_success 'a real push is graded in it' '
	git clone -q "$LIFEBELT_HOME/repos/c1/hw/alice.git" a 2>/dev/null &&
	(cd a && echo "echo ok" >run.sh && git add run.sh && git commit -q -m w && git push -q origin HEAD:main) 2>/dev/null &&
	lifebelt runner --drain 2>runner.log &&
	db "SELECT name, verdict, output, detail FROM results WHERE verdict != '"'pass'"'" &&
	test "$(db "SELECT status, score FROM jobs")" = "passed|4.0" &&
	db "SELECT provenance FROM jobs" >prov &&
	test_grep "\"image\":{\"name\":\"debianish\",\"digest\":\"$(image_digest debianish)\"}" prov
'

test_done
