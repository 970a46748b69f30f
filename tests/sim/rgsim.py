# SPDX-License-Identifier: Apache-2.0
"""rgsim: Redis replication groups for the ElastiCache simulator (ecsim.py).

Loaded by ecsim.py, which owns the clusters, events, lock, node hook and
HTTP; this module owns the groups: DescribeReplicationGroups,
ModifyReplicationGroup (the primary move and the automatic failover and
Multi-AZ switches, with a `modifying` period), the member roles seen by
both describe calls, the events AWS records for a failover, a scripted
failover for tests, and the node hook's `primary` and `replicaof` calls
that let real redis-server members follow a primary change.

Which texts are AWS's own and which are modelled is written next to each
one (and in tests/sim/README.md, "Replication groups").
"""

import copy
import datetime
import subprocess
import threading
import time

# Captured: a real DescribeEvents log of an ElastiCache failover (engine
# upgrade of a Redis group, January 2023) has these messages; the
# TestFailover documentation of service-2.json lists the same events.
EV_FAILOVER_TO = "Failover to replica node %s completed"
EV_FAILOVER_FROM = "Failover from master node %s to replica node %s completed"
EV_RECOVERING = "Recovering cache nodes %s"
EV_RECOVERED = "Finished recovery for cache nodes %s"

# Captured from real AWS answers quoted in public bug reports (the code of
# the second one was not quoted; InvalidParameterCombination is modelled on
# CreateReplicationGroup's "at least 2 cache clusters" refusal).
MSG_CME_NO_FAILOVER_OFF = (
    "Turning off automatic failover for replication group with cluster mode enabled is not supported."
)
MSG_NEEDS_REPLICA = "Replication group must have at least one read replica to enable autofailover."

# Modelled (no AWS text found): see tests/sim/README.md.
MSG_PRIMARY_WITH_FAILOVER = (
    "Cannot set PrimaryClusterId on replication group %s while automatic failover or Multi-AZ is "
    "enabled. Disable Multi-AZ and automatic failover first."
)
MSG_MULTI_AZ_NEEDS_FAILOVER = "Multi-AZ can only be enabled on replication group %s when automatic failover is enabled."
MSG_FAILOVER_OFF_WITH_MULTI_AZ = (
    "Automatic failover cannot be disabled on replication group %s while Multi-AZ is enabled."
)
MSG_CME_PRIMARY = "PrimaryClusterId is not supported for Redis (cluster mode enabled) replication groups."
MSG_NOT_FOUND = "Replication group %s not found."
MSG_NOT_AVAILABLE = "Replication group %s is not in available state (current state: %s)."
MSG_NOT_MEMBER = "Cache cluster %s is not a member of replication group %s."

# The members of ModifyReplicationGroupMessage the simulator acts on;
# NodeGroupId is deprecated and unused by AWS, so it is accepted and
# ignored. Any other member is refused rather than silently dropped.
MODIFY_MEMBERS = (
    "ReplicationGroupId",
    "PrimaryClusterId",
    "AutomaticFailoverEnabled",
    "MultiAZEnabled",
    "ApplyImmediately",
    "NodeGroupId",
)


def add_arguments(parser):
    parser.add_argument(
        "--modify-seconds",
        type=float,
        default=2.0,
        help="how long a replication group stays modifying after ModifyReplicationGroup",
    )


def _bool_param(api, params, name):
    if name not in params:
        return None
    value = params[name]
    if value in ("true", "false"):
        return value == "true"
    raise api.invalid_value("Invalid value for parameter %s: %s" % (name, value))


