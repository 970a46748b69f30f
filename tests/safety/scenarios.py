# SPDX-License-Identifier: Apache-2.0
"""The scenarios of the safety matrix (tests/safety/matrix.py): what is set
up in the simulator, what each tool is asked, what it must answer and which
reboots must take effect.

The cluster is `mx`: memcached, nodes 0001-0003, each a real memcached on
loopback. The monitoring rows use others that tests/bats/safety/matrix.bats
sets up beside it: `rd` (a plain-text Redis), `rda` (a Redis that requires
AUTH, AuthTokenEnabled), `rt` (a Redis that requires TLS), `rw` (a Redis
cluster whose node is a memcached), `cut` (three nodes nothing answers a
connection to), `refuses` (one node, connection refused), `hangs` (one node
that accepts and stays silent). Unless a scenario says otherwise, every tool
is asked for the same thing, a safe reboot of node 0002:

  cli      elasticache reboot-cache-cluster --cache-cluster-id mx
               --cache-node-ids-to-reboot 0002 --unless-rebooted-since 15m
  module   elasticache_reboot ARGS_FILE (the Ansible binary module) with
               {"cluster_id": "mx", "node_ids": ["0002"],
                "unless_rebooted_since": "15m", "wait": false}
  ndjson   the same request as one line on elasticache_reboot's stdin
  check    check_elasticache -C mx --probe-timeout 1   (it never reboots;
               its state is what it did)
  handler  elasticache_event_handler -C mx --probe-timeout 1 CRITICAL HARD 1
               (it reboots the nodes that do not answer: `broken` nodes are
               SIGSTOPped memcached processes, accepting and then silent)

Each tool runs on a fresh simulator (reset, then `setup`), through the
scenario's `steps` (each step runs the tool `parallel` times at once, after
its `before` actions). `expect` has one "EXIT OUTCOME" per run, in step
order (parallel runs in any order); OUTCOME is the CLI's Decision ("error"
without one), the module's failed/changed/ok, the check's state, the
handler's decision. `reboots` lists every reboot that must take effect,
as "cluster:nodes", read from the simulator's request log: one more, one
fewer or another node fails the row.

Setup and step actions: ("config", {...}) sim options; ("fault", {...}) a
fault (tests/sim/README.md); ("state", {...}) the cluster's statuses;
("pending", [ids]) nodes pending-reboot; ("wait_status", S) wait until the
cluster's real status is S; ("clear_faults",); ("seed", NAME) the fixture
file NAME that matrix.bats made replaces every cluster; ("events", [...])
events added (SourceIdentifier: the scenario's cluster unless given).
Arguments may name files matrix.bats made as @FILE:name@, and @TOKEN@ is the
AUTH token of the Redis that requires one.
"""

TOOLS = ["cli", "module", "ndjson", "check", "handler"]
TOOL_TITLES = {
    "cli": "`elasticache`",
    "module": "`elasticache_reboot` (Ansible)",
    "ndjson": "`elasticache_reboot` (NDJSON)",
    "check": "`check_elasticache`",
    "handler": "`elasticache_event_handler`",
}
TOOL_SHORT = {"cli": "CLI", "module": "Ansible", "ndjson": "NDJSON", "check": "check", "handler": "handler"}

DROP = object()  # in `req`: leave this parameter out

CANARY = "CANARYSECRETxyz0123456789abcdef"
CRLF_TOKEN = "TOKENCANARY42\r\nX-Injected: 1"


