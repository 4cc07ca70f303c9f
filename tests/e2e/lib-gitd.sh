# lib-gitd.sh: a real sshd on 127.0.0.1 and a small course, for the git access tests.
#
# Source after test-lib.sh. The SSH account is the one running the tests
# (root in CI, with PermitRootLogin prohibit-password); in production it is
# a dedicated `git` account, see docs/admin.md.

SSH_USER=$(id -un)

# gitd_course: cs101 with hw1, students alice and bob and teacher carol, each with a key.
gitd_course() {
	lifebelt init >/dev/null &&
	lifebelt config set ssh.user "$SSH_USER" >/dev/null &&
	lifebelt course add cs101 >/dev/null &&
	test_make_tests_dir tests-hw1 &&
	mkdir -p starter && echo "int main(void) { return 0; }" >starter/main.c &&
	lifebelt assignment add cs101 hw1 --tests tests-hw1 --starter starter \
		--due 2030-01-01T00:00:00Z >/dev/null &&
	for who in alice bob carol mallory; do test_make_key $who || return 1; done &&
	lifebelt student add cs101 alice --key alice.key.pub >/dev/null &&
	lifebelt student add cs101 bob --key bob.key.pub >/dev/null &&
	lifebelt teacher add cs101 carol --key carol.key.pub >/dev/null
}

# start_sshd [EXTRA CONFIG LINES]: sshd on a free port; keys from Lifebelt's authorized_keys.
start_sshd() {
	SSHD_PORT=$(test_free_port) &&
	mkdir -p "$TRASH_DIRECTORY/sshd" &&
	mkdir -p -m 0755 /run/sshd &&
	ssh-keygen -q -t ed25519 -N '' -f "$TRASH_DIRECTORY/sshd/host_key" </dev/null &&
	cat >"$TRASH_DIRECTORY/sshd/sshd_config" <<-EOF &&
	ListenAddress 127.0.0.1:$SSHD_PORT
	HostKey $TRASH_DIRECTORY/sshd/host_key
	PidFile none
	UsePAM no
	StrictModes no
	PermitRootLogin prohibit-password
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	AcceptEnv GIT_PROTOCOL
	# bash reads the account's ~/.bashrc for a command sshd runs only as a
	# top-level shell: what a session prints is Lifebelt's alone, never
	# what the test account's dotfiles print (at times, run side by side).
	SetEnv SHLVL=1
	LogLevel VERBOSE
	${1:-AuthorizedKeysFile $LIFEBELT_HOME/ssh/authorized_keys}
	EOF
	test_bg /usr/sbin/sshd -D -e -f "$TRASH_DIRECTORY/sshd/sshd_config" \
		2>"$TRASH_DIRECTORY/sshd/log" &&
	test_wait_port "$SSHD_PORT"
}

# ssh_as WHO [SSH ARGS]: ssh to the test sshd with WHO's key.
ssh_as() {
	who=$1
	shift
	ssh -p "$SSHD_PORT" -i "$TRASH_DIRECTORY/$who.key" -o IdentitiesOnly=yes \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes \
		-o LogLevel=ERROR "$@"
}

# git_as WHO GIT-ARGS: git with its SSH transport using WHO's key.
git_as() {
	who=$1
	shift
	GIT_SSH_COMMAND="ssh -p $SSHD_PORT -i $TRASH_DIRECTORY/$who.key -o IdentitiesOnly=yes \
-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR" \
		git "$@"
}

# The server-side commit of a ref, or "none".
server_ref() {
	git --git-dir="$LIFEBELT_HOME/repos/$1" rev-parse -q --verify "$2" || echo none
}

# A snapshot of every ref of every repository, to show that a refused attack changed nothing.
all_refs() {
	for r in "$LIFEBELT_HOME"/repos/*/*/*.git; do
		git --git-dir="$r" for-each-ref --format="${r#$LIFEBELT_HOME/} %(objectname) %(refname)"
	done
}

# start_serve: `lifebelt serve` on a free port; HTTP_URL is its base URL.
start_serve() {
	HTTP_PORT=$(test_free_port) &&
	test_bg "$LIFEBELT_BIN" serve --listen 127.0.0.1:$HTTP_PORT 2>"$TRASH_DIRECTORY/serve.log" &&
	SERVE_PID=$(tail -n 1 "$TRASH_DIRECTORY/.bg-pids") &&
	test_wait_port "$HTTP_PORT" &&
	HTTP_URL=http://127.0.0.1:$HTTP_PORT
}

# token WHO: a fresh token for WHO, stored in TOKEN_WHO.
token() {
	t=$(lifebelt token "$1" | sed -n "s/^token: *//p") && test -n "$t" &&
	eval "TOKEN_$1=\$t"
}

# A hook dir that records the transport's environment, for one repository.
spy_hooks() {
	mkdir -p "$TRASH_DIRECTORY/spy" &&
	cat >"$TRASH_DIRECTORY/spy/post-receive" <<-\EOF &&
	#!/bin/sh
	echo "$LIFEBELT_VIA $LIFEBELT_LOGIN" >"$(dirname "$0")/seen"
	EOF
	chmod +x "$TRASH_DIRECTORY/spy/post-receive" &&
	git --git-dir="$LIFEBELT_HOME/repos/$1" config core.hooksPath "$TRASH_DIRECTORY/spy"
}

# jgit_or_skip: JGIT_CP for Debian's libjgit-java; skips the whole script without it or a JDK
# (tests/deps.sh installs both).
jgit_or_skip() {
	JGIT_CP=/usr/share/java/org.eclipse.jgit.jar:/usr/share/java/slf4j-api.jar:/usr/share/java/javaewah.jar
	if ! test -f /usr/share/java/org.eclipse.jgit.jar || ! command -v javac >/dev/null; then
		echo "1..0 # SKIP no JGit (libjgit-java) or no javac"
		exit 0
	fi
}
