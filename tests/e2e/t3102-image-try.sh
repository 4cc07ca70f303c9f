#!/bin/sh
test_description='lifebelt try in an image: the holder as root, a sandbox per step without root'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-image.sh"

as_nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups "$@"; }

test_expect_success 'set up: an image and tests naming it, readable by anyone' '
	lifebelt init >/dev/null &&
	make_tiny_image L t tried &&
	lifebelt image add tiny oci:L:t >/dev/null &&
	mkdir -p tests sub &&
	cat >tests/lifebelt.json <<-\JSON &&
	{ "image": "tiny",
	  "limits": { "wall_seconds": 2 },
	  "tests": [
	    { "name": "marker", "run": "cat /srv/marker /etc/image-marker", "output": "tried\ntried" },
	    { "name": "no host", "run": "test ! -e /usr/bin/gcc && echo none", "output": "none" },
	    { "name": "read-only", "output": "tmp",
	      "run": "for d in / /bin /srv /etc; do touch $d/x 2>/dev/null && echo $d; done; touch /tmp/x && echo tmp" },
	    { "name": "sleep", "run": "sleep 30" }
	  ] }
	JSON
	chmod -R a+rX . &&
	chmod a+rx "$TRASH_DIRECTORY"
'

check() {
	cat out &&
	test_grep "^image: tiny $(image_digest tiny)$" out &&
	test_grep "\"root\":\"image\"" out &&
	test_grep "^pass  *marker" out &&
	test_grep "^pass  *no host" out &&
	test_grep "^pass  *read-only" out &&
	test_grep "^wall_limit  *sleep" out
}

test_expect_success 'as root: one holder for the job, in the image' '
	lifebelt try tests sub >out 2>err &&
	check &&
	test_grep "\"sandbox_per\":\"job\"" out
'

test_expect_success 'as an ordinary user: a bwrap per step, in the image' '
	# On a Slurm node the job runs as this user too: a lifebelt it can reach
	# (the build may be in a home no other user can enter).
	if test -n "${LIFEBELT_TEST_EXECUTOR:-}"; then
		mkdir -p node-bin && cp "$LIFEBELT_BUILD"/lifebelt "$LIFEBELT_BUILD"/lifebelt-* node-bin/ &&
		chmod -R a+rX node-bin &&
		lifebelt config set slurm.command "$TRASH_DIRECTORY/node-bin/lifebelt" >/dev/null
	fi &&
	# The data directory'"'"'s own account, as on a server without root.
	chown 65534:65534 "$LIFEBELT_HOME" "$LIFEBELT_HOME"/lifebelt.db* &&
	as_nobody lifebelt try tests sub >out 2>err;
	cat err &&
	check &&
	test_grep "\"sandbox_per\":\"step\"" out
'

test_expect_success 'try names an image this server does not have' '
	sed "s/\"tiny\"/\"java17\"/" tests/lifebelt.json >tests/x && mv tests/x tests/lifebelt.json &&
	test_must_fail lifebelt try tests sub >out 2>err &&
	test_grep "the image .java17. is not on this server" err
'

test_done
