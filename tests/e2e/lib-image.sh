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
