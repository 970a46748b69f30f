#!/usr/bin/python3
"""Write the input files of the reboot engine's case folders.

Run with Debian's python3 (it needs python3-botocore):

    /usr/bin/python3 tests/data/engine/make_cases.py [CASE...]

Each case below becomes tests/data/engine/<case>/ with options.json,
script.txt and the answers script.txt names. The XML answers are made by
the simulator's own model-driven serialiser (tests/sim/ecsim.py:
render_response, render_error), the same bytes it sends the tools, so each
file is what the service returns. expected.txt is NOT written here: write
it from `build/bin/engine_case --print DIR`, and read it against the rules
in PROVENANCE.md before you keep it. Existing expected.txt files are left
alone.
"""
import datetime
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sim"))
import ecsim  # noqa: E402

MODEL = ecsim.Model()
START = datetime.datetime(2024, 5, 1, 10, 0, 0, tzinfo=datetime.timezone.utc)
RID = "11111111-2222-3333-4444-555555555555"


def at(seconds):
    return ecsim.format_time(START + datetime.timedelta(seconds=seconds))


def cluster(cid="demo-memcached", status="available", nodes=None,
            pending=(), engine="memcached"):
    """A CacheCluster as describe-cache-clusters --show-cache-node-info
    prints it. nodes: list of (id, status) or (id, status, pg_status)."""
    if nodes is None:
        nodes = [("0001", "available"), ("0002", "available"),
                 ("0003", "available")]
    cache_nodes = []
    for i, n in enumerate(nodes):
        nid, nstatus = n[0], n[1]
        pg = n[2] if len(n) > 2 else ("pending-reboot" if nid in pending
                                      else "in-sync")
        cache_nodes.append({
            "CacheNodeId": nid,
            "CacheNodeStatus": nstatus,
            "CacheNodeCreateTime": "2023-01-10T09:15:42.512Z",
            "Endpoint": {"Address": "127.0.0.1", "Port": 10001 + i},
            "ParameterGroupStatus": pg,
            "CustomerAvailabilityZone": "us-east-1a",
        })
    return {
        "CacheClusterId": cid,
        "CacheNodeType": "cache.t3.micro",
        "Engine": engine,
        "EngineVersion": "1.6.17" if engine == "memcached" else "7.0.7",
        "CacheClusterStatus": status,
        "NumCacheNodes": len(nodes),
        "CacheClusterCreateTime": "2023-01-10T09:15:42.512Z",
        "PendingModifiedValues": {},
        "CacheParameterGroup": {
            "CacheParameterGroupName": "default.memcached1.6",
            "ParameterApplyStatus": "pending-reboot" if pending else "in-sync",
            "CacheNodeIdsToReboot": list(pending),
        },
        "CacheNodes": cache_nodes,
    }


def describe(*clusters):
    return ecsim.render_response(MODEL, "DescribeCacheClusters",
                                 {"CacheClusters": list(clusters)}, RID)


def events(*evs, cid="demo-memcached"):
    """evs: (node id, seconds after START) restart events, newest first."""
    items = [{"SourceIdentifier": cid, "SourceType": "cache-cluster",
              "Message": "Cache node %s restarted" % nid, "Date": at(t)}
             for nid, t in evs]
    return ecsim.render_response(MODEL, "DescribeEvents", {"Events": items},
                                 RID)


def rebooted(c):
    return ecsim.render_response(MODEL, "RebootCacheCluster",
                                 {"CacheCluster": c}, "22222222-3333-4444-5555-666666666666")


def error(code, message, sender=True):
    return ecsim.render_error(code, message, RID, sender)


AVAILABLE = cluster()
REBOOTING_ALL = cluster(status="rebooting cache cluster nodes",
                        nodes=[("0001", "rebooting"), ("0002", "rebooting"),
                               ("0003", "rebooting")])
REBOOTING_1 = cluster(status="rebooting cache cluster nodes",
                      nodes=[("0001", "rebooting"), ("0002", "available"),
                             ("0003", "available")])
REBOOTING_12 = cluster(status="rebooting cache cluster nodes",
                       nodes=[("0001", "rebooting"), ("0002", "rebooting"),
                              ("0003", "available")])
MODIFYING = cluster(status="modifying")
PENDING_2 = cluster(pending=("0002",))
REBOOTING_2_PENDING = cluster(status="rebooting cache cluster nodes",
                              nodes=[("0001", "available"),
                                     ("0002", "rebooting", "pending-reboot"),
                                     ("0003", "available")],
                              pending=("0002",))
