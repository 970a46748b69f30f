#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Simulator fidelity: SigV4 verification answers as AWS does.
# Requests are made by the AWS CLI v2, by boto3 and by tests/sim/simclient.py
# (botocore-signed requests with chosen flaws).

load ../../lib/common

DATA=$EC_REPO/tests/data/sim
TOKEN='FwoGZXIvYXdzEXAMPLESESSIONTOKEN//////////wEaDEXAMPLE+token/value=='

setup_file() {
    sim_start --identity "AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" \
        --identity "ASIATESTTOKEN:tokensecretkeyEXAMPLE:$TOKEN"
    export FILE_SIM_PID=$SIM_PID
}

teardown_file() {
    sim_stop
}

setup() {
    sim_reset
}

# A test that needs other options starts its own sim (own_sim ARGS); it
# replaces SIM_* in that test only and is stopped here.
teardown() {
    if [[ ${SIM_PID:-} != "$FILE_SIM_PID" ]]; then
        sim_stop
    fi
}

own_sim() {
    if [[ ${SIM_PID:-} != "$FILE_SIM_PID" ]]; then
        sim_stop
    fi
    sim_start "$@"
}

client() {
    /usr/bin/python3 "$EC_REPO/tests/sim/simclient.py" --url "$SIM_URL" "$@"
}

# "STATUS CODE" of a simclient answer (CODE "-" on success)
verdict() {
    /usr/bin/python3 -c '
import json, re, sys
d = json.load(sys.stdin)
m = re.search(r"<Code>([^<]*)</Code>", d["body"])
print(d["status"], m.group(1) if m else "-")'
}

last_signature_verdict() {
    sim_ctl GET /_sim/requests | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["signature"])'
}

@test "a correctly signed request is accepted and logged with signature ok" {
    run sim_aws describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    [ "$(last_signature_verdict)" = ok ]
}

@test "wrong secret key: 403 SignatureDoesNotMatch with AWS's message, exit 254" {
    AWS_SECRET_ACCESS_KEY=not-the-right-secret run sim_aws describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 254 ]
    [[ $output == *"An error occurred (SignatureDoesNotMatch) when calling the DescribeCacheClusters operation: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."* ]]
    [ "$(last_signature_verdict)" = SignatureDoesNotMatch ]
    run client --secret-key wrong --action DescribeCacheClusters
    [ "$(verdict <<<"$output")" = "403 SignatureDoesNotMatch" ]
}

@test "a rejected reboot changes nothing" {
    AWS_SECRET_ACCESS_KEY=wrong run sim_aws reboot-cache-cluster --cache-cluster-id demo-redis --cache-node-ids-to-reboot 0001
    [ "$status" -eq 254 ]
    [ "$(sim_cluster_status demo-redis)" = available ]
}

@test "unknown access key: 403 InvalidClientTokenId" {
    AWS_ACCESS_KEY_ID=AKIDUNKNOWN run sim_aws describe-cache-clusters
    [ "$status" -eq 254 ]
    [[ $output == *"(InvalidClientTokenId) when calling the DescribeCacheClusters operation: The security token included in the request is invalid."* ]]
}

@test "no Authorization header: 403 MissingAuthenticationToken" {
    run client --no-auth --action DescribeCacheClusters
    [ "$(verdict <<<"$output")" = "403 MissingAuthenticationToken" ]
    run curl -s -o /dev/null -w '%{http_code}' -d 'Action=DescribeCacheClusters&Version=2015-02-02' "$SIM_URL/"
    [ "$output" = 403 ]
}

@test "malformed Authorization header: IncompleteSignature" {
    run client --authorization 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/elasticache/aws4_request' --action DescribeCacheClusters
    [ "$(verdict <<<"$output")" = "400 IncompleteSignature" ]
    [[ $output == *"Authorization header requires 'SignedHeaders' parameter."* ]]
    run client --authorization 'Bearer abc' --action DescribeCacheClusters
    [ "$(verdict <<<"$output")" = "400 IncompleteSignature" ]
    run client --authorization 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/us-east-1, SignedHeaders=host, Signature=00' --action DescribeCacheClusters
    [ "$(verdict <<<"$output")" = "400 IncompleteSignature" ]
}

