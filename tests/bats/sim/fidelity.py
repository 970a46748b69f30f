#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Fidelity checks of the simulator through boto3/botocore (Debian's).

    fidelity.py roundtrip SIM_URL FIXTURE
        Every cluster of FIXTURE, described through boto3 with
        ShowCacheNodeInfo, parses back to exactly the fixture (private "_"
        keys dropped, timestamps compared as instants).  Also checks that a
        paginated describe-all returns the fixture's clusters in order.
    wire SIM_URL DATA_DIR
        Seeds the sim with the clusters of DATA_DIR/describe-cache-clusters.queryparser.json
        (botocore's parse of the captured reference XML), fetches the raw XML
        and compares it element by element with DATA_DIR/describe-cache-clusters.response.xml.
        The same for reboot-cache-cluster (state forced to "rebooting").
    error-shape SIM_URL DATA_DIR
        The sim's CacheClusterNotFound XML has the same element structure as
        the reference error XML.
    fullmodel SIM_URL
        Builds a cluster with every member of the CacheCluster shape set
        (recursively; lists with two items), seeds it, and checks that
        botocore parses the sim's XML back to exactly that cluster.
    replay SIM_URL FILE
        Sends the exact bytes of a captured request (tests/data/sim/requests)
        to the sim and prints "STATUS CODE" (CODE is "-" on success).
    boto3 SIM_URL CA
        Basic boto3 calls over HTTPS with the sim's CA: describe, reboot,
        error classes.
Exit status 0 when all checks pass; differences are printed.
"""

import datetime
import json
import sys
import urllib.request
import xml.etree.ElementTree as ET

import boto3
import botocore.config
import botocore.exceptions

NS = "{http://elasticache.amazonaws.com/doc/2015-02-02/}"
AK = "AKIDEXAMPLE"
SK = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


def client(url, ca=None, retries=1):
    return boto3.session.Session(aws_access_key_id=AK, aws_secret_access_key=SK, region_name="us-east-1").client(
        "elasticache",
        endpoint_url=url,
        verify=ca if ca else True,
        config=botocore.config.Config(retries={"max_attempts": retries, "mode": "standard"}),
    )


def ctl(url, method, path, obj=None):
    data = json.dumps(obj).encode() if obj is not None else None
    req = urllib.request.Request(url + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")


def normalise(v):
    """Fixture/parse values into comparable form: datetimes as UTC instants."""
    if isinstance(v, dict):
        return {k: normalise(x) for k, x in v.items() if not k.startswith("_")}
    if isinstance(v, list):
        return [normalise(x) for x in v]
    if isinstance(v, datetime.datetime):
        return ("time", v.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds"))
    if isinstance(v, str) and len(v) >= 19 and v[4] == "-" and v[10] == "T" and v[13] == ":":
        try:
            d = datetime.datetime.fromisoformat(v.replace("Z", "+00:00"))
            return ("time", d.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds"))
        except ValueError:
            pass
    return v


def diff(a, b, path="", out=None):
    out = [] if out is None else out
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a:
                out.append("%s/%s: missing on the left" % (path, k))
            elif k not in b:
                out.append("%s/%s: missing on the right" % (path, k))
            else:
                diff(a[k], b[k], "%s/%s" % (path, k), out)
        if not out and list(a) != list(b):
            out.append("%s: key order differs: %s vs %s" % (path, list(a), list(b)))
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append("%s: list length %d vs %d" % (path, len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, "%s[%d]" % (path, i), out)
    elif a != b:
        out.append("%s: %r != %r" % (path, a, b))
    return out


def roundtrip(url, fixture_path):
    fixture = json.load(open(fixture_path))
    ec = client(url)
    problems = []
    for c in fixture["clusters"]:
        got = ec.describe_cache_clusters(CacheClusterId=c["CacheClusterId"], ShowCacheNodeInfo=True)
        if len(got["CacheClusters"]) != 1:
            problems.append("%s: %d clusters returned" % (c["CacheClusterId"], len(got["CacheClusters"])))
            continue
        d = diff(normalise(c), normalise(got["CacheClusters"][0]), c["CacheClusterId"])
        # The fixture lists members in model order, so the parse must agree on order too.
        problems.extend(d)
    pages = ec.get_paginator("describe_cache_clusters").paginate(PaginationConfig={"PageSize": 20})
    ids = [c["CacheClusterId"] for p in pages for c in p["CacheClusters"]]
    want = [c["CacheClusterId"] for c in fixture["clusters"]]
    if ids != want:
        problems.append("paginated ids %s != fixture %s" % (ids, want))
    return problems


def elements(e, path=""):
    """Flatten an XML tree into (path, text) with namespace stripped."""
    tag = e.tag.replace(NS, "")
    p = path + "/" + tag
    kids = list(e)
    out = [(p, None if kids else (e.text or "").strip())]
    for k in kids:
        out.extend(elements(k, p))
    return out


def same_xml(ref_text, got_text, label):
    ref = elements(ET.fromstring(ref_text))
    got = elements(ET.fromstring(got_text))
    problems = []
    if [p for p, _ in ref] != [p for p, _ in got]:
        rp = [p for p, _ in ref]
        gp = [p for p, _ in got]
        for i, (x, y) in enumerate(zip(rp, gp)):
            if x != y:
                problems.append("%s: element %d is %s in the reference but %s from the sim" % (label, i, x, y))
                break
        if len(rp) != len(gp):
            problems.append("%s: %d elements in the reference, %d from the sim" % (label, len(rp), len(gp)))
        return problems
    for (p, rt), (_, gt) in zip(ref, got):
        if p.endswith("RequestId"):
            continue
        if rt != gt and normalise(rt) != normalise(gt):
            problems.append("%s: %s: %r != %r" % (label, p, rt, gt))
    return problems


def raw_call(url, op, params):
    ec = client(url)
    raw = {}

    def grab(http_response, **kw):
        raw["body"] = http_response.content
        raw["status"] = http_response.status_code
        raw["headers"] = dict(http_response.headers)

    ec.meta.events.register("after-call.elasticache.%s" % op, grab)
    ec.meta.events.register("after-call-error.elasticache.%s" % op, lambda **kw: None)
    try:
        getattr(ec, {"DescribeCacheClusters": "describe_cache_clusters", "RebootCacheCluster": "reboot_cache_cluster"}[op])(
            **params
        )
    except botocore.exceptions.ClientError:
        pass
    return raw


def wire(url, data_dir):
    problems = []
    ref = json.load(open(data_dir + "/describe-cache-clusters.queryparser.json"))
    ctl(url, "POST", "/_sim/seed", {"clusters": ref["CacheClusters"]})
    raw = raw_call(url, "DescribeCacheClusters", {"ShowCacheNodeInfo": True})
    problems += same_xml(open(data_dir + "/describe-cache-clusters.response.xml").read(), raw["body"], "describe")
    if raw["headers"].get("Content-Type") != "text/xml":
        problems.append("describe: Content-Type %r" % raw["headers"].get("Content-Type"))
    if "x-amzn-RequestId" not in raw["headers"]:
        problems.append("describe: no x-amzn-RequestId header")
    ref = json.load(open(data_dir + "/reboot-cache-cluster.queryparser.json"))
    cluster = json.loads(json.dumps(ref["CacheCluster"]))
    # Seed the pre-reboot state; the sim's answer must be the reference.
    cluster["CacheClusterStatus"] = "available"
    for n in cluster["CacheNodes"]:
        n["CacheNodeStatus"] = "available"
    ctl(url, "POST", "/_sim/seed", {"clusters": [cluster]})
    ids = [n["CacheNodeId"] for n in ref["CacheCluster"]["CacheNodes"] if n["CacheNodeStatus"] == "rebooting"]
    raw = raw_call(url, "RebootCacheCluster", {"CacheClusterId": cluster["CacheClusterId"], "CacheNodeIdsToReboot": ids})
    problems += same_xml(open(data_dir + "/reboot-cache-cluster.response.xml").read(), raw["body"], "reboot")
    return problems


def error_shape(url, data_dir):
    raw = raw_call(url, "DescribeCacheClusters", {"CacheClusterId": "no-such-cluster"})
    problems = []
    if raw["status"] != 404:
        problems.append("status %s != 404" % raw["status"])
    problems += same_xml(open(data_dir + "/error-cache-cluster-not-found.response.xml").read(), raw["body"], "error")
    return problems


def boto3_basic(url, ca):
    problems = []
    ec = client(url, ca)
    r = ec.describe_cache_clusters(CacheClusterId="DEMO-Memcached", ShowCacheNodeInfo=True)
    c = r["CacheClusters"][0]
    if c["CacheClusterId"] != "demo-memcached" or len(c["CacheNodes"]) != 3:
        problems.append("describe demo-memcached: %r" % c["CacheClusterId"])
    r = ec.describe_cache_clusters(CacheClusterId="demo-memcached")
    if "CacheNodes" in r["CacheClusters"][0]:
        problems.append("CacheNodes present without ShowCacheNodeInfo")
    r = ec.reboot_cache_cluster(CacheClusterId="demo-memcached", CacheNodeIdsToReboot=["0002"])
    st = {n["CacheNodeId"]: n["CacheNodeStatus"] for n in r["CacheCluster"]["CacheNodes"]}
    if r["CacheCluster"]["CacheClusterStatus"] != "rebooting cache cluster nodes" or st != {
        "0001": "available",
        "0002": "rebooting",
        "0003": "available",
    }:
        problems.append("reboot answer: %s %s" % (r["CacheCluster"]["CacheClusterStatus"], st))
    try:
        ec.reboot_cache_cluster(CacheClusterId="demo-memcached", CacheNodeIdsToReboot=["0001"])
        problems.append("second reboot accepted")
    except ec.exceptions.InvalidCacheClusterStateFault as e:
        if e.response["ResponseMetadata"]["HTTPStatusCode"] != 400:
            problems.append("InvalidCacheClusterState status %s" % e.response["ResponseMetadata"]["HTTPStatusCode"])
    try:
        ec.describe_cache_clusters(CacheClusterId="nope")
        problems.append("unknown cluster accepted")
    except ec.exceptions.CacheClusterNotFoundFault as e:
        if e.response["Error"]["Message"] != "CacheCluster not found: nope":
            problems.append("not-found message %r" % e.response["Error"]["Message"])
    try:
        ec.reboot_cache_cluster(CacheClusterId="demo-redis", CacheNodeIdsToReboot=["0002"])
        problems.append("bad node id accepted")
    except ec.exceptions.InvalidParameterValueException:
        pass
    try:
        ec.reboot_cache_cluster(CacheClusterId="cme-redis-0001-001", CacheNodeIdsToReboot=["0001"])
        problems.append("reboot of a cluster-mode-enabled member accepted")
    except ec.exceptions.InvalidParameterCombinationException:
        pass
    return problems


def replay(url, path):
    import re
    import socket
    import urllib.parse

    data = open(path, "rb").read()
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as s:
        s.sendall(data)
        buf = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
            head, sep, body = buf.partition(b"\r\n\r\n")
            if sep:
                m = re.search(rb"(?i)content-length:\s*(\d+)", head)
                if m and len(body) >= int(m.group(1)):
                    break
    status = buf.split(b" ", 2)[1].decode()
    m = re.search(rb"<Code>([^<]*)</Code>", buf)
    print(status, m.group(1).decode() if m else "-")
    return []


def example(shape, name, depth=0):
    t = shape.type_name
    if t == "structure":
        return {m: example(ms, m, depth + 1) for m, ms in shape.members.items()}
    if t == "list":
        return [example(shape.member, name, depth + 1) for _ in range(2)]
    if t == "map":
        return {"k1": example(shape.value, name, depth + 1)}
    if t == "boolean":
        return True
    if t in ("integer", "long"):
        return 7 + depth
    if t in ("float", "double"):
        return 1.5
    if t == "timestamp":
        return "2024-02-29T23:59:58.123Z"
    if shape.enum:
        return shape.enum[-1]
    return "%s-value & <x>" % name


def fullmodel(url):
    import botocore.session

    model = botocore.session.get_session().get_service_model("elasticache")
    cluster = example(model.shape_for("CacheCluster"), "CacheCluster")
    cluster["CacheClusterId"] = "full-model"
    cluster["CacheClusterStatus"] = "available"
    ctl(url, "POST", "/_sim/seed", {"clusters": [cluster]})
    got = client(url).describe_cache_clusters(CacheClusterId="full-model", ShowCacheNodeInfo=True)
    return diff(normalise(cluster), normalise(got["CacheClusters"][0]), "full-model")


def main(argv):
    cmd = argv[1]
    if cmd == "roundtrip":
        problems = roundtrip(argv[2], argv[3])
    elif cmd == "wire":
        problems = wire(argv[2], argv[3])
    elif cmd == "error-shape":
        problems = error_shape(argv[2], argv[3])
    elif cmd == "fullmodel":
        problems = fullmodel(argv[2])
    elif cmd == "replay":
        problems = replay(argv[2], argv[3])
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