NO_EVENTS = events()
E503 = error("ServiceUnavailable", "Service Unavailable", sender=False)
EICS_REBOOTING = error("InvalidCacheClusterState",
                       "Cluster demo-memcached is not in available state "
                       "(current state: rebooting cache cluster nodes).")
EICS_MODIFYING = error("InvalidCacheClusterState",
                       "Cluster demo-memcached is not in available state "
                       "(current state: modifying).")
ENOTFOUND = error("CacheClusterNotFound", "CacheCluster not found: demo-memcached")
ECME = error("InvalidParameterCombination",
             "Rebooting is not supported on Redis (cluster mode enabled) "
             "clusters. Use the test-failover API or modify the replication "
             "group instead.")
HTML = (b"<html><head><title>502 Bad Gateway</title></head><body>"
        b"<center><h1>502 Bad Gateway</h1></center></body></html>\n")
MALFORMED = rebooted(REBOOTING_ALL)[:400] + b"<<</ broken &&& xml\n"

# name: (options, [(script line, {file: bytes})...])
# A script line is "ACTION KIND ARGS"; files it names are written beside.
CASES = {}


def case(name, options, *answers):
    CASES[name] = (options, answers)


def f(action, name, data, extra=""):
    return ("%s file %s%s" % (action, name, extra), {name: data})


def http(action, status, name, data, extra=""):
    return ("%s http %d %s%s" % (action, status, name, extra), {name: data})


def err(action, kind, extra=""):
    return ("%s error %s%s" % (action, kind, extra), {})


def body(status, name, data, extra=""):
    return ("reboot body %d %s%s" % (status, name, extra), {name: data})


# -- the safe reboot: plans ------------------------------------------------
case("reboot-every-node", {},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-answer.xml", rebooted(REBOOTING_ALL)))
case("reboot-given-nodes-and-wait", {"node_ids": ["0001", "0002"],
                                     "wait": True},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-answer.xml", rebooted(REBOOTING_12)),
     f("describe", "rebooting.xml", describe(REBOOTING_12)),
     f("describe", "available.xml", describe(AVAILABLE)))
case("check-mode", {"check_mode": True, "node_ids": ["0003"]},
     f("describe", "available.xml", describe(AVAILABLE)))
case("check-mode-busy-without-wait-says-it-would-fail",
     {"check_mode": True},
     f("describe", "modifying.xml", describe(MODIFYING)))
case("check-mode-busy-with-wait-predicts-the-reboot",
     {"check_mode": True, "wait": True, "node_ids": ["0002"]},
     f("describe", "modifying.xml", describe(MODIFYING)))
case("only-if-pending", {"only_if_pending": True},
     f("describe", "pending.xml", describe(PENDING_2)),
     f("reboot", "reboot-answer.xml", rebooted(REBOOTING_2_PENDING)))
case("only-if-pending-nothing-pending", {"only_if_pending": True},
     f("describe", "available.xml", describe(AVAILABLE)))
case("unless-rebooted-since-skips-restarted-nodes",
     {"unless_rebooted_since": "1h"},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("events", "events.xml", events(("0001", -600))),
     f("reboot", "reboot-answer.xml", rebooted(cluster(
         status="rebooting cache cluster nodes",
         nodes=[("0001", "available"), ("0002", "rebooting"),
                ("0003", "rebooting")]))))
case("unless-rebooted-since-all-recent",
     {"unless_rebooted_since": "1h", "node_ids": ["0001"]},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("events", "events.xml", events(("0001", -600), ("0001", -7000))))
case("empty-node-list-means-none", {"node_ids": [], "wait": True})
case("unknown-node-is-refused-after-describing", {"node_ids": ["0009"]},
     f("describe", "available.xml", describe(AVAILABLE)))
case("cluster-not-found", {},
     http("describe", 404, "not-found.xml", ENOTFOUND))
case("describe-answers-two-clusters", {},
     f("describe", "two.xml", describe(AVAILABLE, cluster(cid="demo-other"))))
case("already-rebooting-is-not-rebooted-again", {},
     f("describe", "rebooting.xml", describe(REBOOTING_1)))
case("already-rebooting-with-wait-waits-for-it", {"wait": True},
     f("describe", "rebooting.xml", describe(REBOOTING_1)),
     f("describe", "rebooting.xml", describe(REBOOTING_1)),
     f("describe", "available.xml", describe(AVAILABLE)))

# -- busy clusters ---------------------------------------------------------
case("busy-without-wait", {},
     f("describe", "modifying.xml", describe(MODIFYING)))
case("busy-with-wait-then-reboot", {"wait": True, "node_ids": ["0003"],
                                    "delay": 10},
     f("describe", "modifying.xml", describe(MODIFYING)),
     f("describe", "modifying.xml", describe(MODIFYING)),
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-answer.xml", rebooted(cluster(
         status="rebooting cache cluster nodes",
         nodes=[("0001", "available"), ("0002", "available"),
                ("0003", "rebooting")]))),
     f("describe", "back.xml", describe(AVAILABLE)),
     f("events", "events.xml", events(("0003", 20))))
