#!/bin/sh
test_description='lifebelt image add, list and rm: real OCI layouts and docker save archives through skopeo and umoci'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-image.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }
trees() { ls "$LIFEBELT_HOME/images" | wc -l; }
# column NAME COLUMN: the images row of NAME.
column() { db "SELECT $2 FROM images WHERE name = '$1'"; }

test_expect_success 'set up: a data directory and a tiny image built with umoci' '
	lifebelt init >/dev/null &&
	lifebelt course add c1 >/dev/null &&
	make_tiny_image L t one &&
	make_tiny_image L other two &&
	test -f L/index.json
'

test_expect_success 'an OCI layout is unpacked once, under its manifest digest' '
	lifebelt image add tiny oci:L:t >out &&
	cat out &&
	digest=$(image_digest tiny) &&
	# The manifest digest the layout gives it: nothing was converted.
	grep -q "\"digest\":\"$digest\"[^}]*ref.name\":\"t\"" L/index.json &&
	test_grep "^tiny: $digest, " out &&
	tree=$LIFEBELT_HOME/images/${digest#sha256:}/rootfs &&
	test -x "$tree/bin/busybox" &&
	test -L "$tree/bin/sh" &&
	test "$(cat "$tree/etc/image-marker")" = one &&
	test "$(trees)" = 1 &&
	test "$(column tiny source)" = oci:L:t &&
	test "$(column tiny "size > 1000000")" = 1
'

test_expect_success 'a second add of the same image shares its tree' '
	lifebelt image add tiny-too oci:L:t >out &&
	test_grep "shared" out &&
	test "$(image_digest tiny-too)" = "$(image_digest tiny)" &&
	test "$(trees)" = 1
'

test_expect_success 'what docker save writes is read too, once' '
	skopeo copy -q oci:L:other docker-archive:saved.tar:tiny:latest &&
	lifebelt image add saved docker-archive:saved.tar >out &&
	test_grep "^saved: sha256:" out &&
	test "$(cat "$LIFEBELT_HOME/images/$(image_digest saved | sed s/sha256://)/rootfs/srv/marker")" = two &&
	test "$(trees)" = 2 &&
	lifebelt image add saved-again docker-archive:saved.tar >out &&
	test_grep "shared" out &&
	test "$(trees)" = 2
'

test_expect_success 'image list: name, digest, size, added, users' '
	lifebelt image list >out &&
	cat out &&
	short=$(image_digest tiny | cut -c8-19) &&
	grep "^tiny  *$short  *[0-9.]* MiB  20[0-9-]* [0-9:]* UTC  -$" out &&
	test_grep "^saved  " out &&
	test $(wc -l <out) = 5
'

test_expect_success 'bad sources are refused with one line, and nothing is stored' '
	refused "unknown image source .L:t.: give docker-archive:FILE.tar" image add x L:t &&
	refused "docker-archive:nosuch.tar: no such file" image add x docker-archive:nosuch.tar &&
	mkdir notalayout &&
	refused "oci:notalayout: not an OCI layout" image add x oci:notalayout &&
	refused "cannot read oci:L:nosuchtag: .*nosuchtag" image add x oci:L:nosuchtag &&
	echo "not a tar" >garbage.tar &&
	refused "cannot read docker-archive:garbage.tar: " image add x docker-archive:garbage.tar &&
	refused "docker:// needs an image reference" image add x docker:// &&
	refused "image name" image add Bad/Name oci:L:t &&
	refused "image .tiny. exists (sha256:" image add tiny oci:L:other
'

test_expect_success 'a registry that cannot be reached is named as such' '
	port=$(test_free_port) &&
	refused "cannot fetch docker://127.0.0.1:$port/tiny:1: its registry cannot be reached" \
		image add x docker://127.0.0.1:$port/tiny:1
'

test_expect_success 'an image without /bin/sh is refused, its tree not kept' '
	umoci new --image L:noshell &&
	umoci unpack --rootless --image L:noshell b >/dev/null &&
	mkdir b/rootfs/bin && cp /bin/busybox b/rootfs/bin/busybox &&
	ln -s /bin/busybox b/rootfs/bin/ash &&
	umoci repack --image L:noshell b >/dev/null &&
	refused "oci:L:noshell has no /bin/sh: every step runs as /bin/sh -c" image add x oci:L:noshell &&
	# A /bin/sh that leads out of the image is not one: it is resolved inside the tree.
	umoci unpack --rootless --image L:noshell b2 >/dev/null &&
	ln -s ../../../../../../../../bin/sh b2/rootfs/bin/sh &&
	rm b2/rootfs/bin/busybox &&
	umoci repack --image L:noshell b2 >/dev/null &&
	refused "has no /bin/sh" image add x oci:L:noshell &&
	test -z "$(ls -A "$LIFEBELT_HOME/images" | grep "^\.")"
'

test_expect_success 'an assignment naming an unknown image is refused, listing the known ones' '
	mkdir tests-x &&
	cat >tests-x/lifebelt.json <<-\JSON &&
	{ "image": "java17", "tests": [ { "name": "t", "run": "true" } ] }
	JSON
	refused "lifebelt.json: no image .java17. on this server; known images: saved, saved-again, tiny, tiny-too" \
		assignment add c1 x --tests tests-x --due 2030-01-01T00:00:00Z &&
	cat >tests-x/lifebelt.json <<-\JSON &&
	{ "image": 17, "tests": [ { "name": "t", "run": "true" } ] }
	JSON
	refused "lifebelt.json: field .image. must be an image.s name" \
		assignment add c1 x --tests tests-x --due 2030-01-01T00:00:00Z
'

test_expect_success 'image rm is refused while an assignment uses it' '
	mkdir tests-hw &&
	cat >tests-hw/lifebelt.json <<-\JSON &&
	{ "image": "tiny", "tests": [ { "name": "t", "run": "true" } ] }
	JSON
	lifebelt assignment add c1 hw --tests tests-hw --due 2030-01-01T00:00:00Z >/dev/null &&
	lifebelt image list >out &&
	grep "^tiny .* c1/hw$" out &&
	refused "image .tiny. is in use by c1/hw" image rm tiny &&
	refused "no image .nosuch." image rm nosuch
'

test_expect_success 'image rm of a name whose tree another name shares keeps the tree' '
	tree=$LIFEBELT_HOME/images/$(image_digest tiny | sed s/sha256://) &&
	lifebelt image rm tiny-too >out &&
	test_grep "its tree stays" out &&
	test -x "$tree/rootfs/bin/busybox" &&
	test -z "$(image_digest tiny-too)"
'

test_expect_success 'sandbox.image: an image the server has, or empty; rm refused while it is the default' '
	refused "sandbox.image: no image .nosuch. on this server" config set sandbox.image nosuch &&
	refused "sandbox.image must be an image.s name" config set sandbox.image "a b" &&
	lifebelt config set sandbox.image saved &&
	lifebelt image list >out &&
	grep "^saved .*the server.s default (sandbox.image)$" out &&
	refused "image .saved. is the server.s default" image rm saved &&
	lifebelt config set sandbox.image "" &&
	test -z "$(lifebelt config get sandbox.image)"
'

test_expect_success 'image rm of the last name removes the tree' '
	tree=$LIFEBELT_HOME/images/$(image_digest saved | sed s/sha256://) &&
	lifebelt image rm saved >out &&
	test -d "$tree" &&
	lifebelt image rm saved-again >out &&
	cat out &&
	test ! -e "$tree" &&
	test "$(trees)" = 1 &&
	test -z "$(ls -A "$LIFEBELT_HOME/images" | grep "^\.")"
'

test_done
