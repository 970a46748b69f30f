#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Load, probes and log readers for the rolling-reboot end-to-end tests
(rolling_redis.bats, rolling_memcached.bats). Python 3 standard library
only; talks to 127.0.0.1 only.

  rolling.py write SIM_URL GROUP DIR
      A Redis client that keeps writing (at most 400 a second): SET k<N>
      v<N> with N increasing, always to the primary endpoint the simulator
      currently reports for GROUP (re-read every 50 ms through the control
      API, as a client follows ElastiCache's primary endpoint). Until SIGTERM. On SIGUSR1 it
      writes DIR/before (the number of writes acknowledged so far); on
      SIGTERM DIR/writer.json: {"acked": [N...], "before": n, "writes",
      "failed", "longest_failed_stretch" (seconds from the first failed
      write to the next acknowledged one, the longest such stretch),
      "stretch_from", "stretch_to" (epoch), "first_error"}. DIR/writer.ready
      appears after its 500th acknowledged write.

  rolling.py verify SIM_URL GROUP DIR [PORT]
      Reads every key of DIR/writer.json back from the group's primary (or
      from 127.0.0.1:PORT) and prints "before=B missing_before=M during=D
      lost_during=L": the keys acknowledged before SIGUSR1 and how many of
      them are missing or wrong, the same for those acknowledged after.

  rolling.py probe DIR PORT...
      Samples every memcached node ("version") until SIGTERM: one sample is
      all nodes connected to at once and answered within 100 ms (a longer
      sample is no single moment and is discarded). DIR/probe.ready appears
      after a sample in which every node answered; on SIGTERM
      DIR/probe.json: {"samples", "discarded", "min_answered",
      "below_all" (samples with a node down), "histogram", "worst": [{"t",
      "down": [PORT...]}]}.

  rolling.py steps SIM_URL
      The mutating API calls of the simulator's request log, in order, one
      a line: "reboot CLUSTER NODE,NODE STATUS" or "modify K=V ... STATUS"
      (every parameter but the action, version and group id, sorted).

  rolling.py outages HOOKLOG
      From a node hook's log (tests/sim/hooks/*_node_hook.sh): per port how
      often it went down and came back ("port P down=N ready=N"), then
      "max_out=N" (most nodes out of service at one time: from a "down" to
      the following "ready" of that port) and "order=EVENT,EVENT,..." (the
      down/ready/primary/replicaof calls in order, ports as given).
