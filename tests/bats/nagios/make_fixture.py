#!/usr/bin/python3
"""Write a simulator fixture whose cache node endpoints are real loopback
servers started by the test.

  make_fixture.py OUT SPEC...
  SPEC = ENGINE:CLUSTER_ID:PORT[,PORT...][:FLAG[,FLAG...]]
         ENGINE memcached|redis; FLAGs:
           tls            TransitEncryptionEnabled (no TransitEncryptionMode)
           tls-required   ... with TransitEncryptionMode "required"
           tls-preferred  ... with TransitEncryptionMode "preferred"
           auth           AuthTokenEnabled

Clusters are copied from the simulator's default fixture (demo-memcached,
demo-redis) so every other field has the AWS shape; only the id, the nodes
and their endpoints change."""
import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.join(HERE, "..", "..", "sim", "fixtures", "default.json")


def main():
    out, specs = sys.argv[1], sys.argv[2:]
    base = json.load(open(DEFAULT))
    templates = {c["CacheClusterId"]: c for c in base["clusters"]}
    clusters = []
    for spec in specs:
        parts = spec.split(":")
        engine, cid, ports = parts[0], parts[1], parts[2].split(",")
        flags = parts[3].split(",") if len(parts) > 3 and parts[3] else []
        unknown = set(flags) - {"tls", "tls-required", "tls-preferred", "auth"}
        if unknown:
            sys.exit("make_fixture: unknown flags %s" % ",".join(sorted(unknown)))
        tls = any(f.startswith("tls") for f in flags)
        c = copy.deepcopy(templates["demo-memcached" if engine == "memcached" else "demo-redis"])
        c["CacheClusterId"] = cid
        c["ARN"] = c["ARN"].rsplit(":", 1)[0] + ":" + cid
        node0 = c["CacheNodes"][0]
        nodes = []
        for i, port in enumerate(ports):
            n = copy.deepcopy(node0)
            n["CacheNodeId"] = "%04d" % (i + 1)
            n["Endpoint"] = {"Address": "127.0.0.1", "Port": int(port)}
            nodes.append(n)
        c["CacheNodes"] = nodes
        c["NumCacheNodes"] = len(nodes)
        c["TransitEncryptionEnabled"] = tls
        for mode in ("required", "preferred"):
            if "tls-" + mode in flags:
                c["TransitEncryptionMode"] = mode
        c["AuthTokenEnabled"] = "auth" in flags
        if engine == "memcached":
            c["ConfigurationEndpoint"] = {"Address": "127.0.0.1", "Port": int(ports[0])}
        else:
            c.pop("ReplicationGroupId", None)
        clusters.append(c)
    json.dump({"clusters": clusters, "events": []}, open(out, "w"), indent=1)


main()