case("busy-with-wait-times-out", {"wait": True, "delay": 15, "timeout": 50},
     f("describe", "snapshotting.xml", describe(cluster(status="snapshotting"))),
     f("describe", "snapshotting.xml", describe(cluster(status="snapshotting"))),
     f("describe", "snapshotting.xml", describe(cluster(status="snapshotting"))),
     f("describe", "snapshotting.xml", describe(cluster(status="snapshotting"))))
case("busy-with-wait-failure-state", {"wait": True},
     f("describe", "deleting.xml", describe(cluster(status="deleting"))))
case("busy-node-with-wait", {"wait": True, "node_ids": ["0002"], "delay": 5},
     f("describe", "node-modifying.xml", describe(cluster(
         nodes=[("0001", "available"), ("0002", "modifying"),
                ("0003", "available")]))),
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-answer.xml", rebooted(cluster(
         status="rebooting cache cluster nodes",
         nodes=[("0001", "available"), ("0002", "rebooting"),
                ("0003", "available")]))),
     f("describe", "rebooting.xml", describe(cluster(
         status="rebooting cache cluster nodes",
         nodes=[("0001", "available"), ("0002", "rebooting"),
                ("0003", "available")]))),
     f("describe", "available.xml", describe(AVAILABLE)))

# -- waiting after the reboot ----------------------------------------------
case("wait-through-the-consistency-window",
     {"wait": True, "node_ids": ["0001"], "delay": 15},
     f("describe", "available.xml", describe(AVAILABLE)),
     # The answer shows the reboot, the next describes do not yet.
     f("reboot", "reboot-answer.xml", rebooted(REBOOTING_1), " took 0.5"),
     f("describe", "stale-available.xml", describe(AVAILABLE)),
     f("events", "no-events.xml", NO_EVENTS),
     f("describe", "stale-available.xml", describe(AVAILABLE)),
     f("events", "restarted.xml", events(("0001", 12))))
case("wait-ignores-a-restart-from-before-the-call",
     {"wait": True, "node_ids": ["0001"], "delay": 15, "timeout": 40},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-answer.xml", rebooted(REBOOTING_1)),
     f("describe", "available.xml", describe(AVAILABLE)),
     f("events", "old-restart.xml", events(("0001", -60))),
     f("describe", "available.xml", describe(AVAILABLE)),
     f("events", "old-restart.xml", events(("0001", -60))),
     f("describe", "available.xml", describe(AVAILABLE)),
     f("events", "old-restart.xml", events(("0001", -60))))
case("wait-timeout-after-the-reboot",
     {"wait": True, "node_ids": ["0001"], "delay": 15, "timeout": 35},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-answer.xml", rebooted(REBOOTING_1)),
     f("describe", "rebooting.xml", describe(REBOOTING_1)),
     f("describe", "rebooting.xml", describe(REBOOTING_1)),
     f("describe", "rebooting.xml", describe(REBOOTING_1)))
case("wait-failure-state-after-the-reboot", {"wait": True},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-answer.xml", rebooted(REBOOTING_ALL)),
     f("describe", "deleting.xml", describe(cluster(status="deleting"))))
case("wait-node-removed-after-the-reboot", {"wait": True,
                                            "node_ids": ["0003"]},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-answer.xml", rebooted(cluster(
         status="rebooting cache cluster nodes",
         nodes=[("0001", "available"), ("0002", "available"),
                ("0003", "rebooting")]))),
     f("describe", "two-nodes.xml", describe(cluster(
         status="modifying",
         nodes=[("0001", "available"), ("0002", "available")]))))
case("wait-describe-fails", {"wait": True, "node_ids": ["0001"]},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-answer.xml", rebooted(REBOOTING_1)),
     err("describe", "timeout"))

