#!/usr/bin/python3
"""Loopback listeners that never answer, for the probe tests: one process
holding many sockets, so that a thousand "nodes" cost one process.

  listeners.py PORTFILE KIND:COUNT [KIND:COUNT...]

KIND:
  silent  listens with a large backlog and never accepts: the kernel
          completes every connection and the request waits unread, as on a
          hung node that still holds its port ("accepted, then silent");
  cut     listens with a backlog of 0, filled by one connection of our
          own: Linux then drops every further SYN, so a connect gets no
          answer at all, as when the path to a node is cut (a lost route,
          a security group). This was chosen over a network namespace or
          iptables (root, a second loopback, rules to clean up): it needs
          nothing, holds on a loaded machine (the kernel, not a scheduled
          process, drops the SYNs) and stays on 127.0.0.1.
  closed  a port that was bound and released: connection refused.

Writes one line per listener, "KIND PORT", to PORTFILE (atomically, when
all are ready), then sleeps until killed.
"""
import os
import resource
import select
import signal
import socket
import sys
import time


def raise_nofile(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        want = need if hard == resource.RLIM_INFINITY else min(need, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        sys.exit("listeners.py: RLIMIT_NOFILE %d, need %d" % (soft, need))


def silent():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(4096)
    return [s], s.getsockname()[1]


def cut():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(0)
    port = s.getsockname()[1]
    held = [s]
    # Connect until one connection stays pending: the queue is full.
    for _ in range(8):
        c = socket.socket()
        c.setblocking(False)
        c.connect_ex(("127.0.0.1", port))
        held.append(c)
        _, w, _ = select.select([], [c], [], 0.3)
        if not w:
            return held, port
    sys.exit("listeners.py: the accept queue of %d never filled" % port)


def closed():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return [], port


def main():
    portfile, specs = sys.argv[1], sys.argv[2:]
    plan = []
    for spec in specs:
        kind, count = spec.split(":")
        plan.append((kind, int(count)))
    raise_nofile(sum(c * 3 for _, c in plan) + 64)
    make = {"silent": silent, "cut": cut, "closed": closed}
    held, lines = [], []
    for kind, count in plan:
        for _ in range(count):
            socks, port = make[kind]()
            held.extend(socks)
            lines.append("%s %d\n" % (kind, port))
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.writelines(lines)
    os.rename(tmp, portfile)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        time.sleep(3600)


main()