@test "stale or future X-Amz-Date (more than 5 minutes): RequestExpired; 4 minutes is fine" {
    run client --date-offset -400 --action DescribeCacheClusters
    [ "$(verdict <<<"$output")" = "400 RequestExpired" ]
    [[ $output == *"Request has expired"* ]]
    run client --date-offset 400 --action DescribeCacheClusters
    [ "$(verdict <<<"$output")" = "400 RequestExpired" ]
    run client --date-offset -240 --action DescribeCacheClusters
    [ "$(verdict <<<"$output")" = "200 -" ]
}

@test "scope with another region or service: SignatureDoesNotMatch naming the problem" {
    run client --region eu-west-1 --action DescribeCacheClusters
    [ "$(verdict <<<"$output")" = "403 SignatureDoesNotMatch" ]
    [[ $output == *"Credential should be scoped to a valid region, not 'eu-west-1'."* ]]
    run client --service ec2 --action DescribeCacheClusters
    [ "$(verdict <<<"$output")" = "403 SignatureDoesNotMatch" ]
    [[ $output == *"Credential should be scoped to correct service: 'elasticache'."* ]]
    AWS_DEFAULT_REGION=eu-west-1 AWS_REGION=eu-west-1 run sim_aws describe-cache-clusters
    [ "$status" -eq 254 ]
    [[ $output == *SignatureDoesNotMatch* ]]
}

@test "session-token identity: the CLI with AWS_SESSION_TOKEN is accepted" {
    AWS_ACCESS_KEY_ID=ASIATESTTOKEN AWS_SECRET_ACCESS_KEY=tokensecretkeyEXAMPLE AWS_SESSION_TOKEN=$TOKEN \
        run sim_aws describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    [ "$(last_signature_verdict)" = ok ]
    # The log masks the token value.
    run sim_ctl GET /_sim/requests
    [[ $output != *EXAMPLESESSIONTOKEN* ]]
    [[ $output == *'"X-Amz-Security-Token": "****"'* ]]
    run cat "$SIM_DIR/sim.log"
    [[ $output != *EXAMPLESESSIONTOKEN* ]]
}

@test "session-token identity: missing or wrong token is InvalidClientTokenId" {
    AWS_ACCESS_KEY_ID=ASIATESTTOKEN AWS_SECRET_ACCESS_KEY=tokensecretkeyEXAMPLE \
        run sim_aws describe-cache-clusters
    [ "$status" -eq 254 ]
    [[ $output == *"(InvalidClientTokenId)"*"The security token included in the request is invalid."* ]]
    AWS_ACCESS_KEY_ID=ASIATESTTOKEN AWS_SECRET_ACCESS_KEY=tokensecretkeyEXAMPLE AWS_SESSION_TOKEN=other-token \
        run sim_aws describe-cache-clusters
    [ "$status" -eq 254 ]
    [[ $output == *InvalidClientTokenId* ]]
    # A token sent for keys that have none is also rejected.
    AWS_SESSION_TOKEN=$TOKEN run sim_aws describe-cache-clusters
    [ "$status" -eq 254 ]
    [[ $output == *InvalidClientTokenId* ]]
}

@test "session token swapped after signing: SignatureDoesNotMatch" {
    # Register the swapped-in token as the identity's, so only the signature can catch it.
    own_sim --identity "ASIATESTTOKEN:tokensecretkeyEXAMPLE:the-real-token"
    run client --access-key ASIATESTTOKEN --secret-key tokensecretkeyEXAMPLE --token signed-token \
        --send-token the-real-token --action DescribeCacheClusters
    [ "$(verdict <<<"$output")" = "403 SignatureDoesNotMatch" ]
    run client --access-key ASIATESTTOKEN --secret-key tokensecretkeyEXAMPLE --token the-real-token \
        --action DescribeCacheClusters
    [ "$(verdict <<<"$output")" = "200 -" ]
}

@test "a tampered body fails the signature" {
    # Sign one body, send another: simclient signs what it sends, so forge by hand.
    run /usr/bin/python3 - "$SIM_URL" <<'EOF'
import http.client, sys, urllib.parse, datetime
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
url = sys.argv[1] + "/"
signed = b"Action=DescribeCacheClusters&Version=2015-02-02&CacheClusterId=demo-redis"
sent = b"Action=RebootCacheCluster&Version=2015-02-02&CacheClusterId=demo-redis&CacheNodeIdsToReboot.CacheNodeId.1=0001"
req = AWSRequest(method="POST", url=url, data=signed,
                 headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
SigV4Auth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), "elasticache", "us-east-1").add_auth(req)
p = urllib.parse.urlsplit(url)
c = http.client.HTTPConnection(p.hostname, p.port)
c.request("POST", "/", body=sent, headers=dict(req.headers.items()))
r = c.getresponse()
print(r.status, r.read().decode())
EOF
    [[ $output == "403 "*SignatureDoesNotMatch* ]]
    [ "$(sim_cluster_status demo-redis)" = available ]
}