class Groups:
    """The replication groups of one simulator State. Every method that
    touches state runs under state.lock (an RLock), as State's do."""

    def __init__(self, state, args, api):
        self.state = state
        self.args = args
        self.api = api  # the ecsim module: ApiError, helpers
        self.groups = {}  # lowercase id -> group (AWS JSON, "_sim" private)
        self.order = []
        self.stale = {}  # lowercase id -> (visible_until_monotonic, snapshot)
        self.modify_seconds = float(args.modify_seconds)

    # -- configuration -----------------------------------------------------
    def reset_config(self):
        self.modify_seconds = float(self.args.modify_seconds)

    def config(self):
        return {"modify_seconds": self.modify_seconds}

    def set_config(self, data):
        if "modify_seconds" in data:
            v = float(data["modify_seconds"])
            if v < 0:
                raise ValueError("modify_seconds must be >= 0")
            self.modify_seconds = v

    # -- seeding -------------------------------------------------------------
    def load(self, fixture, clusters):
        """Validate the fixture's replication groups against the model and
        against its clusters (`clusters`: lowercase id -> cluster, not yet
        installed). Returns (groups, order); raises ValueError."""
        groups = fixture.get("replication_groups", fixture.get("ReplicationGroups", []))
        if not isinstance(groups, list):
            raise ValueError("replication_groups must be a list")
        problems = []
        new, order = {}, []
        shape = self.state.model.shape("ReplicationGroup") if self.state.model is not None else None
        for i, g in enumerate(groups):
            if not isinstance(g, dict) or not g.get("ReplicationGroupId"):
                raise ValueError("every replication group needs a ReplicationGroupId")
            where = "replication_groups[%d](%s)" % (i, g["ReplicationGroupId"])
            if shape is not None:
                self.api.check_value(shape, g, where, problems)
            self.api.check_tags(g.get("_tags"), where, problems)
            g = copy.deepcopy(g)
            gid = g["ReplicationGroupId"].lower()
            g["ReplicationGroupId"] = gid
            if gid in new:
                raise ValueError("duplicate replication group id %s" % gid)
            self._check_members(g, where, clusters, problems)
            mode = (g.get("_sim") or {}).get("endpoint_mode", "dns")
            if mode not in ("dns", "follow"):
                problems.append("%s: _sim.endpoint_mode must be dns or follow" % where)
            new[gid] = g
            order.append(gid)
        if problems:
            raise ValueError("invalid fixture: " + "; ".join(problems[:10]))
        for g in new.values():
            self._follow(g, clusters)
        return new, order

    def _check_members(self, g, where, clusters, problems):
        members = [m.lower() for m in g.get("MemberClusters", [])]
        g["MemberClusters"] = members
        seen = []
        for m in members:
            c = clusters.get(m)
            if c is None:
                problems.append("%s: member cluster %s is not in the fixture's clusters" % (where, m))
            elif (c.get("ReplicationGroupId") or "").lower() != g["ReplicationGroupId"]:
                problems.append(
                    "%s: cluster %s has ReplicationGroupId %r" % (where, m, c.get("ReplicationGroupId"))
                )
        for ng in g.get("NodeGroups", []):
            primaries = 0
            for mem in ng.get("NodeGroupMembers", []):
                cid = (mem.get("CacheClusterId") or "").lower()
                mem["CacheClusterId"] = cid
                if cid not in members:
                    problems.append("%s: node group member %s is not in MemberClusters" % (where, cid))
                seen.append(cid)
                role = mem.get("CurrentRole")
                if role == "primary":
                    primaries += 1
                elif role not in (None, "replica"):
                    problems.append("%s: CurrentRole of %s must be primary or replica" % (where, cid))
            if not g.get("ClusterEnabled") and primaries != 1:
                problems.append(
                    "%s: node group %s has %d primaries (cluster mode disabled needs exactly one)"
                    % (where, ng.get("NodeGroupId"), primaries)
                )
        if not g.get("ClusterEnabled") and len(g.get("NodeGroups", [])) != 1:
            problems.append("%s: a cluster-mode-disabled group has exactly one node group" % where)
        for m in members:
            if seen.count(m) != 1:
                problems.append("%s: member %s is in %d node groups (one expected)" % (where, m, seen.count(m)))

    def commit(self, groups, order):
        with self.state.lock:
            self.groups = groups
            self.order = order
            self.stale = {}

    def snapshot(self):
        with self.state.lock:
            return [copy.deepcopy(self.groups[g]) for g in self.order]

    # -- helpers -------------------------------------------------------------
    def get(self, gid):
        g = self.groups.get((gid or "").lower())
        if g is None:
            raise self.api.ApiError(404, "ReplicationGroupNotFoundFault", MSG_NOT_FOUND % (gid or "").lower())
        return g

    def group_of(self, cluster):
        gid = (cluster.get("ReplicationGroupId") or "").lower()
        return self.groups.get(gid) if gid else None

    def cluster_mode_enabled(self, cluster):
        """True when the cluster belongs to a group of this fixture that has
        cluster mode enabled (RebootCacheCluster is refused for those)."""
        g = self.group_of(cluster)
        return bool(g and g.get("ClusterEnabled"))

    @staticmethod
    def members(g):
        for ng in g.get("NodeGroups", []):
            for m in ng.get("NodeGroupMembers", []):
                yield ng, m

    def primary_of(self, g, ng=None):
        """The primary member of node group `ng` (the first one: None). AWS
        shows CurrentRole only for cluster mode disabled; for cluster mode
        enabled the simulator keeps the primary in the node group's private
        "_primary" (default: its first member)."""
        ngs = [ng] if ng is not None else g.get("NodeGroups", [])[:1]
        for node_group in ngs:
            members = node_group.get("NodeGroupMembers", [])
            for m in members:
                if m.get("CurrentRole") == "primary":
                    return m
            want = node_group.get("_primary")
            for m in members:
                if want is None or m["CacheClusterId"] == want:
                    return m
        return None

    def _node(self, cid, node_id=None):
        """(node id, address, port) of a member cluster's node, for the hook."""
        c = self.state.clusters.get(cid)
        for n in (c or {}).get("CacheNodes", []):
            if node_id is None or n["CacheNodeId"] == node_id:
                ep = n.get("Endpoint") or {}
                return n["CacheNodeId"], str(ep.get("Address", "")), str(ep.get("Port", ""))
        return node_id or "0001", "", ""

    def _follow(self, g, clusters=None):
        """In endpoint mode "follow", a node group's PrimaryEndpoint is the
        current primary member's ReadEndpoint (or its node's endpoint), so a
        client that re-reads the API finds the new primary (AWS keeps the
        DNS name and re-points it: mode "dns", the default)."""
        if (g.get("_sim") or {}).get("endpoint_mode", "dns") != "follow":
            return
        clusters = clusters if clusters is not None else self.state.clusters
        for ng in g.get("NodeGroups", []):
            p = self.primary_of(g, ng)
            if p is None:
                continue
            ep = p.get("ReadEndpoint")
            if ep is None:
                for n in clusters.get(p["CacheClusterId"], {}).get("CacheNodes", []):
                    ep = n.get("Endpoint")
                    break
            if ep is not None:
                ng["PrimaryEndpoint"] = copy.deepcopy(ep)

    def visible(self, gid):
        st = self.stale.get(gid)
        if st is not None:
            until, snap = st
            if time.monotonic() < until:
                return snap
            del self.stale[gid]
        return self.groups[gid]

    # -- DescribeReplicationGroups --------------------------------------------
    def describe(self, params):
        api = self.api
        max_records = api.parse_max_records(params)
        gid = params.get("ReplicationGroupId")
        with self.state.lock:
            if gid:
                ids = [self.get(gid)["ReplicationGroupId"]]
            else:
                ids = list(self.order)
            start = api.decode_marker(params.get("Marker"), "g")
            if start is not None:
                if start not in ids:
                    raise api.invalid_value("Invalid marker: %s" % params.get("Marker"))
                ids = ids[ids.index(start) + 1 :]
            page = ids[:max_records]
            more = len(ids) > max_records
            out = [copy.deepcopy(self.visible(i)) for i in page]
        result = {"ReplicationGroups": out}
        if more:
            result["Marker"] = api.encode_marker("g", page[-1])
        return result

    # -- ModifyReplicationGroup --------------------------------------------------
    def modify(self, params, dry=False):
        api = self.api
        gid = params.get("ReplicationGroupId")
        if not gid:
            raise api.ApiError(400, "MissingParameter", "The request must contain the parameter ReplicationGroupId")
        unknown = sorted(k for k in params if k not in MODIFY_MEMBERS)
        if unknown:
            raise api.invalid_value(
                "The ElastiCache simulator does not model ModifyReplicationGroup's %s." % ", ".join(unknown)
            )
        want_af = _bool_param(api, params, "AutomaticFailoverEnabled")
        want_maz = _bool_param(api, params, "MultiAZEnabled")
        apply_now = _bool_param(api, params, "ApplyImmediately") or False
        primary_id = (params.get("PrimaryClusterId") or "").lower() or None
        with self.state.lock:
            g = self.get(gid)
            gid = g["ReplicationGroupId"]
            if g.get("Status") != "available":
                raise api.ApiError(400, "InvalidReplicationGroupState", MSG_NOT_AVAILABLE % (gid, g.get("Status")))
            af_now = g.get("AutomaticFailover") == "enabled"
            maz_now = g.get("MultiAZ") == "enabled"
            replicas = sum(1 for _, m in self.members(g) if m.get("CurrentRole") != "primary")
            if g.get("ClusterEnabled"):
                replicas = min(
                    (len(ng.get("NodeGroupMembers", [])) - 1 for ng in g.get("NodeGroups", [])), default=0
                )
                if primary_id:
                    raise api.ApiError(400, "InvalidParameterCombination", MSG_CME_PRIMARY)
                if want_af is False:
                    raise api.ApiError(400, "InvalidParameterCombination", MSG_CME_NO_FAILOVER_OFF)
            af = af_now if want_af is None else want_af
            maz = maz_now if want_maz is None else want_maz
            if want_af and replicas < 1:
                raise api.ApiError(400, "InvalidParameterCombination", MSG_NEEDS_REPLICA)
            if maz and not af:
                if want_maz:
                    raise api.ApiError(400, "InvalidParameterCombination", MSG_MULTI_AZ_NEEDS_FAILOVER % gid)
                raise api.ApiError(400, "InvalidParameterCombination", MSG_FAILOVER_OFF_WITH_MULTI_AZ % gid)
            target = None
            if primary_id:
                # The documented rule (Replication.PromoteReplica): no
                # promotion while Multi-AZ with automatic failover is on. The
                # group's state before this call decides, as the documented
                # procedure takes three calls.
                if af_now or maz_now:
                    raise api.ApiError(400, "InvalidParameterCombination", MSG_PRIMARY_WITH_FAILOVER % gid)
                c = self.state.get(primary_id)
                if primary_id not in g.get("MemberClusters", []):
                    raise api.invalid_value(MSG_NOT_MEMBER % (primary_id, gid))
                if c.get("CacheClusterStatus") != "available":
                    raise api.ApiError(
                        400,
                        "InvalidCacheClusterState",
                        "Cluster %s is not in available state (current state: %s)."
                        % (primary_id, c.get("CacheClusterStatus")),
                    )
                current = self.primary_of(g)
                if current is None or current["CacheClusterId"] != primary_id:
                    target = primary_id
            changes = af != af_now or maz != maz_now or (target is not None and apply_now)
            work = g if not dry else copy.deepcopy(g)
            if target is not None and not apply_now:
                # Applied in the next maintenance window, which the simulator
                # opens only through the control API (apply-pending).
                work.setdefault("PendingModifiedValues", {})["PrimaryClusterId"] = target
            if not changes:
                return {"ReplicationGroup": copy.deepcopy(work)}
            if not dry and self.state.consistency_lag > 0:
                self.stale[gid] = (time.monotonic() + self.state.consistency_lag, copy.deepcopy(g))
            plan = self._begin(work, af, maz, target if apply_now else None, touch_members=not dry)
            out = copy.deepcopy(work)
            if dry:
                return {"ReplicationGroup": out}
            t = self._thread(self._finish_modify, gid, plan)
        self.state.log("modify replication group %s: %s" % (gid, describe_plan(plan)))
        t.start()
        return {"ReplicationGroup": out}

    def _begin(self, g, af, maz, target, touch_members=True):
        """Enter the modifying period; returns what its end applies."""
        g["Status"] = "modifying"
        pending = g.setdefault("PendingModifiedValues", {})
        af_now = g.get("AutomaticFailover") == "enabled"
        if af != af_now:
            g["AutomaticFailover"] = "enabling" if af else "disabling"
            pending["AutomaticFailoverStatus"] = "enabled" if af else "disabled"
        members = []
        if target is not None:
            pending["PrimaryClusterId"] = target
            for _, m in self.members(g):
                members.append(m["CacheClusterId"])
                # The members read "modifying" while the roles change.
                c = self.state.clusters.get(m["CacheClusterId"])
                if touch_members and c is not None and c.get("CacheClusterStatus") == "available":
                    c["CacheClusterStatus"] = "modifying"
        return {
            "af": af,
            "maz": maz,
            "target": target,
            "members": members,
            "deadline": time.monotonic() + self.modify_seconds,
            "generation": self.state.generation,
        }

    def _thread(self, fn, *args):
        return threading.Thread(target=fn, args=args, daemon=True)

    def _finish_modify(self, gid, plan):
        delay = plan["deadline"] - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if plan["target"] is not None:
            self._hooks_for_primary(gid, plan["target"], plan["generation"])
        with self.state.lock:
            if plan["generation"] != self.state.generation:
                return
            g = self.groups.get(gid)
            if g is None:
                return
            g["AutomaticFailover"] = "enabled" if plan["af"] else "disabled"
            g["MultiAZ"] = "enabled" if plan["maz"] else "disabled"
            pending = g.get("PendingModifiedValues", {})
            pending.pop("AutomaticFailoverStatus", None)
            if plan["target"] is not None:
                pending.pop("PrimaryClusterId", None)
                self._swap(g, plan["target"])
            for cid in plan["members"]:
                c = self.state.clusters.get(cid)
                if c is not None and c.get("CacheClusterStatus") == "modifying":
                    c["CacheClusterStatus"] = "available"
            g["Status"] = "available"
        self.state.log("modification of replication group %s finished" % gid)

    def _swap(self, g, new_primary):
        """Make `new_primary` the primary of its node group and record the
        failover events (lock held). Returns the old primary's id."""
        old = None
        for ng, m in list(self.members(g)):
            if m["CacheClusterId"] != new_primary:
                continue
            p = self.primary_of(g, ng)
            old = p["CacheClusterId"] if p is not None and p is not m else None
            ng["_primary"] = new_primary
            for other in ng.get("NodeGroupMembers", []):
                if "CurrentRole" in other:
                    other["CurrentRole"] = "primary" if other is m else "replica"
        self._follow(g)
        now = self.api.utcnow()
        gid = g["ReplicationGroupId"]
        self.state.add_event(gid, "replication-group", EV_FAILOVER_TO % new_primary, now)
        if old is not None:
            later = now + datetime.timedelta(milliseconds=1)
            text = EV_FAILOVER_FROM % (old, new_primary)
            self.state.add_event(old, "cache-cluster", text, later)
            self.state.add_event(gid, "replication-group", text, later)
        return old

    # -- the node hook ---------------------------------------------------------
    def _run_hook(self, *words):
        hook = self.state.node_hook
        if not hook:
            return
        cmd = " ".join([hook] + [self.api.shlex_quote(str(w)) for w in words])
        try:
            r = subprocess.run(cmd, shell=True, timeout=120, stdin=subprocess.DEVNULL)
            self.state.log("node-hook %s -> %d" % (" ".join(str(w) for w in words), r.returncode))
        except Exception as exc:  # keep the state machine going
            self.state.log("node-hook %s failed: %s" % (" ".join(str(w) for w in words), exc))

    def _hooks_for_primary(self, gid, new_primary, generation):
        """Before the roles swap: `primary` for the new primary, then
        `replicaof` for every other member of its node group."""
        with self.state.lock:
            if generation != self.state.generation:
                return
            g = self.groups.get(gid)
            if g is None or not self.state.node_hook:
                return
            others = []
            for ng, m in self.members(g):
                if m["CacheClusterId"] == new_primary:
                    others = [o["CacheClusterId"] for o in ng.get("NodeGroupMembers", []) if o is not m]
            p_node, p_addr, p_port = self._node(new_primary)
            calls = [("primary", gid, new_primary, p_node, p_addr, p_port)]
            for cid in others:
                node, addr, port = self._node(cid)
                calls.append(("replicaof", gid, cid, node, addr, port, p_addr, p_port))
        for call in calls:
            self._run_hook(*call)

    def member_up(self, cid, node_ids):
        """A member cluster's rebooted nodes are up again (ecsim calls this
        after the `up` hook): a replica is pointed at its primary again, as
        a restarted redis-server does not remember REPLICAOF."""
        with self.state.lock:
            c = self.state.clusters.get(cid)
            g = self.group_of(c) if c else None
            if g is None or g.get("ClusterEnabled") or not self.state.node_hook:
                return
            calls = []
            for ng, m in self.members(g):
                if m["CacheClusterId"] != cid:
                    continue
                p = self.primary_of(g, ng)
                if p is None or p is m:
                    continue
                _, p_addr, p_port = self._node(p["CacheClusterId"])
                for nid in node_ids:
                    node, addr, port = self._node(cid, nid)
                    calls.append(("replicaof", g["ReplicationGroupId"], cid, node, addr, port, p_addr, p_port))
        for call in calls:
            self._run_hook(*call)

    # -- control API ---------------------------------------------------------
    def failover(self, gid, data):
        """What AWS does when a primary fails with automatic failover: a
        replica becomes primary at once, the events are recorded, and the
        old primary is recovered as a replica after `recovery_seconds`."""
        to = (data.get("to") or "").lower() or None
        recovery = float(data.get("recovery_seconds", self.state.reboot_seconds))
        with self.state.lock:
            g = self.get(gid)
            gid = g["ReplicationGroupId"]
            if g.get("ClusterEnabled"):
                ng_id = data.get("node_group")
                ngs = [ng for ng in g.get("NodeGroups", []) if ng_id in (None, ng.get("NodeGroupId"))]
            else:
                ngs = g.get("NodeGroups", [])[:1]
            if not ngs:
                raise ValueError("replication group %s has no node group %s" % (gid, data.get("node_group")))
            ng = ngs[0]
            old = self.primary_of(g, ng)
            candidates = [m["CacheClusterId"] for m in ng.get("NodeGroupMembers", []) if m is not old]
            if to is None:
                if not candidates:
                    raise ValueError("replication group %s has no replica to fail over to" % gid)
                to = candidates[0]
            elif to not in candidates:
                raise ValueError("%s is not a replica in node group %s of %s" % (to, ng.get("NodeGroupId"), gid))
            generation = self.state.generation
        self._hooks_for_primary(gid, to, generation)
        with self.state.lock:
            if generation != self.state.generation:
                raise ValueError("the simulator was seeded during the failover")
            old_id = self._swap(g, to)
            if old_id:
                node, _, _ = self._node(old_id)
                self.state.add_event(old_id, "cache-cluster", EV_RECOVERING % node)
        if old_id:
            self._thread(self._recover, gid, old_id, recovery, generation).start()
        return {"ReplicationGroup": self.snapshot_one(gid), "old_primary": old_id, "new_primary": to}

    def _recover(self, gid, old_id, seconds, generation):
        if seconds > 0:
            time.sleep(seconds)
        self.member_up(old_id, [self._node(old_id)[0]])
        with self.state.lock:
            if generation != self.state.generation:
                return
            node, _, _ = self._node(old_id)
            self.state.add_event(old_id, "cache-cluster", EV_RECOVERED % node)

    def apply_pending(self, gid):
        """The maintenance window: a PrimaryClusterId sent without
        ApplyImmediately takes effect now (with the modifying period)."""
        with self.state.lock:
            g = self.get(gid)
            gid = g["ReplicationGroupId"]
            target = g.get("PendingModifiedValues", {}).get("PrimaryClusterId")
            if not target:
                raise ValueError("replication group %s has nothing pending" % gid)
            if g.get("Status") != "available":
                raise ValueError("replication group %s is %s" % (gid, g.get("Status")))
            plan = self._begin(g, g.get("AutomaticFailover") == "enabled", g.get("MultiAZ") == "enabled", target)
            t = self._thread(self._finish_modify, gid, plan)
        t.start()
        return self.snapshot_one(gid)

    def set_state(self, gid, data):
        with self.state.lock:
            g = self.get(gid)
            if "status" in data:
                g["Status"] = data["status"]
            if "automatic_failover" in data:
                g["AutomaticFailover"] = data["automatic_failover"]
            if "multi_az" in data:
                g["MultiAZ"] = data["multi_az"]
            ngs = {ng.get("NodeGroupId"): ng for ng in g.get("NodeGroups", [])}
            for ng_id, st in (data.get("node_groups") or {}).items():
                if ng_id not in ngs:
                    raise ValueError("replication group %s has no node group %s" % (gid, ng_id))
                ngs[ng_id]["Status"] = st
            self.stale.pop(g["ReplicationGroupId"], None)
            return copy.deepcopy(g)

    def snapshot_one(self, gid):
        with self.state.lock:
            return copy.deepcopy(self.get(gid))

    def control(self, handler, parts, method, data):
        """/_sim/replication-groups[/<id>[/<verb>]]; True when handled."""
        data = data or {}
        try:
            if parts == [] and method == "GET":
                handler._json(200, self.snapshot())
            elif len(parts) == 1 and method == "GET":
                handler._json(200, self.snapshot_one(parts[0]))
            elif len(parts) == 2 and parts[1] == "failover" and method == "POST":
                handler._json(200, self.failover(parts[0], data))
            elif len(parts) == 2 and parts[1] == "apply-pending" and method == "POST":
                handler._json(200, self.apply_pending(parts[0]))
            elif len(parts) == 2 and parts[1] == "state" and method == "POST":
                handler._json(200, self.set_state(parts[0], data))
            else:
                return False
        except self.api.ApiError as e:
            handler._json(404 if e.status == 404 else 400, {"error": e.message})
        return True


def describe_plan(plan):
    return "automatic failover %s, Multi-AZ %s%s" % (
        "on" if plan["af"] else "off",
        "on" if plan["maz"] else "off",
        ", primary -> %s" % plan["target"] if plan["target"] else "",
    )
