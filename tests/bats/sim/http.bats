#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Simulator HTTP plumbing that the library's libcurl transport relies on:
# keep-alive across requests (also after errors), Expect: 100-continue,
# HTTP and HTTPS on 127.0.0.1 only.

load ../../lib/common

setup_file() {
    sim_start
}

teardown_file() {
    sim_stop
}

setup() {
    sim_reset
}

@test "several signed requests on one kept-alive connection, errors included" {
    run /usr/bin/python3 - "$SIM_URL" <<'EOF2'
import http.client, sys, urllib.parse
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
url = sys.argv[1] + "/"
p = urllib.parse.urlsplit(url)
conn = http.client.HTTPConnection(p.hostname, p.port)
creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
socks = set()
out = []
for body in ["Action=DescribeCacheClusters&Version=2015-02-02&CacheClusterId=demo-redis",
             "Action=DescribeCacheClusters&Version=2015-02-02&CacheClusterId=missing",
             "Action=DescribeEvents&Version=2015-02-02"]:
    req = AWSRequest(method="POST", url=url, data=body.encode(),
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(creds, "elasticache", "us-east-1").add_auth(req)
    conn.request("POST", "/", body=body.encode(), headers=dict(req.headers.items()))
    r = conn.getresponse()
    r.read()
    socks.add(id(conn.sock))
    out.append(str(r.status))
print(" ".join(out), len(socks))
EOF2
    [ "$output" = "200 404 200 1" ]
}

@test "curl's Expect: 100-continue is answered" {
    # An unsigned request is enough to see the 100 Continue and a complete answer.
    body=$(printf 'Action=DescribeCacheClusters&Version=2015-02-02&Pad=%02000d' 0)
    run curl -sS -v -H 'Expect: 100-continue' --data-binary "$body" -o /dev/null -w '%{http_code}' "$SIM_URL/"
    [[ $output == *"HTTP/1.1 100 Continue"* ]]
    [[ $output == *403 ]]
}

@test "both listeners are bound to 127.0.0.1 only" {
    [[ $SIM_URL == http://127.0.0.1:* ]]
    [[ $SIM_HTTPS_URL == https://127.0.0.1:* ]]
    # A socket bound to 127.0.0.1 refuses connections to another loopback address.
    for port in "${SIM_URL##*:}" "${SIM_HTTPS_URL##*:}"; do
        run /usr/bin/python3 -c 'import socket,sys; socket.create_connection(("127.0.0.2", int(sys.argv[1])), 2)' "$port"
        [ "$status" -ne 0 ]
        [[ $output == *ConnectionRefusedError* ]]
    done
}

@test "the ready file names a CA that verifies the HTTPS certificate for 127.0.0.1" {
    run curl -sS --cacert "$SIM_CA" "$SIM_HTTPS_URL/_sim/config"
    [ "$status" -eq 0 ]
    [[ $output == *reboot_seconds* ]]
    run openssl x509 -in "$SIM_CA" -noout -subject
    [[ $output == *"ecsim throwaway test CA"* ]]
    # the CA's private key is gone
    [ ! -e "$(dirname "$SIM_CA")/ca.key" ]
}