"""

import json
import os
import select
import signal
import socket
import sys
import threading
import time
import urllib.request


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def group_primary(sim_url, group):
    """(address, port) of the group's primary endpoint as the control API
    shows it (endpoint mode "follow": it moves with the primary)."""
    with urllib.request.urlopen("%s/_sim/replication-groups/%s" % (sim_url, group), timeout=2) as r:
        g = json.load(r)
    ep = g["NodeGroups"][0]["PrimaryEndpoint"]
    return ep["Address"], int(ep["Port"])


# -- a minimal RESP client ---------------------------------------------------
def resp_command(*words):
    out = [b"*%d\r\n" % len(words)]
    for w in words:
        b = w if isinstance(w, bytes) else str(w).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)


class Resp:
    def __init__(self, addr, timeout=0.5):
        self.sock = socket.create_connection(addr, timeout)
        self.sock.settimeout(timeout)
        self.f = self.sock.makefile("rb")

    def close(self):
        try:
            self.f.close()
            self.sock.close()
        except OSError:
            pass

    def reply(self):
        line = self.f.readline()
        if not line.endswith(b"\r\n"):
            raise ConnectionError("connection closed")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.f.read(n + 2)
            return data[:-2].decode()
        if kind == b"*":
            return [self.reply() for _ in range(int(rest))]
        raise RuntimeError("bad reply %r" % line)

    def call(self, *words):
        self.sock.sendall(resp_command(*words))
        return self.reply()


# -- write -------------------------------------------------------------------
READY_AFTER = 500  # acknowledged writes before the writer says it is ready
WRITE_RATE = 400


def cmd_write(sim_url, group, d):
    stop = threading.Event()
    mark = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGUSR1, lambda *_: mark.set())
    target = {"addr": group_primary(sim_url, group)}

    def follow():
        while not stop.is_set():
            try:
                target["addr"] = group_primary(sim_url, group)
            except Exception:  # the sim busy: keep the last one
                pass
            stop.wait(0.05)

    threading.Thread(target=follow, daemon=True).start()
    acked, before = [], None
    writes = failed = 0
    fail_since = None
    longest, stretch = 0.0, (None, None)
    first_error = None
    conn, conn_addr = None, None
    n = 0
    while not stop.is_set():
        if mark.is_set() and before is None:
            before = len(acked)
            write_atomic(os.path.join(d, "before"), "%d\n" % before)
        addr = target["addr"]
        n += 1
        writes += 1
        ok = False
        try:
            if conn is None or conn_addr != addr:
                if conn is not None:
                    conn.close()
                conn, conn_addr = None, addr
                conn = Resp(addr)
            ok = conn.call("SET", "k%d" % n, "v%d" % n) == "OK"
        except Exception as e:  # refused, reset, timeout, READONLY, LOADING
            if first_error is None:
                first_error = "%s:%d %s" % (addr[0], addr[1], e)
            if conn is not None:
                conn.close()
            conn = None
        now = time.time()
        if ok:
            acked.append(n)
            if len(acked) == READY_AFTER:
                write_atomic(os.path.join(d, "writer.ready"), "1\n")
            if fail_since is not None:
                if now - fail_since > longest:
                    longest, stretch = now - fail_since, (fail_since, now)
                fail_since = None
        else:
            failed += 1
            if fail_since is None:
                fail_since = now
        # At most WRITE_RATE writes a second: enough to time an outage to a
        # few milliseconds without taking a core of a shared machine (a
        # refused connection answers at once).
        time.sleep(1.0 / WRITE_RATE)
    if fail_since is not None:  # still failing at the end: counts too
        now = time.time()
        if now - fail_since > longest:
            longest, stretch = now - fail_since, (fail_since, None)
    if conn is not None:
        conn.close()
    write_atomic(
        os.path.join(d, "writer.json"),
        json.dumps(
            {
                "acked": acked,
                "before": before,
                "writes": writes,
                "failed": failed,
                "longest_failed_stretch": round(longest, 3),
                "stretch_from": stretch[0],
                "stretch_to": stretch[1],
                "first_error": first_error,
            }
        ),
    )


def cmd_verify(sim_url, group, d, port=None):
    w = json.load(open(os.path.join(d, "writer.json")))
    if w["before"] is None:
        print("the writer was never told where the run began (SIGUSR1)", file=sys.stderr)
        return 2
    addr = ("127.0.0.1", int(port)) if port else group_primary(sim_url, group)
    conn = Resp(addr, timeout=5)
    acked = w["acked"]
    before, during = acked[: w["before"]], acked[w["before"] :]
    missing = {}
    for name, keys in (("before", before), ("during", during)):
        bad = 0
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            vals = conn.call("MGET", *["k%d" % k for k in chunk])
            bad += sum(1 for k, v in zip(chunk, vals) if v != "v%d" % k)
        missing[name] = bad
    conn.close()
    print(
        "before=%d missing_before=%d during=%d lost_during=%d"
        % (len(before), missing["before"], len(during), missing["during"])
    )
    return 0


# -- probe -------------------------------------------------------------------
def sample(ports, timeout=0.1):
    """The ports whose memcached answered "version", all asked at once."""
    socks = {}
    for p in ports:
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", p))
        except BlockingIOError:
            pass
        except OSError:
            s.close()
            continue
        socks[s] = [p, b"", False]
    deadline = time.monotonic() + timeout
    answered = set()
    while socks:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        rd = [s for s, v in socks.items() if v[2]]
        wr = [s for s, v in socks.items() if not v[2]]
        r, w, _ = select.select(rd, wr, [], left)
        for s in w:
            try:
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                    raise OSError
                s.send(b"version\r\n")
                socks[s][2] = True
            except OSError:
                socks.pop(s)
                s.close()
        for s in r:
            try:
                data = s.recv(256)
            except OSError:
                data = b""
            if not data:
                socks.pop(s)
                s.close()
                continue
            socks[s][1] += data
            if socks[s][1].endswith(b"\r\n"):
                if socks[s][1].startswith(b"VERSION "):
                    answered.add(socks[s][0])
                socks.pop(s)
                s.close()
    for s in socks:
        s.close()
    return answered


def cmd_probe(d, ports):
    ports = [int(p) for p in ports]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    samples = discarded = 0
    hist = {}
    worst = []
    min_answered = None
    below = 0
    ready = False
    while not stop.is_set():
        t0 = time.monotonic()
        answered = sample(ports)
        if time.monotonic() - t0 > 0.1:
            discarded += 1
            continue
        samples += 1
        k = len(answered)
        hist[k] = hist.get(k, 0) + 1
        if min_answered is None or k < min_answered:
            min_answered = k
            worst = []
        if k < len(ports):
            below += 1
            if k == min_answered and len(worst) < 20:
                worst.append({"t": round(time.time(), 3), "down": sorted(set(ports) - answered)})
        elif not ready:
            ready = True
            write_atomic(os.path.join(d, "probe.ready"), "1\n")
        stop.wait(0.02)
    write_atomic(
        os.path.join(d, "probe.json"),
        json.dumps(
            {
                "samples": samples,
                "discarded": discarded,
                "min_answered": min_answered,
                "below_all": below,
                "histogram": {str(k): v for k, v in sorted(hist.items())},
                "worst": worst,
            }
        ),
    )


# -- log readers -------------------------------------------------------------
MUTATING = ("RebootCacheCluster", "ModifyReplicationGroup")


def cmd_steps(sim_url):
    with urllib.request.urlopen(sim_url + "/_sim/requests", timeout=10) as r:
        log = json.load(r)
    for e in log:
        if e["action"] not in MUTATING:
            continue
        p = e.get("params") or {}
        if e["action"] == "RebootCacheCluster":
            print(
                "reboot %s %s %s"
                % (p.get("CacheClusterId"), ",".join(p.get("CacheNodeIdsToReboot") or []), e["status"])
            )
        else:
            kv = sorted(
                "%s=%s" % (k, v) for k, v in p.items() if k not in ("Action", "Version", "ReplicationGroupId")
            )
            print("modify %s %s" % (" ".join(kv), e["status"]))


def cmd_outages(path):
    down, ready, events = {}, {}, []
    out, max_out = set(), 0
    for line in open(path):
        w = line.split()
        if len(w) < 2:
            continue
        what = w[1]
        if what == "down":  # EPOCH down CLUSTER NODE ADDRESS PORT
            port = w[5]
            down[port] = down.get(port, 0) + 1
            out.add(port)
            max_out = max(max_out, len(out))
            events.append("down:" + port)
        elif what == "ready":  # EPOCH ready PORT
            port = w[2]
            ready[port] = ready.get(port, 0) + 1
            out.discard(port)
            events.append("ready:" + port)
        elif what == "primary":  # EPOCH primary GROUP CLUSTER NODE ADDRESS PORT
            events.append("primary:" + w[6])
        elif what == "replicaof":  # ... ADDRESS PORT PADDRESS PPORT
            events.append("replicaof:%s>%s" % (w[6], w[8]))
    for port in sorted(set(down) | set(ready)):
        print("port %s down=%d ready=%d" % (port, down.get(port, 0), ready.get(port, 0)))
    print("max_out=%d" % max_out)
    print("order=" + ",".join(events))


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "write" and len(args) == 3:
        cmd_write(*args)
    elif cmd == "verify" and len(args) in (3, 4):
        return cmd_verify(*args)
    elif cmd == "probe" and len(args) >= 2:
        cmd_probe(args[0], args[1:])
    elif cmd == "steps" and len(args) == 1:
        cmd_steps(args[0])
    elif cmd == "outages" and len(args) == 1:
        cmd_outages(args[0])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
