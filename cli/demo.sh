#!/bin/sh
# demo.sh: what `make run` runs: a demo course in ./demo/home, then the server.
# DEMO_PORT (default 8080) picks the web port; DEMO_NO_SERVE=1 sets up and exits.
set -e

top=$(cd "$(dirname "$0")/.." && pwd)
: "${LIFEBELT_BUILD:=$top/build}"
: "${DEMO_DIR:=$top/demo}"
port=${DEMO_PORT:-8080}
LIFEBELT_HOME=$DEMO_DIR/home
export LIFEBELT_HOME
lb="$LIFEBELT_BUILD/lifebelt"
fixtures="$top/tests/fixtures/demo"

if ! test -f "$LIFEBELT_HOME/lifebelt.db"; then
	echo "Setting up the demo in $DEMO_DIR ..."
	mkdir -p "$DEMO_DIR"
	"$lb" init >/dev/null
	"$lb" course add cs101 >/dev/null
	ssh-keygen -q -t ed25519 -N '' -C alice@demo -f "$DEMO_DIR/alice_key" </dev/null >/dev/null
	"$lb" student add cs101 alice --name "Alice Demo" --email alice@example.com \
		--key "$DEMO_DIR/alice_key.pub" >/dev/null
	"$lb" teacher add cs101 teacher --name "Demo Teacher" >/dev/null
	due=$(date -u -d '+7 days' +%Y-%m-%dT23:59:00Z)
	"$lb" assignment add cs101 hello --tests "$fixtures/tests" --starter "$fixtures/starter" \
		--due "$due" --late-days 2 --late-penalty 10
	"$lb" token alice >"$DEMO_DIR/alice.token"
	"$lb" token teacher >"$DEMO_DIR/teacher.token"
fi
"$lb" config set web.url "http://127.0.0.1:$port" >/dev/null
alice_link=$(sed -n "s|^web: *http://[^/]*/|http://127.0.0.1:$port/|p" "$DEMO_DIR/alice.token")
alice_token=$(sed -n 's/^token: *//p' "$DEMO_DIR/alice.token")

cat <<MSG

Lifebelt demo: course cs101, student alice, assignment hello.
Data directory: $LIFEBELT_HOME

As the student alice, clone over HTTP (her login and token), fix and push:

    git clone http://alice:$alice_token@127.0.0.1:$port/git/cs101/hello.git hello
    cd hello
    \$EDITOR hello.c
    git commit -am "Greet by name" && git push -o wait

The push prints the submission's receipt and its results page; with -o wait
it also prints each test's verdict once the sandbox has graded it.
(The same repository on disk: $LIFEBELT_HOME/repos/cs101/hello/alice.git;
SSH access needs sshd set up as docs/admin.md shows.)
Alice's own page:   $alice_link
Teacher's secret:   $(sed -n 's/^token: *//p' "$DEMO_DIR/teacher.token")
Health check:       http://127.0.0.1:$port/healthz
As the teacher:     LIFEBELT_HOME=$LIFEBELT_HOME $lb submissions cs101 hello
                    LIFEBELT_HOME=$LIFEBELT_HOME $lb grades cs101 hello

MSG
test -n "${DEMO_NO_SERVE:-}" && exit 0
echo "Serving on http://127.0.0.1:$port/ (Ctrl-C stops; 'make clean' removes the demo)."
exec "$lb" serve --listen "127.0.0.1:$port"
