#!/usr/bin/python3
"""Write the DescribeCacheClusters XML responses the parse benchmarks use,
made by the simulator's model-driven serialiser (tests/sim/ecsim.py) from
its default fixture, so they are what the library meets in the tests:
  big40.xml    the 40-node `big-memcached` cluster, with node info
  page100.xml  a 100-cluster page (the fixture's clusters cloned round-robin
               under new ids, node info included, a Marker for the next page)
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
    docs = {
        "big40.xml": {"CacheClusters": big},
        "page100.xml": {"CacheClusters": page, "Marker": "bench-100"},
    }
    for name, result in docs.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(ecsim.render_response(model, "DescribeCacheClusters", result, rid))


if __name__ == "__main__":
    main()
