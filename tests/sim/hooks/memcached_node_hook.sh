#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A --node-hook for the simulator whose cache nodes are real memcached
# processes on 127.0.0.1: a node's reboot kills its process ("down") and
# starts a fresh, empty one ("up"), as ElastiCache's reboot of a memcached
# node does. For end-to-end tests of rolling reboots.
#
#   memcached_node_hook.sh STATEDIR down|up CLUSTER NODE ADDRESS PORT
#   memcached_node_hook.sh STATEDIR start|stop ADDRESS PORT
#
# `start` and `stop` begin and end one server (a test starts its nodes with
# `start` before the simulator). STATEDIR/memcached.PORT.pid holds each
# server's pid (memcached -d -P writes it). Every call is appended to
# STATEDIR/hook.log as "EPOCH WHAT ARGS...", then "EPOCH ready PORT" once a
# started server accepts connections and "EPOCH gone PORT" once a stopped
# one has exited: from "down" to "ready" the node is out of service. While
# a call runs, STATEDIR/hook.PID.running exists: a test's teardown waits
# until none is left before it ends the servers, so no hook can start one
# after that.
set -u
dir=$1 what=$2
shift 2
log() { echo "$(date +%s.%N) $*" >>"$dir/hook.log"; }
running=$dir/hook.$$.running
: >"$running"
trap 'rm -f "$running"' EXIT

accepts() { # ADDRESS PORT
    /usr/bin/python3 -c 'import socket,sys; socket.create_connection((sys.argv[1],int(sys.argv[2])),0.5).close()' \
        "$1" "$2" 2>/dev/null
}

start() { # ADDRESS PORT
    local i
    # -u root: memcached refuses to run as root without it (CI is root);
    # it is ignored otherwise. -U 0: no UDP.
    memcached -d -l "$1" -p "$2" -U 0 -u root -m 8 -P "$dir/memcached.$2.pid" \
        </dev/null >/dev/null 2>&1
    for ((i = 0; i < 200; i++)); do
        if accepts "$1" "$2"; then
            log "ready $2"
            return 0
        fi
        sleep 0.05
    done
    log "memcached on $1:$2 did not start"
    return 1
}

stop() { # PORT
    local pidfile=$dir/memcached.$1.pid pid i
    [[ -s $pidfile ]] || return 0
    pid=$(cat "$pidfile")
    kill -KILL "$pid" 2>/dev/null
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        # a zombie nobody reaps still answers kill -0: gone when its state is Z
        [[ $(ps -o stat= -p "$pid" 2>/dev/null) == Z* ]] && break
        sleep 0.05
    done
    rm -f "$pidfile"
    log "gone $1"
}

log "$what $*"
case $what in
start) start "$1" "$2" ;;
stop) stop "$2" ;;
down) stop "$4" ;;
up) start "$3" "$4" ;;
*)
    log "unknown hook call $what"
    exit 2
    ;;
esac
