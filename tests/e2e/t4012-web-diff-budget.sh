#!/bin/bash
test_description='web: large diffs are bounded, computed once per pair and never hold up other pages'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-web.sh"

web_home
web_start

# text.py SEED BYTES: a text file of about BYTES whose lines come from a small
# shared vocabulary in random order: two seeds differ on almost every line
# and git's diff cannot discard the lines as unique (its worst case).
cat >text.py <<-\PY
import random, sys
r = random.Random(int(sys.argv[1]))
words = ["int x%d = %d;" % (i, i) for i in range(200)]
out, size = [], 0
while size < int(sys.argv[2]):
    out.append(words[r.randrange(len(words))])
    size += len(out[-1]) + 1
sys.stdout.write("\n".join(out) + "\n")
PY

# hammer.py URL SECONDS OUT: eight clients (more than the server's threads)
# ask for URL with a varying extra argument over and over for SECONDS while
# another asks for /healthz; OUT gets one line per diff answer (status,
# Retry-After, whether the page named the large file, its size) and the
# slowest /healthz in ms on the last line.
cat >hammer.py <<-\PY
import sys, threading, time, urllib.request, urllib.error
url, seconds, out = sys.argv[1], float(sys.argv[2]), open(sys.argv[3], "w")
base = url.split("/me/")[0]
end = time.time() + seconds
lock = threading.Lock()
def client(k):
    n = 0
    while time.time() < end:
        n += 1
        try:
            with urllib.request.urlopen("%s&n=%d%d" % (url, k, n), timeout=60) as r:
                status, retry, body = r.status, r.headers.get("Retry-After"), r.read()
        except urllib.error.HTTPError as e:
            status, retry, body = e.code, e.headers.get("Retry-After"), e.read()
        time.sleep(0.05)
        said = "named" if b'big.txt\n</span><span class="hunk">too large to show' in body else "other"
        with lock:
            out.write("%d %s %s %d\n" % (status, retry, said, len(body)))
slowest = [0.0]
def health():
    while time.time() < end + 1:
        t = time.time()
        try:
            urllib.request.urlopen(base + "/healthz", timeout=30).read()
        except Exception:
            pass
        slowest[0] = max(slowest[0], time.time() - t)
        time.sleep(0.1)
ts = [threading.Thread(target=client, args=(k,)) for k in range(8)]
ts.append(threading.Thread(target=health))
for t in ts:
    t.start()
for t in ts:
    t.join()
out.write("healthz %d\n" % (slowest[0] * 1000))
PY

# Each submission: a 4.5 MB text file, three of 200 kB (diffed: a few
# tenths of a second in all) and a small change.
test_expect_success 'setup: two submissions with large text files that differ everywhere' '
	git clone -q "$LIFEBELT_HOME/repos/c1/hw1/alice.git" work &&
	(
		cd work &&
		for seed in 1 2; do
			python3 ../text.py $seed 4500000 >big.txt &&
			for f in 1 2 3; do
				python3 ../text.py $seed$f 200000 >mid$f.txt || return 1
			done &&
			printf "int main(void) { return $seed; }\n" >main.c &&
			git add -A && git commit -q -m "seed $seed" && git push -q origin HEAD:main || return 1
		done
	) 2>push.err &&
	test "$(web_last_submission)" = 2
'

diff_url="$alice_link/diff?from=1&to=2"

test_expect_success 'eight clients on a large diff: /healthz stays quick, each answer is bounded' '
	python3 hammer.py "$WEB$diff_url" 8 answers &&
	sort answers | uniq -c &&
	slowest=$(sed -n "s/^healthz //p" answers) &&
	test "$slowest" -lt 2000 &&
	grep "^200 " answers >ok &&
	test -s ok &&
	! grep -v " named " ok &&
	! awk "\$4 > 2000000" ok | grep . &&
	! grep -v -e "^200 None " -e "^503 2 " -e "^healthz " answers
'

test_expect_success 'the pair was computed once, whatever the extra arguments' '
	grep "diff [0-9a-f]\{12\}\.\.[0-9a-f]\{12\} computed" "$TRASH_DIRECTORY/serve.log" >computed &&
	cat computed &&
	test "$(wc -l <computed)" = 1
'

test_expect_success 'the page names the large file and shows the small change' '
	test "$(web_get "$diff_url&x=1")" = 200 &&
	test_grep "^</span><span class=\"hunk\">too large to show (4[0-9]\{3\} KiB before, 4[0-9]\{3\} KiB after)" out.html &&
	test_grep "<span class=\"file\">diff --git a/big.txt b/big.txt$" out.html &&
	test_grep "<span class=\"add\">+int main(void) { return 2; }" out.html &&
	test_grep "1 file is not shown here: compare it with <code>git diff</code> in a clone" out.html &&
	test_grep "The rest of the changes are too large to show" out.html
'

test_expect_success 'a teacher reading the same pair reuses the computation' '
	cookie=$(curl -s -D - -o /dev/null -d "login=tom&token=$tom_token" "$WEB/login" |
		sed -n "s/^Set-Cookie: \([^;]*\);.*/\1/p" | tr -d "\r") &&
	test "$(web_get "/t/diff?to=2&from=1" -b "$cookie")" = 200 &&
	test_grep "too large to show" out.html &&
	grep -c "diff [0-9a-f]\{12\}\.\.[0-9a-f]\{12\} computed" "$TRASH_DIRECTORY/serve.log" >count &&
	echo 1 >expect && test_cmp expect count
'

test_done