# -- lost answers ------------------------------------------------------------
case("lost-answer-read-timeout-confirmed-by-describing", {},
     f("describe", "available.xml", describe(AVAILABLE)),
     err("reboot", "timeout", " maybe-sent took 60"),
     f("describe", "rebooting.xml", describe(REBOOTING_ALL)))
case("lost-answer-reset-confirmed-by-restart-event",
     {"node_ids": ["0002"]},
     f("describe", "available.xml", describe(AVAILABLE)),
     err("reboot", "reset", " maybe-sent"),
     f("describe", "stale-available.xml", describe(AVAILABLE)),
     f("events", "no-events.xml", NO_EVENTS),
     f("describe", "stale-available.xml", describe(AVAILABLE)),
     f("events", "restarted.xml", events(("0002", 4))))
case("lost-answer-503-confirmed-then-waited", {"wait": True,
                                               "node_ids": ["0001"]},
     f("describe", "available.xml", describe(AVAILABLE)),
     http("reboot", 503, "503.xml", E503, " maybe-sent"),
     f("describe", "rebooting.xml", describe(REBOOTING_1)),
     f("describe", "rebooting.xml", describe(REBOOTING_1)),
     f("describe", "available.xml", describe(AVAILABLE)))
case("lost-answer-html-200-confirmed", {"node_ids": ["0001"]},
     f("describe", "available.xml", describe(AVAILABLE)),
     body(200, "bad-gateway.html", HTML),
     f("describe", "rebooting.xml", describe(REBOOTING_1)))
case("lost-answer-empty-200-confirmed", {"node_ids": ["0001"]},
     f("describe", "available.xml", describe(AVAILABLE)),
     body(200, "empty.txt", b""),
     f("describe", "rebooting.xml", describe(REBOOTING_1)))
case("lost-answer-malformed-200-confirmed", {},
     f("describe", "available.xml", describe(AVAILABLE)),
     body(200, "malformed.xml", MALFORMED),
     f("describe", "rebooting.xml", describe(REBOOTING_ALL)))
case("lost-answer-503-with-wait-not-confirmed-fails-within-a-minute",
     {"wait": True, "timeout": 900},
     f("describe", "available.xml", describe(AVAILABLE)),
     http("reboot", 503, "503.xml", E503, " maybe-sent"),
     *[x for _ in range(12)
       for x in (f("describe", "available.xml", describe(AVAILABLE)),
                 f("events", "no-events.xml", NO_EVENTS))])
case("lost-answer-not-confirmed-within-the-time-budget",
     {"time_budget": 20, "node_ids": ["0002"]},
     f("describe", "available.xml", describe(AVAILABLE), " took 1"),
     http("reboot", 503, "503.xml", E503, " maybe-sent took 1"),
     *[x for _ in range(3)
       for x in (f("describe", "available.xml", describe(AVAILABLE), " took 0.5"),
                 f("events", "no-events.xml", NO_EVENTS, " took 0.5"))])
case("lost-answer-confirmation-fails-too", {"timeout": 12, "delay": 5},
     f("describe", "available.xml", describe(AVAILABLE)),
     err("reboot", "reset", " maybe-sent"),
     err("describe", "reset"),
     err("describe", "reset"),
     err("describe", "timeout"))
case("lost-answer-confirmation-recovers", {"delay": 5},
     f("describe", "available.xml", describe(AVAILABLE)),
     err("reboot", "timeout", " maybe-sent"),
     err("describe", "reset"),
     f("describe", "rebooting.xml", describe(REBOOTING_ALL)))
case("reboot-refused-before-sending-is-not-a-lost-answer", {},
     f("describe", "available.xml", describe(AVAILABLE)),
     err("reboot", "refused"))

# -- racing callers and refusals -----------------------------------------------
case("race-invalid-state-is-already-rebooting", {},
     f("describe", "available.xml", describe(AVAILABLE)),
     http("reboot", 400, "invalid-state.xml", EICS_REBOOTING),
     f("describe", "rebooting.xml", describe(REBOOTING_ALL)))
case("race-invalid-state-with-wait-while-describes-lag",
     {"wait": True, "delay": 5},
     f("describe", "available.xml", describe(AVAILABLE)),
     http("reboot", 400, "invalid-state.xml", EICS_REBOOTING),
     f("describe", "stale-available.xml", describe(AVAILABLE)),
     f("describe", "stale-available.xml", describe(AVAILABLE)),
     f("events", "no-events.xml", NO_EVENTS),
     f("describe", "rebooting.xml", describe(REBOOTING_1)),
     f("describe", "available.xml", describe(AVAILABLE)))
