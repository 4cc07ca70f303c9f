# lib-image.sh: a small real OCI image for the image tests (sourced after test-lib.sh).

# make_tiny_image LAYOUT TAG MARKER: an OCI layout at LAYOUT whose image TAG
# is Debian's static busybox as /bin/busybox with its applets linked
# beside it, /etc/image-marker and /srv/marker holding MARKER; made with
# umoci as an image builder would (init, new, unpack, repack).
make_tiny_image() {
	test -d "$1" || umoci init --layout "$1" || return 1
	umoci new --image "$1:$2" &&
	umoci unpack --rootless --image "$1:$2" bundle-$2 >/dev/null &&
	mkdir -p bundle-$2/rootfs/bin bundle-$2/rootfs/etc bundle-$2/rootfs/srv &&
	cp /bin/busybox bundle-$2/rootfs/bin/busybox &&
	for a in $(/bin/busybox --list); do
		test "$a" = busybox || ln -s busybox "bundle-$2/rootfs/bin/$a" || return 1
	done &&
	echo "$3" >bundle-$2/rootfs/etc/image-marker &&
	echo "$3" >bundle-$2/rootfs/srv/marker &&
	umoci repack --image "$1:$2" bundle-$2 >/dev/null &&
	rm -rf bundle-$2
}

# image_digest NAME: the digest `lifebelt image add` recorded for NAME.
image_digest() {
	sqlite3 "$LIFEBELT_HOME/lifebelt.db" "SELECT digest FROM images WHERE name = '$1'"
}

# make_tools_image LAYOUT TAG: an OCI layout whose image TAG holds what the
# hostile submissions of lib-hostile.sh run and no more: Debian's static
# busybox and its applets, and the host's own curl and python3 with the
# libraries they load (as ldd lists them) and the modules python3 imports
# for them. No compiler: a C submission comes as a static binary.
make_tools_image() {
	umoci init --layout "$1" &&
	umoci new --image "$1:$2" &&
	umoci unpack --rootless --image "$1:$2" bundle-$2 >/dev/null &&
	r=bundle-$2/rootfs &&
	mkdir -p $r/bin $r/usr/bin $r/etc $r/tmp &&
	cp /bin/busybox $r/bin/busybox &&
	for a in $(/bin/busybox --list); do
		test "$a" = busybox || ln -s busybox "$r/bin/$a" || return 1
	done &&
	cp -L /usr/bin/curl $r/usr/bin/curl &&
	cp -L /usr/bin/python3 $r/usr/bin/python3 &&
	/usr/bin/python3 -c 'import glob, os, socket, sys, time
print("\n".join(m.__file__ for m in list(sys.modules.values()) if getattr(m, "__file__", None)))' >files &&
	ldd /usr/bin/curl /usr/bin/python3 $(grep "\.so$" files) |
		awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && NF > 1 { print $1 }' >>files &&
	sort -u files | while read -r f; do
		mkdir -p "$r${f%/*}" && cp -L "$f" "$r$f" || return 1
	done &&
	# Where python3 looks for its compiled modules: there, if empty.
	mkdir -p "$r$(/usr/bin/python3 -c 'import sys; print("%s/lib/python%d.%d/lib-dynload" % ((sys.base_exec_prefix,) + sys.version_info[:2]))')" &&
	umoci repack --image "$1:$2" bundle-$2 >/dev/null &&
	rm -rf bundle-$2 files
}

# refused WHAT ARGS...: lifebelt ARGS fails with one line naming WHAT, and stores nothing.
refused() {
	what=$1 && shift &&
	test_snapshot before &&
	test_must_fail lifebelt "$@" >out 2>err &&
	cat err &&
	test $(wc -l <err) = 1 &&
	test_grep "$what" err &&
	test ! -s out &&
	test_snapshot after &&
	test_cmp before after
}
