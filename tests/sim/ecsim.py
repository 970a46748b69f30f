#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""ecsim: a local stand-in for the Amazon ElastiCache Query API (2015-02-02).

Run it with Debian's /usr/bin/python3 (standard library plus python3-botocore):

    /usr/bin/python3 tests/sim/ecsim.py --ready-file F [--fixture FILE] ...

It serves RebootCacheCluster, DescribeCacheClusters, DescribeEvents,
DescribeReplicationGroups and ModifyReplicationGroup (rgsim.py) over
HTTP and HTTPS on 127.0.0.1, verifies the SigV4 signature of every API
request with botocore (an implementation independent of the C library under
test), keeps cluster state with a reboot state machine and offers an
unsigned control API under /_sim for tests.  See tests/sim/README.md.
"""

import argparse
import base64
import copy
import datetime
import hashlib
import hmac
import http.server
import json
import os
import re
import shutil
import signal
import socket
import socketserver
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from xml.sax.saxutils import escape as xml_escape

import botocore.model
import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import credsim  # noqa: E402  the credential services (STS, IMDS, ...)
import rgsim  # noqa: E402  replication groups

API_VERSION = "2015-02-02"
XMLNS = "http://elasticache.amazonaws.com/doc/2015-02-02/"
# The body of the `html` fault: what a proxy in front of an endpoint sends.
HTML_200 = (b"<html><head><title>502 Bad Gateway</title></head><body>"
            b"<center><h1>502 Bad Gateway</h1></center></body></html>\n")
SERVICE = "elasticache"
ACTIONS = (
    "RebootCacheCluster",
    "DescribeCacheClusters",
    "DescribeEvents",
    "DescribeReplicationGroups",
    "ModifyReplicationGroup",
    "ListTagsForResource",
)
# ListTagsForResource's ResourceName for the resources the sim holds.
ARN_RE = re.compile(r"^arn:aws[a-z-]*:elasticache:[a-z0-9-]+:[0-9]{12}:(cluster|replicationgroup):([A-Za-z0-9-]+)$")
DEFAULT_AK = "AKIDEXAMPLE"
DEFAULT_SK = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_FIXTURE = os.path.join(HERE, "fixtures", "default.json")
EVENT_SOURCE_TYPES = (
    "cache-cluster",
    "cache-parameter-group",
    "cache-security-group",
    "cache-subnet-group",
    "replication-group",
    "serverless-cache",
    "serverless-cache-snapshot",
    "user",
    "user-group",
)

SIGNATURE_MISMATCH_MESSAGE = (
    "The request signature we calculated does not match the signature you "
    "provided. Check your AWS Secret Access Key and signing method. Consult "
    "the service documentation for details."
)
INVALID_TOKEN_MESSAGE = "The security token included in the request is invalid."


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def parse_time(value):
    """Parse an ISO 8601 timestamp (as AWS accepts: Z, offsets, fractions,
    date only) or epoch seconds into an aware UTC datetime. None if invalid."""
    if isinstance(value, datetime.datetime):
        dt = value
    elif isinstance(value, (int, float)):
        dt = datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
    else:
        text = str(value).strip()
        if re.fullmatch(r"\d+(\.\d+)?", text):
            return datetime.datetime.fromtimestamp(float(text), datetime.timezone.utc)
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        # Python 3.11's fromisoformat takes 1..6 digit fractions; trim longer.
        text = re.sub(r"(\.\d{6})\d+", r"\1", text)
        try:
            dt = datetime.datetime.fromisoformat(text)
        except ValueError:
            try:
                dt = datetime.datetime.strptime(text, "%Y%m%dT%H%M%S")
            except ValueError:
                return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return dt.astimezone(datetime.timezone.utc)


def format_time(dt):
    """ISO 8601 with milliseconds and Z, as ElastiCache sends timestamps."""
    dt = dt.astimezone(datetime.timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)


def json_time(dt):
    return format_time(dt)


# --------------------------------------------------------------------------
# Model-driven XML serialisation (Query protocol)
# --------------------------------------------------------------------------


# Members the service returns that Debian 12's botocore (1.29.27) does not
# know yet, added to its model as newer botocore models have them, so that
# fixtures can hold them and DescribeCacheClusters serves them.
NEWER_MEMBERS = {
    # CacheCluster.TransitEncryptionMode: "preferred" (TLS and plain text)
    # or "required" (botocore 1.43's model, last member of CacheCluster).
    "CacheCluster": {"TransitEncryptionMode": {"shape": "TransitEncryptionMode"}},
}
NEWER_SHAPES = {
    "TransitEncryptionMode": {"type": "string", "enum": ["preferred", "required"]},
}


class Model:
    def __init__(self):
        session = botocore.session.get_session()
        loader = session.get_component("data_loader")
        data = copy.deepcopy(loader.load_service_model(SERVICE, "service-2"))
        for name, shape in NEWER_SHAPES.items():
            data["shapes"].setdefault(name, shape)
        for shape, members in NEWER_MEMBERS.items():
            for member, ref in members.items():
                data["shapes"][shape]["members"].setdefault(member, ref)
        self.service = botocore.model.ServiceModel(data, service_name=SERVICE)

    def op(self, name):
        return self.service.operation_model(name)

    def shape(self, name):
        return self.service.shape_for(name)


def serialize_value(shape, value, name, out, indent):
    pad = "  " * indent
    tname = shape.type_name
    if tname == "structure":
        if not isinstance(value, dict):
            raise ValueError("%s: expected an object for %s" % (name, shape.name))
        inner = []
        for mname, mshape in shape.members.items():
            if mname not in value or value[mname] is None:
                continue
            serialize_member(mname, mshape, value[mname], inner, indent + 1)
        if inner:
            out.append("%s<%s>" % (pad, name))
            out.extend(inner)
            out.append("%s</%s>" % (pad, name))
        else:
            out.append("%s<%s/>" % (pad, name))
    elif tname == "list":
        if not isinstance(value, list):
            raise ValueError("%s: expected a list for %s" % (name, shape.name))
        item_name = shape.member.serialization.get("name", "member")
        if shape.serialization.get("flattened"):
            for item in value:
                serialize_value(shape.member, item, name, out, indent)
            return
        if not value:
            out.append("%s<%s/>" % (pad, name))
            return
        out.append("%s<%s>" % (pad, name))
        for item in value:
            serialize_value(shape.member, item, item_name, out, indent + 1)
        out.append("%s</%s>" % (pad, name))
    elif tname == "map":
        kname = shape.key.serialization.get("name", "key")
        vname = shape.value.serialization.get("name", "value")
        out.append("%s<%s>" % (pad, name))
        for k, v in value.items():
            out.append("%s  <entry>" % pad)
            serialize_value(shape.key, k, kname, out, indent + 2)
            serialize_value(shape.value, v, vname, out, indent + 2)
            out.append("%s  </entry>" % pad)
        out.append("%s</%s>" % (pad, name))
    else:
        if tname == "boolean":
            text = "true" if value is True or str(value).lower() == "true" else "false"
        elif tname == "timestamp":
            dt = parse_time(value)
            if dt is None:
                raise ValueError("%s: invalid timestamp %r" % (name, value))
            text = format_time(dt)
        elif tname in ("integer", "long"):
            text = str(int(value))
        elif tname in ("float", "double"):
            text = repr(float(value))
        else:
            text = str(value)
        out.append("%s<%s>%s</%s>" % (pad, name, xml_escape(text), name))


def check_value(shape, value, path, problems):
    """Fixture validation against the model: unknown members (typos) and
    wrong types are errors, so a fixture cannot silently lose data."""
    tname = shape.type_name
    if tname == "structure":
        if not isinstance(value, dict):
            problems.append("%s: expected an object (%s)" % (path, shape.name))
            return
        for k, v in value.items():
            if k.startswith("_"):
                continue
            if k not in shape.members:
                problems.append("%s: %s is not a member of %s" % (path, k, shape.name))
            elif v is not None:
                check_value(shape.members[k], v, "%s.%s" % (path, k), problems)
    elif tname == "list":
        if not isinstance(value, list):
            problems.append("%s: expected a list (%s)" % (path, shape.name))
            return
        for i, item in enumerate(value):
            check_value(shape.member, item, "%s[%d]" % (path, i), problems)
    elif tname == "map":
        if not isinstance(value, dict):
            problems.append("%s: expected an object (%s)" % (path, shape.name))
    elif tname == "boolean":
        if not isinstance(value, bool):
            problems.append("%s: expected true or false, got %r" % (path, value))
    elif tname in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append("%s: expected an integer, got %r" % (path, value))
    elif tname == "timestamp":
        if parse_time(value) is None:
            problems.append("%s: not a timestamp: %r" % (path, value))
    elif tname == "string":
        if not isinstance(value, str):
            problems.append("%s: expected a string, got %r" % (path, value))


def serialize_member(mname, mshape, value, out, indent):
    name = mshape.serialization.get("name", mname)
    serialize_value(mshape, value, name, out, indent)


def render_response(model, action, result, request_id):
    op = model.op(action)
    wrapper = op.output_shape.serialization.get("resultWrapper", action + "Result")
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    out.append('<%sResponse xmlns="%s">' % (action, XMLNS))
    serialize_value(op.output_shape, result, wrapper, out, 1)
    out.append("  <ResponseMetadata>")
    out.append("    <RequestId>%s</RequestId>" % request_id)
    out.append("  </ResponseMetadata>")
    out.append("</%sResponse>" % action)
    return ("\n".join(out) + "\n").encode("utf-8")


def render_error(code, message, request_id, sender=True):
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    out.append('<ErrorResponse xmlns="%s">' % XMLNS)
    out.append("  <Error>")
    out.append("    <Type>%s</Type>" % ("Sender" if sender else "Receiver"))
    out.append("    <Code>%s</Code>" % xml_escape(code))
    out.append("    <Message>%s</Message>" % xml_escape(message))
    out.append("  </Error>")
    out.append("  <RequestId>%s</RequestId>" % request_id)
    out.append("</ErrorResponse>")
    return ("\n".join(out) + "\n").encode("utf-8")


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


class ApiError(Exception):
    def __init__(self, status, code, message, sender=True):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.sender = sender


def check_tags(tags, where, problems):
    """A fixture resource's `_tags`: a list of {"Key": str, "Value": str}
    (Value may be left out: the model allows a tag without one)."""
    if tags is None:
        return
    if not isinstance(tags, list):
        problems.append("%s._tags must be a list of {Key, Value}" % where)
        return
    for i, t in enumerate(tags):
        if (not isinstance(t, dict) or set(t) - {"Key", "Value"} or not isinstance(t.get("Key"), str)
                or not isinstance(t.get("Value", ""), str)):
            problems.append("%s._tags[%d] must be {\"Key\": string, \"Value\": string}" % (where, i))


def invalid_value(message):
    return ApiError(400, "InvalidParameterValue", message)


# --------------------------------------------------------------------------
# Signature verification (botocore)
# --------------------------------------------------------------------------


class _VerifyingSigV4(SigV4Auth):
    """botocore's SigV4Auth, but signing exactly the headers the client
    listed in SignedHeaders (the server cannot guess them)."""

    def __init__(self, credentials, service, region, signed, received):
        super().__init__(credentials, service, region)
        self._signed = signed
        self._received = received

    def headers_to_sign(self, request):
        hm = HTTPHeaders()
        for name in self._signed:
            for value in self._received.get(name, []):
                hm[name] = value
        return hm


AUTH_RE = re.compile(r"^AWS4-HMAC-SHA256\s+(.*)$", re.S)


class Verifier:
    def __init__(self, identities, region, skew_seconds, service=SERVICE):
        self.identities = identities  # ak -> (sk, token or None[, expires])
        self.region = region
        self.skew = skew_seconds
        self.service = service

    def verify(self, method, url, headers, body):
        """headers: list of (name, value) as received.  Returns
        (access_key, None) on success or raises ApiError."""
        received = {}
        for name, value in headers:
            received.setdefault(name.lower(), []).append(value)
        query = urllib.parse.urlsplit(url).query
        qparams = urllib.parse.parse_qs(query, keep_blank_values=True)
        auth = received.get("authorization", [None])[0]
        if auth is None:
            if "X-Amz-Algorithm" in qparams or "X-Amz-Signature" in qparams:
                raise ApiError(
                    400,
                    "IncompleteSignature",
                    "Presigned query-string authentication is not supported by this endpoint simulator.",
                )
            raise ApiError(403, "MissingAuthenticationToken", "Request is missing Authentication Token")
        m = AUTH_RE.match(auth.strip())
        if not m:
            raise ApiError(
                400,
                "IncompleteSignature",
                "Authorization header requires the AWS4-HMAC-SHA256 algorithm. Authorization=%s" % auth,
            )
        parts = {}
        for item in m.group(1).split(","):
            k, sep, v = item.strip().partition("=")
            if sep:
                parts[k.strip()] = v.strip()
        missing = [k for k in ("Credential", "SignedHeaders", "Signature") if k not in parts]
        if missing:
            raise ApiError(
                400,
                "IncompleteSignature",
                " ".join("Authorization header requires '%s' parameter." % k for k in missing)
                + " Authorization=%s" % auth,
            )
        cred = parts["Credential"].split("/")
        if len(cred) != 5 or not all(cred):
            raise ApiError(
                400,
                "IncompleteSignature",
                "Credential must have exactly 5 slash-delimited elements, e.g. "
                "keyid/date/region/service/term, got '%s'" % parts["Credential"],
            )
        ak, sdate, sregion, sservice, term = cred
        signed = [h.strip().lower() for h in parts["SignedHeaders"].split(";") if h.strip()]
        signature = parts["Signature"]
        amz_date = received.get("x-amz-date", [None])[0]
        if amz_date is None:
            raise ApiError(
                400,
                "IncompleteSignature",
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                "Authorization=%s" % auth,
            )
        if "host" not in signed:
            raise ApiError(
                400,
                "IncompleteSignature",
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
            )
        ident = self.identities.get(ak)
        if ident is None:
            raise ApiError(403, "InvalidClientTokenId", INVALID_TOKEN_MESSAGE)
        secret, token = ident[0], ident[1]
        sent_token = received.get("x-amz-security-token", [None])[0]
        if token is not None or sent_token is not None:
            if sent_token is None or token is None or not hmac.compare_digest(
                sent_token.encode(), token.encode()
            ):
                raise ApiError(403, "InvalidClientTokenId", INVALID_TOKEN_MESSAGE)
        # Temporary credentials (credsim.py) stop working when they expire.
        if len(ident) > 2 and ident[2] is not None and utcnow() >= ident[2]:
            raise ApiError(403, "ExpiredToken", "The security token included in the request is expired")
        try:
            when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(
                tzinfo=datetime.timezone.utc
            )
        except ValueError:
            raise ApiError(
                400,
                "IncompleteSignature",
                "Date must be in ISO-8601 'basic format'. Got '%s'. See "
                "http://en.wikipedia.org/wiki/ISO_8601" % amz_date,
            )
        if term != "aws4_request":
            raise ApiError(
                403,
                "SignatureDoesNotMatch",
                "Credential should be scoped with a valid terminator: 'aws4_request', not '%s'." % term,
            )
        if sdate != amz_date[:8]:
            raise ApiError(
                403,
                "SignatureDoesNotMatch",
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                "from HTTP: '%s' != '%s', from '%s'." % (sdate, amz_date[:8], amz_date),
            )
        if sservice != self.service:
            raise ApiError(
                403,
                "SignatureDoesNotMatch",
                "Credential should be scoped to correct service: '%s'. " % self.service,
            )
        if sregion != self.region:
            raise ApiError(
                403,
                "SignatureDoesNotMatch",
                "Credential should be scoped to a valid region, not '%s'. " % sregion,
            )
        now = utcnow()
        if abs((now - when).total_seconds()) > self.skew:
            raise ApiError(
                400,
                "RequestExpired",
                "Request has expired. X-Amz-Date %s is more than %d seconds away from the server time %s."
                % (amz_date, self.skew, now.strftime("%Y%m%dT%H%M%SZ")),
            )
        sha_hdr = received.get("x-amz-content-sha256", [None])[0]
        if sha_hdr is not None and sha_hdr != "UNSIGNED-PAYLOAD":
            if sha_hdr != hashlib.sha256(body).hexdigest():
                raise ApiError(
                    400,
                    "XAmzContentSHA256Mismatch",
                    "The provided 'x-amz-content-sha256' header does not match what was computed.",
                )
        req = AWSRequest(method=method, url=url, data=body)
        for name, values in received.items():
            for v in values:
                req.headers[name] = v
        req.context["timestamp"] = amz_date
        creds = Credentials(ak, secret, token)
        auth_impl = _VerifyingSigV4(creds, self.service, self.region, signed, received)
        creq = auth_impl.canonical_request(req)
        sts = auth_impl.string_to_sign(req, creq)
        expected = auth_impl.signature(sts, req)
        if not hmac.compare_digest(expected.encode(), signature.encode()):
            raise ApiError(403, "SignatureDoesNotMatch", SIGNATURE_MISMATCH_MESSAGE)
        return ak


# --------------------------------------------------------------------------
# State
# --------------------------------------------------------------------------


def is_cluster_mode_enabled(cluster):
    sim = cluster.get("_sim") or {}
    if "cluster_mode" in sim:
        return str(sim["cluster_mode"]).lower() == "enabled"
    rg = cluster.get("ReplicationGroupId")
    if cluster.get("Engine") != "redis" or not rg:
        return False
    # Members of cluster-mode-enabled groups are named <rg>-<shard 4>-<node 3>.
    return re.fullmatch(re.escape(rg.lower()) + r"-\d{4}-\d{3}", cluster["CacheClusterId"].lower()) is not None


class State:
    def __init__(self, args, log, model=None):
        self.model = model
        self.lock = threading.RLock()
        self.log = log
        self.clusters = {}  # lowercase id -> cluster dict (AWS JSON shape)
        self.order = []  # lowercase ids in fixture order
        self.events = []  # dicts with Date as datetime
        self.reboot_seconds = float(args.reboot_seconds)
        self.consistency_lag = float(args.consistency_lag)
        self.node_hook = args.node_hook
        self.stale = {}  # lowercase id -> (visible_until_monotonic, snapshot)
        self.generation = 0  # bumps on seed so stale reboot threads stop
        self.faults = []
        self.requests = []
        self.seq = 0
        self.rg = rgsim.Groups(self, args, sys.modules[__name__])

    # -- seeding ---------------------------------------------------------
    def seed(self, fixture, checked=False):
        """Replace the state with a fixture's. `checked`: the clusters were
        made here from a template already checked against the model (a
        fleet), so they are neither checked one by one nor copied."""
        if not isinstance(fixture, dict):
            raise ValueError("fixture must be a JSON object")
        clusters = fixture.get("clusters", fixture.get("CacheClusters", []))
        events = fixture.get("events", fixture.get("Events", []))
        if not isinstance(clusters, list) or not isinstance(events, list):
            raise ValueError("clusters and events must be lists")
        new = {}
        order = []
        problems = []
        for i, c in enumerate(clusters):
            if not isinstance(c, dict) or not c.get("CacheClusterId"):
                raise ValueError("every cluster needs a CacheClusterId")
            if self.model is not None and not checked:
                check_value(self.model.shape("CacheCluster"), c, "clusters[%d](%s)" % (i, c["CacheClusterId"]), problems)
            if not checked:
                check_tags(c.get("_tags"), "clusters[%d](%s)" % (i, c["CacheClusterId"]), problems)
            for j, n in enumerate(c.get("CacheNodes") or []):
                if not isinstance(n, dict) or not n.get("CacheNodeId"):
                    problems.append("clusters[%d].CacheNodes[%d]: no CacheNodeId" % (i, j))
        if problems:
            raise ValueError("invalid fixture: " + "; ".join(problems[:10]))
        for c in clusters:
            if not checked:
                c = copy.deepcopy(c)
            cid = c["CacheClusterId"].lower()
            c["CacheClusterId"] = cid
            if cid in new:
                raise ValueError("duplicate cluster id %s" % cid)
            new[cid] = c
            order.append(cid)
        for i, e in enumerate(events):
            if not isinstance(e, dict):
                raise ValueError("events[%d] must be an object" % i)
            if self.model is not None:
                check_value(self.model.shape("Event"), {k: v for k, v in e.items() if k != "Date"}, "events[%d]" % i, problems)
        if problems:
            raise ValueError("invalid fixture: " + "; ".join(problems[:10]))
        groups, group_order = self.rg.load(fixture, new)
        now = utcnow()
        evs = []
        for e in events:
            e = copy.deepcopy(e)
            if "_age_seconds" in e:
                e["Date"] = now - datetime.timedelta(seconds=float(e.pop("_age_seconds")))
            else:
                d = parse_time(e.get("Date", now))
                if d is None:
                    raise ValueError("invalid event Date %r" % e.get("Date"))
                e["Date"] = d
            evs.append(e)
        with self.lock:
            self.clusters = new
            self.order = order
            self.events = evs
            self.stale = {}
            self.rg.commit(groups, group_order)
            self.generation += 1

    def snapshot(self):
        with self.lock:
            clusters = [copy.deepcopy(self.clusters[c]) for c in self.order]
            events = []
            for e in self.events:
                e2 = dict(e)
                e2["Date"] = json_time(e["Date"])
                events.append(e2)
            return {"clusters": clusters, "events": events, "replication_groups": self.rg.snapshot()}

    # -- fleets ------------------------------------------------------------
    FLEET_MAX_CLUSTERS = 100000
    FLEET_MAX_NODES = 40

    def seed_fleet(self, spec):
        """Replace the clusters by a fleet made here (POST /_sim/fleet):
        `clusters` memcached clusters `<prefix>-00001`.., `nodes` nodes
        each, node endpoints 127.0.0.1 on `ports` in turn (default 901,
        where nothing listens). One cluster is checked against the model;
        the others are copies of it with their ids, so 10,000 clusters
        cost well under a second. No events, no replication groups, unless
        `add` is "before" or "after": then the fleet joins the clusters,
        events and groups already there, listed before or after them (a
        group in a large region, its members at either end of the listing).
        Returns the number of nodes."""
        if not isinstance(spec, dict):
            raise ValueError("fleet: a JSON object {clusters, nodes, ports, prefix}")
        unknown = set(spec) - {"clusters", "nodes", "ports", "prefix", "add"}
        if unknown:
            raise ValueError("fleet: unknown members %s" % ", ".join(sorted(unknown)))
        n = spec.get("clusters", 100)
        k = spec.get("nodes", 1)
        ports = spec.get("ports", [901])
        prefix = spec.get("prefix", "fleet")
        if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= self.FLEET_MAX_CLUSTERS:
            raise ValueError("fleet: clusters must be an integer 0..%d" % self.FLEET_MAX_CLUSTERS)
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= self.FLEET_MAX_NODES:
            raise ValueError("fleet: nodes must be an integer 1..%d" % self.FLEET_MAX_NODES)
        if (not isinstance(ports, list) or not ports
                or not all(isinstance(p, int) and not isinstance(p, bool) and 0 < p < 65536 for p in ports)):
            raise ValueError("fleet: ports must be a non-empty list of TCP ports")
        if not isinstance(prefix, str) or not re.match(r"^[a-z][a-z0-9-]{0,30}$", prefix):
            raise ValueError("fleet: prefix must be a lowercase cluster id start")
        add = spec.get("add")
        if add not in (None, "before", "after"):
            raise ValueError('fleet: add must be "before" or "after"')
        created = "2023-01-10T09:15:42.512Z"
        seq = [0]

        def one(i):
            cid = "%s-%05d" % (prefix, i)
            nodes = []
            for j in range(1, k + 1):
                port = ports[seq[0] % len(ports)]
                seq[0] += 1
                nodes.append({
                    "CacheNodeId": "%04d" % j,
                    "CacheNodeStatus": "available",
                    "CacheNodeCreateTime": created,
                    "Endpoint": {"Address": "127.0.0.1", "Port": port},
                    "ParameterGroupStatus": "in-sync",
                    "CustomerAvailabilityZone": "us-east-1%s" % "abc"[(j - 1) % 3],
                })
            return {
                "CacheClusterId": cid,
                "ConfigurationEndpoint": {"Address": "127.0.0.1", "Port": ports[0]},
                "CacheNodeType": "cache.t3.micro",
                "Engine": "memcached",
                "EngineVersion": "1.6.17",
                "CacheClusterStatus": "available",
                "NumCacheNodes": k,
                "PreferredAvailabilityZone": "Multiple" if k > 1 else "us-east-1a",
                "CacheClusterCreateTime": created,
                "PreferredMaintenanceWindow": "sun:05:00-sun:06:00",
                "PendingModifiedValues": {},
                "CacheSecurityGroups": [],
                "CacheParameterGroup": {
                    "CacheParameterGroupName": "default.memcached1.6",
                    "ParameterApplyStatus": "in-sync",
                    "CacheNodeIdsToReboot": [],
                },
                "CacheSubnetGroupName": "sim-subnet-group",
                "CacheNodes": nodes,
                "AutoMinorVersionUpgrade": True,
                "SecurityGroups": [{"SecurityGroupId": "sg-0123456789abcdef0", "Status": "active"}],
                "AuthTokenEnabled": False,
                "TransitEncryptionEnabled": False,
                "AtRestEncryptionEnabled": False,
                "ARN": "arn:aws:elasticache:us-east-1:123456789012:cluster:%s" % cid,
                "NetworkType": "ipv4",
                "IpDiscovery": "ipv4",
            }

        clusters = [one(i) for i in range(1, n + 1)]
        if clusters and self.model is not None:
            problems = []
            check_value(self.model.shape("CacheCluster"), clusters[0], "fleet", problems)
            if problems:
                raise ValueError("fleet: " + "; ".join(problems[:10]))
        if add is None:
            self.seed({"clusters": clusters}, checked=True)
            return n * k
        with self.lock:
            ids = [c["CacheClusterId"] for c in clusters]
            clash = [cid for cid in ids if cid in self.clusters]
            if clash:
                raise ValueError("fleet: duplicate cluster id %s" % clash[0])
            self.clusters.update(zip(ids, clusters))
            self.order = ids + self.order if add == "before" else self.order + ids
        return n * k

    # -- helpers -----------------------------------------------------------
    def get(self, cid):
        c = self.clusters.get(cid.lower())
        if c is None:
            raise ApiError(404, "CacheClusterNotFound", "CacheCluster not found: %s" % cid.lower())
        return c

    def visible(self, cid):
        """The cluster as DescribeCacheClusters sees it (eventual consistency)."""
        st = self.stale.get(cid)
        if st is not None:
            until, snap = st
            if time.monotonic() < until:
                return snap
            del self.stale[cid]
        return self.clusters[cid]

    def add_event(self, source_id, source_type, message, when=None):
        self.events.append(
            {
                "SourceIdentifier": source_id,
                "SourceType": source_type,
                "Message": message,
                "Date": when or utcnow(),
            }
        )

    def set_pending(self, cid, nodes):
        c = self.get(cid)
        ids = {n["CacheNodeId"] for n in c.get("CacheNodes", [])}
        for n in nodes:
            if n not in ids:
                raise ValueError("cluster %s has no node %s" % (cid, n))
        pg = c.setdefault("CacheParameterGroup", {})
        lst = pg.setdefault("CacheNodeIdsToReboot", [])
        for n in nodes:
            if n not in lst:
                lst.append(n)
        lst.sort()
        for node in c.get("CacheNodes", []):
            if node["CacheNodeId"] in nodes:
                node["ParameterGroupStatus"] = "pending-reboot"
        if lst:
            pg["ParameterApplyStatus"] = "pending-reboot"

    def clear_pending(self, c, nodes):
        pg = c.get("CacheParameterGroup")
        if pg is not None:
            lst = [n for n in pg.get("CacheNodeIdsToReboot", []) if n not in nodes]
            if "CacheNodeIdsToReboot" in pg:
                pg["CacheNodeIdsToReboot"] = lst
            if not lst and pg.get("ParameterApplyStatus") == "pending-reboot":
                pg["ParameterApplyStatus"] = "in-sync"
        for node in c.get("CacheNodes", []):
            if node["CacheNodeId"] in nodes and node.get("ParameterGroupStatus") == "pending-reboot":
                node["ParameterGroupStatus"] = "in-sync"

    # -- actions -----------------------------------------------------------
    def reboot(self, params, dry=False):
        cid = params.get("CacheClusterId")
        if not cid:
            raise ApiError(400, "MissingParameter", "The request must contain the parameter CacheClusterId")
        if "CacheNodeIdsToReboot" not in params:
            raise ApiError(
                400, "MissingParameter", "The request must contain the parameter CacheNodeIdsToReboot"
            )
        nodes = params["CacheNodeIdsToReboot"]
        with self.lock:
            c = self.get(cid)
            if is_cluster_mode_enabled(c) or self.rg.cluster_mode_enabled(c):
                raise ApiError(
                    400,
                    "InvalidParameterCombination",
                    "Rebooting is not supported on Redis (cluster mode enabled) clusters. "
                    "Cluster %s is a member of the cluster-mode-enabled replication group %s."
                    % (c["CacheClusterId"], c.get("ReplicationGroupId", "")),
                )
            status = c.get("CacheClusterStatus")
            if status != "available":
                raise ApiError(
                    400,
                    "InvalidCacheClusterState",
                    "Cluster %s is not in available state (current state: %s)." % (c["CacheClusterId"], status),
                )
            if not nodes:
                raise invalid_value("The parameter CacheNodeIdsToReboot must contain at least one cache node ID.")
            known = [n["CacheNodeId"] for n in c.get("CacheNodes", [])]
            bad = [n for n in nodes if n not in known]
            if bad:
                raise invalid_value(
                    "Cache node ID(s) %s do not belong to cache cluster %s." % (", ".join(bad), c["CacheClusterId"])
                )
            if len(set(nodes)) != len(nodes):
                raise invalid_value("Duplicate cache node IDs in CacheNodeIdsToReboot.")
            if dry:
                out = copy.deepcopy(c)
                out["CacheClusterStatus"] = "rebooting cache cluster nodes"
                for node in out.get("CacheNodes", []):
                    if node["CacheNodeId"] in nodes:
                        node["CacheNodeStatus"] = "rebooting"
                return {"CacheCluster": out}
            if self.consistency_lag > 0:
                self.stale[c["CacheClusterId"]] = (time.monotonic() + self.consistency_lag, copy.deepcopy(c))
            c["CacheClusterStatus"] = "rebooting cache cluster nodes"
            targets = []
            for node in c.get("CacheNodes", []):
                if node["CacheNodeId"] in nodes:
                    node["CacheNodeStatus"] = "rebooting"
                    ep = node.get("Endpoint") or {}
                    targets.append((node["CacheNodeId"], ep.get("Address", ""), ep.get("Port", "")))
            out = copy.deepcopy(c)
            gen = self.generation
            t = threading.Thread(
                target=self._finish_reboot,
                args=(c["CacheClusterId"], targets, gen, time.monotonic() + self.reboot_seconds),
                daemon=True,
            )
        self.log("reboot %s nodes %s" % (cid, ",".join(nodes)))
        t.start()
        return {"CacheCluster": out}

    def _hook(self, what, cid, targets):
        if not self.node_hook:
            return
        for nid, addr, port in targets:
            cmd = "%s %s %s %s %s %s" % (
                self.node_hook,
                what,
                cid,
                nid,
                shlex_quote(str(addr)),
                shlex_quote(str(port)),
            )
            try:
                r = subprocess.run(cmd, shell=True, timeout=120, stdin=subprocess.DEVNULL)
                self.log("node-hook %s %s %s -> %d" % (what, cid, nid, r.returncode))
            except Exception as exc:  # keep the state machine going
                self.log("node-hook %s %s %s failed: %s" % (what, cid, nid, exc))

    def _finish_reboot(self, cid, targets, gen, deadline):
        self._hook("down", cid, targets)
        delay = deadline - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self._hook("up", cid, targets)
        self.rg.member_up(cid, [t[0] for t in targets])
        with self.lock:
            if gen != self.generation:
                return
            c = self.clusters.get(cid)
            if c is None:
                return
            ids = [t[0] for t in targets]
            now = utcnow()
            for node in c.get("CacheNodes", []):
                if node["CacheNodeId"] in ids and node.get("CacheNodeStatus") == "rebooting":
                    node["CacheNodeStatus"] = "available"
            self.clear_pending(c, ids)
            if c.get("CacheClusterStatus") == "rebooting cache cluster nodes" and not any(
                n.get("CacheNodeStatus") == "rebooting" for n in c.get("CacheNodes", [])
            ):
                c["CacheClusterStatus"] = "available"
            for nid in ids:
                self.add_event(cid, "cache-cluster", "Cache node %s restarted" % nid, now)
        self.log("reboot of %s finished" % cid)

    def describe_clusters(self, params):
        max_records = parse_max_records(params)
        show_nodes = params.get("ShowCacheNodeInfo", "false") == "true"
        not_in_rg = params.get("ShowCacheClustersNotInReplicationGroups", "false") == "true"
        cid = params.get("CacheClusterId")
        with self.lock:
            if cid:
                self.get(cid)
                ids = [cid.lower()]
            else:
                ids = list(self.order)
            if not_in_rg:
                ids = [i for i in ids if not self.clusters[i].get("ReplicationGroupId")]
            start = decode_marker(params.get("Marker"), "c")
            if start is not None:
                if start not in ids:
                    raise invalid_value("Invalid marker: %s" % params.get("Marker"))
                ids = ids[ids.index(start) + 1 :]
            page = ids[:max_records]
            more = len(ids) > max_records
            out = []
            for i in page:
                c = copy.deepcopy(self.visible(i))
                if not show_nodes:
                    c.pop("CacheNodes", None)
                out.append(c)
        result = {"CacheClusters": out}
        if more:
            result["Marker"] = encode_marker("c", page[-1])
        return result

    def list_tags(self, params):
        """ListTagsForResource for a cluster or a replication group, from
        the fixture's `_tags`. The resource is found by its ARN, as the
        service finds it: a well-formed ARN of a resource that does not
        exist is the resource's not-found fault; anything else is
        InvalidARN."""
        name = params.get("ResourceName", "")
        m = ARN_RE.match(name)
        if not m:
            raise ApiError(400, "InvalidARN", "The ARN %s is not valid." % name)
        kind, rid = m.group(1), m.group(2).lower()
        with self.lock:
            if kind == "cluster":
                c = self.clusters.get(rid)
                if c is None or c.get("ARN", name) != name:
                    raise ApiError(404, "CacheClusterNotFound", "CacheCluster not found: %s" % rid)
                tags = c.get("_tags") or []
            else:
                g = self.rg.groups.get(rid)
                if g is None or g.get("ARN", name) != name:
                    raise ApiError(404, "ReplicationGroupNotFoundFault", rgsim.MSG_NOT_FOUND % rid)
                tags = g.get("_tags") or []
            return {"TagList": copy.deepcopy(tags)}

    def describe_events(self, params):
        max_records = parse_max_records(params)
        now = utcnow()
        start = end = None
        if params.get("StartTime"):
            start = parse_time(params["StartTime"])
            if start is None:
                raise invalid_value("Invalid value for parameter StartTime: %s" % params["StartTime"])
        if params.get("EndTime"):
            end = parse_time(params["EndTime"])
            if end is None:
                raise invalid_value("Invalid value for parameter EndTime: %s" % params["EndTime"])
        duration = None
        if params.get("Duration"):
            try:
                duration = int(params["Duration"])
            except ValueError:
                raise invalid_value("Invalid value for parameter Duration: %s" % params["Duration"])
            if duration < 0 or duration > 20160:
                raise invalid_value("The parameter Duration must be between 0 and 20160 (14 days).")
        # As the ElastiCache CLI documents it: Duration counts back from now and is
        # ignored when StartTime or EndTime is given; EndTime alone means the hour
        # before it; StartTime alone means until now.
        if start is None and end is None:
            end = now
            start = now - datetime.timedelta(minutes=duration if duration is not None else 60)
        elif start is None:
            start = end - datetime.timedelta(minutes=60)
        elif end is None:
            end = now
        if start > end:
            raise invalid_value("The parameter StartTime must be before EndTime.")
        stype = params.get("SourceType")
        if stype and stype not in EVENT_SOURCE_TYPES:
            raise invalid_value("Invalid value for parameter SourceType: %s" % stype)
        sid = params.get("SourceIdentifier")
        with self.lock:
            idx = list(range(len(self.events)))
            sel = []
            for i in idx:
                e = self.events[i]
                if not (start <= e["Date"] <= end):
                    continue
                if stype and e.get("SourceType") != stype:
                    continue
                if sid and e.get("SourceIdentifier", "").lower() != sid.lower():
                    continue
                sel.append(i)
            # Newest first, as the ElastiCache console and API list them.
            sel.sort(key=lambda i: (self.events[i]["Date"], i), reverse=True)
            after = decode_marker(params.get("Marker"), "e")
            if after is not None:
                try:
                    pos = [str(i) for i in sel].index(after)
                    sel = sel[pos + 1 :]
                except ValueError:
                    raise invalid_value("Invalid marker: %s" % params.get("Marker"))
            page = sel[:max_records]
            more = len(sel) > max_records
            out = []
            for i in page:
                e = dict(self.events[i])
                out.append(e)
        result = {"Events": out}
        if more:
            result["Marker"] = encode_marker("e", str(page[-1]))
        return result


def shlex_quote(s):
    import shlex

    return shlex.quote(s)


def parse_max_records(params):
    if "MaxRecords" not in params or params["MaxRecords"] == "":
        return 100
    try:
        n = int(params["MaxRecords"])
    except ValueError:
        raise invalid_value("Invalid value for parameter MaxRecords: %s" % params["MaxRecords"])
    if n < 20 or n > 100:
        raise invalid_value("The parameter MaxRecords must be between 20 and 100.")
    return n


def encode_marker(kind, key):
    raw = json.dumps({"k": kind, "after": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_marker(marker, kind):
    if marker is None or marker == "":
        return None
    try:
        pad = "=" * (-len(marker) % 4)
        data = json.loads(base64.urlsafe_b64decode(marker + pad))
        if data.get("k") != kind or not isinstance(data.get("after"), str):
            raise ValueError
        return data["after"]
    except Exception:
        raise invalid_value("Invalid marker: %s" % marker)


# --------------------------------------------------------------------------
# Query parameter decoding
# --------------------------------------------------------------------------


def decode_params(action, pairs, model):
    """Flat form pairs -> dict of top-level members.  Lists become python
    lists (accepting the locationName or 'member' item names)."""
    flat = {}
    for k, v in pairs:
        flat[k] = v
    params = {}
    try:
        op = model.op(action)
    except Exception:
        return {k: v for k, v in flat.items() if k not in ("Action", "Version")}
    members = op.input_shape.members if op.input_shape else {}
    for mname, mshape in members.items():
        if mshape.type_name == "list":
            item = mshape.member.serialization.get("name", "member")
            items = {}
            present = mname in flat
            pat = re.compile(r"^%s\.(?:%s|member)\.(\d+)$" % (re.escape(mname), re.escape(item)))
            for k, v in flat.items():
                m = pat.match(k)
                if m:
                    items[int(m.group(1))] = v
                    present = True
            if present:
                params[mname] = [items[i] for i in sorted(items)]
        elif mname in flat:
            params[mname] = flat[mname]
    return params


# --------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ecsim"
    sys_version = ""

    def setup(self):
        # Every accepted TCP connection gets a number, logged with each API
        # request it carries: tests count the connections a client opened.
        super().setup()
        self.conn_id = self.server.sim.next_connection()

    def log_message(self, fmt, *args):  # quiet; the sim has its own log
        self.server.sim.log("%s %s" % (self.address_string(), fmt % args))

    # -- plumbing ----------------------------------------------------------
    def _read_body(self):
        n = self.headers.get("Content-Length")
        if n is None:
            return b""
        try:
            n = int(n)
        except ValueError:
            return b""
        return self.rfile.read(n) if n > 0 else b""

    def _send(self, status, body, ctype="text/xml", request_id=None, extra=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if request_id:
            self.send_header("x-amzn-RequestId", request_id)
        self.send_header("Date", self.date_time_string())
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def _json(self, status, obj):
        body = (json.dumps(obj, indent=1, default=str) + "\n").encode()
        self._send(status, body, "application/json")

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    def do_PUT(self):
        self._dispatch()

    def _dispatch(self):
        body = self._read_body()
        path = urllib.parse.urlsplit(self.path).path
        try:
            if path.startswith("/_sim/") or path == "/_sim":
                self._control(path, body)
            elif not self.server.sim.creds.dispatch(self, path, body):
                self._api(body)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.close_connection = True

    # -- the Query API -----------------------------------------------------
    def _api(self, body):
        sim = self.server.sim
        rid = str(uuid.uuid4())
        scheme = "https" if self.server.tls else "http"
        host = self.headers.get("Host", "127.0.0.1:%d" % self.server.server_address[1])
        url = "%s://%s%s" % (scheme, host, self.path)
        raw_headers = list(self.headers.items())
        pairs = []
        query = urllib.parse.urlsplit(self.path).query
        if query:
            pairs.extend(urllib.parse.parse_qsl(query, keep_blank_values=True))
        ctype = self.headers.get("Content-Type", "")
        if self.command == "POST" and body:
            if ctype.split(";")[0].strip().lower() in ("application/x-www-form-urlencoded", ""):
                try:
                    pairs.extend(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False))
                except UnicodeDecodeError:
                    pass
        flat = dict(pairs)
        action = flat.get("Action")
        entry = {
            "seq": None,
            "time": json_time(utcnow()),
            "action": action,
            "method": self.command,
            "path": self.path,
            "scheme": scheme,
            "params": {},
            "status": None,
            "error_code": None,
            "signature": None,
            "access_key": None,
            "request_id": rid,
            "fault": None,
            "applied": False,
            "headers": masked_headers(raw_headers),
            "connection": self.conn_id,
        }
        if action in sim.all_actions:
            # Decoded before verification so that rejected requests show what was sent.
            entry["params"] = decode_params(action, pairs, sim.model)
        result = None
        status = 200
        err = None
        try:
            try:
                entry["access_key"] = sim.verifier.verify(self.command, url, raw_headers, body)
                entry["signature"] = "ok"
            except ApiError as e:
                entry["signature"] = e.code
                raise
            if self.command not in ("GET", "POST"):
                raise ApiError(405, "MethodNotAllowed", "Method %s is not allowed." % self.command)
            if not action:
                raise ApiError(400, "MissingAction", "Could not find operation for version %s" % flat.get("Version", ""))
            version = flat.get("Version")
            if not version:
                raise ApiError(400, "MissingParameter", "The request must contain the parameter Version")
            if version != API_VERSION or action not in sim.all_actions:
                raise ApiError(400, "InvalidAction", "Could not find operation %s for version %s" % (action, version))
            params = decode_params(action, pairs, sim.model)
            entry["params"] = params
            if action not in ACTIONS:
                raise ApiError(
                    400, "InvalidAction", "The action %s is not implemented by the ElastiCache simulator." % action
                )
        except ApiError as e:
            err = e
        fault = None
        if err is None:
            fault = sim.take_fault(action)
            entry["fault"] = fault and fault["kind"]
        # Logged on arrival (seq is arrival order); the outcome is filled in below.
        sim.record(entry)
        if fault and not fault.get("after_processing"):
            kind = fault["kind"]
            if kind == "delay":
                time.sleep(float(fault.get("seconds", 1)))
                fault = None
            elif kind in ("throttle", "error", "reset"):
                pass
            else:  # truncate / malformed / html / empty: an answer without a state change
                try:
                    result = sim.run_action(action, params, dry=True)
                except ApiError as e:
                    err = e
        blocked = fault and not fault.get("after_processing") and fault["kind"] in ("throttle", "error", "reset")
        if err is None and result is None and not blocked:
            try:
                result = sim.run_action(action, params, dry=False)
                # The action took effect, whatever answer the client gets.
                sim.update(entry, applied=True)
            except ApiError as e:
                err = e
        if fault and fault.get("after_processing") and fault["kind"] == "delay":
            time.sleep(float(fault.get("seconds", 1)))
            fault = None
        # Build the answer.
        if fault and fault["kind"] == "throttle":
            err = ApiError(400, "Throttling", "Rate exceeded")
        elif fault and fault["kind"] == "error":
            status_code = int(fault.get("status", 503))
            code = fault.get("code") or ("ServiceUnavailable" if status_code == 503 else "InternalFailure")
            err = ApiError(status_code, code, fault.get("message") or default_message(code), sender=status_code < 500)
        if fault and fault["kind"] == "reset":
            sim.update(entry, status="reset", error_code=err.code if err else None)
            self._reset()
            return
        if err is not None:
            status = err.status
            payload = render_error(err.code, err.message, rid, err.sender)
        else:
            payload = render_response(sim.model, action, strip_private(result), rid)
        sim.update(entry, status=status, error_code=err.code if err else None)
        if fault and fault["kind"] == "truncate":
            sim.update(entry, status="truncated")
            self.send_response(status)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("x-amzn-RequestId", rid)
            self.end_headers()
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if fault and fault["kind"] == "malformed":
            sim.update(entry, status=200)
            broken = payload[: len(payload) * 2 // 3] + b"<<</ broken &&& xml"
            self._send(200, broken, "text/xml", rid)
            return
        if fault and fault["kind"] in ("html", "empty"):
            # A 200 whose body is no answer: a proxy's page, or nothing.
            sim.update(entry, status=200)
            body = HTML_200 if fault["kind"] == "html" else b""
            self._send(200, body, "text/html" if body else "text/xml", rid)
            return
        self._send(status, payload, "text/xml", rid)

    def _reset(self):
        self.close_connection = True
        sock = self.connection
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        try:
            self.rfile.close()
            self.wfile.close()
        except Exception:
            pass
        try:
            if isinstance(sock, ssl.SSLSocket):
                # Close the TCP socket under the TLS layer without a close_notify.
                raw = socket.socket(fileno=sock.detach())
                raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                raw.close()
            else:
                sock.close()
        except OSError:
            pass

    # -- control API ---------------------------------------------------------
    def _control(self, path, body):
        sim = self.server.sim
        try:
            data = json.loads(body) if body.strip() else None
        except ValueError as e:
            self._json(400, {"error": "invalid JSON: %s" % e})
            return
        m = self.command
        parts = [urllib.parse.unquote(p) for p in path.split("/")[2:] if p != ""]
        qs = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        try:
            if parts[:1] == ["creds"] and sim.creds.control(self, parts[1:], m, data):
                pass
            elif parts[:1] == ["replication-groups"] and sim.state.rg.control(self, parts[1:], m, data):
                pass
            elif parts == ["state"] and m == "GET":
                self._json(200, sim.state.snapshot())
            elif parts == ["reset"] and m == "POST":
                sim.reset()
                self._json(200, {"ok": True, "clusters": len(sim.state.order)})
            elif parts == ["seed"] and m == "POST":
                sim.state.seed(data or {})
                self._json(200, {"ok": True, "clusters": len(sim.state.order)})
            elif parts == ["fleet"] and m == "POST":
                n = sim.state.seed_fleet(data or {})
                self._json(200, {"ok": True, "clusters": len(sim.state.order), "nodes": n})
            elif parts == ["connections"] and m == "GET":
                self._json(200, {"accepted": sim.connections})
            elif parts == ["config"] and m == "GET":
                self._json(200, sim.config())
            elif parts == ["config"] and m == "POST":
                sim.set_config(data or {})
                self._json(200, sim.config())
            elif parts == ["fault"] and m == "POST":
                f = sim.add_fault(data or {})
                self._json(200, {"ok": True, "fault": f})
            elif parts == ["fault"] and m == "GET":
                with sim.state.lock:
                    self._json(200, list(sim.state.faults))
            elif parts == ["fault"] and m == "DELETE":
                with sim.state.lock:
                    sim.state.faults = []
                self._json(200, {"ok": True})
            elif parts == ["requests"] and m == "GET":
                with sim.state.lock:
                    reqs = list(sim.state.requests)
                if "action" in qs:
                    reqs = [r for r in reqs if r["action"] == qs["action"][0]]
                self._json(200, reqs)
            elif parts == ["requests"] and m == "DELETE":
                with sim.state.lock:
                    sim.state.requests = []
                self._json(200, {"ok": True})
            elif parts == ["count"] and m == "GET":
                action = qs.get("action", [None])[0]
                with sim.state.lock:
                    n = sum(1 for r in sim.state.requests if action in (None, "*", r["action"]))
                self._send(200, ("%d\n" % n).encode(), "text/plain")
            elif parts == ["events"] and m == "POST":
                evs = data if isinstance(data, list) else [data]
                with sim.state.lock:
                    for e in evs:
                        when = utcnow()
                        if "_age_seconds" in e:
                            when = when - datetime.timedelta(seconds=float(e["_age_seconds"]))
                        elif e.get("Date"):
                            when = parse_time(e["Date"])
                            if when is None:
                                raise ValueError("invalid Date %r" % e["Date"])
                        sim.state.add_event(
                            e["SourceIdentifier"], e.get("SourceType", "cache-cluster"), e["Message"], when
                        )
                self._json(200, {"ok": True})
            elif len(parts) == 3 and parts[0] == "clusters" and parts[2] == "state" and m == "POST":
                with sim.state.lock:
                    c = sim.state.clusters.get(parts[1].lower())
                    if c is None:
                        self._json(404, {"error": "no cluster %s" % parts[1]})
                        return
                    if "status" in (data or {}):
                        c["CacheClusterStatus"] = data["status"]
                    nodes = {n["CacheNodeId"]: n for n in c.get("CacheNodes", [])}
                    for nid, st in ((data or {}).get("nodes") or {}).items():
                        if nid not in nodes:
                            self._json(400, {"error": "cluster %s has no node %s" % (parts[1], nid)})
                            return
                        nodes[nid]["CacheNodeStatus"] = st
                    sim.state.stale.pop(c["CacheClusterId"], None)
                    self._json(200, c)
            elif len(parts) == 3 and parts[0] == "clusters" and parts[2] == "pending-reboot" and m == "POST":
                with sim.state.lock:
                    try:
                        sim.state.set_pending(parts[1], (data or {}).get("nodes") or [])
                    except ApiError as e:
                        self._json(404, {"error": e.message})
                        return
                    self._json(200, sim.state.clusters[parts[1].lower()])
            elif len(parts) == 2 and parts[0] == "clusters" and m == "GET":
                with sim.state.lock:
                    c = sim.state.clusters.get(parts[1].lower())
                    if c is None:
                        self._json(404, {"error": "no cluster %s" % parts[1]})
                    else:
                        self._json(200, c)
            else:
                self._json(404, {"error": "no such control endpoint: %s %s" % (m, path)})
        except (ValueError, KeyError, TypeError) as e:
            self._json(400, {"error": str(e)})


def default_message(code):
    return {
        "ServiceUnavailable": "Service Unavailable",
        "InternalFailure": "An internal error has occurred",
        "Throttling": "Rate exceeded",
    }.get(code, code)


def masked_headers(raw):
    out = {}
    for k, v in raw:
        if k.lower() == "x-amz-security-token":
            v = "****"
        if k in out:
            out[k] = out[k] + ", " + v
        else:
            out[k] = v
    return out


def strip_private(obj):
    if isinstance(obj, dict):
        return {k: strip_private(v) for k, v in obj.items() if not k.startswith("_")}
    if isinstance(obj, list):
        return [strip_private(v) for v in obj]
    return obj


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, addr, sim, tls_ctx=None):
        super().__init__(addr, Handler)
        self.sim = sim
        self.tls = tls_ctx is not None
        self.tls_ctx = tls_ctx

    def finish_request(self, request, client_address):
        if self.tls_ctx is not None:
            try:
                request.settimeout(30)
                request = self.tls_ctx.wrap_socket(request, server_side=True)
                request.settimeout(None)
            except (ssl.SSLError, OSError) as e:
                self.sim.log("TLS handshake from %s failed: %s" % (client_address[0], e))
                return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, ssl.SSLError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


# --------------------------------------------------------------------------
# The simulator
# --------------------------------------------------------------------------


class Sim:
    def __init__(self, args):
        self.args = args
        self.logfh = open(args.log_file, "a", buffering=1) if args.log_file else None
        self.model = Model()
        self.all_actions = set(self.model.service.operation_names)
        idents = {}
        for spec in args.identity or ["%s:%s" % (DEFAULT_AK, DEFAULT_SK)]:
            parts = spec.split(":", 2)
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise SystemExit("ecsim: --identity must be AK:SK[:TOKEN], got %r" % spec)
            idents[parts[0]] = (parts[1], parts[2] if len(parts) == 3 and parts[2] else None)
        self.creds = credsim.CredSim(self, args, idents)
        self.verifier = Verifier(self.creds.identities, args.region, args.clock_skew)
        self.sts_verifier = Verifier(self.creds.identities, args.region, args.clock_skew, "sts")
        self.state = State(args, self.log, self.model)
        self.conn_lock = threading.Lock()
        self.connections = 0  # TCP connections accepted (both servers)

    def next_connection(self):
        with self.conn_lock:
            self.connections += 1
            return self.connections

    def log(self, msg):
        if self.logfh:
            self.logfh.write("%s %s\n" % (json_time(utcnow()), msg))

    def record(self, entry):
        with self.state.lock:
            self.state.seq += 1
            entry["seq"] = self.state.seq
            self.state.requests.append(entry)

    def reset(self):
        """Back to the state right after start: the startup fixture and
        options, no faults, an empty request log."""
        self.state.seed(self.fixture)
        self.creds.reset()
        with self.state.lock:
            self.state.reboot_seconds = float(self.args.reboot_seconds)
            self.state.consistency_lag = float(self.args.consistency_lag)
            self.state.node_hook = self.args.node_hook
            self.state.rg.reset_config()
            self.state.faults = []
            self.state.requests = []
            self.state.seq = 0

    def update(self, entry, **kw):
        with self.state.lock:
            entry.update(kw)
        if self.logfh and "status" in kw:
            self.logfh.write(json.dumps(entry, default=str) + "\n")

    def config(self):
        with self.state.lock:
            return {
                "reboot_seconds": self.state.reboot_seconds,
                "consistency_lag": self.state.consistency_lag,
                "region": self.args.region,
                "node_hook": self.state.node_hook,
                **self.state.rg.config(),
            }

    def set_config(self, data):
        with self.state.lock:
            if "reboot_seconds" in data:
                v = float(data["reboot_seconds"])
                if v < 0:
                    raise ValueError("reboot_seconds must be >= 0")
                self.state.reboot_seconds = v
            if "consistency_lag" in data:
                v = float(data["consistency_lag"])
                if v < 0:
                    raise ValueError("consistency_lag must be >= 0")
                self.state.consistency_lag = v
            if "node_hook" in data:
                self.state.node_hook = data["node_hook"] or None
            self.state.rg.set_config(data)

    def add_fault(self, data):
        kind = data.get("kind")
        if kind not in ("throttle", "error", "delay", "reset", "truncate", "malformed", "html", "empty"):
            raise ValueError("fault kind must be throttle|error|delay|reset|truncate|malformed|html|empty")
        action = data.get("action", "*")
        if action != "*" and action not in ACTIONS:
            raise ValueError("fault action must be one of %s or *" % ", ".join(ACTIONS))
        f = {
            "action": action,
            "kind": kind,
            "count": int(data.get("count", 1)),
            "status": int(data.get("status", 503)),
            "code": data.get("code"),
            "message": data.get("message"),
            "seconds": float(data.get("seconds", 1)),
            "after_processing": bool(data.get("after_processing", False)),
            "skip": int(data.get("skip", 0)),
        }
        if f["skip"] < 0:
            raise ValueError("fault skip must be 0 or more")
        with self.state.lock:
            self.state.faults.append(f)
        return f

    def take_fault(self, action):
        with self.state.lock:
            for f in self.state.faults:
                if f["action"] in ("*", action) and f["count"] != 0:
                    if f["skip"] > 0:
                        # Not yet: this request passes; a later fault may still match it.
                        f["skip"] -= 1
                        continue
                    if f["count"] > 0:
                        f["count"] -= 1
                    return dict(f)
        return None

    def run_action(self, action, params, dry):
        if action == "RebootCacheCluster":
            return self.state.reboot(params, dry=dry)
        if action == "DescribeCacheClusters":
            return self.state.describe_clusters(params)
        if action == "DescribeEvents":
            return self.state.describe_events(params)
        if action == "DescribeReplicationGroups":
            return self.state.rg.describe(params)
        if action == "ModifyReplicationGroup":
            return self.state.rg.modify(params, dry=dry)
        if action == "ListTagsForResource":
            return self.state.list_tags(params)
        raise ApiError(400, "InvalidAction", "Could not find operation %s for version %s" % (action, API_VERSION))


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def make_tls(tmpdir):
    """A throwaway CA and a server certificate for 127.0.0.1 and localhost."""
    ca_key = os.path.join(tmpdir, "ca.key")
    ca_pem = os.path.join(tmpdir, "ca.pem")
    key = os.path.join(tmpdir, "server.key")
    csr = os.path.join(tmpdir, "server.csr")
    crt = os.path.join(tmpdir, "server.pem")
    ext = os.path.join(tmpdir, "server.ext")

    def run(*cmd):
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", ca_key, "-out", ca_pem,
        "-days", "2", "-subj", "/CN=ecsim throwaway test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1")
    with open(ext, "w") as fh:
        fh.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                 "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    run("openssl", "x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key, "-CAcreateserial",
        "-out", crt, "-days", "2", "-extfile", ext)
    os.unlink(ca_key)  # nobody needs to sign anything else with it
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(crt, key)
    return ctx, ca_pem


def main(argv=None):
    p = argparse.ArgumentParser(description="Local Amazon ElastiCache Query API simulator for tests.")
    p.add_argument("--ready-file", required=True, help="JSON with the URLs, CA path and pid is written here when ready")
    p.add_argument("--fixture", default=DEFAULT_FIXTURE, help="JSON fixture (default: fixtures/default.json)")
    p.add_argument("--port", type=int, default=0, help="HTTP port on 127.0.0.1 (0: pick a free one)")
    p.add_argument("--tls-port", type=int, default=0, help="HTTPS port on 127.0.0.1 (0: pick a free one)")
    p.add_argument("--identity", action="append", metavar="AK:SK[:TOKEN]",
                   help="accepted credentials (repeatable; default the AWS test credentials)")
    p.add_argument("--region", default="us-east-1", help="the region signatures must be scoped to")
    p.add_argument("--reboot-seconds", type=float, default=2.0, help="how long a node reboot takes")
    p.add_argument("--consistency-lag", type=float, default=0.0,
                   help="seconds DescribeCacheClusters keeps showing the pre-reboot state")
    p.add_argument("--node-hook", help="run 'CMD down|up CLUSTER NODE ADDRESS PORT' around each node reboot")
    p.add_argument("--log-file", help="append the request log (JSON lines) and sim messages here")
    p.add_argument("--clock-skew", type=float, default=300.0,
                   help="allowed X-Amz-Date distance from the server clock in seconds (default 300)")
    p.add_argument("--watch-pid", type=int, default=0,
                   help="exit when this process is gone (sim.bash passes the starting shell)")
    credsim.add_arguments(p)
    rgsim.add_arguments(p)
    args = p.parse_args(argv)

    sim = Sim(args)
    with open(args.fixture) as fh:
        sim.fixture = json.load(fh)
    sim.state.seed(sim.fixture)

    tmpdir = tempfile.mkdtemp(prefix="ecsim-")
    servers = []
    try:
        tls_ctx, ca_pem = make_tls(tmpdir)
        http_srv = Server(("127.0.0.1", args.port), sim)
        https_srv = Server(("127.0.0.1", args.tls_port), sim, tls_ctx)
        servers = [http_srv, https_srv]
        stop = threading.Event()

        def on_signal(signum, frame):
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        threads = []
        for s in servers:
            t = threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
            t.start()
            threads.append(t)
        ready = {
            "http": "http://127.0.0.1:%d" % http_srv.server_address[1],
            "https": "https://127.0.0.1:%d" % https_srv.server_address[1],
            "ca": ca_pem,
            "pid": os.getpid(),
        }
        tmp_ready = args.ready_file + ".tmp"
        with open(tmp_ready, "w") as fh:
            json.dump(ready, fh)
            fh.write("\n")
        os.rename(tmp_ready, args.ready_file)
        sim.log("ready %s" % json.dumps(ready))
        while not stop.wait(0.5):
            if args.watch_pid and not pid_alive(args.watch_pid):
                sim.log("watched pid %d is gone" % args.watch_pid)
                break
        sim.log("stopping")
    finally:
        for s in servers:
            s.shutdown()
            s.server_close()
        shutil.rmtree(tmpdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
