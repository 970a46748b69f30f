#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""simclient: send one hand-made, botocore-signed Query API request.

For tests that need requests the AWS CLI will not make: a chosen signing
time, a wrong region or service in the scope, a session token that differs
from the signed one, no Authorization at all, a GET with a query string.

    /usr/bin/python3 tests/sim/simclient.py --url URL --action DescribeCacheClusters \
        [--param K=V]... [--method POST|GET] [--access-key AK] [--secret-key SK]
        [--token T] [--send-token T] [--region R] [--service S] [--date YYYYMMDDTHHMMSSZ]
        [--date-offset SECONDS] [--no-auth] [--authorization VALUE] [--ca FILE]
        [--version V]

Prints {"status": N, "headers": {...}, "body": "..."} as JSON on stdout.
Exit status 0 whenever an HTTP answer was received.
"""

import argparse
import datetime
import http.client
import json
import ssl
import sys
import urllib.parse

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--action")
    p.add_argument("--version", default="2015-02-02")
    p.add_argument("--param", action="append", default=[], metavar="K=V")
    p.add_argument("--method", default="POST")
    p.add_argument("--access-key", default="AKIDEXAMPLE")
    p.add_argument("--secret-key", default="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    p.add_argument("--token", help="session token, sent and signed")
    p.add_argument("--send-token", help="send this X-Amz-Security-Token after signing (replaces the signed one)")
    p.add_argument("--region", default="us-east-1")
    p.add_argument("--service", default="elasticache")
    p.add_argument("--date", help="signing time YYYYMMDDTHHMMSSZ (default now)")
    p.add_argument("--date-offset", type=float, default=0.0, help="add this many seconds to the signing time")
    p.add_argument("--no-auth", action="store_true", help="send no Authorization header")
    p.add_argument("--authorization", help="send this Authorization header instead of the computed one")
    p.add_argument("--ca", help="CA bundle for https")
    a = p.parse_args()

    fields = []
    if a.action is not None:
        fields.append(("Action", a.action))
    if a.version:
        fields.append(("Version", a.version))
    for kv in a.param:
        k, _, v = kv.partition("=")
        fields.append((k, v))
    encoded = urllib.parse.urlencode(fields)
    url = a.url.rstrip("/") + "/"
    body = b""
    if a.method.upper() == "GET":
        url = url + "?" + encoded
    else:
        body = encoded.encode()

    if a.date:
        when = datetime.datetime.strptime(a.date, "%Y%m%dT%H%M%SZ")
    else:
        when = datetime.datetime.utcnow()
    when = when + datetime.timedelta(seconds=a.date_offset)
    stamp = when.strftime("%Y%m%dT%H%M%SZ")

    req = AWSRequest(method=a.method.upper(), url=url, data=body)
    if body:
        req.headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
    parts = urllib.parse.urlsplit(url)
    req.headers["Host"] = parts.netloc
    req.headers["X-Amz-Date"] = stamp
    if a.token:
        req.headers["X-Amz-Security-Token"] = a.token
    req.context["timestamp"] = stamp
    signer = SigV4Auth(Credentials(a.access_key, a.secret_key, a.token), a.service, a.region)
    creq = signer.canonical_request(req)
    sts = signer.string_to_sign(req, creq)
    sig = signer.signature(sts, req)
    hts = signer.headers_to_sign(req)
    auth = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        a.access_key,
        signer.credential_scope(req),
        signer.signed_headers(hts),
        sig,
    )
    if a.authorization is not None:
        auth = a.authorization
    if a.send_token is not None:
        del req.headers["X-Amz-Security-Token"]
        if a.send_token:
            req.headers["X-Amz-Security-Token"] = a.send_token

    headers = {k: v for k, v in req.headers.items() if k.lower() != "host"}
    if not a.no_auth:
        headers["Authorization"] = auth
    if parts.scheme == "https":
        ctx = ssl.create_default_context(cafile=a.ca)
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, context=ctx, timeout=30)
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    path = parts.path + ("?" + parts.query if parts.query else "")
    conn.putrequest(a.method.upper(), path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", parts.netloc)
    for k, v in headers.items():
        conn.putheader(k, v)
    conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body)
    resp = conn.getresponse()
    out = {
        "status": resp.status,
        "headers": {k.lower(): v for k, v in resp.getheaders()},
        "body": resp.read().decode("utf-8", "replace"),
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
