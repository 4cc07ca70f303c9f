#!/bin/sh
test_description='an assignment'"'"'s image is the server'"'"'s executor'"'"'s kind: a Docker image under runner.executor docker'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-image.sh"

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

# spec DIR JSON: a tests directory DIR whose lifebelt.json starts with JSON.
spec() {
	mkdir -p "$1" &&
	echo "{ $2 \"tests\": [ { \"name\": \"t\", \"run\": \"true\" } ] }" >"$1/lifebelt.json"
}

test_expect_success 'set up: a course and an image of the server'"'"'s' '
	lifebelt init >/dev/null &&
	lifebelt course add c1 >/dev/null &&
	make_tiny_image L t one &&
	lifebelt image add tiny oci:L:t >/dev/null &&
	spec docker-name "\"image\": \"debian:bookworm-slim\"," &&
	spec no-such "\"image\": \"nosuch\"," &&
	spec bwrap-docker-name "\"executor\": \"bwrap\", \"image\": \"debian:bookworm-slim\"," &&
	spec tiny "\"image\": \"tiny\","
'

test_expect_success 'with the bubblewrap executor the image is one of the server'"'"'s' '
	refused "docker-name/lifebelt.json: field .image. must be an image.s name (lifebelt image list)" \
		assignment add c1 a1 --tests docker-name --due 2030-01-01T00:00:00Z &&
	refused "no image .nosuch. on this server; known images: tiny" \
		assignment add c1 a2 --tests no-such --due 2030-01-01T00:00:00Z &&
	lifebelt assignment add c1 a3 --tests tiny --due 2030-01-01T00:00:00Z >/dev/null
'

test_expect_success 'under runner.executor docker it is a Docker image, as docker run names it' '
	lifebelt config set runner.executor docker >/dev/null &&
	lifebelt assignment add c1 a4 --tests docker-name --due 2030-01-01T00:00:00Z >/dev/null &&
	lifebelt assignment add c1 a5 --tests no-such --due 2030-01-01T00:00:00Z >/dev/null &&
	test "$(db "SELECT count(*) FROM assignments WHERE name IN ('"'a4'"', '"'a5'"')")" = 2
'

test_expect_success 'an assignment that names bubblewrap itself keeps to the server'"'"'s images' '
	refused "bwrap-docker-name/lifebelt.json: field .image. must be an image.s name" \
		assignment add c1 a6 --tests bwrap-docker-name --due 2030-01-01T00:00:00Z
'

test_done
