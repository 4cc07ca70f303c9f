#!/bin/sh
test_description='docker-compose: the web and runner containers, git over SSH and HTTPS, a graded push, data kept across down and up, TLS'
. "$(dirname "$0")/../e2e/test-lib.sh"
. "$SRC_ROOT/tests/docker/lib-docker.sh"

# This suite needs Docker (make test-docker). It starts dockerd when none
# runs and stops it by its PID at the end, like the compose project.
project=lbtest$$
ssh_port=$(test_free_port)
http_port=$(test_free_port)
https_port=$(test_free_port)
export LIFEBELT_SSH_PORT=$ssh_port LIFEBELT_HTTP_ADDR=127.0.0.1:$http_port \
	LIFEBELT_HTTPS_PORT=127.0.0.1:$https_port LIFEBELT_TLS_DIR=$TRASH_DIRECTORY/tls
compose() {
	docker-compose --project-directory "$SRC_ROOT" -f "$SRC_ROOT/docker-compose.yml" -p "$project" "$@"
}
stop_all() {
	compose --profile tls down -v --timeout 20 >/dev/null 2>&1
	test_cleanup
}
trap stop_all EXIT
lb() {
	compose exec -T -u git web lifebelt "$@"
}
healthy() {
	i=0
	while test $i -lt 90; do
		w=$(docker inspect -f '{{.State.Health.Status}}' "$(compose ps -q web)" 2>/dev/null)
		r=$(docker inspect -f '{{.State.Health.Status}}' "$(compose ps -q runner)" 2>/dev/null)
		test "$w" = healthy && test "$r" = healthy && return 0
		sleep 1
		i=$((i + 1))
	done
	echo "web: $w, runner: $r" >&2
	compose logs --tail 20 >&2
	return 1
}
GIT_SSH_COMMAND="ssh -i $TRASH_DIRECTORY/key -p $ssh_port -o BatchMode=yes -o UserKnownHostsFile=$TRASH_DIRECTORY/known_hosts -o StrictHostKeyChecking=accept-new"
export GIT_SSH_COMMAND

test_expect_success 'setup: dockerd, the base image, the images' '
	docker_up &&
	compose --profile tls build -q
'

test_expect_success 'up: both containers become healthy' '
	compose up -d &&
	healthy
'

test_expect_success 'a course is set up inside the web container, as the git account' '
	ssh-keygen -q -t ed25519 -N "" -f key &&
	docker cp key.pub "$(compose ps -q web)":/tmp/alice.pub &&
	docker cp "$SRC_ROOT/tests/fixtures/demo/tests" "$(compose ps -q web)":/tmp/hello-tests &&
	compose exec -T web chmod -R a+rX /tmp/alice.pub /tmp/hello-tests &&
	lb course add cs101 &&
	lb student add cs101 alice --key /tmp/alice.pub &&
	lb assignment add cs101 hello --tests /tmp/hello-tests --due 2030-01-01T00:00:00Z &&
	lb token alice >token.out &&
	sed -n "s/^token: *//p" token.out >token &&
	test -s token
'

cat >hello.c <<'C'
#include <stdio.h>
int main(int argc, char **argv)
{
	printf("Hello, %s!\n", argc > 1 && *argv[1] ? argv[1] : "world");
	return 0;
}
C

test_expect_success 'a push over SSH is graded by the runner container, shown with -o wait' '
	git clone -q "ssh://git@127.0.0.1:$ssh_port/cs101/hello" ssh-clone &&
	cp hello.c ssh-clone/ &&
	git -C ssh-clone add hello.c &&
	git -C ssh-clone commit -q -m "say hello" &&
	git -C ssh-clone push -o wait origin HEAD 2>push.err &&
	test_grep "10/10" push.err
'

test_expect_success 'each job had its own cgroups and one sandbox for the job' '
	compose exec -T web sqlite3 /var/lib/lifebelt/lifebelt.db \
		"SELECT provenance FROM jobs ORDER BY id DESC LIMIT 1" >prov &&
	test_grep "\"cgroup\":{\"version\":[12],\"memory\":true,\"pids\":true}" prov &&
	test_grep "\"sandbox_per\":\"job\"" prov &&
	test_grep "\"seccomp\":true" prov
'

test_expect_success 'a push over HTTPS with the token, and the student page' '
	url="http://alice:$(cat token)@127.0.0.1:$http_port/git/cs101/hello" &&
	git clone -q "$url" http-clone &&
	echo "/* again */" >>http-clone/hello.c &&
	git -C http-clone commit -q -am again &&
	git -C http-clone push -o wait origin HEAD 2>push2.err &&
	test_grep "10/10" push2.err &&
	link=$(sed -n "s|^remote: results: *http://[^/]*/|http://127.0.0.1:$http_port/|p" push2.err | tr -d " \r") &&
	curl -fsS "$link" >page.html &&
	test_grep "10" page.html
'

test_expect_success 'student code in the runner container reaches no network' '
	mkdir net-tests &&
	printf "%s\n" "{ \"tests\": [ { \"name\": \"net\", \"run\": \"cat /proc/net/dev | grep -c : \", \"output\": \"1\", \"comparison\": \"exact\", \"points\": 1 } ] }" >net-tests/lifebelt.json &&
	docker cp net-tests "$(compose ps -q web)":/tmp/net-tests &&
	compose exec -T web chmod -R a+rX /tmp/net-tests &&
	lb assignment add cs101 net --tests /tmp/net-tests --due 2030-01-01T00:00:00Z &&
	git clone -q "ssh://git@127.0.0.1:$ssh_port/cs101/net" net &&
	echo x >net/x && git -C net add x && git -C net commit -q -m x &&
	git -C net push -o wait origin HEAD 2>net.err &&
	test_grep "1/1" net.err