@test "GET with a signed query string works, as the Query API allows" {
    run client --method GET --action DescribeCacheClusters --param CacheClusterId=demo-redis
    [ "$(verdict <<<"$output")" = "200 -" ]
    [[ $output == *"<CacheClusterId>demo-redis</CacheClusterId>"* ]]
}

@test "HTTPS requests are verified too" {
    run /usr/bin/python3 "$EC_REPO/tests/sim/simclient.py" --url "$SIM_HTTPS_URL" --ca "$SIM_CA" --action DescribeCacheClusters
    [ "$(verdict <<<"$output")" = "200 -" ]
    run /usr/bin/python3 "$EC_REPO/tests/sim/simclient.py" --url "$SIM_HTTPS_URL" --ca "$SIM_CA" --secret-key wrong --action DescribeCacheClusters
    [ "$(verdict <<<"$output")" = "403 SignatureDoesNotMatch" ]
}

@test "missing or wrong Version/Action answer like the Query API" {
    run client --action NoSuchThing
    [ "$(verdict <<<"$output")" = "400 InvalidAction" ]
    run client --action DescribeCacheClusters --version 2099-01-01
    [ "$(verdict <<<"$output")" = "400 InvalidAction" ]
    run client --action DescribeCacheClusters --version ''
    [ "$(verdict <<<"$output")" = "400 MissingParameter" ]
    run client --version 2015-02-02
    [ "$(verdict <<<"$output")" = "400 MissingAction" ]
    # A modelled operation the sim does not implement is refused, not faked.
    run client --action CreateCacheCluster
    [ "$(verdict <<<"$output")" = "400 InvalidAction" ]
}

@test "captured requests of real clients (aws-cli v1/v2, boto3, curl) pass verification" {
    # Their X-Amz-Date is the capture time, so allow any clock distance here.
    own_sim --clock-skew 1000000000 --reboot-seconds 60
    ref=$(/usr/bin/python3 -c 'import json,sys; print(json.dumps({"clusters": json.load(open(sys.argv[1]))["CacheClusters"]}))' "$DATA/describe-cache-clusters.queryparser.json")
    sim_ctl POST /_sim/seed "$ref"
    for f in awscli-2.9.19.describe-cache-clusters awscli-1.45.11.describe-cache-clusters \
        boto3-1.43.11.describe-cache-clusters curl-7.88.1.describe-cache-clusters.default \
        awscli-2.9.19.reboot-cache-cluster; do
        run /usr/bin/python3 "$BATS_TEST_DIRNAME/fidelity.py" replay "$SIM_URL" "$DATA/requests/$f.request.http"
        echo "$f: $output"
        [ "$output" = "200 -" ]
    done
    # boto3's reboot of the same cluster: signature fine, the cluster is already rebooting.
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/fidelity.py" replay "$SIM_URL" "$DATA/requests/boto3-1.26.27.reboot-cache-cluster.request.http"
    [ "$output" = "400 InvalidCacheClusterState" ]
    # The session-token capture needs its identity.
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/fidelity.py" replay "$SIM_URL" "$DATA/requests/awscli-2.9.19.reboot-cache-cluster.session-token.request.http"
    [ "$output" = "403 InvalidClientTokenId" ]
    own_sim --clock-skew 1000000000 --identity "AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY:$TOKEN"
    sim_ctl POST /_sim/seed "$ref"
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/fidelity.py" replay "$SIM_URL" "$DATA/requests/awscli-2.9.19.reboot-cache-cluster.session-token.request.http"
    [ "$output" = "200 -" ]
}

@test "one flipped byte in a captured signature is caught" {
    own_sim --clock-skew 1000000000 --reboot-seconds 60
    sed 's/Signature=b5a1/Signature=b5a2/' "$DATA/requests/awscli-2.9.19.describe-cache-clusters.request.http" >"$BATS_TEST_TMPDIR/bad.http"
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/fidelity.py" replay "$SIM_URL" "$BATS_TEST_TMPDIR/bad.http"
    [ "$output" = "403 SignatureDoesNotMatch" ]
}
