#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Fidelity checks of the simulator's replication groups through boto3
(Debian's), the helpers of fidelity.py reused.

    rg_fidelity.py roundtrip SIM_URL FIXTURE
        Every replication group of FIXTURE, described through boto3, parses
        back to exactly the fixture (private "_" keys dropped); a paginated
        describe-all (PageSize 20) returns them in fixture order; every
        member cluster reads its group in DescribeCacheClusters and is left
        out by ShowCacheClustersNotInReplicationGroups.
    fullmodel SIM_URL
        A group with every member of the ReplicationGroup shape set
        (recursively; lists of two), its member clusters consistent, seeded
        and parsed back by botocore to exactly that group.
    boto3 SIM_URL CA
        boto3 over HTTPS with the sim's CA against the replication-group
        fixture: describe, the error classes of botocore's model, a
        ModifyReplicationGroup answer.
Exit status 0 when all checks pass; differences are printed.
"""

import copy
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fidelity import client, ctl, diff, example, normalise  # noqa: E402


def roundtrip(url, fixture_path):
    fixture = json.load(open(fixture_path))
    ec = client(url)
    problems = []
    for g in fixture["replication_groups"]:
        got = ec.describe_replication_groups(ReplicationGroupId=g["ReplicationGroupId"].upper())
        if len(got["ReplicationGroups"]) != 1:
            problems.append("%s: %d groups returned" % (g["ReplicationGroupId"], len(got["ReplicationGroups"])))
            continue
        problems.extend(diff(normalise(g), normalise(got["ReplicationGroups"][0]), g["ReplicationGroupId"]))
    pages = ec.get_paginator("describe_replication_groups").paginate(PaginationConfig={"PageSize": 20})
    ids = [g["ReplicationGroupId"] for p in pages for g in p["ReplicationGroups"]]
    want = [g["ReplicationGroupId"] for g in fixture["replication_groups"]]
    if ids != want:
        problems.append("paginated ids %s != fixture %s" % (ids, want))
    members = {m: g["ReplicationGroupId"] for g in fixture["replication_groups"] for m in g["MemberClusters"]}
    pages = ec.get_paginator("describe_cache_clusters").paginate()
    seen = {c["CacheClusterId"]: c.get("ReplicationGroupId") for p in pages for c in p["CacheClusters"]}
    for m, gid in members.items():
        if seen.get(m) != gid:
            problems.append("cluster %s reads group %r, not %s" % (m, seen.get(m), gid))
    pages = ec.get_paginator("describe_cache_clusters").paginate(ShowCacheClustersNotInReplicationGroups=True)
    outside = [c["CacheClusterId"] for p in pages for c in p["CacheClusters"]]
    if set(outside) & set(members):
        problems.append("members listed as outside any group: %s" % sorted(set(outside) & set(members)))
    return problems


def fullmodel(url):
    import botocore.session

    model = botocore.session.get_session().get_service_model("elasticache")
    g = example(model.shape_for("ReplicationGroup"), "ReplicationGroup")
    g["ReplicationGroupId"] = "full-model"
    g["Status"] = "available"
    g["ClusterEnabled"] = True
    ids = []
    for s, ng in enumerate(g["NodeGroups"]):
        for r, m in enumerate(ng["NodeGroupMembers"]):
            m["CacheClusterId"] = "full-model-%04d-%03d" % (s + 1, r + 1)
            m["CurrentRole"] = "primary" if r == 0 else "replica"
            ids.append(m["CacheClusterId"])
    g["MemberClusters"] = ids
    clusters = []
    for cid in ids:
        c = example(model.shape_for("CacheCluster"), "CacheCluster")
        c.update(CacheClusterId=cid, ReplicationGroupId="full-model", CacheClusterStatus="available")
        clusters.append(c)
    ctl(url, "POST", "/_sim/seed", {"clusters": clusters, "replication_groups": [copy.deepcopy(g)]})
    got = client(url).describe_replication_groups(ReplicationGroupId="full-model")
    return diff(normalise(g), normalise(got["ReplicationGroups"][0]), "full-model")


def boto3_basic(url, ca):
    problems = []
    ec = client(url, ca)
    r = ec.describe_replication_groups(ReplicationGroupId="RG-Sessions")
    g = r["ReplicationGroups"][0]
    roles = [(m["CacheClusterId"], m["CurrentRole"]) for m in g["NodeGroups"][0]["NodeGroupMembers"]]
    if roles != [("rg-sessions-001", "primary"), ("rg-sessions-002", "replica"), ("rg-sessions-003", "replica")]:
        problems.append("roles %s" % roles)
    if (g["AutomaticFailover"], g["MultiAZ"], g["ClusterEnabled"]) != ("enabled", "enabled", False):
        problems.append("flags %s %s %s" % (g["AutomaticFailover"], g["MultiAZ"], g["ClusterEnabled"]))
    try:
        ec.describe_replication_groups(ReplicationGroupId="nope")
        problems.append("unknown group accepted")
    except ec.exceptions.ReplicationGroupNotFoundFault as e:
        if e.response["ResponseMetadata"]["HTTPStatusCode"] != 404:
            problems.append("not-found status %s" % e.response["ResponseMetadata"]["HTTPStatusCode"])
    try:
        ec.modify_replication_group(ReplicationGroupId="rg-sessions", PrimaryClusterId="rg-sessions-002",
                                    ApplyImmediately=True)
        problems.append("primary move with automatic failover on accepted")
    except ec.exceptions.InvalidParameterCombinationException:
        pass
    r = ec.modify_replication_group(ReplicationGroupId="rg-sessions", AutomaticFailoverEnabled=False,
                                    MultiAZEnabled=False, ApplyImmediately=True)
    g = r["ReplicationGroup"]
    if (g["Status"], g["AutomaticFailover"], g["PendingModifiedValues"]) != (
        "modifying",
        "disabling",
        {"AutomaticFailoverStatus": "disabled"},
    ):
        problems.append("modify answer %s %s %s" % (g["Status"], g["AutomaticFailover"], g["PendingModifiedValues"]))
    try:
        ec.modify_replication_group(ReplicationGroupId="rg-sessions", MultiAZEnabled=True)
        problems.append("modify of a modifying group accepted")
    except ec.exceptions.InvalidReplicationGroupStateFault:
        pass
    return problems


def main(argv):
    cmd = argv[1]
    if cmd == "roundtrip":
        problems = roundtrip(argv[2], argv[3])
    elif cmd == "fullmodel":
        problems = fullmodel(argv[2])
    elif cmd == "boto3":
        problems = boto3_basic(argv[2], argv[3])
    else:
        print("unknown command %s" % cmd, file=sys.stderr)
        return 2
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
