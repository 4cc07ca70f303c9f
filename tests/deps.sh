#!/bin/sh
# deps.sh: install the Debian packages that building and testing Lifebelt
# need, when they are missing. `tests/deps.sh bench` adds the tools the
# benchmarks compare against, `tests/deps.sh fuzz` clang for `make fuzz`,
# `tests/deps.sh docker` what `make test-docker`
# needs (Docker, docker-compose, mmdebstrap for a base image without a
# registry), `tests/deps.sh slurm` what `make test-slurm` needs (a one-node
# Slurm cluster), `tests/deps.sh faults` what `make test-faults` needs.
# Quiet when everything is there.
set -e

pkgs="gcc make pkg-config libgit2-dev libssh2-1-dev libsqlite3-dev
libmicrohttpd-dev libjansson-dev libssl-dev libcurl4-openssl-dev zlib1g-dev git openssh-server openssh-client
bubblewrap musl-tools curl sqlite3 perl libpcre2-dev chromium python3-websocket python3 procps
libseccomp-dev default-jdk-headless libjgit-java git-lfs nodejs libexpat1-dev libyaml-dev
python3-pytest googletest libgtest-dev junit5 catch2 check libcmocka-dev libcunit1-dev bats
groff-base man-db systemd openssl skopeo umoci busybox-static iproute2
g++ e2fsprogs"
if [ "$1" = bench ]; then
	pkgs="$pkgs hyperfine wrk nginx cgit fcgiwrap gitolite3 strace"
elif [ "$1" = fuzz ]; then
	pkgs="$pkgs clang"
elif [ "$1" = docker ]; then
	pkgs="$pkgs docker.io docker-compose mmdebstrap skopeo umoci"
elif [ "$1" = faults ]; then
	pkgs="$pkgs util-linux coreutils"
elif [ "$1" = slurm ]; then
	pkgs="$pkgs slurmctld slurmd slurm-client munge"
fi

missing=
for p in $pkgs; do
	if ! dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "installing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1; then
	sudo=sudo
else
	echo "error: these packages are missing and I am not root: $missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
