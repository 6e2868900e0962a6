#!/usr/bin/env bash
# Stop the single-node SLURM cluster started by start_local_cluster.sh.
# Stops slurmd, slurmctld, slurmdbd (and, with --all, mariadb and munged).
# Processes are found by their pid files, falling back to an exact-name lookup,
# and are signalled by pid.
#   --all      also stop mariadb and munged
set -euo pipefail

STOP_ALL=0
for a in "$@"; do
    case $a in
        --all) STOP_ALL=1 ;;
        -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
        *) echo "unknown argument: $a" >&2; exit 2 ;;
    esac
done

[[ $(id -u) == 0 ]] || { echo "must run as root" >&2; exit 1; }

RUN_DIR=/run/slurm

pid_of() {
    local f=$1 name=$2 pid
    if [[ -s $f ]]; then
        pid=$(tr -dc '0-9' <"$f")
        if [[ -n $pid && $(cat "/proc/$pid/comm" 2>/dev/null || true) == "$name" ]]; then
            echo "$pid"; return
        fi
    fi
    pgrep -x "$name" || true
}

stop() {
    local f=$1 name=$2 pid i stopped=""
    for pid in $(pid_of "$f" "$name"); do
        kill "$pid" 2>/dev/null || continue
        for i in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -9 "$pid" 2>/dev/null || true
        fi
        stopped+=" $pid"
    done
    rm -f "$f"
    if [[ -n $stopped ]]; then echo "stopped $name (pid$stopped)"; else echo "$name not running"; fi
}

stop "$RUN_DIR/slurmd.pid" slurmd
stop "$RUN_DIR/slurmctld.pid" slurmctld
stop "$RUN_DIR/slurmdbd.pid" slurmdbd
if [[ $STOP_ALL == 1 ]]; then
    if mysqladmin ping >/dev/null 2>&1; then
        /etc/init.d/mariadb stop >/dev/null 2>&1 || true
        echo "stopped mariadb"
    else
        echo "mariadb not running"
    fi
    stop /run/munge/munged.pid munged
fi