'

mkdir -p img/python img/java img/c
cat >img/python/lifebelt.json <<'JSON'
{ "image": "python", "tests": [ { "name": "pytest", "format": "junit", "report": "report.xml",
  "run": "python3 -m pytest -q -p no:cacheprovider --junitxml=report.xml test_calc.py", "points": 2 } ] }
JSON
cat >img/python/calc.py <<'PY'
def add(a, b):
    return a + b
PY
cat >img/python/test_calc.py <<'PY'
from calc import add
def test_add():
    assert add(2, 3) == 5
def test_zero():
    assert add(0, 0) == 0
PY
cat >img/java/lifebelt.json <<'JSON'
{ "image": "java", "build": "javac -d classes -cp /usr/share/java/junit-platform-console-standalone.jar CalcTest.java Calc.java",
  "tests": [ { "name": "junit5", "format": "junit", "report": "reports/TEST-junit-jupiter.xml", "points": 2,
    "run": "java -jar /usr/share/java/junit-platform-console-standalone.jar --disable-banner -cp classes --select-class CalcTest --reports-dir=reports" } ],
  "limits": { "memory_mb": 1024, "processes": 256, "wall_seconds": 60, "cpu_seconds": 60 } }
JSON
cat >img/java/Calc.java <<'JAVA'
public class Calc { public static int add(int a, int b) { return a + b; } }
JAVA
cat >img/java/CalcTest.java <<'JAVA'
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
public class CalcTest {
	@Test void adds() { assertEquals(5, Calc.add(2, 3)); }
	@Test void zero() { assertEquals(0, Calc.add(0, 0)); }
}
JAVA
cat >img/c/lifebelt.json <<'JSON'
{ "image": "c", "build": "gcc -g -O0 -o calc calc.c",
  "tests": [ { "name": "valgrind finds no error", "run": "valgrind -q --error-exitcode=9 --leak-check=full ./calc", "output": "5", "points": 2 } ],
  "limits": { "memory_mb": 1024, "wall_seconds": 60, "cpu_seconds": 60 } }
JSON
cat >img/c/calc.c <<'C'
#include <stdio.h>
#include <stdlib.h>
int main(void)
{
	int *x = malloc(sizeof(*x));
	*x = 5;
	printf("%d\n", *x);
	free(x);
	return 0;
}
C

# grade_in_image NAME SCORE: the assignment NAME (tests in img/NAME, the
# student's files beside them) pushed over SSH and graded in its image: SCORE.
grade_in_image() {
	docker cp "img/$1" "$(compose ps -q web)":/tmp/tests-$1 &&
	compose exec -T web chmod -R a+rX /tmp/tests-$1 &&
	lb assignment add cs101 "$1" --tests /tmp/tests-$1 --due 2030-01-01T00:00:00Z &&
	git clone -q "ssh://git@127.0.0.1:$ssh_port/cs101/$1" "work-$1" &&
	(cd "img/$1" && cp $(ls | grep -v lifebelt.json) "../../work-$1/") &&
	git -C "work-$1" add -A && git -C "work-$1" commit -q -m "$1" &&
	git -C "work-$1" push -o wait origin HEAD 2>"push-$1.err" &&
	test_grep "verdict: passed, score $2" "push-$1.err" &&
	compose exec -T web sqlite3 /var/lib/lifebelt/lifebelt.db \
		"SELECT provenance FROM jobs ORDER BY id DESC LIMIT 1" >"prov-$1" &&
	test_grep "\"image\":{\"name\":\"$1\"" "prov-$1"
}

test_expect_success 'the assignment images are built, saved and added' '
	for i in c python java; do
		docker build -q -t "lifebelt-image-$i" "$SRC_ROOT/docker/images/$i" >/dev/null &&
		docker save -o "image-$i.tar" "lifebelt-image-$i" &&
		docker cp "image-$i.tar" "$(compose ps -q web)":/tmp/image-$i.tar &&
		compose exec -T web chmod a+r /tmp/image-$i.tar &&
		lb image add "$i" "docker-archive:/tmp/image-$i.tar" || return 1
	done &&
	lb image list >images &&
	test_grep "^python" images && test_grep "^java" images && test_grep "^c " images
'

test_expect_success 'a Python assignment grades with pytest in its image' '
	grade_in_image python 4/4
'

test_expect_success 'a Java assignment grades with JUnit 5 in its image' '
	grade_in_image java 4/4
'

test_expect_success 'a C assignment grades under valgrind in its image' '
	grade_in_image c 2/2
'

test_expect_success 'down and up keep courses, repositories, results and the host key' '
	compose down --timeout 20 &&
	compose up -d &&
	healthy &&
	lb submissions cs101 hello >subs &&
	test $(grep -c alice subs) = 2 &&
	rm -rf ssh-clone &&
	git clone -q "ssh://git@127.0.0.1:$ssh_port/cs101/hello" ssh-clone &&
	test_grep "Hello, %s" ssh-clone/hello.c
'

test_expect_success 'the tls profile puts nginx in front, on the web container network' '
	mkdir -p tls &&
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
		-keyout tls/privkey.pem -out tls/fullchain.pem 2>/dev/null &&
	compose --profile tls up -d &&
	i=0 && while ! curl -ksf "https://127.0.0.1:$https_port/healthz" >health && test $i -lt 30; do sleep 1; i=$((i + 1)); done &&
	test "$(cat health)" = ok &&
	GIT_SSL_NO_VERIFY=1 git clone -q "https://alice:$(cat token)@127.0.0.1:$https_port/git/cs101/hello" https-clone &&
	test -f https-clone/hello.c
'

compose --profile tls down -v --timeout 20 >/dev/null 2>&1
test_done
