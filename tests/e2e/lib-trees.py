# lib-trees.py: trees git can hold but should not be handed, written as loose objects.
#
# python3 lib-trees.py deep N | bomb WIDTH LEVELS | wide N, in a repository:
# writes the objects into it and prints the top tree's id. deep: a file
# under N nested directories d/d/.../d. bomb: LEVELS of trees of WIDTH
# entries each, all naming the same tree below (WIDTH^LEVELS files, few
# objects). wide: N empty directories beside a file.
import hashlib
import os
import subprocess
import sys
import zlib

gitdir = subprocess.check_output(["git", "rev-parse", "--git-dir"]).decode().strip()


def write(kind, body):
    data = b"%s %d\0" % (kind, len(body)) + body
    oid = hashlib.sha1(data).hexdigest()
    d = os.path.join(gitdir, "objects", oid[:2])
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, oid[2:])
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(zlib.compress(data))
    return oid


blob = write(b"blob", b"x\n")
tree = write(b"tree", b"100644 f\0" + bytes.fromhex(blob))
if sys.argv[1] == "deep":
    for i in range(int(sys.argv[2])):
        tree = write(b"tree", b"40000 d\0" + bytes.fromhex(tree))
elif sys.argv[1] == "wide":
    empty = write(b"tree", b"")
    tree = write(b"tree", b"".join(sorted([b"100644 f\0" + bytes.fromhex(blob)] +
                                          [b"40000 e%05d\0" % i + bytes.fromhex(empty)
                                           for i in range(int(sys.argv[2]))],
                                          key=lambda e: e.split(b"\0")[0].split(b" ")[1])))
else:
    width, levels = int(sys.argv[2]), int(sys.argv[3])
    tree = write(b"tree", b"".join(b"100644 f%d\0" % i + bytes.fromhex(blob) for i in range(width)))
    for _ in range(levels - 1):
        tree = write(b"tree", b"".join(b"40000 d%d\0" % i + bytes.fromhex(tree) for i in range(width)))
print(tree)
