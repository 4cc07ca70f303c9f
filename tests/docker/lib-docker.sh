# lib-docker.sh: what the Docker suites share. Sourced after test-lib.sh.

# Start dockerd unless one answers; test_cleanup stops it by its PID.
docker_up() {
	if ! docker info >/dev/null 2>&1; then
		test_bg dockerd --pidfile "$TRASH_DIRECTORY/dockerd.pid" >"$TRASH_DIRECTORY/dockerd.log" 2>&1
		i=0
		while ! docker info >/dev/null 2>&1 && test $i -lt 60; do sleep 0.5; i=$((i + 1)); done
	fi
	docker info >/dev/null && "$SRC_ROOT/tests/docker/base-image"
}

# The containers Lifebelt's Docker executor left (none, once every job is over).
lifebelt_containers() {
	docker ps --all --quiet --filter label=lifebelt.job
}
