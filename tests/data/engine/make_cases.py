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
sys.path.insert(0, os.path.join(HERE, "..", "..", "sim", "fixtures"))
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


# -- rolling reboots of one cluster (batch_size) ------------------------------
def probe(ok, detail=""):
    return ("probe %s %s" % ("ok" if ok else "fail", detail), {})


def nodes_state(*states, cid="demo-memcached"):
    """A cluster whose nodes 0001.. read `states`; the cluster reads
    "rebooting cache cluster nodes" when one of them is rebooting."""
    ids = ["%04d" % (i + 1) for i in range(len(states))]
    busy = "rebooting" in states
    return cluster(cid=cid, status="rebooting cache cluster nodes" if busy
                   else "available", nodes=list(zip(ids, states)))


SIX = ("available",) * 6
case("rolling-batches-of-two-each-waited",
     {"batch_size": 2, "wait": True, "delay": 10},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-1.xml", rebooted(REBOOTING_12)),
     f("describe", "rebooting-1.xml", describe(REBOOTING_12)),
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-2.xml", rebooted(nodes_state("available", "available", "rebooting"))),
     f("describe", "rebooting-2.xml", describe(nodes_state("available", "available", "rebooting"))),
     f("describe", "available.xml", describe(AVAILABLE)))
case("rolling-last-batch-not-waited-without-wait",
     {"batch_size": 1, "delay": 10},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-1.xml", rebooted(REBOOTING_1)),
     f("describe", "available.xml", describe(AVAILABLE)),
     f("events", "restarted-1.xml", events(("0001", 5))),
     f("reboot", "reboot-2.xml", rebooted(nodes_state("available", "rebooting", "available"))),
     f("describe", "rebooting-2.xml", describe(nodes_state("available", "rebooting", "available"))),
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-3.xml", rebooted(nodes_state("available", "available", "rebooting"))))
case("rolling-check-mode-shows-the-batches",
     {"batch_size": 2, "check_mode": True, "cluster": "big-memcached"},
     f("describe", "six.xml", describe(nodes_state(*SIX, cid="big-memcached"))))
case("rolling-lost-answer-of-a-batch-confirmed-then-the-next",
     {"batch_size": 2, "wait": True, "delay": 5},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-1.xml", rebooted(REBOOTING_12)),
     f("describe", "rebooting-1.xml", describe(REBOOTING_12)),
     f("describe", "available.xml", describe(AVAILABLE)),
     http("reboot", 503, "503.xml", E503, " maybe-sent"),
     f("describe", "rebooting-2.xml", describe(nodes_state("available", "available", "rebooting"))),
     f("describe", "rebooting-2.xml", describe(nodes_state("available", "available", "rebooting"))),
     f("describe", "available.xml", describe(AVAILABLE)))
case("rolling-lost-answer-not-confirmed-stops-and-says-what-was-done",
     {"batch_size": 1, "wait": True, "delay": 5, "timeout": 300},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-1.xml", rebooted(REBOOTING_1)),
     f("describe", "rebooting-1.xml", describe(REBOOTING_1)),
     f("describe", "available.xml", describe(AVAILABLE)),
     err("reboot", "reset", " maybe-sent"),
     *[x for _ in range(12)
       for x in (f("describe", "available.xml", describe(AVAILABLE)),
                 f("events", "no-events.xml", NO_EVENTS))])
case("rolling-wait-timeout-stops-before-the-next-batch",
     {"batch_size": 2, "wait": True, "delay": 15, "timeout": 40},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-1.xml", rebooted(REBOOTING_12)),
     f("describe", "rebooting-1.xml", describe(REBOOTING_12)),
     f("describe", "rebooting-1.xml", describe(REBOOTING_12)),
     f("describe", "rebooting-1.xml", describe(REBOOTING_12)))
case("rolling-next-batch-node-not-available-stops",
     {"batch_size": 2, "wait": True, "delay": 10},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-1.xml", rebooted(REBOOTING_12)),
     f("describe", "rebooting-1.xml", describe(REBOOTING_12)),
     f("describe", "third-modifying.xml", describe(cluster(
         nodes=[("0001", "available"), ("0002", "available"),
                ("0003", "modifying")]))))
case("rolling-rerun-continues-with-the-nodes-not-restarted",
     {"batch_size": 1, "wait": True, "delay": 10,
      "unless_rebooted_since": "1h"},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("events", "first-run.xml", events(("0001", -900))),
     f("reboot", "reboot-2.xml", rebooted(nodes_state("available", "rebooting", "available"))),
     f("describe", "rebooting-2.xml", describe(nodes_state("available", "rebooting", "available"))),
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-3.xml", rebooted(nodes_state("available", "available", "rebooting"))),
     f("describe", "rebooting-3.xml", describe(nodes_state("available", "available", "rebooting"))),
     f("describe", "available.xml", describe(AVAILABLE)))
case("rolling-racing-caller-on-a-later-batch-stops",
     {"batch_size": 2, "wait": True, "delay": 10},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-1.xml", rebooted(REBOOTING_12)),
     f("describe", "rebooting-1.xml", describe(REBOOTING_12)),
     f("describe", "available.xml", describe(AVAILABLE)),
     http("reboot", 400, "invalid-state.xml", EICS_REBOOTING),
     f("describe", "rebooting-3.xml", describe(nodes_state("available", "available", "rebooting"))))
case("rolling-refused-batch-is-not-counted-as-rebooted",
     {"batch_size": 2, "wait": True, "delay": 10},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-1.xml", rebooted(REBOOTING_12)),
     f("describe", "rebooting-1.xml", describe(REBOOTING_12)),
     f("describe", "available.xml", describe(AVAILABLE)),
     http("reboot", 400, "bad-node.xml", error("InvalidParameterValue",
                                               "Cache node 0003 is not valid")))
case("rolling-probe-waits-until-the-nodes-answer",
     {"batch_size": 2, "wait": True, "delay": 5, "probe": True},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-1.xml", rebooted(REBOOTING_12)),
     f("describe", "rebooting-1.xml", describe(REBOOTING_12)),
     f("describe", "available.xml", describe(AVAILABLE)),
     probe(True, "VERSION 1.6.17"),
     probe(False, "connection refused"),
     probe(True, "VERSION 1.6.17"),
     f("reboot", "reboot-2.xml", rebooted(nodes_state("available", "available", "rebooting"))),
     f("describe", "rebooting-2.xml", describe(nodes_state("available", "available", "rebooting"))),
     f("describe", "available.xml", describe(AVAILABLE)),
     probe(True, "VERSION 1.6.17"))
case("rolling-probe-never-passes-stops-the-run",
     {"batch_size": 2, "wait": True, "delay": 10, "timeout": 60,
      "probe": True},
     f("describe", "available.xml", describe(AVAILABLE)),
     f("reboot", "reboot-1.xml", rebooted(REBOOTING_12)),
     f("describe", "rebooting-1.xml", describe(REBOOTING_12)),
     f("describe", "available.xml", describe(AVAILABLE)),
     *[probe(False, "connection refused") for _ in range(12)])

# -- a member cluster of a replication group, through the cluster reboot ----
import make_replication_groups as mrg  # noqa: E402


def grp(primary=0, af=True, maz=True, n=3, gid="rg-sessions", status="available",
        af_status=None, pending_primary=None, cme=False, roles=None):
    """A cluster-mode-disabled group of n members (<gid>-001.., ports
    2001..), member `primary` the primary, as describe-replication-groups
    prints it."""
    if cme:
        _, g = mrg.cme_group(gid, 2, 1, 2001, 2010)
        return g
    _, g = mrg.cmd_group(gid, [2001 + i for i in range(n)], failover=af,
                         multi_az=maz, primary=primary)
    g["Status"] = status
    if af_status:
        g["AutomaticFailover"] = af_status
    if pending_primary:
        g["PendingModifiedValues"] = {"PrimaryClusterId": pending_primary}
    if roles:
        for m, r in zip(g["NodeGroups"][0]["NodeGroupMembers"], roles):
            m["CurrentRole"] = r
    return g


def member(i, status="available", node="available", pending=False,
           gid="rg-sessions"):
    """Member cluster <gid>-00i (1-based), redis, node 0001."""
    c = mrg.member_cluster("%s-%03d" % (gid, i), gid, 2000 + i,
                           mrg.AZS[(i - 1) % 3])
    c["CacheClusterStatus"] = status
    c["CacheNodes"][0]["CacheNodeStatus"] = node
    if pending:
        c["CacheNodes"][0]["ParameterGroupStatus"] = "pending-reboot"
        c["CacheParameterGroup"]["ParameterApplyStatus"] = "pending-reboot"
        c["CacheParameterGroup"]["CacheNodeIdsToReboot"] = ["0001"]
    return c


def member_rebooting(i, gid="rg-sessions"):
    return member(i, "rebooting cache cluster nodes", "rebooting", gid=gid)


def dgroup(g):
    return ecsim.render_response(MODEL, "DescribeReplicationGroups",
                                 {"ReplicationGroups": [g]}, RID)


def modified(g):
    return ecsim.render_response(MODEL, "ModifyReplicationGroup",
                                 {"ReplicationGroup": g},
                                 "33333333-4444-5555-6666-777777777777")


def g_events(*evs):
    """Restart events of member clusters: (cluster, node, seconds)."""
    items = [{"SourceIdentifier": c, "SourceType": "cache-cluster",
              "Message": "Cache node %s restarted" % nid, "Date": at(t)}
             for c, nid, t in evs]
    return ecsim.render_response(MODEL, "DescribeEvents", {"Events": items},
                                 RID)


EGNOTFOUND = error("ReplicationGroupNotFoundFault",
                   "Replication group rg-sessions not found.")
EACCESS = error("AccessDenied", "User: arn:aws:iam::123456789012:user/ops is "
                "not authorized to perform: elasticache:"
                "DescribeReplicationGroups")
G = grp()
case("member-primary-is-refused-naming-the-group",
     {"cluster": "rg-sessions-001", "wait": True},
     f("describe", "member-1.xml", describe(member(1))),
     f("describe-group", "group.xml", dgroup(G)))
case("member-only-node-primary-is-refused",
     {"cluster": "rg-single-001"},
     f("describe", "member.xml", describe(member(1, gid="rg-single"))),
     f("describe-group", "group.xml", dgroup(grp(n=1, gid="rg-single", af=False, maz=False))))
case("member-replica-is-rebooted",
     {"cluster": "rg-sessions-002", "wait": True, "delay": 5},
     f("describe", "member-2.xml", describe(member(2))),
     f("describe-group", "group.xml", dgroup(G)),
     f("reboot", "reboot.xml", rebooted(member_rebooting(2))),
     f("describe", "rebooting.xml", describe(member_rebooting(2))),
     f("describe", "member-2.xml", describe(member(2))))
case("member-primary-allowed-in-place-without-the-check",
     {"cluster": "rg-sessions-001", "allow_primary_reboot": True},
     f("describe", "member-1.xml", describe(member(1))),
     f("reboot", "reboot.xml", rebooted(member_rebooting(1))))
case("member-group-cannot-be-read-fails-closed",
     {"cluster": "rg-sessions-002"},
     f("describe", "member-2.xml", describe(member(2))),
     http("describe-group", 403, "denied.xml", EACCESS))
case("member-of-cluster-mode-enabled-group-refused-before-any-reboot",
     {"cluster": "shop-cme-0001-001"},
     f("describe", "member.xml", describe(dict(member(1, gid="shop-cme"),
                                               CacheClusterId="shop-cme-0001-001"))),
     f("describe-group", "group.xml", dgroup(grp(gid="shop-cme", cme=True))))
case("member-replica-probe-checks-the-link-to-the-primary",
     {"cluster": "rg-sessions-003", "wait": True, "delay": 5, "probe": True},
     f("describe", "member-3.xml", describe(member(3))),
     f("describe-group", "group.xml", dgroup(G)),
     f("reboot", "reboot.xml", rebooted(member_rebooting(3))),
     f("describe", "rebooting.xml", describe(member_rebooting(3))),
     f("describe", "member-3.xml", describe(member(3))),
     probe(False, "master_link_status:down"),
     probe(True, "master_link_status:up"))

# -- a replication group, one member at a time --------------------------------
GR = {"operation": "group", "group": "rg-sessions", "wait": True, "delay": 5}
M = [None] + [member(i) for i in (1, 2, 3)]


def plan_reads(g=G, members=(1, 2, 3)):
    return [f("describe-group", "group.xml", dgroup(g))] + \
        [f("describe", "member-%d.xml" % i, describe(M[i])) for i in members]


def reboot_member(i, g=G, gname="group.xml"):
    """G_CHECK, the member read, its reboot, rebooting, back."""
    return [f("describe-group", gname, dgroup(g)),
            f("describe", "member-%d.xml" % i, describe(M[i])),
            f("reboot", "reboot-%d.xml" % i, rebooted(member_rebooting(i))),
            f("describe", "rebooting-%d.xml" % i, describe(member_rebooting(i))),
            f("describe", "member-%d.xml" % i, describe(M[i]))]


G_OFF = grp(af=False, maz=False)
G_DISABLING = dict(grp(status="modifying", af_status="disabling", maz=False),
                   PendingModifiedValues={"AutomaticFailoverStatus": "disabled"})
G_MOVING = grp(af=False, maz=False, status="modifying", pending_primary="rg-sessions-002")
G_MOVED = grp(primary=1, af=False, maz=False)
G_ENABLING = dict(grp(primary=1, status="modifying", af_status="enabling", maz=False),
                  PendingModifiedValues={"AutomaticFailoverStatus": "enabled"})
G_RESTORED = grp(primary=1)


def move_steps(g_start=G):
    return [
        # disable
        f("describe-group", "group.xml", dgroup(g_start)),
        f("modify", "disable-answer.xml", modified(G_DISABLING)),
        f("describe-group", "disabling.xml", dgroup(G_DISABLING)),
        f("describe-group", "off.xml", dgroup(G_OFF)),
        # move
        f("describe-group", "off.xml", dgroup(G_OFF)),
        f("modify", "move-answer.xml", modified(G_MOVING)),
        f("describe-group", "moving.xml", dgroup(G_MOVING)),
        f("describe-group", "moved.xml", dgroup(G_MOVED)),
        # restore
        f("describe-group", "moved.xml", dgroup(G_MOVED)),
        f("modify", "restore-answer.xml", modified(G_ENABLING)),
        f("describe-group", "enabling.xml", dgroup(G_ENABLING)),
        f("describe-group", "restored.xml", dgroup(G_RESTORED)),
    ]


case("group-replicas-first-then-the-primary-moved-then-rebooted", dict(GR),
     *plan_reads(),
     *reboot_member(2), *reboot_member(3),
     *move_steps(),
     *reboot_member(1, G_RESTORED, "restored.xml"))
case("group-without-failover-moves-without-switching-anything",
     dict(GR, group="rg-sessions"),
     *plan_reads(G_OFF),
     *reboot_member(2, G_OFF, "off.xml"), *reboot_member(3, G_OFF, "off.xml"),
     f("describe-group", "off.xml", dgroup(G_OFF)),
     f("modify", "move-answer.xml", modified(G_MOVING)),
     f("describe-group", "moved.xml", dgroup(G_MOVED)),
     *reboot_member(1, G_MOVED, "moved.xml"))
case("group-check-mode-shows-the-ordered-steps",
     dict(GR, check_mode=True), *plan_reads())
case("group-replicas-only-leaves-the-primary",
     dict(GR, replicas_only=True),
     *plan_reads(), *reboot_member(2), *reboot_member(3))
case("group-replicas-only-with-only-the-primary-asked-reboots-nothing",
     dict(GR, replicas_only=True, members=["RG-Sessions-001"]),
     *plan_reads())
case("group-one-replica-asked", dict(GR, members=["rg-sessions-003"]),
     *plan_reads(), *reboot_member(3))
case("group-single-node-is-refused",
     dict(GR, group="rg-single"),
     f("describe-group", "group.xml", dgroup(grp(n=1, gid="rg-single", af=False, maz=False))),
     f("describe", "member.xml", describe(member(1, gid="rg-single"))))
case("group-single-node-allowed-in-place",
     dict(GR, group="rg-single", allow_primary_reboot=True),
     f("describe-group", "group.xml", dgroup(grp(n=1, gid="rg-single", af=False, maz=False))),
     f("describe", "member.xml", describe(member(1, gid="rg-single"))),
     f("describe-group", "group.xml", dgroup(grp(n=1, gid="rg-single", af=False, maz=False))),
     f("describe", "member.xml", describe(member(1, gid="rg-single"))),
     f("reboot", "reboot.xml", rebooted(member_rebooting(1, gid="rg-single"))),
     f("describe", "rebooting.xml", describe(member_rebooting(1, gid="rg-single"))),
     f("describe", "member.xml", describe(member(1, gid="rg-single"))))
case("group-cluster-mode-enabled-is-refused-before-any-reboot",
     dict(GR, group="shop-cme"),
     f("describe-group", "group.xml", dgroup(grp(gid="shop-cme", cme=True))))
case("group-unknown-member-is-refused", dict(GR, members=["rg-sessions-009"]),
     f("describe-group", "group.xml", dgroup(G)))
case("group-not-found", dict(GR, group="no-such-group"),
     http("describe-group", 404, "not-found.xml", error(
         "ReplicationGroupNotFoundFault", "Replication group no-such-group not found.")))
case("group-empty-member-list-means-none", dict(GR, members=[]))
case("group-busy-without-wait", dict(GR, wait=False),
     f("describe-group", "modifying.xml", dgroup(grp(status="modifying"))))
case("group-busy-member-with-wait-then-planned",
     dict(GR, replicas_only=True, members=["rg-sessions-002"], delay=10),
     f("describe-group", "group.xml", dgroup(G)),
     f("describe", "member-1.xml", describe(M[1])),
     f("describe", "member-2-snapshotting.xml", describe(member(2, status="snapshotting"))),
     *plan_reads(), *reboot_member(2))
case("group-primary-changed-under-the-run-stops",
     dict(GR),
     *plan_reads(),
     *reboot_member(2),
     f("describe-group", "failed-over.xml", dgroup(grp(primary=2))))
case("group-member-rebooting-by-someone-else-stops",
     dict(GR, members=["rg-sessions-002"]),
     *plan_reads(),
     f("describe-group", "group.xml", dgroup(G)),
     f("describe", "rebooting-2.xml", describe(member_rebooting(2))))
case("group-rerun-skips-members-restarted-since-the-first-run",
     dict(GR, unless_rebooted_since="2h"),
     *plan_reads(),
     f("events", "first-run.xml", g_events(("rg-sessions-002", "0001", -3000),
                                           ("rg-sessions-003", "0001", -2900))),
     *move_steps(),
     *reboot_member(1, G_RESTORED, "restored.xml"))
case("group-only-if-pending-picks-the-pending-members",
     dict(GR, only_if_pending=True, members=["rg-sessions-001", "rg-sessions-003"]),
     f("describe-group", "group.xml", dgroup(G_OFF)),
     f("describe", "member-1.xml", describe(M[1])),
     f("describe", "member-2.xml", describe(M[2])),
     f("describe", "member-3-pending.xml", describe(member(3, pending=True))),
     f("describe-group", "off.xml", dgroup(G_OFF)),
     f("describe", "member-3-pending.xml", describe(member(3, pending=True))),
     f("reboot", "reboot-3.xml", rebooted(member_rebooting(3))),
     f("describe", "rebooting-3.xml", describe(member_rebooting(3))),
     f("describe", "member-3.xml", describe(M[3])))
case("group-last-reboot-not-waited-without-wait",
     dict(GR, wait=False, members=["rg-sessions-002", "rg-sessions-003"]),
     *plan_reads(), *reboot_member(2),
     f("describe-group", "group.xml", dgroup(G)),
     f("describe", "member-3.xml", describe(M[3])),
     f("reboot", "reboot-3.xml", rebooted(member_rebooting(3))))
case("group-probe-waits-for-each-replica-link",
     dict(GR, probe=True, members=["rg-sessions-002", "rg-sessions-001"]),
     *plan_reads(G_OFF),
     *reboot_member(2, G_OFF, "off.xml"),
     probe(False, "master_link_status:down"),
     probe(True, "master_link_status:up"),
     f("describe-group", "off.xml", dgroup(G_OFF)),
     probe(True, "master_link_status:up"),
     f("modify", "move-answer.xml", modified(G_MOVING)),
     f("describe-group", "moved.xml", dgroup(G_MOVED)),
     *reboot_member(1, G_MOVED, "moved.xml"),
     probe(True, "master_link_status:up"))

# The primary move's answers lost, refused, waited for too long.
ONLY_PRIMARY = dict(GR, members=["rg-sessions-001"])
case("group-move-answer-lost-confirmed-by-describing",
     dict(ONLY_PRIMARY, group="rg-sessions"),
     *plan_reads(G_OFF),
     f("describe-group", "off.xml", dgroup(G_OFF)),
     err("modify", "reset", " maybe-sent"),
     f("describe-group", "moving.xml", dgroup(G_MOVING)),
     f("describe-group", "moved.xml", dgroup(G_MOVED)),
     *reboot_member(1, G_MOVED, "moved.xml"))
case("group-move-unreadable-200-is-a-lost-answer",
     dict(ONLY_PRIMARY),
     *plan_reads(G_OFF),
     f("describe-group", "off.xml", dgroup(G_OFF)),
     ("modify body 200 bad-gateway.html", {"bad-gateway.html": HTML}),
     f("describe-group", "moved.xml", dgroup(G_MOVED)),
     *reboot_member(1, G_MOVED, "moved.xml"))
case("group-move-answer-lost-not-confirmed-restores-failover",
     dict(ONLY_PRIMARY, timeout=900),
     *plan_reads(),
     f("describe-group", "group.xml", dgroup(G)),
     f("modify", "disable-answer.xml", modified(G_DISABLING)),
     f("describe-group", "off.xml", dgroup(G_OFF)),
     f("describe-group", "off.xml", dgroup(G_OFF)),
     http("modify", 503, "503.xml", E503, " maybe-sent"),
     *[f("describe-group", "off.xml", dgroup(G_OFF)) for _ in range(12)],
     # the restore
     f("describe-group", "off.xml", dgroup(G_OFF)),
     f("modify", "restore-answer.xml", modified(dict(grp(status="modifying", af_status="enabling", maz=False)))),
     f("describe-group", "group.xml", dgroup(G)))
case("group-move-refused-restores-failover",
     dict(ONLY_PRIMARY),
     *plan_reads(),
     f("describe-group", "group.xml", dgroup(G)),
     f("modify", "disable-answer.xml", modified(G_DISABLING)),
     f("describe-group", "off.xml", dgroup(G_OFF)),
     f("describe-group", "off.xml", dgroup(G_OFF)),
     http("modify", 400, "not-available.xml", error(
         "InvalidCacheClusterState",
         "Cluster rg-sessions-002 is not in available state (current state: modifying).")),
     f("describe-group", "off.xml", dgroup(G_OFF)),
     f("modify", "restore-answer.xml", modified(dict(grp(status="modifying", af_status="enabling", maz=False)))),
     f("describe-group", "group.xml", dgroup(G)))
case("group-move-times-out-restores-failover-past-the-budget",
     dict(ONLY_PRIMARY, timeout=60, delay=15),
     *plan_reads(),
     f("describe-group", "group.xml", dgroup(G)),
     f("modify", "disable-answer.xml", modified(G_DISABLING)),
     f("describe-group", "off.xml", dgroup(G_OFF)),
     f("describe-group", "off.xml", dgroup(G_OFF)),
     f("modify", "move-answer.xml", modified(G_MOVING)),
     *[f("describe-group", "moving.xml", dgroup(G_MOVING)) for _ in range(5)],
     # the restore: the group settles first
     f("describe-group", "moving.xml", dgroup(G_MOVING)),
     f("describe-group", "moved.xml", dgroup(G_MOVED)),
     f("modify", "restore-answer.xml", modified(G_ENABLING)),
     f("describe-group", "restored.xml", dgroup(G_RESTORED)))
case("group-restore-refused-says-to-switch-failover-on-by-hand",
     dict(ONLY_PRIMARY),
     *plan_reads(),
     f("describe-group", "group.xml", dgroup(G)),
     f("modify", "disable-answer.xml", modified(G_DISABLING)),
     f("describe-group", "off.xml", dgroup(G_OFF)),
     f("describe-group", "off.xml", dgroup(G_OFF)),
     f("modify", "move-answer.xml", modified(G_MOVING)),
     f("describe-group", "moved.xml", dgroup(G_MOVED)),
     f("describe-group", "moved.xml", dgroup(G_MOVED)),
     http("modify", 400, "refused.xml", error(
         "InvalidReplicationGroupState",
         "Replication group rg-sessions is not in available state (current state: modifying).")))
case("group-disable-refused-needs-no-restore",
     dict(ONLY_PRIMARY),
     *plan_reads(),
     f("describe-group", "group.xml", dgroup(G)),
     http("modify", 400, "refused.xml", error(
         "InvalidReplicationGroupState",
         "Replication group rg-sessions is not in available state (current state: modifying).")))
case("group-old-primary-reboot-fails-after-the-restore",
     dict(ONLY_PRIMARY, timeout=60),
     *plan_reads(),
     *move_steps(),
     f("describe-group", "restored.xml", dgroup(G_RESTORED)),
     f("describe", "member-1.xml", describe(M[1])),
     f("reboot", "reboot-1.xml", rebooted(member_rebooting(1))),
     *[f("describe", "rebooting-1.xml", describe(member_rebooting(1))) for _ in range(10)])


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