case("race-invalid-state-but-modifying-fails", {},
     f("describe", "available.xml", describe(AVAILABLE)),
     http("reboot", 400, "invalid-state.xml", EICS_MODIFYING),
     f("describe", "modifying.xml", describe(MODIFYING)))
case("unsupported-cluster-mode-enabled", {"cluster": "cme-redis-0001-001"},
     f("describe", "available.xml", describe(cluster(
         cid="cme-redis-0001-001", engine="redis",
         nodes=[("0001", "available")]))),
     http("reboot", 400, "cme.xml", ECME))

# -- AWS's cache-cluster-available waiter ------------------------------------
WA = {"operation": "wait-available"}
case("available-first-poll", dict(WA),
     f("describe", "available.xml", describe(AVAILABLE)))
case("available-after-modifying", dict(WA, delay=15),
     f("describe", "modifying.xml", describe(MODIFYING)),
     f("describe", "modifying.xml", describe(MODIFYING)),
     f("describe", "available.xml", describe(AVAILABLE)))
for state in ("deleted", "deleting", "incompatible-network", "restore-failed"):
    case("available-failure-state-" + state, dict(WA),
         f("describe", state + ".xml", describe(cluster(status=state))))
case("available-max-attempts", dict(WA, max_attempts=3),
     f("describe", "modifying.xml", describe(MODIFYING)),
     f("describe", "modifying.xml", describe(MODIFYING)),
     f("describe", "modifying.xml", describe(MODIFYING)))
case("available-timeout-before-attempts", dict(WA, delay=15, timeout=40),
     f("describe", "modifying.xml", describe(MODIFYING)),
     f("describe", "modifying.xml", describe(MODIFYING)),
     f("describe", "modifying.xml", describe(MODIFYING)))
case("available-service-error", dict(WA),
     http("describe", 404, "not-found.xml", ENOTFOUND))
case("available-transport-error", dict(WA),
     err("describe", "reset"))
case("available-every-cluster", dict(WA, cluster=None, delay=15),
     f("describe", "one-modifying.xml",
       describe(AVAILABLE, cluster(cid="demo-other", status="modifying"))),
     f("describe", "all-available.xml",
       describe(AVAILABLE, cluster(cid="demo-other"))))

# -- the reboot-completion waiter ----------------------------------------------
WR = {"operation": "wait-reboot"}
case("wait-reboot-restart-seen-in-events", dict(WR, node_ids=["0001"],
                                                since="30s"),
     f("describe", "available.xml", describe(AVAILABLE)),
     f("events", "restarted.xml", events(("0001", -5))))
case("wait-reboot-never-restarts", dict(WR, node_ids=["0001", "0003"],
                                        since="0s", delay=15, timeout=20),
     f("describe", "available.xml", describe(AVAILABLE)),
     f("events", "no-events.xml", NO_EVENTS),
     f("describe", "available.xml", describe(AVAILABLE)),
     f("events", "no-events.xml", NO_EVENTS))
case("wait-reboot-without-nodes-needs-a-reboot", dict(WR, since="0s",
                                                      delay=15, timeout=10),
     f("describe", "available.xml", describe(AVAILABLE)),
     f("events", "no-events.xml", NO_EVENTS))
case("wait-reboot-seen-rebooting", dict(WR, node_ids=["0002"], since="10s",
                                        delay=15),
     f("describe", "rebooting.xml", describe(REBOOTING_12)),
     f("describe", "available.xml", describe(AVAILABLE)))


def write(name):
    options, answers = CASES[name]
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "options.json"), "w") as fh:
        json.dump(options, fh, indent=1, sort_keys=True)
        fh.write("\n")
    lines = []
    written = {}
    for line, files in answers:
        lines.append(line)
        for fname, data in files.items():
            if written.setdefault(fname, data) != data:
                raise SystemExit("%s: two different answers named %s" % (name, fname))
            with open(os.path.join(d, fname), "wb") as fh:
                fh.write(data)
    with open(os.path.join(d, "script.txt"), "w") as fh:
        fh.write("".join(l + "\n" for l in lines))


def main(argv):
    names = argv[1:] or sorted(CASES)
    for name in names:
        write(name)
        print(name)


if __name__ == "__main__":
    main(sys.argv)
