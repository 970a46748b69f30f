#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A --node-hook for the simulator whose cache nodes are real redis-server
# processes on 127.0.0.1: reboots restart them, and a replication group's
# primary change re-points them with REPLICAOF, as ElastiCache does with
# its own nodes. For end-to-end tests of replication groups.
#
#   redis_node_hook.sh STATEDIR down|up CLUSTER NODE ADDRESS PORT
#   redis_node_hook.sh STATEDIR primary GROUP CLUSTER NODE ADDRESS PORT
#   redis_node_hook.sh STATEDIR replicaof GROUP CLUSTER NODE ADDRESS PORT \
#       PRIMARY_ADDRESS PRIMARY_PORT
#
# Start the members with `redis_node_hook.sh STATEDIR start ADDRESS PORT`
# (and `... replicaof` to link them) before the first call; `stop ADDRESS
# PORT` ends one. STATEDIR/redis.PORT.pid holds each server's pid, every
# call is appended to STATEDIR/hook.log ("EPOCH WHAT ARGS...", then "EPOCH
# ready PORT" once a started server answers PING and "EPOCH gone PORT" once
# a stopped one has exited, so a test can tell when each node was out of
# service). While a call runs, STATEDIR/hook.PID.running exists: a test's
# teardown waits until none is left before it ends the servers, so no hook
# can start one after that. Servers keep no files (no RDB, no AOF), so a
# restarted node comes back empty, as a rebooted ElastiCache node does, and
# a replica gets its data again from its primary: a primary rebooted in
# place loses its data (and its replicas' copy once they resync from it),
# which is what a wrong reboot order must show in a test.
set -u
dir=$1 what=$2
shift 2
log() { echo "$(date +%s.%N) $*" >>"$dir/hook.log"; }
running=$dir/hook.$$.running
: >"$running"
trap 'rm -f "$running"' EXIT

alive() { # ADDRESS PORT: answers PING
    [[ $(redis-cli -h "$1" -p "$2" PING 2>/dev/null) == PONG ]]
}

start() { # ADDRESS PORT
    local i
    # A full sync starts 5 s after a replica asks for it (Redis's default
    # repl-diskless-sync-delay, spelled out so an upgrade cannot change it):
    # it stands in for the time a real dataset takes to copy, during which
    # the replica is up, answers and has no data yet.
    redis-server --bind "$1" --port "$2" --daemonize yes --save '' --appendonly no \
        --repl-diskless-sync yes --repl-diskless-sync-delay 5 \
        --pidfile "$dir/redis.$2.pid" --dir "$dir" --logfile "$dir/redis.$2.log" \
        --dbfilename "dump.$2.rdb" </dev/null >/dev/null 2>&1
    for ((i = 0; i < 200; i++)); do
        if alive "$1" "$2"; then
            log "ready $2"
            return 0
        fi
        sleep 0.05
    done
    log "redis-server on $1:$2 did not start"
    return 1
}

stop() { # PORT
    local pidfile=$dir/redis.$1.pid pid i
    # A replica writes what it receives to its dump file: without it gone
    # the restarted server would load old data instead of coming back empty.
    rm -f "$dir/dump.$1.rdb"
    [[ -s $pidfile ]] || return 0
    pid=$(cat "$pidfile")
    kill -KILL "$pid" 2>/dev/null
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        [[ $(ps -o stat= -p "$pid" 2>/dev/null) == Z* ]] && break
        sleep 0.05
    done
    rm -f "$pidfile" "$dir/dump.$1.rdb"
    log "gone $1"
}

cli_ok() { # ADDRESS PORT COMMAND...: the command answers OK
    local out
    out=$(redis-cli -h "$1" -p "$2" "${@:3}" 2>&1)
    [[ $out == OK* ]] || { log "redis-cli -p $2 ${*:3}: $out"; return 1; }
}

log "$what $*"
case $what in
start) start "$1" "$2" ;;
stop) stop "$2" ;;
down) stop "$4" ;;
up) start "$3" "$4" ;;
primary) cli_ok "$4" "$5" REPLICAOF NO ONE ;;
replicaof) cli_ok "$4" "$5" REPLICAOF "$6" "$7" ;;
*)
    log "unknown hook call $what"
    exit 2
    ;;
esac
