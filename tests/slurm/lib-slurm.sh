# lib-slurm.sh: a one-node Slurm cluster on 127.0.0.1 for the Slurm suites,
# with its own munge key, configuration and state under the trash
# directory. Sourced after test-lib.sh; every daemon is started with
# test_bg (in the foreground) and so stopped by its PID when the script ends.

SLURM_DIR=$TRASH_DIRECTORY/slurm
SLURM_CONF=$SLURM_DIR/slurm.conf
# srun passes the environment on: node-exec makes its work directories here.
TMPDIR=$TRASH_DIRECTORY/node-tmp
mkdir -p "$TMPDIR"
export SLURM_CONF TMPDIR

# slurmd starts each step's slurmstepd in a session of its own, out of the
# reach of its process group; one whose slurmd is gone would stay forever.
# They work in this script's trash directory: stopped here, by their PIDs.
test_cleanup_more() {
	for p in $(pgrep -x slurmstepd); do
		test "$(readlink "/proc/$p/cwd")" = "$TRASH_DIRECTORY" && kill -KILL "$p"
	done
	true
}

# A port free on 127.0.0.1 below the kernel's range for outgoing connections: a port
# from that range (test_free_port's) may be taken by any connection before the daemon
# binds it, as another cluster's sruns and daemons make many.
slurm_free_port() {
	python3 -c 'import random, socket
lo = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
while True:
    p = random.randrange(10000, lo if lo > 11000 else 65535)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
        print(p)
        break
    except OSError:
        pass
    finally:
        s.close()'
}

# Start munged, slurmctld and slurmd; wait until the node takes jobs.
slurm_up() {
	mkdir -p "$SLURM_DIR/state" "$SLURM_DIR/spool" "$SLURM_DIR/munge" &&
	# munged checks that its socket's directory is not writable by others.
	chmod 0755 "$SLURM_DIR" "$SLURM_DIR/munge" &&
	dd if=/dev/urandom of="$SLURM_DIR/munge/munge.key" bs=1024 count=1 2>/dev/null &&
	chmod 0400 "$SLURM_DIR/munge/munge.key" &&
	test_bg munged --foreground --force --key-file="$SLURM_DIR/munge/munge.key" \
		--socket="$SLURM_DIR/munge/munge.socket" --pid-file="$SLURM_DIR/munge/munged.pid" \
		--seed-file="$SLURM_DIR/munge/munged.seed" --log-file="$SLURM_DIR/munge/munged.log" &&
	test_wait_until test -S "$SLURM_DIR/munge/munge.socket" &&
	ctld_port=$(slurm_free_port) && slurmd_port=$(slurm_free_port) &&
	node=$(hostname -s) &&
	cpus=$(nproc) &&
	cat >"$SLURM_CONF" <<-CONF &&
	ClusterName=lifebelt
	SlurmctldHost=$node(127.0.0.1)
	SlurmctldPort=$ctld_port
	SlurmdPort=$slurmd_port
	AuthType=auth/munge
	CredType=cred/munge
	AuthInfo=socket=$SLURM_DIR/munge/munge.socket
	SlurmUser=root
	SlurmdUser=root
	StateSaveLocation=$SLURM_DIR/state
	SlurmdSpoolDir=$SLURM_DIR/spool
	SlurmctldPidFile=$SLURM_DIR/slurmctld.pid
	SlurmdPidFile=$SLURM_DIR/slurmd.pid
	SlurmctldLogFile=$SLURM_DIR/slurmctld.log
	SlurmdLogFile=$SLURM_DIR/slurmd.log
	ProctrackType=proctrack/linuxproc
	TaskPlugin=task/none
	MpiDefault=none
	SwitchType=switch/none
	SelectType=select/cons_tres
	SelectTypeParameters=CR_Core_Memory
	DefMemPerCPU=256
	JobAcctGatherType=jobacct_gather/none
	AccountingStorageType=accounting_storage/none
	JobCompType=jobcomp/none
	ReturnToService=2
	SchedulerParameters=sched_min_interval=0
	MinJobAge=600
	NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=4096 State=UNKNOWN
	PartitionName=grading Nodes=$node Default=YES MaxTime=INFINITE State=UP
	CONF
	test_bg slurmctld -D -i -f "$SLURM_CONF" &&
	test_bg slurmd -D -f "$SLURM_CONF" -N "$node" &&
	# The node registers within seconds, but a loaded machine may take longer.
	_i=0 &&
	until slurm_idle; do
		_i=$((_i + 1))
		test $_i -lt 600 || { echo "the node never became idle: see $SLURM_DIR"; return 1; }
		sleep 0.1
	done
}

slurm_idle() {
	sinfo --noheader --format=%t 2>/dev/null | grep -q idle
}

# The Slurm jobs Lifebelt has on the cluster now.
slurm_jobs() {
	squeue --noheader --format='%i %j %T' | grep ' lb-' || true
}

db() { sqlite3 -cmd ".timeout 10000" "$LIFEBELT_HOME/lifebelt.db" "$@"; }

# Work directories node-exec left on the node (none once every job is over).
node_leftovers() {
	ls -d "$TMPDIR"/lifebelt-node-* 2>/dev/null || true
}

# Mounts node-exec left on the node (none once every node-exec has ended, killed or not).
node_mounts() {
	awk -v t="$TMPDIR/" 'index($2, t) == 1 { print $2 }' /proc/mounts
}

# slurm_wait_running: wait until one of Lifebelt's jobs runs on the cluster; its Slurm id in slurm_id.
slurm_running() {
	slurm_id=$(squeue --noheader --states=RUNNING --format='%i %j' | awk '$2 ~ /^lb-/ {print $1; exit}')
	test -n "$slurm_id"
}

# A data directory with runner.executor slurm, a course c1, a student alice, and tests/ and sub/ to fill.
slurm_course() {
	lifebelt init &&
	lifebelt config set runner.executor slurm &&
	lifebelt course add c1 &&
	lifebelt student add c1 alice &&
	mkdir tests sub
}

# push LOGIN [ASSIGNMENT]: commit the files of sub/ as LOGIN's submission to c1/ASSIGNMENT (hw).
push() {
	rm -rf "clone-$1" &&
	git clone -q "$LIFEBELT_HOME/repos/c1/${2:-hw}/$1.git" "clone-$1" 2>/dev/null &&
	cp -R sub/. "clone-$1"/ &&
	(cd "clone-$1" && git add -A && git commit -q -m work && git push -q origin HEAD:main 2>/dev/null)
}