class T:
    """What one tool is asked in a scenario and what it must do."""

    def __init__(self, expect, reboots=(), args=None, add=(), req=None, stdin=None, env=None,
                 says=(), never_says=(), sent=None, requests=None, max_seconds=None, one_status_line=False):
        self.expect = [expect] if isinstance(expect, str) else list(expect)
        self.reboots = list(reboots)
        self.args = args            # cli, check: replace the default arguments; handler: the state arguments
        self.add = list(add)        # cli, check, handler: appended arguments
        self.req = req              # module, ndjson: merged into the default request
        self.stdin = stdin          # module: the args file; ndjson: stdin, verbatim
        self.env = dict(env or {})
        self.says = list(says)      # texts some run's output must hold
        self.never_says = list(never_says)  # texts no output, and no request header, may hold
        self.sent = sent            # RebootCacheCluster requests, refused ones included
        self.requests = requests    # API requests of any kind
        self.max_seconds = max_seconds
        self.one_status_line = one_status_line  # check: one ELASTICACHE line, first, with one '|'

    def but(self, **kw):
        t = T.__new__(T)
        t.__dict__.update(self.__dict__)
        for k, v in kw.items():
            setattr(t, k, [v] if k == "expect" and isinstance(v, str) else v)
        return t


class Sc:
    def __init__(self, id, title, item, tools, setup=(), broken=(), steps=None, cluster="mx", env=None):
        self.id, self.title, self.item = id, title, item
        self.tools = {k: tools.get(k) for k in TOOLS}
        unknown = set(tools) - set(TOOLS)
        if unknown:
            raise ValueError("%s: unknown tools %s" % (id, unknown))
        self.setup = list(setup)
        self.broken = list(broken)
        self.steps = steps or [{}]
        self.cluster = cluster
        self.env = dict(env or {})


def same(**tools):
    """The module and NDJSON modes answer alike unless told otherwise."""
    if "module" in tools and "ndjson" not in tools:
        tools["ndjson"] = tools["module"]
    return tools


ONE = ["mx:0002"]
LOST_WAIT = {"wait": True, "wait_timeout": 20, "wait_delay": 0.3}
CLI_WAIT = ["--wait", "--wait-delay", "0.3", "--wait-timeout", "20"]
DEFAULT_CLI = ["--cache-node-ids-to-reboot", "0002", "--unless-rebooted-since", "15m"]

