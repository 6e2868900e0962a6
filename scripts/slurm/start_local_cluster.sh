#!/usr/bin/env bash
# Start a single-node SLURM cluster on localhost for trackgnn tests and demos.
#
# What it does (as root, Debian 12, no systemd needed):
#   * installs slurm-wlm, munge, slurmdbd and mariadb-server if missing
#     (service auto-start blocked during install via a temporary policy-rc.d),
#   * writes /etc/slurm/{slurm.conf,gres.conf,slurmdbd.conf} and fake GPU
#     character devices /dev/fake-gpuN (so jobs get CUDA_VISIBLE_DEVICES),
#   * starts munged, mariadb, slurmdbd, slurmctld and slurmd directly,
#   * registers cluster/account/user in accounting (sacct must answer: the
#     snakemake SLURM executor polls job status with sacct),
#   * waits until the node is idle and sacct answers, then prints one line.
#
# Idempotent: re-running with everything up only checks and prints the summary.
# Changed configuration restarts the SLURM daemons.
#
# Environment knobs:
#   TRACKGNN_SLURM_GPUS       number of fake GPUs (default 2)
#   TRACKGNN_SLURM_GPU_TYPE   GPU type name (default a100)
#   TRACKGNN_SLURM_PARTITION  partition name (default local)
#   TRACKGNN_SLURM_LOG        log file (default /tmp/trackgnn-slurm/start_local_cluster.log)
#   TRACKGNN_SLURM_WAIT       seconds to wait for node/accounting (default 90)
set -euo pipefail

CLUSTER_NAME=trackgnn
ACCOUNT_NAME=trackgnn
NODE=localhost
NGPUS=${TRACKGNN_SLURM_GPUS:-2}
GPU_TYPE=${TRACKGNN_SLURM_GPU_TYPE:-a100}
PARTITION=${TRACKGNN_SLURM_PARTITION:-local}
WAIT_S=${TRACKGNN_SLURM_WAIT:-90}
LOG=${TRACKGNN_SLURM_LOG:-/tmp/trackgnn-slurm/start_local_cluster.log}

ETC=/etc/slurm
RUN_DIR=/run/slurm
STATE_DIR=/var/lib/slurm/slurmctld
SPOOL_DIR=/var/lib/slurm/slurmd
LOG_DIR=/var/log/slurm
CTLD_PID=$RUN_DIR/slurmctld.pid
SLURMD_PID=$RUN_DIR/slurmd.pid
DBD_PID=$RUN_DIR/slurmdbd.pid
MUNGE_PID=/run/munge/munged.pid
DB_NAME=slurm_acct_db
DB_USER=slurm
DB_PASS_FILE=$ETC/.slurmdbd_db_password
PACKAGES=(slurm-wlm munge slurmdbd mariadb-server)

T0=$(date +%s)
mkdir -p "$(dirname "$LOG")"
# fd 3 = original stdout (summary), fd 4 = original stderr (errors); all else -> log.
exec 3>&1 4>&2
exec >>"$LOG" 2>&1
echo "=== $(date -Is) start_local_cluster.sh (pid $$) ==="

POLICY=/usr/sbin/policy-rc.d
POLICY_BACKUP=""
POLICY_INSTALLED=0

restore_policy() {
    if [[ $POLICY_INSTALLED == 1 ]]; then
        if [[ -n $POLICY_BACKUP && -f $POLICY_BACKUP ]]; then
            mv -f "$POLICY_BACKUP" "$POLICY"
        else
            rm -f "$POLICY"
        fi
        POLICY_INSTALLED=0
    fi
}

on_exit() {
    local rc=$?
    restore_policy
    if [[ $rc != 0 ]]; then
        echo "start_local_cluster.sh FAILED (rc=$rc)"
        {
            echo "start_local_cluster.sh: FAILED (rc=$rc); last lines of $LOG:"
            tail -n 40 "$LOG" | sed 's/^/  | /'
        } >&4
    fi
}
trap on_exit EXIT

log() { echo "[$(date +%T)] $*"; }
die() { log "ERROR: $*"; exit 1; }

[[ $(id -u) == 0 ]] || die "must run as root"

# ---------------------------------------------------------------- install
missing_packages() {
    local p st
    for p in "${PACKAGES[@]}"; do
        st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        [[ $st == "install ok installed" ]] || echo "$p"
    done
}

