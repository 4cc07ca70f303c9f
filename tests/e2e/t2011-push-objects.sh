#!/bin/sh
test_description='pre-receive: every object a push brings is checked, not only the tips'"'"' trees'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-hooks.sh"

# rawpush.py REPO OLD NEW REF, in the pushing repository: git's push protocol spoken to git-receive-pack
# by hand, sending a pack of the objects listed on stdin (as git rev-list
# --objects prints them), so that a pack may carry objects no ref reaches.
# Fails when a ref was refused.
cat >rawpush.py <<-\PY
import subprocess, sys
repo, old, new, ref = sys.argv[1:5]
pack = subprocess.run(["git", "pack-objects", "--stdout", "-q"], input=sys.stdin.buffer.read(),
                      stdout=subprocess.PIPE, check=True).stdout
p = subprocess.Popen(["git", "receive-pack", repo], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def pkt():
    n = p.stdout.read(4)
    return None if not n or n == b"0000" else p.stdout.read(int(n, 16) - 4)
while pkt() is not None:
    pass
line = ("%s %s %s\0report-status\n" % (old, new, ref)).encode()
p.stdin.write(b"%04x" % (len(line) + 4) + line + b"0000" + pack)
p.stdin.close()
refused = False
while True:
    r = pkt()
    if r is None:
        break
    sys.stdout.write(r.decode())
    refused = refused or not r.startswith((b"unpack ok", b"ok "))
sys.exit(p.wait() or refused)
PY

# commit_tree TREE: a commit of TREE on top of alice's HEAD (not checked out:
# git cannot write some of these trees).
commit_tree() {
	c=$(git -C alice commit-tree "$1" -p HEAD -m "tree $1") && git -C alice reset -q --soft "$c"
}

server=$TRASH_DIRECTORY/home/repos/cs101/hw1/alice.git

test_expect_success 'setup' '
	hooks_setup cs101 hw1 "$(iso_in 86400)" "" alice &&
	clone_for alice
'

test_expect_success 'a tree 100 directories deep is accepted' '
	commit_tree "$(cd alice && python3 "$TEST_DIRECTORY/lib-trees.py" deep 100)" &&
	git -C alice push -q origin main 2>/dev/null
'

test_expect_success 'one 101 deep is refused, naming the cap' '
	commit_tree "$(cd alice && python3 "$TEST_DIRECTORY/lib-trees.py" deep 101)" &&
	test_must_fail git -C alice push origin main 2>err &&
	test_grep "refusing refs/heads/main: its directories are nested more than 100 deep (at d/d/d/d/d/.*); keep the tree flatter" err &&
	git -C alice reset -q --hard origin/main
'

test_expect_success 'a tree 5,000 directories deep is refused, and nothing of it is stored' '
	tree=$(cd alice && python3 "$TEST_DIRECTORY/lib-trees.py" deep 5000) &&
	commit_tree "$tree" &&
	test_must_fail git -C alice push origin main 2>err &&
	test_grep "nested more than 100 deep" err &&
	test_must_fail git -C "$server" cat-file -e "$tree" &&
	git -C alice reset -q --hard origin/main
'

test_expect_success 'push.tree_depth moves the cap, up to the runner'"'"'s 256' '
	lifebelt config set push.tree_depth 120 >/dev/null &&
	commit_tree "$(cd alice && python3 "$TEST_DIRECTORY/lib-trees.py" deep 121)" &&
	test_must_fail git -C alice push origin main 2>err &&
	test_grep "nested more than 120 deep" err &&
	lifebelt config set push.tree_depth 1000 >/dev/null &&
	commit_tree "$(cd alice && python3 "$TEST_DIRECTORY/lib-trees.py" deep 300)" &&
	test_must_fail git -C alice push origin main 2>err &&
	test_grep "nested more than 256 deep" err &&
	lifebelt config set push.tree_depth 100 >/dev/null &&
	git -C alice reset -q --hard origin/main
'

test_expect_success 'a git bomb in a parent commit is refused, naming the commit' '
	commit_tree "$(cd alice && python3 "$TEST_DIRECTORY/lib-trees.py" bomb 10 4)" &&
	bomb=$(git -C alice rev-parse --short=12 HEAD) &&
	commit_tree "$(git -C alice rev-parse "origin/main^{tree}")" &&
	test "$(git -C alice ls-tree -r HEAD | wc -l)" -lt 10 &&
	test_must_fail git -C alice push origin main 2>err &&
	test_grep "refusing commit $bomb: it holds more than 1000 files, the most this assignment allows" err &&
	git -C alice reset -q --hard origin/main
'

test_expect_success 'a directory of more directories than the file cap is refused, even empty ones' '
	commit_tree "$(cd alice && python3 "$TEST_DIRECTORY/lib-trees.py" wide 2000)" &&
	test_must_fail git -C alice push origin main 2>err &&
	test_grep "refusing refs/heads/main: directory / holds 2000 directories, more than the 1000 files this assignment allows" err &&
	git -C alice reset -q --hard origin/main
'

test_expect_success 'a big file in a parent commit is refused, naming the commit' '
	head -c 6291456 /dev/zero >alice/big &&
	git -C alice add big && git -C alice commit -q -m big &&
	big=$(git -C alice rev-parse --short=12 HEAD) &&
	git -C alice rm -q big && git -C alice commit -q -m gone &&
	test_must_fail git -C alice push origin main 2>err &&
	test_grep "refusing commit $big: file big is 6.0 MiB, more than the 5.0 MiB allowed per file" err &&
	git -C alice reset -q --hard origin/main
'

test_expect_success 'a big blob no ref reaches is refused, and not stored' '
	commit_in alice small &&
	blob=$(head -c 8388608 /dev/zero | git -C alice hash-object -w --stdin) &&
	old=$(git -C "$server" rev-parse main) && new=$(git -C alice rev-parse HEAD) &&
	{ git -C alice rev-list --objects "$old..$new" && echo "$blob"; } >objs &&
	(cd alice && test_must_fail python3 ../rawpush.py "$server" "$old" "$new" refs/heads/main) \
		<objs >out 2>err &&
	test_grep "ng refs/heads/main pre-receive hook declined" out &&
	test_grep "refusing the push: a file no branch uses is 8.0 MiB, more than the 5.0 MiB allowed per file" err &&
	test_must_fail git -C "$server" cat-file -e "$blob" &&
	test "$(git -C "$server" rev-parse main)" = "$old"
'

test_expect_success 'the same push without that blob goes through' '
	old=$(git -C "$server" rev-parse main) && new=$(git -C alice rev-parse HEAD) &&
	git -C alice rev-list --objects "$old..$new" >objs &&
	(cd alice && python3 ../rawpush.py "$server" "$old" "$new" refs/heads/main) <objs >out 2>err &&
	test_grep "ok refs/heads/main" out &&
	test "$(git -C "$server" rev-parse main)" = "$new"
'

test_done