SCENARIOS = [
    Sc("broken-node", "a node that does not answer is rebooted, once", "—", broken=["0002"], tools=same(
        cli=T("0 reboot", ONE),
        module=T("0 changed", ONE),
        check=T("2 CRITICAL"),
        handler=T("0 rebooted 0002", ONE),
    )),
    Sc("no-node-list", "no node list: every node, in one call", "1", tools=same(
        cli=T("0 reboot", ["mx:0001,0002,0003"], args=["--unless-rebooted-since", "15m"]),
        module=T("0 changed", ["mx:0001,0002,0003"], req={"node_ids": DROP}),
    )),
    Sc("empty-node-list", "an empty node list (a computed list of broken nodes that came out empty)", "1", tools=same(
        cli=T("252 error", args=["--cache-node-ids-to-reboot", "[]", "--unless-rebooted-since", "15m"], requests=0),
        module=T("0 ok", req={"node_ids": []}, says=["the node list is empty: nothing rebooted"], requests=0),
        check=T("0 OK"),
        handler=T("0 nothing to reboot"),
    )),
    Sc("busy-no-wait", "cluster busy (`modifying`), no wait", "6",
       setup=[("state", {"status": "modifying"})], broken=["0002"], tools=same(
        cli=T("255 busy", says=["run with wait"]),
        module=T("1 failed", says=["is modifying, not available: nothing rebooted; run with wait"]),
        check=T("2 CRITICAL", says=["modifying"]),
        handler=T("0 not rebooting 0002: cluster busy"),
    )),
    Sc("busy-check-mode", "cluster busy, check mode: predicts the failure", "6",
       setup=[("state", {"status": "modifying"})], broken=["0002"], tools=same(
        cli=T("255 busy", add=["--dry-run"], says=["would reboot nothing and fail"]),
        module=T("1 failed", req={"check_mode": True}, says=["would reboot nothing and fail"]),
        handler=T("0 not rebooting 0002: cluster busy", add=["--dry-run"]),
    )),
    Sc("busy-check-mode-wait", "cluster busy, check mode with wait: predicts wait, then reboot", "6",
       setup=[("state", {"status": "modifying"})], tools=same(
        cli=T("0 reboot", add=["--dry-run", "--wait"], says=["would wait until it is available, then reboot node 0002"]),
        module=T("0 changed", req={"check_mode": True, "wait": True}),
    )),
    Sc("check-mode", "check mode (`--dry-run`, Ansible `--check`)", "—", broken=["0002"], tools=same(
        cli=T("0 reboot", add=["--dry-run"], says=['"DryRun": true']),
        module=T("0 changed", req={"check_mode": True}),
        handler=T("0 would reboot 0002", add=["--dry-run"]),
    )),
    Sc("already-rebooting", "cluster already rebooting (another node)", "—",
       setup=[("state", {"status": "rebooting cache cluster nodes", "nodes": {"0001": "rebooting"}})],
       broken=["0002"], tools=same(
        cli=T("0 already-rebooting"),
        module=T("0 ok", says=["already rebooting"]),
        check=T("2 CRITICAL", says=["rebooting"]),
        handler=T("0 already rebooting"),
    )),
    Sc("cluster-gone", "cluster gone (CacheClusterNotFound)", "—", cluster="gone", tools=same(
        cli=T("254 error", says=["CacheClusterNotFound"]),
        module=T("1 failed", says=["CacheClusterNotFound"]),
        check=T("2 CRITICAL"),
        handler=T("0 nothing to reboot", says=["cluster not found"]),
    )),
    Sc("repeat-after", "run again after the reboot finished", "—", broken=["0002"],
       steps=[{}, {"before": [("wait_status", "available")]}], tools=same(
        cli=T(["0 reboot", "0 recently-rebooted"], ONE),
        module=T(["0 changed", "0 ok"], ONE),
        check=T(["2 CRITICAL", "2 CRITICAL"]),
        handler=T(["0 rebooted 0002", "0 not rebooting 0002: recently rebooted"], ONE),
    )),
    Sc("repeat-during", "run again while the reboot is in progress", "—", broken=["0002"],
       setup=[("config", {"reboot_seconds": 60})], steps=[{}, {}], tools=same(
        cli=T(["0 reboot", "0 already-rebooting"], ONE),
        module=T(["0 changed", "0 ok"], ONE),
        check=T(["2 CRITICAL", "2 CRITICAL"]),
        handler=T(["0 rebooted 0002", "0 nothing to reboot"], ONE),
    )),
    Sc("race", "two callers at once", "—", broken=["0002"], steps=[{"parallel": 2}], tools=same(
        cli=T(["0 reboot", "0 already-rebooting"], ONE),
        module=T(["0 changed", "0 ok"], ONE),
        check=T(["2 CRITICAL", "2 CRITICAL"]),
        handler=T(["0 rebooted 0002", "0 already rebooting|0 nothing to reboot"], ONE),
    )),
    Sc("race-stale", "a racing caller behind a stale describe (consistency lag)", "—", broken=["0002"],
       setup=[("config", {"reboot_seconds": 30, "consistency_lag": 8})], steps=[{}, {}], tools=same(
        cli=T(["0 reboot", "0 already-rebooting"], ONE, sent=2),
        module=T(["0 changed", "0 ok"], ONE, sent=2),
        handler=T(["0 rebooted 0002", "0 already rebooting"], ONE, sent=2),
    )),
    Sc("lost-reset", "lost answer: connection reset after the reboot took effect", "—", broken=["0002"],
       setup=[("fault", {"action": "RebootCacheCluster", "kind": "reset", "count": 5, "after_processing": True})],
       tools=same(
        cli=T("0 reboot", ONE, sent=1, says=["lost"]),
        module=T("0 changed", ONE, sent=1),
        handler=T("0 rebooted 0002", ONE, sent=1),
    )),
    Sc("lost-503", "lost answer: 503 after the reboot took effect", "10", broken=["0002"],
       setup=[("fault", {"action": "RebootCacheCluster", "kind": "error", "status": 503, "count": 5,
                         "after_processing": True})],
       tools=same(
        cli=T("0 reboot", ONE, sent=1),
        module=T("0 changed", ONE, sent=1),
        handler=T("0 rebooted 0002", ONE, sent=1, add=["-t", "8"]),
    )),
    Sc("lost-not-taken", "request lost before it took effect: a failure, not a second reboot", "—", broken=["0002"],
       setup=[("fault", {"action": "RebootCacheCluster", "kind": "reset", "count": 5})], tools=same(
        cli=T("255 error", add=["--wait", "--wait-delay", "0.3", "--wait-timeout", "4"], sent=1,
              says=["not sending it again"]),
        module=T("1 failed", req={"wait": True, "wait_timeout": 4, "wait_delay": 0.3}, sent=1,
                 says=["not sending it again"]),
        handler=T("1 failed", add=["-t", "5"], sent=1, says=["not sending it again"]),
    )),
    Sc("503-not-taken", "503 on the reboot, not processed: the service's error within the budget", "10",
       broken=["0002"],
       setup=[("fault", {"action": "RebootCacheCluster", "kind": "error", "status": 503, "count": 5})], tools=same(
        cli=T("254 error", add=["--wait", "--wait-delay", "0.3", "--wait-timeout", "4"], sent=1,
              says=["ServiceUnavailable"], max_seconds=15),
        module=T("1 failed", req={"wait": True, "wait_timeout": 4, "wait_delay": 0.3}, sent=1,
                 says=["ServiceUnavailable"], max_seconds=15),
        handler=T("1 failed", add=["-t", "6"], sent=1, says=["ServiceUnavailable"], never_says=["timed out after"],
                  max_seconds=8),
    )),
    Sc("hung-describe", "a hung describe: each tool ends within its budget, no reboot", "10", broken=["0002"],
       setup=[("fault", {"action": "DescribeCacheClusters", "kind": "delay", "seconds": 30, "count": -1})],
       tools=same(
        cli=T("255 error", add=["--wait", "--wait-timeout", "4", "--cli-read-timeout", "2"], max_seconds=15),
        module=T("1 failed", req={"wait": True, "wait_timeout": 4}, says=["time budget of 4.0 s ran out"],
                 max_seconds=15),
        check=T("3 UNKNOWN", add=["-t", "3"], max_seconds=8),
        handler=T("1 failed", add=["-t", "3"], max_seconds=8),
    )),
    Sc("unreadable-html", "200 with a proxy's HTML page as the answer (lost answer)", "9", broken=["0002"],
       setup=[("fault", {"action": "RebootCacheCluster", "kind": "html", "count": 5, "after_processing": True})],
       steps=[{}, {}], tools=same(
        cli=T(["0 reboot", "0 already-rebooting"], ONE, sent=1, says=["describing confirmed the reboot"]),
        module=T(["0 changed", "0 ok"], ONE, sent=1),
        handler=T(["0 rebooted 0002", "0 nothing to reboot"], ONE, sent=1),
    )),
    Sc("unreadable-empty", "200 with an empty body (lost answer)", "9", broken=["0002"],
       setup=[("fault", {"action": "RebootCacheCluster", "kind": "empty", "count": 5, "after_processing": True})],
       steps=[{}, {}], tools=same(
        cli=T(["0 reboot", "0 already-rebooting"], ONE, sent=1),
        module=T(["0 changed", "0 ok"], ONE, sent=1),
        handler=T(["0 rebooted 0002", "0 nothing to reboot"], ONE, sent=1),
    )),
    Sc("unreadable-xml", "200 with broken XML (lost answer)", "9", broken=["0002"],
       setup=[("fault", {"action": "RebootCacheCluster", "kind": "malformed", "count": 5, "after_processing": True})],
       steps=[{}, {}], tools=same(
        cli=T(["0 reboot", "0 already-rebooting"], ONE, sent=1),
        module=T(["0 changed", "0 ok"], ONE, sent=1),
        handler=T(["0 rebooted 0002", "0 nothing to reboot"], ONE, sent=1),
    )),
    Sc("secret-in-bad-input", "input that cannot be parsed, holding a secret key", "11",
       env={"AWS_SECRET_ACCESS_KEY": CANARY}, tools={
        "cli": T("252 error", args=["--cli-input-json", '{"CacheClusterId": "mx", "x": "%s" oops}' % CANARY],
                 never_says=[CANARY], requests=0),
        "module": T("1 failed", stdin='{"cluster_id": "mx", "secret_key": "%s", oops %s}' % (CANARY, CANARY),
                    never_says=[CANARY], requests=0),
        "ndjson": T("2 failed", stdin='{"cluster_id": "mx", "secret_key": "%s", oops %s}\n' % (CANARY, CANARY),
                    never_says=[CANARY, "oops"], says=["may hold secrets"], requests=0),
    }),
    Sc("crlf-token", "a session token with CR/LF (header injection)", "12",
       env={"AWS_SESSION_TOKEN": CRLF_TOKEN}, broken=["0002"], tools=same(
        cli=T("255 error", says=["session token has a control character"], never_says=["X-Injected", "TOKENCANARY42"],
              requests=0),
        module=T("1 failed", says=["session token has a control character"], never_says=["X-Injected", "TOKENCANARY42"],
                 requests=0),
        check=T("3 UNKNOWN", never_says=["X-Injected", "TOKENCANARY42"], requests=0),
        handler=T("1 failed", never_says=["X-Injected", "TOKENCANARY42"], requests=0),
    )),
    Sc("fifo-config", "a FIFO as the config and credentials file", "13", broken=["0002"],
       env={"AWS_CONFIG_FILE": "@FIFO@/config", "AWS_SHARED_CREDENTIALS_FILE": "@FIFO@/credentials"}, tools=same(
        cli=T("0 reboot", ONE, max_seconds=20),
        module=T("0 changed", ONE, max_seconds=20),
        check=T("2 CRITICAL", max_seconds=20),
        handler=T("0 rebooted 0002", ONE, max_seconds=20),
    )),
    Sc("unknown-node", "a node id the cluster does not have", "15", tools=same(
        cli=T("254 error", args=["--cache-node-ids-to-reboot", "0009", "--wait"], says=["is not in cluster mx"]),
        module=T("1 failed", req={"node_ids": ["0009"]}, says=["0009"]),
    )),
    Sc("only-pending", "only the node pending a reboot (`--only-if-pending`)", "—",
       setup=[("pending", ["0003"])], tools=same(
        cli=T("0 reboot", ["mx:0003"], args=["--only-if-pending"]),
        module=T("0 changed", ["mx:0003"], req={"node_ids": DROP, "unless_rebooted_since": DROP, "only_if_pending": True}),
        check=T("1 WARNING"),
    )),
    Sc("nothing-pending", "nothing pending a reboot (`--only-if-pending`)", "—", tools=same(
        cli=T("0 nothing-pending", args=["--only-if-pending"]),
        module=T("0 ok", req={"node_ids": DROP, "unless_rebooted_since": DROP, "only_if_pending": True}),
        check=T("0 OK"),
        handler=T("0 nothing to reboot"),
    )),

    # --- the monitoring tools (issue 8, items 2-5, 7, 8, 14): the CLI and the
    # module do not probe nodes, so these rows are the check's and the handler's.
    Sc("tls-on-plain-redis", "`--tls` against a plain-text Redis node (it stays silent)", "2", cluster="rd", tools=dict(
        check=T("3 UNKNOWN", add=["--tls"], says=["drop --tls"]),
        handler=T("0 not rebooting: wrong probe setting", add=["--tls", "--all-nodes-if-unknown"], says=["drop --tls"]),
    )),
    Sc("tls-on-plain-memcached", "`--tls` against plain-text memcached (it answers ERROR)", "2", tools=dict(
        check=T("3 UNKNOWN", add=["--tls"], says=["drop --tls"]),
        handler=T("0 not rebooting: wrong probe setting", add=["--tls", "--all-nodes-if-unknown"], says=["drop --tls"]),
    )),
    Sc("no-tls-on-tls-redis", "`--no-tls` against a Redis that requires TLS", "2", cluster="rt", tools=dict(
        check=T("3 UNKNOWN", add=["--no-tls"], says=["drop --no-tls"]),
        handler=T("0 not rebooting: wrong probe setting", add=["--no-tls", "--all-nodes-if-unknown"],
                  says=["drop --no-tls"]),
    )),
    Sc("auth-missing", "AUTH required (`AuthTokenEnabled`), no token given", "2", cluster="rda", tools=dict(
        check=T("3 UNKNOWN", says=["AuthTokenEnabled"]),
        handler=T("0 not rebooting: wrong probe setting", add=["--all-nodes-if-unknown"]),
    )),
    Sc("auth-wrong", "AUTH refused: a wrong token", "2", cluster="rda", tools=dict(
        check=T("3 UNKNOWN", add=["--auth-token-file", "@FILE:token.bad@"], never_says=["not-the-token"]),
        handler=T("0 not rebooting: wrong probe setting", add=["--auth-token-file", "@FILE:token.bad@",
                                                               "--all-nodes-if-unknown"], never_says=["not-the-token"]),
    )),
    Sc("wrong-answer", "a wrong answer (a memcached port behind a Redis cluster)", "2", cluster="rw", tools=dict(
        check=T("3 UNKNOWN", says=["wrong answer"]),
        handler=T("0 not rebooting: wrong probe setting", add=["--all-nodes-if-unknown"]),
    )),
    Sc("token-no-auth-cluster", "a token given, the cluster has no AUTH: none sent", "3", cluster="rd", tools=dict(
        check=T("0 OK", add=["--auth-token-file", "@FILE:token.good@"], never_says=["@TOKEN@"]),
        handler=T("0 nothing to reboot", add=["--auth-token-file", "@FILE:token.good@"], never_says=["@TOKEN@"]),
    )),
    Sc("token-per-cluster", "tokens per cluster (`--auth-token-dir`)", "3", cluster="rda", tools=dict(
        check=T("0 OK", add=["--auth-token-dir", "@FILE:tokens@"], never_says=["@TOKEN@"]),
        handler=T("0 nothing to reboot", add=["--auth-token-dir", "@FILE:tokens@"], never_says=["@TOKEN@"]),
    )),
    Sc("tls-from-api", "TLS required, taken from the API (`TransitEncryptionEnabled`)", "3", cluster="rt", tools=dict(
        check=T("0 OK", add=["--probe-ca-bundle", "@FILE:ca@"]),
        handler=T("0 nothing to reboot", add=["--probe-ca-bundle", "@FILE:ca@"]),
    )),
    Sc("cut-path", "no node answers a connection at all (the network path looks cut)", "4", cluster="cut", tools=dict(
        check=T("2 CRITICAL", says=["the network path looks cut"]),
        handler=T("0 not rebooting: path looks cut", add=["--all-nodes-if-unknown"]),
    )),
    Sc("only-node-refuses", "the only node refuses connections", "4", cluster="refuses", tools=dict(
        check=T("2 CRITICAL"),
        handler=T("0 rebooted 0001", ["refuses:0001"]),
    )),
    Sc("only-node-silent", "the only node accepts, then stays silent", "4", cluster="hangs", tools=dict(
        check=T("2 CRITICAL"),
        handler=T("0 rebooted 0001", ["hangs:0001"]),
    )),
    Sc("max-unresponsive", "two nodes down, `--max-unresponsive 1`", "4", broken=["0001", "0002"], tools=dict(
        check=T("2 CRITICAL"),
        handler=T("0 not rebooting: more than --max-unresponsive", add=["--max-unresponsive", "1"]),
    )),
    Sc("downtime", "service in downtime (`--downtime-depth 1`)", "5", broken=["0002"], tools=dict(
        handler=T("0 not rebooting: service in scheduled downtime", add=["--downtime-depth", "1"]),
    )),
    Sc("downtime-env", "downtime from Nagios's `NAGIOS_SERVICEDOWNTIME`, state as arguments", "5", broken=["0002"],
       env={"NAGIOS_SERVICEDOWNTIME": "1"}, tools=dict(
        handler=T("0 not rebooting: service in scheduled downtime"),
    )),
    Sc("acknowledged", "problem acknowledged (`--acknowledged 1`)", "5", broken=["0002"], tools=dict(
        handler=T("0 not rebooting: problem acknowledged", add=["--acknowledged", "1"]),
    )),
    Sc("flapping", "service flapping (`--flapping 1`)", "5", broken=["0002"], tools=dict(
        handler=T("0 not rebooting: service flapping", add=["--flapping", "1"]),
    )),
    Sc("max-reboots", "2 restarts in the last hour, `--max-reboots 2 --per 1h`", "5", broken=["0002"],
       setup=[("events", [{"Message": "Cache node 0001 restarted", "_age_seconds": 600},
                          {"Message": "Cache node 0003 restarted", "_age_seconds": 1200},
                          {"Message": "Cache node 0002 restarted", "_age_seconds": 7200}])], tools=dict(
        handler=T("0 not rebooting 0002: the cluster's nodes restarted 2 times within 1h", add=["--max-reboots", "2", "--per", "1h"]),
    )),
    Sc("max-reboots-room", "2 restarts in the last hour, `--max-reboots 3 --per 1h`", "5", broken=["0002"],
       setup=[("events", [{"Message": "Cache node 0001 restarted", "_age_seconds": 600},
                          {"Message": "Cache node 0003 restarted", "_age_seconds": 1200}])], tools=dict(
        handler=T("0 rebooted 0002", ONE, add=["--max-reboots", "3", "--per", "1h"]),
    )),
    Sc("all-hung", "`--all`: hung nodes of two engines and two TLS settings, one deadline", "7",
       setup=[("seed", "fixture.hung")], tools=dict(
        check=T("2 CRITICAL", args=["--all", "-t", "4"], says=["hung-mc", "hung-rd", "hung-tls", "hung-mtls"],
                max_seconds=7),
    )),
    Sc("slowest-counts-silent", "`slowest` perfdata while a node does not answer", "8", broken=["0002"], tools=dict(
        check=T("2 CRITICAL", says=["slowest=1s;"]),
    )),
    Sc("bogus-state", "an unknown state string (`BOGUS`)", "8", broken=["0002"], tools=dict(
        handler=T("3 usage error", args=["BOGUS", "HARD", "1"], requests=0),
    )),
    Sc("forged-output", "API strings with `|`, newlines and quotes (forged output)", "14",
       setup=[("seed", "fixture.hostile")], tools=dict(
        check=T("3 UNKNOWN", args=["--all", "-vv", "--probe-timeout", "1"], one_status_line=True),
    )),
]


def by_id(sid):
    for sc in SCENARIOS:
        if sc.id == sid:
            return sc
    raise RuntimeError("no scenario %r (matrix.py list)" % sid)


_ids = [sc.id for sc in SCENARIOS]
if len(set(_ids)) != len(_ids):
    raise ValueError("scenario ids repeat")
