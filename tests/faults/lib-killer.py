#!/usr/bin/env python3
# lib-killer.py: kill -9, at random moments, the processes of one data
# directory's Lifebelt: a hook, the SSH forced command, a runner worker, a
# sandbox's holder, `lifebelt serve` itself.
#
#   lib-killer.py HOME SERVE-SUPERVISOR-PID ROUNDS SEED
#
# Each round picks a kind, waits (up to a few seconds) for a process of that
# kind to exist, kills it and sleeps a random while. The pids of every serve,
# runner and worker seen go to pids.seen (the leftover checks look for their
# mounts and cgroups); the kills, one "KIND PID" a line, to kills.log.
import os, random, signal, sys, time

home, supervisor, rounds, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
KINDS = ["hook", "shell", "worker", "holder", "serve"]
# Serve restarts take a moment and stall the load; hooks and shells are short-lived.
WEIGHTS = [4, 3, 3, 3, 1]
rng = random.Random(seed)


def procs():
    """pid -> (ppid, argv) of every process now."""
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                stat = f.read()
            with open("/proc/%s/cmdline" % d, "rb") as f:
                argv = [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        out[int(d)] = (ppid, argv)
    return out


def ours(pid, ps, root):
    """Whether pid descends from root."""
    for _ in range(64):
        if pid == root:
            return True
        if pid not in ps or pid <= 1:
            return False
        pid = ps[pid][0]
    return False


def is_serve(argv):
    return len(argv) > 1 and argv[0].endswith("lifebelt") and argv[1] == "serve"


def classify(ps, sshd):
    """kind -> pids of processes of that kind belonging to this data directory."""
    found = {k: [] for k in KINDS}
    seen = []
    for pid, (ppid, argv) in ps.items():
        if not argv:
            continue
        name = os.path.basename(argv[0])
        if is_serve(argv) and ours(pid, ps, supervisor):
            seen.append(pid)
            parent = ps.get(ppid, (0, []))[1]
            grand = ps.get(ps.get(ppid, (0, []))[0], (0, []))[1]
            if not is_serve(parent):
                found["serve"].append(pid)
            elif is_serve(grand):
                found["worker"].append(pid)
        elif name in ("pre-receive", "post-receive") and home in argv[0]:
            found["hook"].append(pid)
        elif (name == "lifebelt-shell" or "receive-pack" in " ".join(argv[:2])) and ours(pid, ps, sshd):
            found["shell"].append(pid)   # the forced command, before or after its exec
        elif name == "lifebelt-holder" and ours(pid, ps, supervisor):
            found["holder"].append(pid)
    return found, seen


def main():
    counts = {k: 0 for k in KINDS}
    misses = 0
    with open("sshd.pid") as f:
        sshd = int(f.read())
    seen_all = set()
    log = open("kills.log", "a")
    for _ in range(rounds):
        kind = rng.choices(KINDS, WEIGHTS)[0]
        end = time.time() + 5
        killed = False
        while time.time() < end and not killed:
            ps = procs()
            found, seen = classify(ps, sshd)
            new = set(seen) - seen_all
            if new:
                seen_all |= new
                with open("pids.seen", "a") as f:
                    f.write("".join("%d\n" % p for p in sorted(new)))
            if found[kind]:
                victim = rng.choice(found[kind])
                # A moment later than first seen, somewhere in its work.
                time.sleep(rng.random() * (0.02 if kind in ("hook", "shell") else 0.3))
                try:
                    os.kill(victim, signal.SIGKILL)
                    counts[kind] += 1
                    killed = True
                    log.write("%s %d\n" % (kind, victim))
                    log.flush()
                except ProcessLookupError:
                    pass
            else:
                time.sleep(0.005)
        if not killed:
            misses += 1
        time.sleep(rng.random() * 0.2)
    with open("kills.count", "w") as f:
        for k in KINDS:
            f.write("%s %d\n" % (k, counts[k]))
        f.write("missed %d\n" % misses)


main()
