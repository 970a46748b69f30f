#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The simulator's --node-hook for the Nagios end-to-end test: a reboot of a
# cache node restarts the memcached process behind its endpoint.
#
#   node_hook.sh STATEDIR down|up CLUSTER NODE ADDRESS PORT
#
# STATEDIR/memcached.PORT.pid holds the pid of the process serving PORT
# (memcached -d -P writes it). "down" kills that process, even a stopped
# one; "up" starts a fresh one and waits until it accepts.
set -u
dir=$1 what=$2 cluster=$3 node=$4 addr=$5 port=$6
pidfile=$dir/memcached.$port.pid
echo "$(date +%s.%N) $what $cluster $node $addr:$port" >>"$dir/hook.log"
case $what in
down)
    if [[ -s $pidfile ]]; then
        pid=$(cat "$pidfile")
        kill -KILL "$pid" 2>/dev/null
        kill -CONT "$pid" 2>/dev/null
        for ((i = 0; i < 100; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            # a zombie nobody reaps still answers kill -0: done when its
            # state is Z
            [[ $(ps -o stat= -p "$pid" 2>/dev/null) == Z* ]] && break
            sleep 0.05
        done
        rm -f "$pidfile"
    fi
    ;;
up)
    memcached -d -l "$addr" -p "$port" -U 0 -u root -m 8 -P "$pidfile" </dev/null >/dev/null 2>&1
    for ((i = 0; i < 100; i++)); do
        /usr/bin/python3 -c 'import socket,sys; socket.create_connection((sys.argv[1],int(sys.argv[2])),0.2).close()' \
            "$addr" "$port" 2>/dev/null && exit 0
        sleep 0.05
    done
    echo "node_hook: memcached on $addr:$port did not start" >>"$dir/hook.log"
    exit 1
    ;;
esac
exit 0
