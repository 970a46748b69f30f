#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Write the XML responses the parse benchmarks use, made by the
simulator's model-driven serialiser (tests/sim/ecsim.py) from its
fixtures, so they are what the library meets in the tests:
  big40.xml    DescribeCacheClusters: the 40-node `big-memcached` cluster,
               with node info
  page100.xml  DescribeCacheClusters: a 100-cluster page (the default
               fixture's clusters cloned round-robin under new ids, node
               info included, a Marker for the next page)
  rg100.xml    DescribeReplicationGroups: a 100-group page (the
               replication-groups fixture's groups cloned round-robin under
               new ids, a Marker for the next page)
Usage: /usr/bin/python3 bench/gen_responses.py OUTDIR"""
import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "sim"))
import ecsim  # noqa: E402


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(HERE, "..", "tests", "sim", "fixtures", "default.json")) as f:
        fixture = json.load(f)
    clusters = [ecsim.strip_private(c) for c in fixture["clusters"]]
    model = ecsim.Model()
    rid = "c0ffee00-0000-4000-8000-000000000000"

    big = [c for c in clusters if c["CacheClusterId"] == "big-memcached"]
    assert len(big) == 1 and len(big[0]["CacheNodes"]) == 40
    page = []
    for i in range(100):
        c = copy.deepcopy(clusters[i % len(clusters)])
        c["CacheClusterId"] = "bench-%03d" % i
        if "ARN" in c:
            c["ARN"] = c["ARN"].rsplit(":", 1)[0] + ":" + c["CacheClusterId"]
        page.append(c)
    with open(os.path.join(HERE, "..", "tests", "sim", "fixtures",
                           "replication-groups.json")) as f:
        groups = [ecsim.strip_private(g) for g in json.load(f)["replication_groups"]]
    rgpage = []
    for i in range(100):
        g = copy.deepcopy(groups[i % len(groups)])
        old = g["ReplicationGroupId"]
        g["ReplicationGroupId"] = "bench-rg-%03d" % i
        if "ARN" in g:
            g["ARN"] = g["ARN"].replace(old, g["ReplicationGroupId"])
        rgpage.append(g)
    docs = {
        "big40.xml": ("DescribeCacheClusters", {"CacheClusters": big}),
        "page100.xml": ("DescribeCacheClusters",
                        {"CacheClusters": page, "Marker": "bench-100"}),
        "rg100.xml": ("DescribeReplicationGroups",
                      {"ReplicationGroups": rgpage, "Marker": "bench-rg-100"}),
    }
    for name, (action, result) in docs.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(ecsim.render_response(model, action, result, rid))


if __name__ == "__main__":
    main()