install_packages() {
    local missing
    mapfile -t missing < <(missing_packages)
    if [[ ${#missing[@]} == 0 ]]; then
        log "packages already installed"
        return
    fi
    log "installing: ${missing[*]}"
    # Block daemons from being started by the maintainer scripts.
    if [[ -e $POLICY ]]; then
        POLICY_BACKUP=$(mktemp /tmp/policy-rc.d.backup.XXXXXX)
        cp -p "$POLICY" "$POLICY_BACKUP"
    fi
    POLICY_INSTALLED=1
    printf '#!/bin/sh\n# temporary, written by trackgnn start_local_cluster.sh\nexit 101\n' >"$POLICY"
    chmod 755 "$POLICY"

    export DEBIAN_FRONTEND=noninteractive
    local apt_opts=(-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef
                    -o Dpkg::Options::=--force-confold)
    # apt-get update only when the package lists do not know the packages,
    # or when the install fails (stale lists -> 404).
    if ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then
        log "apt-get update (package lists lack candidates)"
        apt-get update -q
    fi
    if ! apt-get install "${apt_opts[@]}" "${missing[@]}"; then
        log "install failed; retrying after apt-get update"
        apt-get update -q
        apt-get install "${apt_opts[@]}" "${missing[@]}"
    fi
    restore_policy
    log "install done"
}

# ---------------------------------------------------------------- helpers
# pid_alive PIDFILE NAME -> 0 if the pid in PIDFILE runs a process named NAME.
# A stale pid file (dead or recycled pid) is removed.
pid_alive() {
    local f=$1 name=$2 pid comm
    [[ -s $f ]] || return 1
    pid=$(tr -dc '0-9' <"$f")
    if [[ -n $pid ]] && comm=$(cat "/proc/$pid/comm" 2>/dev/null) && [[ $comm == "$name" ]]; then
        return 0
    fi
    log "removing stale pid file $f"
    rm -f "$f"
    return 1
}

# daemon_running PIDFILE NAME: pid file first, then any process of that exact name.
daemon_running() {
    pid_alive "$1" "$2" && return 0
    pgrep -x "$2" >/dev/null 2>&1
}

daemon_pid() {
    local f=$1 name=$2
    if pid_alive "$f" "$name"; then tr -dc '0-9' <"$f"; return; fi
    pgrep -x "$name" | head -n1
}

stop_daemon() {
    local f=$1 name=$2 pid i
    pid=$(daemon_pid "$f" "$name" || true)
    [[ -n $pid ]] || return 0
    log "stopping $name (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
}

# wait_for SECONDS DESCRIPTION CMD...: poll CMD every 0.5 s until it succeeds.
wait_for() {
    local secs=$1 what=$2; shift 2
    local deadline=$(( $(date +%s) + secs ))
    until "$@" >/dev/null 2>&1; do
        if (( $(date +%s) >= deadline )); then
            log "timeout after ${secs}s waiting for $what"
            return 1
        fi
        sleep 0.5
    done
    log "$what: ok"
}

SLURM_CONF_CHANGED=0   # slurm.conf / gres.conf -> restart slurmctld + slurmd
DBD_CONF_CHANGED=0     # slurmdbd.conf -> restart slurmdbd
CONFIG_CHANGED=0
# put_file DEST MODE OWNER < content: replace DEST only if content differs
# (sets CONFIG_CHANGED=1 when it rewrote the file).
put_file() {
    local dest=$1 mode=$2 owner=$3 tmp
    tmp=$(mktemp)
    cat >"$tmp"
    if [[ -f $dest ]] && cmp -s "$tmp" "$dest"; then
        rm -f "$tmp"
    else
        log "writing $dest"
        install -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$tmp" "$dest"
        rm -f "$tmp"
        CONFIG_CHANGED=1
    fi
    chmod "$mode" "$dest"
    chown "$owner" "$dest"
}

# ---------------------------------------------------------------- configure
configure() {
    id slurm >/dev/null 2>&1 || die "user 'slurm' missing after install"
    install -d -m 755 -o slurm -g slurm "$RUN_DIR" "$STATE_DIR" "$LOG_DIR"
    install -d -m 755 "$SPOOL_DIR" "$ETC"
    install -d -m 755 -o munge -g munge /run/munge
    install -d -m 700 -o munge -g munge /etc/munge /var/lib/munge /var/log/munge

    # munge key
    if [[ ! -s /etc/munge/munge.key ]]; then
        log "creating munge key"
        if command -v mungekey >/dev/null 2>&1; then
            mungekey --create --keyfile=/etc/munge/munge.key --force
        else
            dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
        fi
    fi
    chown munge:munge /etc/munge/munge.key
    chmod 400 /etc/munge/munge.key

    # fake GPUs: character devices (regular files are rejected by slurmd)
    local i
    for ((i = 0; i < NGPUS; i++)); do
        if [[ ! -c /dev/fake-gpu$i ]]; then
            rm -f "/dev/fake-gpu$i"
            mknod -m 666 "/dev/fake-gpu$i" c 1 3
        fi
    done

    # hardware description
    local hw cpus nproc_n mem realmem topo=""
    hw=$(/usr/sbin/slurmd -C | head -n1)
    nproc_n=$(nproc)
    cpus=$(sed -n 's/.*\bCPUs=\([0-9]*\).*/\1/p' <<<"$hw")
    mem=$(sed -n 's/.*\bRealMemory=\([0-9]*\).*/\1/p' <<<"$hw")
    [[ -n $mem ]] || die "could not parse RealMemory from: $hw"
    realmem=$(( mem * 90 / 100 ))
    if [[ $cpus == "$nproc_n" ]]; then
        # keep sockets/cores/threads as slurmd sees them (no mismatch drain)
        topo=$(grep -o '\b\(Boards\|SocketsPerBoard\|CoresPerSocket\|ThreadsPerCore\)=[0-9]*' <<<"$hw" | tr '\n' ' ')
    fi
    local gpu_range
    if (( NGPUS == 1 )); then gpu_range=0; else gpu_range="0-$((NGPUS - 1))"; fi

    CONFIG_CHANGED=0
    put_file "$ETC/slurm.conf" 644 root:root <<EOF
# Generated by trackgnn scripts/slurm/start_local_cluster.sh -- single-node test cluster.
ClusterName=$CLUSTER_NAME
SlurmctldHost=$NODE
SlurmUser=slurm
AuthType=auth/munge
CredType=cred/munge
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$STATE_DIR
SlurmdSpoolDir=$SPOOL_DIR
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
MailProg=/bin/true
MpiDefault=none
ReturnToService=2
# no cgroups on this kind of machine
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=30
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# without a default one job would take the whole node's memory
DefMemPerCPU=1000
GresTypes=gpu
MinJobAge=300
KillWait=5
InactiveLimit=0
Waittime=0
SlurmctldTimeout=120
SlurmdTimeout=300
# accounting: the snakemake slurm executor polls sacct
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=$NODE
AccountingStorageTRES=gres/gpu,gres/gpu:$GPU_TYPE
AccountingStoreFlags=job_comment
JobCompType=jobcomp/none
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$nproc_n ${topo}RealMemory=$realmem Gres=gpu:$GPU_TYPE:$NGPUS State=UNKNOWN
PartitionName=$PARTITION Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF

    put_file "$ETC/gres.conf" 644 root:root <<EOF
# Generated by trackgnn start_local_cluster.sh: fake GPUs (character devices, /dev/null-like).
NodeName=$NODE Name=gpu Type=$GPU_TYPE File=/dev/fake-gpu[$gpu_range]
EOF
    SLURM_CONF_CHANGED=$CONFIG_CHANGED

    # DB password: generated once, kept.
    if [[ ! -s $DB_PASS_FILE ]]; then
        (umask 077; head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$DB_PASS_FILE")
    fi
    chmod 600 "$DB_PASS_FILE"
    DB_PASS=$(cat "$DB_PASS_FILE")

    CONFIG_CHANGED=0
    put_file "$ETC/slurmdbd.conf" 600 slurm:slurm <<EOF
# Generated by trackgnn start_local_cluster.sh
AuthType=auth/munge
DbdHost=$NODE
DbdPort=6819
SlurmUser=slurm
PidFile=$DBD_PID
LogFile=$LOG_DIR/slurmdbd.log
DebugLevel=info
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageUser=$DB_USER
StoragePass=$DB_PASS
StorageLoc=$DB_NAME
EOF
    DBD_CONF_CHANGED=$CONFIG_CHANGED
}

# ---------------------------------------------------------------- daemons
start_munge() {
    if daemon_running "$MUNGE_PID" munged && munge -n </dev/null | unmunge >/dev/null 2>&1; then
        log "munged already running"
        return
    fi
    log "starting munged"
    runuser -u munge -- /usr/sbin/munged 3>&- 4>&- </dev/null
    wait_for 15 "munge" bash -c 'munge -n </dev/null | unmunge'
}

start_mariadb() {
    if mysqladmin ping >/dev/null 2>&1; then
        log "mariadb already running"
    else
        log "starting mariadb"
        # stale socket/pid from a killed server would block a restart
        if ! pgrep -x mariadbd >/dev/null && ! pgrep -x mysqld >/dev/null; then
            rm -f /run/mysqld/mysqld.pid /run/mysqld/mysqld.sock
        fi
        /etc/init.d/mariadb start 3>&- 4>&- </dev/null || true
        wait_for 60 "mariadb" mysqladmin ping
    fi
    # DB user for slurmdbd (root uses unix_socket auth on Debian)
    mysql -u root <<EOF
CREATE DATABASE IF NOT EXISTS $DB_NAME;
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASS';
ALTER USER '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASS';
GRANT ALL ON $DB_NAME.* TO '$DB_USER'@'localhost';
FLUSH PRIVILEGES;
EOF
}

start_slurmdbd() {
    if daemon_running "$DBD_PID" slurmdbd; then
        if [[ $DBD_CONF_CHANGED == 1 ]]; then
            stop_daemon "$DBD_PID" slurmdbd
        else
            log "slurmdbd already running"
            return
        fi
    fi
    log "starting slurmdbd"
    /usr/sbin/slurmdbd 3>&- 4>&- </dev/null
    wait_for 60 "slurmdbd" sacctmgr -n list cluster
}

register_accounting() {
    if [[ -z $(sacctmgr -n -P list cluster "$CLUSTER_NAME" format=cluster) ]]; then
        sacctmgr -i add cluster "$CLUSTER_NAME"
    fi
    if [[ -z $(sacctmgr -n -P list account "$ACCOUNT_NAME" format=account) ]]; then
        sacctmgr -i add account "$ACCOUNT_NAME" cluster="$CLUSTER_NAME" \
            description="trackgnn local test account" organization=trackgnn
    fi
    local users=(root) u
    if [[ -n ${SUDO_USER:-} && ${SUDO_USER} != root ]]; then users+=("$SUDO_USER"); fi
    for u in "${users[@]}"; do
        if [[ -z $(sacctmgr -n -P list assoc cluster="$CLUSTER_NAME" user="$u" account="$ACCOUNT_NAME" format=user) ]]; then
            sacctmgr -i add user "$u" account="$ACCOUNT_NAME" cluster="$CLUSTER_NAME" defaultaccount="$ACCOUNT_NAME"
        fi
    done
    log "accounting registration: ok"
}

start_slurm() {
    if [[ $SLURM_CONF_CHANGED == 1 ]]; then
        stop_daemon "$SLURMD_PID" slurmd
        stop_daemon "$CTLD_PID" slurmctld
    fi
    if daemon_running "$CTLD_PID" slurmctld; then
        log "slurmctld already running"
    else
        log "starting slurmctld"
        /usr/sbin/slurmctld 3>&- 4>&- </dev/null
    fi
    wait_for 30 "slurmctld" scontrol ping
    if daemon_running "$SLURMD_PID" slurmd; then
        log "slurmd already running"
    else
        log "starting slurmd"
        SLURMD_STARTED_AT=$(date +%s)
        /usr/sbin/slurmd -N "$NODE" 3>&- 4>&- </dev/null
    fi
}

SLURMD_STARTED_AT=0
# slurmd_registered: the controller has heard from the slurmd we started
# (its cached node state may say idle before that).
slurmd_registered() {
    (( SLURMD_STARTED_AT == 0 )) && return 0
    local t
    t=$(scontrol show node "$NODE" 2>/dev/null | sed -n 's/.*SlurmdStartTime=\([^ ]*\).*/\1/p')
    [[ -n $t && $t != None ]] || return 1
    (( $(date -d "$t" +%s 2>/dev/null || echo 0) >= SLURMD_STARTED_AT - 1 ))
}

node_state() { sinfo -h -N -n "$NODE" -o '%T' 2>/dev/null | head -n1; }

wait_node_ready() {
    local deadline=$(( $(date +%s) + WAIT_S )) st resumed=0
    while :; do
        st=$(node_state || true)
        case $st in
            idle|mixed|allocated|completing)
                if slurmd_registered; then log "node $NODE: $st"; break; fi ;;
            *drain*|*down*|*fail*)
                # a drained/down node does not come back on its own
                if (( resumed < 3 )); then
                    log "node $NODE is '$st' -> resume"
                    scontrol update nodename="$NODE" state=resume || true
                    resumed=$((resumed + 1))
                fi ;;
        esac
        if (( $(date +%s) >= deadline )); then
            scontrol show node "$NODE" || true
            die "node $NODE not ready after ${WAIT_S}s (state '${st:-none}')"
        fi
        sleep 0.5
    done
    wait_for "$WAIT_S" "sacct" sacct -n -X -S now-1minutes
}

# ---------------------------------------------------------------- main
install_packages
configure
start_munge
start_mariadb
start_slurmdbd
register_accounting
start_slurm
wait_node_ready

ELAPSED=$(( $(date +%s) - T0 ))
SUMMARY="SLURM local cluster ready: cluster=$CLUSTER_NAME node=$NODE state=$(node_state) partition=$PARTITION cpus=$(nproc) gpus=gpu:$GPU_TYPE:$NGPUS accounting=slurmdbd (${ELAPSED}s; log $LOG)"
log "$SUMMARY"
echo "$SUMMARY" >&3
